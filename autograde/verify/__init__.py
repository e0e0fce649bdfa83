"""`python -m autograde verify`: the reference earns full marks, the untouched release earns zero, nothing leaks.

The release step runs the leak scan itself (it refuses to finish when solution material reaches the student
copy); verify then grades two submissions made from that release through the real pipeline and checks them.
"""
import shutil
import tempfile
from pathlib import Path

from autograde.demo.submissions import make_reference
from autograde.paths import PROJECT_ROOT



def _problems(results_by_student):
    problems = []
    for check in results_by_student["reference"]["checks"]:
        if check["points"] != check["max_points"] and check["status"] != "pending":  # pending: graded by hand
            problems.append(f"reference: {check['id']} earned {check['points']:g}/{check['max_points']:g} "
                            f"({check['status']}): {check['message']}")
    for check in results_by_student["untouched"]["checks"]:
        if check["points"] != 0:
            problems.append(f"untouched release: {check['id']} earned {check['points']:g} points "
                            f"({check['status']}); an unfilled stub must earn nothing")
    return problems


def verify(*, workdir=None, workers=None, show_progress=False):
    """Return a list of problems (empty when everything holds)."""
    from autograde.grade import grade
    from autograde.release import release

    with tempfile.TemporaryDirectory(prefix="autograde-verify-") as scratch:
        base = Path(workdir) if workdir is not None else Path(scratch)
        release_dir = release(out=base / "release", course_dir=base / "release-course")
        submissions = base / "submissions"
        submissions.mkdir(parents=True, exist_ok=True)
        make_reference(release_dir, submissions / "reference", PROJECT_ROOT)
        shutil.copytree(release_dir, submissions / "untouched")
        results = grade(submissions, out=base / "grading", workers=workers, show_progress=show_progress).results
        return _problems({result["student"]: result for result in results})
