"""The grader's path-based entry points, on top of `autograde.grade.submissions`.

`find_submissions` and `unpack_submission` take one folder or .zip per student by path, as jobs that carry a
path need. They unpack exactly as `submissions.unpack` does (stray files and metadata left out, the assignment
folder found by content, nested zips). The other layouts (LMS downloads, nbgrader's) need the Submission
objects of `submissions.discover`, which `submissions.pack` turns into bytes for jobs that leave this machine.
"""
from pathlib import Path

from autograde.grade.submissions import SubmissionsError, UnpackError, discover, unpack
from autograde.grade.submissions.model import Submission
from autograde.grade.submissions.placement import default_release_paths
from autograde.nbgrader_adapter.layout import ASSIGNMENT as ASSIGNMENT_ID

__all__ = ["UnpackError", "find_submissions", "unpack_submission"]


def find_submissions(submissions_dir):
    """{student id: path of the student's folder or .zip} in `submissions_dir`, sorted by id.

    Raises SubmissionsError when SUBMISSIONS is missing or empty, or when it is a layout that is not one folder
    or .zip per student (use `submissions.discover` for those).
    """
    discovery = discover(submissions_dir)
    if discovery.layout not in ("folders", "single") or any(submission.files for submission in discovery.submissions):
        raise SubmissionsError(f"SUBMISSIONS: {discovery.description}; grade it through "
                               "autograde.grade.submissions.discover, which reads that layout")
    return {submission.student: Path(submission.container) / submission.root
            for submission in sorted(discovery.submissions, key=lambda submission: submission.student)}


def unpack_submission(entry, scratch_dir):
    """Copy or unzip the folder or .zip `entry` into `scratch_dir/submission`; return its assignment folder."""
    entry = Path(entry)
    submission = Submission(student=entry.stem, source=entry.name, container=str(entry),
                            assignment=ASSIGNMENT_ID, release_paths=default_release_paths())
    return unpack(submission, scratch_dir)
