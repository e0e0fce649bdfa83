"""The fixture assignment (fixtures/: two notebooks, a one-function course_lib, the student-side checks bundle) and a
class graded on it through the real worker (`student.grade_student`) and the real class record.

The trusted library checks know only the real course_lib, so the library half of the fixture's grading is a
table: the verdicts the trusted checks of the fixture task `ops.double` give each submitted `course_lib/ops.py`
(`trusted_library_checks`). Everything else is real: nbgrader, kernels in the kernel sandbox, merge, gradebook,
feedback pages.

Students: `alice` (everything right), `bob` (a wrong notebook answer; `double` hard-coded to the public case, so
the trusted hidden check fails), `carol` (tampered test cells, and a `double` that is right only inside a notebook
kernel: the notebook's check passes where the trusted public check fails), `dave` (Second.ipynb renamed, a wrong
`double`, a doctored copy of the checker, and the written answer left as released).
"""
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.preprocessors import ClearSolutions

from autograde.checks.result import CheckResult
from autograde.grade import record, student
from autograde.grade.notebooks import course as grading_course
from autograde.grade.notebooks.verdicts import student_source
from autograde.grade.report import write_report
from autograde.grade.submissions import discover

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE_DOUBLE = (FIXTURES / "course_lib" / "ops.py").read_text()
WRONG_DOUBLE = '"""A wrong double."""\nimport numpy as np\n\n\ndef double(x):\n    return np.asarray(x, float)\n'
HARD_CODED_DOUBLE = ('"""The public answer, hard-coded."""\nimport numpy as np\n\n\ndef double(x):\n'
                     '    return np.array([0.0, 2.0, 4.0])\n')
KERNEL_ONLY_DOUBLE = ('"""Right only where a notebook kernel runs it."""\nimport sys\n\nimport numpy as np\n\n\n'
                      'def double(x):\n    if "ipykernel" in sys.modules:\n        return 2 * np.asarray(x, float)\n'
                      '    return np.zeros(len(x))\n')
LAZY_CHECKER = '"""A doctored checker that never fails."""\n\n\ndef check(task, hidden=False):\n    print("PASS")\n'
# A value of the trusted hidden case: it appears in the trusted message of a failed hidden check, and must never
# reach a student's feedback.
HIDDEN_EXPECTED_TEXT = "14.5"
HIDDEN_CHECK_LINE = "the hidden checks of ops.double are run by the grader outside the notebook"
CELL_TIMEOUT = 30


def bundle_files():
    """{relative path: bytes} of the fixture's student-side checks bundle (what its release ships)."""
    root = FIXTURES / "bundle"
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.py"))}


def prepare_course(root):
    """The grading course of the fixture assignment in `root`."""
    return grading_course.prepare_grading_course(root, notebooks_dir=FIXTURES / "notebooks",
                                                 bundle_files=bundle_files(), course_lib_dir=FIXTURES / "course_lib",
                                                 cell_timeout=CELL_TIMEOUT)


def student_notebook(name):
    """A released copy of a fixture notebook with the reference answers filled in (hidden tests removed)."""
    notebook = nbformat.read(FIXTURES / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        cell.source = student_source(cell.source)
    return notebook


def cell_with_id(notebook, grade_id):
    return next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def write_submission(parent, name, *, double_source=None, answer=None, edit=None, rename=None, files=None):
    """A submission folder: course_lib + both notebooks, then changed.

    double_source: replaces course_lib/ops.py; answer: the value of `answer` in Fixture; edit(notebooks) changes
    the notebooks {name: notebook}; rename: {name: new file name}; files: {relative path: text} written as is.
    """
    folder = Path(parent) / name
    shutil.copytree(FIXTURES / "course_lib", folder / "course_lib")
    if double_source is not None:
        (folder / "course_lib" / "ops.py").write_text(double_source)
    submitted = {notebook: student_notebook(notebook) for notebook in ("Fixture", "Second")}
    if answer is not None:
        cell_with_id(submitted["Fixture"], "answer").source = f"answer = {answer}"
    if edit is not None:
        edit(submitted)
    for notebook_name, notebook in submitted.items():
        nbformat.write(notebook, folder / (rename or {}).get(notebook_name, f"{notebook_name}.ipynb"))
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    return folder


def trusted_results(public="pass", hidden="pass"):
    """The trusted library results of the fixture task `ops.double`: public (1 point) and hidden (2 points)."""
    return [
        CheckResult(id="ops.double.public", task="ops.double", notebook="Fixture", max_points=1.0, status=public,
                    points=1.0 if public == "pass" else 0.0,
                    message="" if public == "pass" else "ops.double on [0, 1, 2]: wrong values"),
        CheckResult(id="ops.double.hidden", task="ops.double", notebook="Fixture", max_points=2.0, status=hidden,
                    points=2.0 if hidden == "pass" else 0.0, hidden=True,
                    message="" if hidden == "pass" else f"ops.double on the hidden case: expected "
                                                        f"[{HIDDEN_EXPECTED_TEXT} -7. 2.]"),
    ]


# What the trusted checks of `ops.double` say about each `course_lib/ops.py` of the fixture class.
TRUSTED_VERDICTS = {
    REFERENCE_DOUBLE: ("pass", "pass"),
    HARD_CODED_DOUBLE: ("pass", "fail"),
    KERNEL_ONLY_DOUBLE: ("fail", "fail"),
    WRONG_DOUBLE: ("fail", "fail"),
}


def trusted_library_checks(student_dir, checks, expected, **options):
    """Stands in for `library.run_library_checks` on the fixture: the trusted verdicts of TRUSTED_VERDICTS."""
    ops = Path(student_dir) / "course_lib" / "ops.py"
    if not ops.is_file():
        return [CheckResult(**{**check.to_dict(), "status": "missing", "points": 0.0,
                               "message": "the submission has no course_lib/ops.py"})
                for check in trusted_results()], ""
    public, hidden = TRUSTED_VERDICTS[ops.read_text()]
    return trusted_results(public, hidden), ""


def leave_the_answer_as_released(submitted):
    cell = cell_with_id(submitted["Fixture"], "nb-Fixture-inline_question")
    cell.source = ClearSolutions().preprocess_cell(cell, {"language": "python"}, 0)[0].source


def tamper_carol(submitted):
    cell_with_id(submitted["Fixture"], "nb-Fixture-answer").source = "pass"
    cell_with_id(submitted["Fixture"], "ops-double").metadata.nbgrader["points"] = 10
    second = submitted["Second"]
    second.cells = [cell for cell in second.cells if cell.metadata.nbgrader["grade_id"] != "nb-Second-total"]


STUDENTS = {
    "alice": {},
    "bob": {"double_source": HARD_CODED_DOUBLE, "answer": 41},
    "carol": {"double_source": KERNEL_ONLY_DOUBLE, "answer": 41, "edit": tamper_carol},
    "dave": {"double_source": WRONG_DOUBLE, "rename": {"Second": "Second (1).ipynb"},
             "edit": leave_the_answer_as_released, "files": {"autograde/check/__init__.py": LAZY_CHECKER}},
}


def job(submission, *, course, course_cells, manual=None, hidden=()):
    """The job `batch.grade` hands a worker for one `submissions.Submission` (see `student`'s module docstring)."""
    return {"student": submission.student, "submission": submission, "course": course.to_dict(),
            "course_cells": {notebook: {grade_id: list(values) for grade_id, values in cells.items()}
                             for notebook, cells in course_cells.items()},
            "manual": manual or {"scores": {}, "comments": {}}, "hidden": [str(path) for path in hidden],
            "options": {"timeout": 10, "only": None, "notebook_limits": {"wall_seconds": 120}}}


def grade_student(submission, *, course, course_cells, manual=None, hidden=()):
    """The worker's result for one fixture submission (`student.grade_student`, the library half from the table)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(student, "run_library_checks", trusted_library_checks)
        return student.grade_student(job(submission, course=course, course_cells=course_cells, manual=manual,
                                         hidden=hidden))


def grade_class(out_dir, submissions_dir, names):
    """Grade the fixture students `names` (written into `submissions_dir` when missing) into the class record
    `out_dir` as `batch.grade` does, one student after another in this process; returns (course, {student: final
    result}) of the whole class."""
    out_dir = Path(out_dir)
    for name in names:
        if not (Path(submissions_dir) / name).exists():
            write_submission(submissions_dir, name, **STUDENTS[name])
    found = {submission.student: submission for submission in discover(submissions_dir).submissions}
    with record.locked(out_dir):
        course = prepare_course(out_dir / "course")
        course_cells = grading_course.course_cells(course)
        class_record = record.ClassRecord(out_dir, course, course_cells)
        for name in names:
            class_record.add(grade_student(found[name], course=course, course_cells=course_cells,
                                           manual=class_record.manual(name), hidden=(out_dir, submissions_dir)))
        finals = class_record.refresh(write_report=lambda results: write_report(
            out_dir / "report.html", results, notebooks=course.notebooks))
    return course, {result["student"]: result for result in finals}
