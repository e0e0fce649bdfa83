"""Nothing instructor-only reaches a student: code that searches the whole filesystem while it is graded, from
course_lib (the library sandbox) and from notebook cells (the kernel), finds nothing secret, and no file of the
grading output carries anything secret back.

The spy submission walks `/` from inside `course_lib/__init__.py` (run at import in the library sandbox), from a
library function it makes raise with what it found, and from a new first cell of every notebook. It reports each
find on a line `LEAK::<what>`; that text never appears in its own code (it is built at run time), so any
occurrence in the grading output is a real find. The secrets are the project (reference course_lib and source
notebooks), the hidden checks and values, the gradebook, the grading course, and a classmate's submission (which
carries a unique token).
"""
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograde.demo.submissions import make_reference
from autograde.grade import grade
from autograde.paths import PROJECT_ROOT
from autograde.release import release

CLASSMATE_TOKEN = "classmate-secret-4b1d8e"
# The search the spy runs. Secret are: the gradebook and hidden values (by file name), an installed copy of the
# project's packages (by location), the source notebooks' reference answers and a classmate's token (by content),
# solution regions in any course_lib (by content), and anything under the watched folders (the project, the test's
# own folders: the grading output and the classmates' submissions) except the allowed ones (the project's venv,
# which student code may see). Filled in per test with those paths (which are not secret).
SPY_TEMPLATE = '''
import os as _os

_SPY_FOUND = []


def _spy_walk(top="/"):
    if _SPY_FOUND:
        return _SPY_FOUND
    marker = "LE" + "AK::"
    own = [_os.getcwd()] + ([_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))]
                            if "__file__" in globals() else [])
    watched, allowed = {watched}, {allowed}
    names = ("hidden.npz", "skeleton.db")
    texts = ("Reference answer " + "(for the grader)", "classmate-" + "secret-4b1d8e")
    # Folders searched by name and location only (reading all their files takes minutes): system folders that hold
    # no project files, and site-packages (where an installed copy of the project is found by its location).
    by_name_only = ("/usr/share", "/usr/include", "/usr/lib/x86_64-linux-gnu", "/usr/lib/python3", "/usr/lib/jvm")
    found = []
    for root, folders, files in _os.walk(top):
        folders[:] = [name for name in folders if _os.path.join(root, name) not in ("/proc", "/sys", "/dev")
                      and not any(_os.path.join(root, name).startswith(path) for path in own)]
        in_site = "/site-packages" in root
        for name in files:
            path = _os.path.join(root, name)
            outside_allowed = not any(path.startswith(folder + "/") for folder in allowed)
            if (name in names or (name == "gradebook.db" and not in_site)
                    or (in_site and any("/site-packages/" + package + "/" in path
                                        for package in ("course_lib", "autograde")))
                    or (outside_allowed and any(path.startswith(folder + "/") for folder in watched))):
                found.append(marker + path)
            if (in_site or root.startswith(by_name_only)
                    or not name.endswith((".py", ".ipynb", ".json", ".csv", ".txt"))):
                continue
            try:
                with open(path, encoding="utf-8", errors="ignore") as stream:
                    content = stream.read(500_000)
            except OSError:
                continue
            found += [marker + text + " in " + path for text in texts if text in content]
            if "/course_lib/" in path and "### BEGIN " + "SOLUTION" in content:
                found.append(marker + "a solution region in " + path)
    _SPY_FOUND.extend(found or ["nothing"])
    return _SPY_FOUND
'''


def spy_code(watched, allowed=()):
    """The spy's search, watching the folders `watched` (anything under them is a find) except what lies under
    `allowed` (searched like the rest of the filesystem)."""
    return SPY_TEMPLATE.format(watched=repr([str(path) for path in watched]),
                               allowed=repr([str(path) for path in allowed]))


PRINT_FINDS = "\nfor _line in _spy_walk():\n    if _line != 'nothing':\n        print(_line)\n"


def make_spy(release_dir, folder, code):
    """A full-marks submission, plus the filesystem search `code` in course_lib (at import, and raising from
    relu_forward) and in a first cell of every notebook."""
    make_reference(release_dir, folder, PROJECT_ROOT)
    init = folder / "course_lib" / "__init__.py"
    init.write_text(init.read_text() + "\n" + code + PRINT_FINDS)
    affine = folder / "course_lib" / "layers" / "affine.py"
    # The search ran when course_lib was imported (within the import's time limit); relu_forward reports its finds.
    affine.write_text(affine.read_text() + '''

from course_lib import _spy_walk

_honest_relu_forward = relu_forward


def relu_forward(x):
    found = [line for line in _spy_walk() if line != "nothing"]
    if found:
        raise RuntimeError("; ".join(found[:50]))
    return _honest_relu_forward(x)
''')
    for path in folder.glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(code + PRINT_FINDS))
        nbformat.write(notebook, path)


def output_files(out):
    """Every file of the grading output that a person reads: results, grades, both kinds of feedback, the
    autograded notebooks, the logs and the report."""
    return [path for path in Path(out).rglob("*") if path.is_file()
            and path.suffix in (".json", ".csv", ".html", ".ipynb", ".txt")]


@pytest.mark.slow
def test_a_submission_that_searches_the_filesystem_finds_nothing_secret_and_carries_nothing_back(tmp_path, bwrap):
    release_dir = release(out=tmp_path / "release", course_dir=tmp_path / "release-course")
    submissions = tmp_path / "submissions"
    make_reference(release_dir, submissions / "honest", PROJECT_ROOT)
    (submissions / "honest" / "notes.py").write_text(f"TOKEN = {CLASSMATE_TOKEN!r}\n")
    make_spy(release_dir, submissions / "spy",
             spy_code([PROJECT_ROOT, tmp_path], allowed=[PROJECT_ROOT / ".venv"]))
    out = tmp_path / "out"
    batch = grade(submissions, out=out, workers=2, show_progress=False)

    leaks = {str(path.relative_to(out)): [line for line in path.read_text(errors="ignore").splitlines()
                                          if "LEAK::" in line][:5]
             for path in output_files(out)}
    leaks = {path: lines for path, lines in leaks.items() if lines}
    assert leaks == {}, json.dumps(leaks, indent=1)[:4000]

    results = {result["student"]: result for result in batch.results}
    honest, spy = results["honest"], results["spy"]
    assert all(check["status"] in ("pass", "pending") for check in honest["checks"]), [
        (check["id"], check["status"], check["message"]) for check in honest["checks"]
        if check["status"] not in ("pass", "pending")]
    assert not honest["error"] and not honest["grader_error"]
    # The spy's functions are the reference's: searching costs it nothing, and it found nothing to use.
    assert sum(check["points"] for check in spy["checks"]) == sum(check["points"] for check in honest["checks"]), [
        (check["id"], check["status"], check["message"]) for check in spy["checks"]
        if check["status"] not in ("pass", "pending")]
    # Its notebook cells ran (the search happened in the kernel) and printed nothing.
    autograded = out / "course" / "autograded" / "spy" / "assignment2" / "FullyConnectedNets.ipynb"
    first = nbformat.read(autograded, as_version=4).cells[0]
    assert "_spy_walk" in first.source and first.get("execution_count")
    assert not [output for output in first.outputs if output.output_type == "error"], first.outputs
    assert [output for output in first.outputs if output.get("name") == "stdout"] == []


def test_the_spy_really_finds_the_secrets_where_nothing_hides_them(tmp_path):
    """The same search, run without a sandbox beside a copy of the project, finds the secrets it looks for: the
    test above would see them if the sandbox let them through."""
    visible = tmp_path / "visible"
    shutil.copytree(PROJECT_ROOT / "autograde" / "expected", visible / "expected")
    shutil.copytree(PROJECT_ROOT / "notebooks", visible / "notebooks")
    shutil.copytree(PROJECT_ROOT / "course_lib", visible / "course_lib")
    (visible / "classmate.py").write_text(f"TOKEN = {CLASSMATE_TOKEN!r}\n")
    installed = visible / "lib" / "site-packages" / "course_lib"
    installed.mkdir(parents=True)
    (installed / "__init__.py").write_text("")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "grades.csv").write_text("student,total\n")
    namespace = {}
    exec(spy_code([tmp_path / "output"]), namespace)  # noqa: S102 - the test's own code
    found = "\n".join(namespace["_spy_walk"](str(tmp_path)))
    assert f"LEAK::{visible / 'expected' / 'hidden.npz'}" in found
    assert f"Reference answer (for the grader) in {visible / 'notebooks'}" in found
    assert f"{CLASSMATE_TOKEN} in {visible / 'classmate.py'}" in found
    assert f"a solution region in {visible / 'course_lib' / 'layers' / 'affine.py'}" in found
    assert f"LEAK::{tmp_path / 'output' / 'grades.csv'}" in found
    assert f"LEAK::{installed / '__init__.py'}" in found
