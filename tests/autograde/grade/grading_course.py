"""A graded batch of the fixture assignment (fixtures/: two notebooks, a one-function course_lib, a checks bundle),
shared by the notebook, gradebook and feedback tests because nbgrader runs take seconds each.

Students: `alice` (everything right), `bob` (a wrong notebook answer; `double` hard-coded to the public case, so
the hidden test fails), `carol` (tampered test cells and a notebook check that passes where the trusted hidden
check fails), `dave` (Second.ipynb renamed, a wrong `double` and a doctored copy of the checker).
"""
import functools
import shutil
from pathlib import Path

import nbformat

from autograde.grade import notebooks
from autograde.checks.result import CheckResult

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WRONG_DOUBLE = '"""A wrong double."""\nimport numpy as np\n\n\ndef double(x):\n    return np.asarray(x, float)\n'
HARD_CODED_DOUBLE = ('"""The public answer, hard-coded."""\nimport numpy as np\n\n\ndef double(x):\n'
                     '    return np.array([0.0, 2.0, 4.0])\n')
LAZY_CHECKER = '"""A doctored checker that never fails."""\n\n\ndef check(task, hidden=False):\n    print("PASS")\n'
HIDDEN_EXPECTED_TEXT = "14.5"


def student_notebook(name):
    """A released copy of a fixture notebook with the reference answers filled in (hidden tests removed)."""
    notebook = nbformat.read(FIXTURES / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        cell.source = notebooks._student_source(cell.source)
    return notebook


def cell_with_id(notebook, grade_id):
    return next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def write_submission(parent, student, *, double_source=None, answer=None, edit=None, rename=None, files=None):
    """A submission folder: course_lib + both notebooks, then changed.

    double_source: replaces course_lib/ops.py; answer: the value of `answer` in Fixture; edit(notebooks) changes
    the notebooks {name: notebook}; rename: {name: new file name}; files: {relative path: text} written as is.
    """
    folder = Path(parent) / student
    shutil.copytree(FIXTURES / "course_lib", folder / "course_lib")
    if double_source is not None:
        (folder / "course_lib" / "ops.py").write_text(double_source)
    submitted = {name: student_notebook(name) for name in ("Fixture", "Second")}
    if answer is not None:
        cell_with_id(submitted["Fixture"], "answer").source = f"answer = {answer}"
    if edit is not None:
        edit(submitted)
    for name, notebook in submitted.items():
        nbformat.write(notebook, folder / (rename or {}).get(name, f"{name}.ipynb"))
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    return folder


def trusted_results(public="pass", hidden="pass", message="ops.double on the hidden case: wrong values"):
    """The trusted library results of the fixture task `ops.double`: public (1 point) and hidden (2 points)."""
    return [
        CheckResult(id="ops.double.public", task="ops.double", notebook="Fixture", max_points=1.0, status=public,
                    points=1.0 if public == "pass" else 0.0, message="" if public == "pass" else message),
        CheckResult(id="ops.double.hidden", task="ops.double", notebook="Fixture", max_points=2.0, status=hidden,
                    points=2.0 if hidden == "pass" else 0.0, message="" if hidden == "pass" else message,
                    hidden=True),
    ]


def tamper_carol(submitted):
    cell_with_id(submitted["Fixture"], "nb-Fixture-answer").source = "pass"
    cell_with_id(submitted["Fixture"], "ops-double").metadata.nbgrader["points"] = 10
    second = submitted["Second"]
    second.cells = [cell for cell in second.cells if cell.metadata.nbgrader["grade_id"] != "nb-Second-total"]


STUDENTS = {
    "alice": ({}, trusted_results()),
    "bob": ({"double_source": HARD_CODED_DOUBLE, "answer": 41}, trusted_results(hidden="fail")),
    "carol": ({"answer": 41, "edit": tamper_carol}, trusted_results(hidden="fail")),
    "dave": ({"double_source": WRONG_DOUBLE, "rename": {"Second": "Second (1).ipynb"},
              "files": {"autograde/check/__init__.py": LAZY_CHECKER}},
             trusted_results(public="fail", hidden="fail")),
}


def course_folder(root):
    """An instructor course folder laid out like the repository: notebooks/, autograde/ (bundle), course_lib/."""
    root = Path(root)
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks")
    shutil.copytree(FIXTURES / "bundle" / "autograde", root / "autograde")
    shutil.copytree(FIXTURES / "course_lib", root / "course_lib")
    return root


def grade_batch(out_dir, course_root, students, submissions_dir, publish_in_workers=False):
    """Run the three hooks as the grading pipeline does; returns (context, {student: result dict}).

    publish_in_workers: whether grade_notebooks records each student and makes its nbgrader feedback (as local
    workers do) or leaves both to finish_batch (as for Dask workers).
    """
    context = notebooks.prepare_batch(out_dir, course_dir=course_root, cell_timeout=30, notebook_timeout=120)
    context = {**context, "publish_in_workers": publish_in_workers}
    results = []
    for student in students:
        options, library = STUDENTS[student]
        folder = submissions_dir / student
        if not folder.exists():
            write_submission(submissions_dir, student, **options)
        checks = notebooks.grade_notebooks(folder, student=student, library_results=library, context=context,
                                           scratch_dir=Path(out_dir) / "scratch" / student, timeout=10)
        results.append({"student": student, "checks": [check.to_dict() for check in checks], "error": ""})
    finished = notebooks.finish_batch(out_dir, results, context=context)
    return context, {result["student"]: result for result in finished}


@functools.cache
def graded_class(base_dir):
    """The fixture class graded once per test session in `base_dir`: (out_dir, context, results by student)."""
    base_dir = Path(base_dir)
    course_root = course_folder(base_dir / "instructor")
    out_dir = base_dir / "out"
    context, results = grade_batch(out_dir, course_root, list(STUDENTS), base_dir / "submissions")
    return out_dir, context, results

