"""What discovery finds: `Submission` (one student's work and where it lives), `Discovery` (the whole batch), the
two error types, and the safe student ids."""
import re
import unicodedata
from dataclasses import dataclass, field, replace


class SubmissionsError(Exception):
    """SUBMISSIONS as a whole cannot be used (missing, empty, nothing in it looks like a submission).

    The message is one line that says what was wrong and what to do; the grader prints it and exits 2.
    """


class UnpackError(Exception):
    """One submission cannot be unpacked safely; the message says why, for the instructor and the student."""


@dataclass(frozen=True)
class Submission:
    """One student's submission, found by `discover`; picklable, and cheap to send to another process.

    student: a safe id (letters, digits, `_`, `-`, `.`), unique in the batch; name, email: when the layout tells
    them (else ""); lms_id: the LMS's own id for the student (Canvas user id, Blackboard username; else "");
    late: the LMS marked the submission late (Canvas); source: where it came from, for messages.

    The other fields say where the files are, for `unpack` (a folder or .zip on disk, never opened here):
    container: the folder or .zip on disk; root: the folder inside `container` (POSIX path, "" for all of it)
    whose content is the submission; files: ((path inside `container`, file name), ...) when the submission is
    a set of single files (an LMS's per-student uploads) instead of `root`; assignment: the assignment id, which
    picks the assignment folder when a submission holds several; release_paths: the release's relative paths, to
    put single library files back where the release has them.
    """

    student: str
    name: str = ""
    email: str = ""
    lms_id: str = ""
    late: bool = False
    source: str = ""
    container: str = ""
    root: str = ""
    files: tuple = ()
    assignment: str = ""
    release_paths: tuple = field(default=(), repr=False)


@dataclass(frozen=True)
class Discovery:
    """The result of `discover`: which layout, its one-line description, the submissions, and notes (things
    ignored or decided, one line each) for the instructor."""

    layout: str
    description: str
    submissions: list
    notes: list


def safe_id(text, *, fallback="student"):
    """`text` as a student id: accents dropped, spaces as `_`, only letters, digits, `_`, `-`, `.`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_text.strip())
    cleaned = re.sub(r"_+", "_", cleaned).strip("_.-")
    return cleaned or fallback


def unique_students(submissions, notes):
    """`submissions` with ids made unique (`-2`, `-3`, ... on repeats), in order; each renaming noted."""
    seen = set()
    result = []
    for submission in submissions:
        student = submission.student
        counter = 2
        while student.lower() in seen:
            student = f"{submission.student}-{counter}"
            counter += 1
        if student != submission.student:
            notes.append(f"{submission.source}: id {submission.student!r} is taken; graded as {student!r}")
            submission = replace(submission, student=student)
        seen.add(student.lower())
        result.append(submission)
    return result
