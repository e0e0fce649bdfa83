"""The notebook half of grading on the fixture class (real nbgrader, real kernels) and its pure parts."""
import re
import subprocess
import sys
import time

from pathlib import Path

import nbformat
import pytest

import grading_course
from autograde.grade import gradebook, notebooks


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grading_course.graded_class(str(tmp_path_factory.getbasetemp() / "fixture-class"))


def checks_of(results, student):
    return {check["id"]: check for check in results[student]["checks"]}


@pytest.mark.slow
def test_reference_submission_earns_every_automatic_point(graded):
    _, _, results = graded
    checks = checks_of(results, "alice")
    assert {check_id: (check["status"], check["points"]) for check_id, check in checks.items()} == {
        "ops.double.public": ("pass", 1.0), "ops.double.hidden": ("pass", 2.0),
        "nb.Fixture.answer": ("pass", 2.0), "nb.Fixture.warning": ("pass", 1.0), "nb.Second.total": ("pass", 1.0)}
    assert results["alice"]["manual_pending"] == [
        {"id": "nb.Fixture.inline_question", "notebook": "Fixture", "max_points": 2.0}]


@pytest.mark.slow
def test_wrong_notebook_answer_loses_exactly_that_cells_points(graded):
    _, _, results = graded
    alice, bob = checks_of(results, "alice"), checks_of(results, "bob")
    notebook_only = [check_id for check_id in alice if check_id.startswith("nb.")]
    lost = {check_id: alice[check_id]["points"] - bob[check_id]["points"] for check_id in notebook_only}
    assert lost == {"nb.Fixture.answer": 2.0, "nb.Fixture.warning": 0.0, "nb.Second.total": 0.0}
    assert bob["nb.Fixture.answer"]["status"] == "fail"
    assert bob["nb.Fixture.answer"]["message"] == "AssertionError: answer is 41; expected the answer to everything"


@pytest.mark.slow
def test_runtime_warning_in_a_correct_test_cell_keeps_its_points(graded):
    out_dir, _, results = graded
    assert checks_of(results, "alice")["nb.Fixture.warning"]["points"] == 1.0
    executed = nbformat.read(out_dir / "course" / "autograded" / "alice" / "assignment2" / "Fixture.ipynb", 4)
    cell = grading_course.cell_with_id(executed, "nb-Fixture-warning")
    assert [output.output_type for output in cell.outputs] == []


def test_warning_pattern_matches_what_numpy_writes_to_stderr():
    warned = subprocess.run([sys.executable, "-c", "import numpy as np; np.log(np.zeros(1))"],
                            capture_output=True, text=True, check=True)
    assert "RuntimeWarning" in warned.stderr
    assert re.search(gradebook.WARNING_STDERR_PATTERN, warned.stderr)
    assert not re.search(gradebook.WARNING_STDERR_PATTERN, "Traceback: AssertionError: wrong\n")


@pytest.mark.slow
def test_tampered_test_cells_are_restored_graded_and_flagged(graded):
    _, _, results = graded
    carol = checks_of(results, "carol")
    assert carol["nb.Fixture.answer"]["status"] == "fail"
    assert carol["nb.Fixture.answer"]["points"] == 0.0
    assert "code was edited" in carol["nb.Fixture.answer.test_cell"]["message"]
    assert "points were changed from 3 to 10" in carol["ops.double.test_cell"]["message"]
    assert "deleted" in carol["nb.Second.total.test_cell"]["message"]
    assert carol["nb.Second.total"]["status"] == "pass"
    assert {carol[check_id]["status"] for check_id in carol if check_id.endswith(".test_cell")} == {"tampered"}
    assert sum(check["max_points"] for check in carol.values()) == 7.0


@pytest.mark.slow
def test_notebook_check_that_passes_where_the_trusted_check_fails_is_tampered(graded):
    _, _, results = graded
    carol, bob = checks_of(results, "carol"), checks_of(results, "bob")
    assert carol["ops.double.hidden"]["status"] == "tampered"
    assert carol["ops.double.hidden"]["message"].startswith("the notebook's own check reported success")
    assert carol["ops.double.public"]["status"] == "pass"
    assert bob["ops.double.hidden"]["status"] == "fail"


@pytest.mark.slow
def test_missing_notebook_makes_its_checks_missing_and_library_checks_still_count(graded):
    _, _, results = graded
    dave = checks_of(results, "dave")
    assert dave["nb.Second.total"]["status"] == "missing"
    assert dave["nb.Second.total"]["message"] == (
        "Second.ipynb was not found in the submission; found: Fixture.ipynb, Second (1).ipynb")
    assert dave["nb.Fixture.answer"]["points"] == 2.0
    assert dave["ops.double.public"]["status"] == "fail"


@pytest.mark.slow
def test_students_copy_of_the_checker_is_replaced_by_the_instructors(graded):
    out_dir, _, _ = graded
    executed = nbformat.read(out_dir / "course" / "autograded" / "dave" / "assignment2" / "Fixture.ipynb", 4)
    errors = [output for output in grading_course.cell_with_id(executed, "ops-double").outputs
              if output.output_type == "error"]
    assert [error.ename for error in errors] == ["AssertionError"]
    assert "ops.double.public: got [0. 1. 2.]" in errors[0].evalue


def test_kernel_startup_imports_course_lib_only_from_the_submission(tmp_path):
    startup = tmp_path / "startup.py"
    startup.write_text(notebooks.KERNEL_STARTUP)
    probe = f"exec(open({str(startup)!r}).read()); import course_lib"
    missing = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert "course_lib is not in the submitted folder" in missing.stderr
    (tmp_path / "course_lib").mkdir()
    (tmp_path / "course_lib" / "__init__.py").write_text("WHERE = 'submission'\n")
    found = subprocess.run([sys.executable, "-c", probe + "; print(course_lib.WHERE)"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert found.stdout.strip() == "submission"


def _failed_cell(source, line, evalue):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False, "locked": True}
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=evalue,
                                           traceback=[f"\x1b[0;32mCell In[7], line {line}\x1b[0m", "..."])]
    return cell


def test_failure_on_a_hidden_test_line_does_not_show_its_message():
    source = "assert x == 1, 'public'\n### BEGIN HIDDEN TESTS\nassert x * 7 == 91735, 'hidden'\n### END HIDDEN TESTS"
    hidden = notebooks.cell_verdict(_failed_cell(source, 3, "hidden 91735"), source)
    public = notebooks.cell_verdict(_failed_cell(source, 1, "public"), source)
    assert hidden == ("fail", "a hidden test of this cell failed (AssertionError)")
    assert public == ("fail", "AssertionError: public")


def test_tampering_findings_ignore_unchanged_cells_and_name_each_change():
    recorded = {"t": ("check('x')\n### BEGIN HIDDEN TESTS\ncheck('x', hidden=True)\n### END HIDDEN TESTS", "", "code",
                      True)}
    grade_cells = {"t": (3.0, "code", False)}
    cell = nbformat.v4.new_code_cell("check('x')")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 3}
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert notebooks.tampering_findings(notebook, recorded, grade_cells) == {}
    cell.metadata["nbgrader"]["points"] = 30
    cell.source = "print('PASS')"
    finding = notebooks.tampering_findings(notebook, recorded, grade_cells)["t"]
    assert "points were changed from 3 to 30" in finding and "code was edited" in finding


def _add_first_cell(source):
    def edit(submitted):
        submitted["Second"].cells.insert(0, nbformat.v4.new_code_cell(source))
    return edit


def _autograde_with_first_cell(graded, tmp_path, student, source, *, cell_timeout=None, answer=None, **limits):
    """Autograde one student whose Second notebook starts with `source`; returns autograde_student's outcome."""
    _, context, _ = graded
    course = notebooks.course_from_context({**context, **({"cell_timeout": cell_timeout} if cell_timeout else {})})
    folder = grading_course.write_submission(tmp_path, student, answer=answer, edit=_add_first_cell(source))
    return notebooks.autograde_student(folder, student=student, course=course, scratch_dir=tmp_path / "scratch",
                                       notebook_timeout=90, **limits)


@pytest.mark.slow
@pytest.mark.parametrize("student, hostile_cell, status, message_start", [
    ("frank", "import os\nos._exit(3)", "error", "the kernel died while running this notebook"),
    ("gina", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", "timeout",
     "a cell ran past the time limit per cell"),
])
def test_a_cell_that_kills_the_kernel_or_hangs_costs_only_its_own_notebook(graded, tmp_path, student, hostile_cell,
                                                                          status, message_start):
    _, context, _ = graded
    course = notebooks.course_from_context({**context, "cell_timeout": 4})
    folder = grading_course.write_submission(tmp_path, student, edit=_add_first_cell(hostile_cell))
    outcome = notebooks.autograde_student(folder, student=student, course=course, scratch_dir=tmp_path / "scratch",
                                          notebook_timeout=90)
    assert outcome["notebooks"]["Second"]["status"] == status
    assert outcome["notebooks"]["Second"]["message"].startswith(message_start)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    checks = {check.id: check for check in
              notebooks.merge.merge_results(grading_course.trusted_results(), outcome)}
    assert (checks["nb.Second.total"].status, checks["nb.Second.total"].points) == (status, 0.0)
    assert checks["nb.Fixture.answer"].points == 2.0


# Cell code that fakes full marks: every score in the scratch gradebook set to 100, and the outputs (the failed
# assertion) stripped from the already graded Fixture notebook. `then` runs it once now or in a detached process
# that keeps at it for a minute.
FAKE_FULL_MARKS = """
import json, os, pathlib, sqlite3, time
def fake_full_marks():
    root = pathlib.Path.cwd()
    while not (root / "gradebook.db").exists() and root != root.parent:
        root = root.parent
    with sqlite3.connect(root / "gradebook.db") as db:
        db.execute("UPDATE grade SET auto_score = 100")
    for graded in (root / "autograded").glob("*/*/Fixture.ipynb"):
        notebook = json.loads(graded.read_text())
        for cell in notebook["cells"]:
            cell["outputs"] = []
        graded.write_text(json.dumps(notebook))
"""


@pytest.mark.slow
@pytest.mark.parametrize("then", [
    "fake_full_marks()",
    "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        for _ in range(1200):\n"
    "            fake_full_marks()\n            time.sleep(0.05)\n    os._exit(0)",
], ids=["from_a_later_notebook", "from_a_detached_process"])
def test_code_that_rewrites_the_scratch_gradebook_and_graded_notebooks_changes_no_grade(graded, tmp_path, then):
    outcome = _autograde_with_first_cell(graded, tmp_path, "ivan", FAKE_FULL_MARKS + then, answer=41)
    assert outcome["notebooks"]["Second"]["status"] == "graded"
    checks = {check.id: check for check in
              notebooks.merge.merge_results(grading_course.trusted_results(), outcome)}
    assert (checks["nb.Fixture.answer"].status, checks["nb.Fixture.answer"].points) == ("fail", 0.0)
    assert "answer is 41" in checks["nb.Fixture.answer"].message
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["auto_score"] == 0.0
    if notebooks.pids.available():
        assert [path for path in notebooks.pids._base().iterdir() if path.is_dir()] == []


@pytest.mark.slow
def test_a_notebook_that_fills_the_disk_is_stopped_and_costs_only_the_unfinished_notebooks(graded, tmp_path):
    fill = ("import itertools\nfor index in itertools.count():\n"
            "    with open(f'fill-{index}', 'wb') as f:\n        f.write(bytes(32 * 2**20))")
    outcome = _autograde_with_first_cell(graded, tmp_path, "judy", fill, disk_limit_bytes=256 * 2**20)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert outcome["notebooks"]["Second"]["status"] == "error"
    assert "wrote more than 256 MiB of files" in outcome["notebooks"]["Second"]["message"]
    assert not (tmp_path / "scratch").exists() or notebooks._disk_usage(tmp_path / "scratch") < 2**20


@pytest.mark.slow
@pytest.mark.skipif(not notebooks.sandbox.isolation().startswith("bwrap"), reason="bubblewrap is not available here")
def test_the_kernels_tmp_is_capped_so_a_cell_cannot_fill_the_memory_through_it(graded, tmp_path):
    probe = ("import pathlib\ntry:\n    pathlib.Path('/tmp/big').write_bytes(bytes(400 * 2**20))\n"
             "    print('TMP WROTE')\nexcept OSError as error:\n    print('TMP REFUSED', error.errno)")
    outcome = _autograde_with_first_cell(graded, tmp_path, "kate", probe)
    assert outcome["notebooks"]["Second"]["status"] == "graded"
    assert "TMP REFUSED 28" in outcome["autograded"]["Second"]  # ENOSPC


@pytest.mark.slow
@pytest.mark.skipif(not notebooks.pids.available(), reason="no writable pids cgroup here: a fork bomb would not stop")
def test_a_fork_bomb_in_a_cell_is_capped_and_costs_at_most_its_own_notebook(graded, tmp_path):
    started = time.monotonic()
    outcome = _autograde_with_first_cell(graded, tmp_path, "hank", "import os\nwhile True:\n    os.fork()",
                                         cell_timeout=4)
    assert time.monotonic() - started < 90
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    checks = {check.id: check for check in
              notebooks.merge.merge_results(grading_course.trusted_results(), outcome)}
    assert checks["nb.Fixture.answer"].points == 2.0
    leftovers = [path for path in notebooks.pids._base().iterdir() if path.is_dir()]
    assert leftovers == [], "the run's cgroup (and every process in it) should be gone"


@pytest.mark.slow
@pytest.mark.skipif(not notebooks.sandbox.isolation().startswith("bwrap"), reason="bubblewrap is not available here")
def test_a_cell_cannot_touch_the_gradebook_other_results_or_the_network(graded, tmp_path):
    out_dir, context, _ = graded
    course = notebooks.course_from_context(context)
    gradebook_file = course.root / "gradebook.db"
    before = gradebook_file.read_bytes()
    outside = Path.home() / f".autograde-sandbox-probe-{tmp_path.name}"  # not under /tmp, which the sandbox empties
    probe = (
        "import pathlib, socket\n"
        f"results = {{}}\n"
        f"for target in ({str(gradebook_file)!r}, {str(outside)!r}):\n"
        "    try:\n"
        "        pathlib.Path(target).write_text('pwned')\n"
        "        results[target] = 'written'\n"
        "    except OSError as error:\n"
        "        results[target] = type(error).__name__\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
        "    results['network'] = 'open'\n"
        "except OSError as error:\n"
        "    results['network'] = type(error).__name__\n"
        "print('SANDBOX', results)\n"
    )
    folder = grading_course.write_submission(tmp_path / "subs", "mallory", edit=_add_first_cell(probe))
    scratch = tmp_path / "scratch"
    try:
        outcome = notebooks.autograde_student(folder, student="mallory", course=course, scratch_dir=scratch,
                                              notebook_timeout=90)
        assert not outside.exists()
    finally:
        outside.unlink(missing_ok=True)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert gradebook_file.read_bytes() == before
    executed = nbformat.reads(outcome["autograded"]["Second"], as_version=4)
    printed = "".join(output.get("text", "") for output in executed.cells[0].outputs)
    assert "SANDBOX" in printed and "'written'" not in printed and "'open'" not in printed
