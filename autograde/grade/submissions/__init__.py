"""Find, unpack and pack student submissions, in the layouts instructors really have; keep the class roster.

The grader's API:

    discover(path, *, assignment="assignment2", release_paths=()) -> Discovery
        Discovery(layout, description, submissions, notes): `layout` is one of "folders" (one folder or .zip per
        student), "single", "canvas", "moodle", "blackboard", "nbgrader-collected", "nbgrader-inbound";
        `description` is the one line to announce ("287 students found in a Canvas bulk download (3 late)");
        `notes` are one line each about what was left out or decided. Raises SubmissionsError (one line: what
        was wrong with SUBMISSIONS and what to do).
    Submission: frozen, picklable; student (a safe id: letters, digits, `_ - .`, unique in the batch), name,
        email, lms_id, late, source (where it came from, for messages), and where its files are.
    unpack(submission, scratch_dir, *, notes=None) -> Path
        The assignment folder (holds course_lib/ and the notebooks) of a copy in `scratch_dir/submission`.
        Raises UnpackError with a message for the instructor and the student.
    pack(submission, *, notes=None) -> bytes
        The same assignment folder as a zip, for a job that carries data to another machine.
    unpack_bytes(data, scratch_dir) -> Path
        The inverse of `pack`, with every limit of `unpack`. Raises UnpackError.

Every way in applies the same safety rules (`safe_unzip`): no absolute or `..` paths, no links, at most
MAX_MEMBERS files and MAX_TOTAL_BYTES per submission over every level of nested zips, corrupt and encrypted zips
refused. The roster (`roster.Roster`) is the class list kept as `OUT/roster.csv`.
"""
from autograde.grade.submissions.layouts import discover
from autograde.grade.submissions.model import Discovery, Submission, SubmissionsError, UnpackError
from autograde.grade.submissions.unpacking import pack, unpack, unpack_bytes

__all__ = ["discover", "unpack", "pack", "unpack_bytes", "Discovery", "Submission", "SubmissionsError",
           "UnpackError"]
