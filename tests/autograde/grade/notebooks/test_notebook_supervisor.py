"""The notebook half of grading on the fixture class (real nbgrader, real kernels in the kernel sandbox): verdicts
per cell, tampering, missing notebooks, and hostile cells that cost at most the cells that need them."""
import dataclasses
import time
from pathlib import Path

import nbformat
import pytest

import grading_course
from autograde.grade import merge
from autograde.grade.notebooks import course as grading_course_module
from autograde.grade.notebooks import supervisor
from autograde.grade.notebooks.supervisor import NotebookLimits, autograde_student
from autograde.grade.sandbox import pids


def checks_of(results, student):
    return {check["id"]: check for check in results[student]["checks"]}


def autograded_notebook(out_dir, student, notebook):
    return nbformat.read(out_dir / "course" / "autograded" / student / "assignment2" / f"{notebook}.ipynb", 4)


@pytest.mark.slow
def test_reference_submission_earns_every_automatic_point_and_its_answer_waits_for_a_grader(graded_class):
    _, _, results = graded_class
    checks = checks_of(results, "alice")
    assert {check_id: (check["status"], check["points"], check["max_points"])
            for check_id, check in checks.items()} == {
        "ops.double.public": ("pass", 1.0, 1.0), "ops.double.hidden": ("pass", 2.0, 2.0),
        "nb.Fixture.answer": ("pass", 2.0, 2.0), "nb.Fixture.warning": ("pass", 1.0, 1.0),
        "nb.Fixture.inline_question": ("pending", 0.0, 2.0), "nb.Second.total": ("pass", 1.0, 1.0)}
    assert checks["nb.Fixture.inline_question"]["label"] == "Inline question 1"
    assert merge.pending_answers(results["alice"]["checks"]) == [
        {"id": "nb.Fixture.inline_question", "label": "Inline question 1", "notebook": "Fixture", "max_points": 2.0}]
    assert "manual_pending" not in results["alice"]


@pytest.mark.slow
def test_every_student_has_the_same_maximum_whatever_they_handed_in(graded_class):
    _, _, results = graded_class
    assert {student: sum(check["max_points"] for check in result["checks"]) for student, result in results.items()} \
        == {"alice": 9.0, "bob": 9.0, "carol": 9.0, "dave": 9.0}


@pytest.mark.slow
def test_an_answer_left_as_released_fails_with_no_points_instead_of_waiting(graded_class):
    _, _, results = graded_class
    answer = checks_of(results, "dave")["nb.Fixture.inline_question"]
    assert (answer["status"], answer["points"], answer["message"]) == ("fail", 0.0, "left unanswered")


@pytest.mark.slow
def test_wrong_notebook_answer_loses_exactly_that_cells_points(graded_class):
    _, _, results = graded_class
    alice, bob = checks_of(results, "alice"), checks_of(results, "bob")
    notebook_only = ["nb.Fixture.answer", "nb.Fixture.warning", "nb.Second.total"]
    assert {check_id: alice[check_id]["points"] - bob[check_id]["points"] for check_id in notebook_only} == {
        "nb.Fixture.answer": 2.0, "nb.Fixture.warning": 0.0, "nb.Second.total": 0.0}
    assert bob["nb.Fixture.answer"]["status"] == "fail"
    assert bob["nb.Fixture.answer"]["message"] == "AssertionError: answer is 41; expected the answer to everything"


@pytest.mark.slow
def test_runtime_warning_in_a_correct_test_cell_keeps_its_points(graded_class):
    out_dir, _, results = graded_class
    assert checks_of(results, "alice")["nb.Fixture.warning"]["points"] == 1.0
    cell = grading_course.cell_with_id(autograded_notebook(out_dir, "alice", "Fixture"), "nb-Fixture-warning")
    assert [output.output_type for output in cell.outputs] == []


@pytest.mark.slow
def test_the_kernel_runs_the_restored_hidden_test_with_the_student_side_checker_which_holds_no_hidden_value(
        graded_class):
    out_dir, course, _ = graded_class
    cell = grading_course.cell_with_id(autograded_notebook(out_dir, "bob", "Fixture"), "ops-double")
    assert 'check("ops.double", hidden=True)' in cell.source
    printed = "".join(output.get("text", "") for output in cell.outputs)
    assert printed == f"PASS ops.double.public\n{grading_course.HIDDEN_CHECK_LINE}\n"
    kernel_side = [path for path in course.layout.source_dir.rglob("*") if path.is_file()]
    assert grading_course.HIDDEN_EXPECTED_TEXT not in "".join(path.read_text() for path in kernel_side)


@pytest.mark.slow
def test_a_failing_hidden_trusted_check_is_an_ordinary_failure_when_the_notebook_cell_passed(graded_class):
    _, _, results = graded_class
    bob = checks_of(results, "bob")
    assert (bob["ops.double.public"]["status"], bob["ops.double.hidden"]["status"]) == ("pass", "fail")
    assert bob["ops.double.hidden"]["message"].startswith("ops.double on the hidden case")


@pytest.mark.slow
def test_notebook_check_that_passes_where_the_trusted_public_check_fails_is_tampered(graded_class):
    _, _, results = graded_class
    carol, dave = checks_of(results, "carol"), checks_of(results, "dave")
    assert carol["ops.double.public"]["status"] == "tampered" and carol["ops.double.public"]["points"] == 0.0
    assert carol["ops.double.public"]["message"].startswith("the notebook's own check reported success")
    assert carol["ops.double.hidden"]["status"] == "fail"
    assert dave["ops.double.public"]["status"] == "fail"  # his notebook cell failed too: nothing was claimed


@pytest.mark.slow
def test_tampered_test_cells_are_restored_graded_and_flagged(graded_class):
    _, _, results = graded_class
    carol = checks_of(results, "carol")
    assert (carol["nb.Fixture.answer"]["status"], carol["nb.Fixture.answer"]["points"]) == ("fail", 0.0)
    assert "code was edited" in carol["nb.Fixture.answer.test_cell"]["message"]
    assert "points were changed from 3 to 10" in carol["ops.double.test_cell"]["message"]
    assert "deleted" in carol["nb.Second.total.test_cell"]["message"]
    assert carol["nb.Second.total"]["status"] == "pass"
    assert {check["status"] for check_id, check in carol.items() if check_id.endswith(".test_cell")} == {"tampered"}
    assert sum(check["max_points"] for check in carol.values()) == 9.0


@pytest.mark.slow
def test_missing_notebook_makes_its_checks_missing_and_library_checks_still_count(graded_class):
    _, _, results = graded_class
    dave = checks_of(results, "dave")
    assert dave["nb.Second.total"]["status"] == "missing"
    assert dave["nb.Second.total"]["message"] == (
        "Second.ipynb was not found in the submission; found: Fixture.ipynb, Second (1).ipynb")
    assert dave["nb.Fixture.answer"]["points"] == 2.0


@pytest.mark.slow
def test_students_copy_of_the_checker_is_replaced_by_the_course_bundle(graded_class):
    out_dir, _, _ = graded_class
    cell = grading_course.cell_with_id(autograded_notebook(out_dir, "dave", "Fixture"), "ops-double")
    errors = [output for output in cell.outputs if output.output_type == "error"]
    assert [error.ename for error in errors] == ["AssertionError"]
    assert "ops.double.public: got [0. 1. 2.]" in errors[0].evalue


@pytest.mark.slow
def test_notebooks_that_cannot_be_read_or_are_missing_cost_their_items_without_running_anything(graded_class,
                                                                                               tmp_path):
    _, course, _ = graded_class
    folder = grading_course.write_submission(tmp_path / "submissions", "olga")
    (folder / "Fixture.ipynb").write_bytes(b"\xff\xfe not a notebook")
    (folder / "Second.ipynb").unlink()
    outcome = autograde_student(folder, student="olga", course=course, scratch_dir=tmp_path / "scratch")
    assert {notebook: (entry["status"], entry["message"]) for notebook, entry in outcome["notebooks"].items()} == {
        "Fixture": ("unreadable", "Fixture.ipynb is not UTF-8 text"),
        "Second": ("missing", "Second.ipynb was not found in the submission; found: Fixture.ipynb")}
    assert outcome["autograded"] == {} and not (tmp_path / "scratch" / "course").exists()
    checks = _merged(graded_class, outcome)
    assert {check.id: check.status for check in checks.values() if check.notebook != "Fixture" or
            check.task.startswith("nb.")} == {"nb.Fixture.answer": "error", "nb.Fixture.warning": "error",
                                              "nb.Fixture.inline_question": "error", "nb.Second.total": "missing"}


def _add_first_cell(source):
    def edit(submitted):
        submitted["Second"].cells.insert(0, nbformat.v4.new_code_cell(source))
    return edit


def _autograde_with_first_cell(graded_class, tmp_path, student, source, *, cell_timeout=None, answer=None,
                               hidden=(), **limits):
    """Autograde one student whose Second notebook starts with `source`; returns autograde_student's outcome."""
    _, course, _ = graded_class
    if cell_timeout:
        course = dataclasses.replace(course, cell_timeout=cell_timeout)
    folder = grading_course.write_submission(tmp_path / "submissions", student, answer=answer,
                                             edit=_add_first_cell(source))
    return autograde_student(folder, student=student, course=course, scratch_dir=tmp_path / "scratch",
                             limits=NotebookLimits(**{"wall_seconds": 90, **limits}), hidden=hidden)


def _merged(graded_class, outcome):
    _, course, _ = graded_class
    return {check.id: check for check in merge.merge_results(grading_course.trusted_results(), outcome,
                                                              grading_course_module.course_cells(course))}


SIGINT_PROOF_LOOP = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"


@pytest.mark.slow
def test_a_cell_that_kills_the_kernel_costs_only_itself_and_later_cells_keep_their_points(graded_class, tmp_path):
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "frank", "import os\nos._exit(3)", cell_timeout=4)
    second = outcome["notebooks"]["Second"]
    assert (second["status"], second["cells"]["nb-Second-total"]["outcome"]) == ("graded", "pass")
    first_cell = nbformat.reads(outcome["autograded"]["Second"], as_version=4).cells[0]
    assert [output.ename for output in first_cell.outputs if output.output_type == "error"] == ["DeadKernelError"]
    checks = _merged(graded_class, outcome)
    assert (checks["nb.Second.total"].status, checks["nb.Second.total"].points) == ("pass", 1.0)
    assert checks["nb.Fixture.answer"].points == 2.0


@pytest.mark.slow
def test_a_cell_that_hangs_costs_the_cells_that_need_it_and_no_other(graded_class, tmp_path):
    _, course, _ = graded_class

    def hang_in_the_answer(submitted):
        grading_course.cell_with_id(submitted["Fixture"], "answer").source = SIGINT_PROOF_LOOP

    folder = grading_course.write_submission(tmp_path / "submissions", "gina", edit=hang_in_the_answer)
    started = time.monotonic()
    outcome = autograde_student(folder, student="gina", course=dataclasses.replace(course, cell_timeout=4),
                                scratch_dir=tmp_path / "scratch", limits=NotebookLimits(wall_seconds=90))
    assert time.monotonic() - started < 80
    cells = outcome["notebooks"]["Fixture"]["cells"]
    assert (cells["nb-Fixture-answer"]["outcome"], cells["nb-Fixture-answer"]["message"]) == (
        "error", "NameError: name 'answer' is not defined")
    assert [cells[grade_id]["outcome"] for grade_id in ("ops-double", "nb-Fixture-warning")] == ["pass", "pass"]
    assert outcome["notebooks"]["Second"]["cells"]["nb-Second-total"]["outcome"] == "pass"


@pytest.mark.slow
def test_the_wall_clock_limit_stops_the_run_and_says_which_notebooks_it_cost(graded_class, tmp_path):
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "walt", "import time\ntime.sleep(600)",
                                         wall_seconds=20)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert outcome["notebooks"]["Second"]["status"] == "timeout"
    assert outcome["notebooks"]["Second"]["message"].startswith("grading stopped at the time limit of 20 s")
    assert outcome["seconds"] < 60


# Cell code that fakes full marks: every score in the scratch gradebook set to 100, and the outputs (the failed
# assertion) stripped from the already graded Fixture notebook. `then` runs it once now or in a detached process
# that keeps at it for a minute.
FAKE_FULL_MARKS = """
import json, os, pathlib, sqlite3, time
def fake_full_marks():
    for root in (pathlib.Path.cwd(), *pathlib.Path.cwd().parents):
        if (root / "gradebook.db").exists():
            with sqlite3.connect(root / "gradebook.db") as db:
                db.execute("UPDATE grade SET auto_score = 100")
        for graded in root.glob("autograded/*/*/Fixture.ipynb"):
            notebook = json.loads(graded.read_text())
            for cell in notebook["cells"]:
                cell["outputs"] = []
            graded.write_text(json.dumps(notebook))
    for graded in pathlib.Path.cwd().glob("Fixture.ipynb"):
        graded.write_text("{}")
"""


@pytest.mark.slow
@pytest.mark.parametrize("then", [
    "fake_full_marks()",
    "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        for _ in range(1200):\n"
    "            fake_full_marks()\n            time.sleep(0.05)\n    os._exit(0)",
], ids=["from_a_later_notebook", "from_a_detached_process"])
def test_code_that_rewrites_the_gradebook_and_graded_notebooks_changes_no_grade(graded_class, tmp_path, then,
                                                                              request):
    if "os.fork()" in then:  # a detached daemon is stopped as a member of the run's pids cgroup
        request.getfixturevalue("pids_cgroup")
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "ivan", FAKE_FULL_MARKS + then, answer=41)
    assert outcome["notebooks"]["Second"]["status"] == "graded"
    checks = _merged(graded_class, outcome)
    assert (checks["nb.Fixture.answer"].status, checks["nb.Fixture.answer"].points) == ("fail", 0.0)
    assert "answer is 41" in checks["nb.Fixture.answer"].message
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["auto_score"] == 0.0
    assert "answer is 41" in outcome["autograded"]["Fixture"]
    if pids.available():
        assert [path for path in pids._base().iterdir() if path.is_dir()] == []


@pytest.mark.slow
def test_a_notebook_that_fills_the_disk_is_stopped_and_costs_only_the_unfinished_notebooks(graded_class, tmp_path):
    fill = ("import itertools\nfor index in itertools.count():\n"
            "    with open(f'fill-{index}', 'wb') as f:\n        f.write(bytes(32 * 2**20))")
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "judy", fill, disk_bytes=256 * 2**20)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert outcome["notebooks"]["Second"]["status"] == "error"
    assert "wrote more than 256 MiB of files" in outcome["notebooks"]["Second"]["message"]
    assert not (tmp_path / "scratch").exists() or supervisor._disk_usage(tmp_path / "scratch") < 2**20


@pytest.mark.slow
def test_the_kernels_tmp_is_capped_so_a_cell_cannot_fill_the_memory_through_it(graded_class, tmp_path, bwrap):
    probe = ("import pathlib\ntry:\n    pathlib.Path('/tmp/big').write_bytes(bytes(400 * 2**20))\n"
             "    print('TMP WROTE')\nexcept OSError as error:\n    print('TMP REFUSED', error.errno)")
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "kate", probe)
    assert outcome["notebooks"]["Second"]["status"] == "graded"
    assert "TMP REFUSED 28" in outcome["autograded"]["Second"]  # ENOSPC


@pytest.mark.slow
def test_a_fork_bomb_in_a_cell_is_capped_and_costs_at_most_its_own_notebook(graded_class, tmp_path, pids_cgroup):
    started = time.monotonic()
    outcome = _autograde_with_first_cell(graded_class, tmp_path, "hank", "import os\nwhile True:\n    os.fork()",
                                         cell_timeout=4)
    assert time.monotonic() - started < 90
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert _merged(graded_class, outcome)["nb.Fixture.answer"].points == 2.0
    leftovers = [path for path in pids._base().iterdir() if path.is_dir()]
    assert leftovers == [], "the run's cgroup (and every process in it) should be gone"


@pytest.mark.slow
def test_a_cell_sees_only_its_own_folder_no_gradebook_no_course_no_network(graded_class, tmp_path, bwrap):
    out_dir, course, _ = graded_class
    gradebook_file = course.root / "gradebook.db"
    before = gradebook_file.read_bytes()
    outside = Path.home() / f".autograde-sandbox-probe-{tmp_path.name}"  # not under /tmp, which the sandbox empties
    secret_dir = tmp_path / "grading-output"
    secret_dir.mkdir()
    probe = (
        "import os, pathlib, socket\n"
        "results = {'cwd': sorted(os.listdir('.'))}\n"
        f"for target in ({str(gradebook_file)!r}, {str(outside)!r}, {str(secret_dir / 'x')!r}):\n"
        "    try:\n"
        "        pathlib.Path(target).write_text('pwned')\n"
        "        results[target] = 'written'\n"
        "    except OSError as error:\n"
        "        results[target] = type(error).__name__\n"
        f"results['seen'] = [path for path in ({str(course.root)!r}, {str(out_dir)!r}, '../../../gradebook.db',\n"
        "                                      '../../../source') if os.path.exists(path)]\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
        "    results['network'] = 'open'\n"
        "except OSError as error:\n"
        "    results['network'] = type(error).__name__\n"
        "print('SANDBOX', results)\n"
    )
    try:
        outcome = _autograde_with_first_cell(graded_class, tmp_path, "mallory", probe, hidden=(secret_dir,))
        assert not outside.exists()
    finally:
        outside.unlink(missing_ok=True)
    assert outcome["notebooks"]["Fixture"]["cells"]["nb-Fixture-answer"]["outcome"] == "pass"
    assert gradebook_file.read_bytes() == before and list(secret_dir.iterdir()) == []
    executed = nbformat.reads(outcome["autograded"]["Second"], as_version=4)
    printed = "".join(output.get("text", "") for output in executed.cells[0].outputs)
    assert "SANDBOX" in printed and "'written'" not in printed and "'open'" not in printed
    assert "'seen': []" in printed
    assert "'Fixture.ipynb'" in printed and "'course_lib'" in printed and "'gradebook.db'" not in printed
