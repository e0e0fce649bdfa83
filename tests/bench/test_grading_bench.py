"""The grading benchmark's helpers: the figures and verdicts it prints, its stock nbgrader course, cell timing.

Nothing here is timed: the measurement itself is `python -m bench --only grading`.
"""
import os
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

from autograde.nbgrader_adapter.config import CELL_TIMEOUT_SECONDS, load_course_config
from autograde.nbgrader_adapter.layout import CourseLayout, sqlite_url
from autograde.nbgrader_adapter.process import scripts_on_path
from bench import grading


def measurement(label, wall, *, submissions=4, cpu=0.0, phases=None):
    return grading.Measurement(label=label, submissions=submissions, wall_seconds=wall, cpu_seconds=cpu,
                               full_marks=submissions, phases=phases or {})


def test_mean_measurement_averages_repeated_runs_and_refuses_different_batches():
    first = grading.Measurement(label="ours 1", submissions=4, wall_seconds=200.0, cpu_seconds=190.0, full_marks=4,
                                phases={"prepare": 4.0, "students": 190.0}, per_submission={"cells": 30.0},
                                load=(0.5, 1.0))
    second = grading.Measurement(label="ours 1", submissions=4, wall_seconds=220.0, cpu_seconds=210.0, full_marks=3,
                                 phases={"prepare": 6.0, "students": 210.0}, per_submission={"cells": 34.0},
                                 load=(1.2, 1.5))

    mean = grading.mean_measurement([first, second])

    assert mean.wall_seconds == pytest.approx(210.0)
    assert mean.cpu_seconds == pytest.approx(200.0)
    assert mean.phases == pytest.approx({"prepare": 5.0, "students": 200.0})
    assert mean.per_submission == pytest.approx({"cells": 32.0})
    assert mean.full_marks == 3  # the worse run
    assert mean.load == (0.5, 1.5)
    assert "200.0, 220.0" in mean.label
    assert grading.mean_measurement([first]) == first
    with pytest.raises(ValueError, match="graded 2 submissions"):
        grading.mean_measurement([first, measurement("ours 1", 100.0, submissions=2)])


def test_summarize_gives_seconds_per_submission_speedups_and_ratio_against_stock():
    one = measurement("ours 1", 200.0, cpu=180.0, phases={"prepare": 10.0, "students": 180.0, "finish": 10.0})
    two = measurement("ours 2", 125.0, phases={"prepare": 10.0, "students": 95.0, "finish": 20.0})
    stock = measurement("stock", 240.0, cpu=200.0)

    summary = grading.summarize(one, two, stock)

    assert summary["seconds_per_submission"] == pytest.approx(50.0)
    assert summary["cpu_per_submission"] == pytest.approx(45.0)
    assert summary["seconds_per_submission_verdict"] == "PASS"
    assert summary["two_workers_seconds_per_submission"] == pytest.approx(31.25)
    assert summary["speedup"] == pytest.approx(1.6)
    assert summary["phase_speedup"] == pytest.approx(180.0 / 95.0)
    assert summary["speedup_verdict"] == "MISS"
    assert summary["stock_seconds_per_submission"] == pytest.approx(60.0)
    assert summary["stock_cpu_per_submission"] == pytest.approx(50.0)
    assert summary["ratio_two_workers"] == pytest.approx(31.25 / 60.0)
    assert summary["ratio_one_worker"] == pytest.approx(50.0 / 60.0)
    assert summary["ratio_verdict"] == "PASS"


def test_summarize_misses_when_over_a_minute_per_submission_and_slower_than_stock():
    one = measurement("ours 1", 4 * 61.0)
    two = measurement("ours 2", 4 * 61.0 / 1.8)
    stock = measurement("stock", 4 * 30.0)

    summary = grading.summarize(one, two, stock)

    assert summary["seconds_per_submission_verdict"] == "MISS"
    assert summary["speedup_verdict"] == "PASS"
    assert summary["ratio_verdict"] == "MISS"
    assert summary["phase_speedup"] is None


def test_summarize_refuses_measurements_of_different_batches():
    with pytest.raises(ValueError, match="compare the same batch"):
        grading.summarize(measurement("ours 1", 100.0), measurement("ours 2", 60.0, submissions=3),
                          measurement("stock", 100.0))


def test_format_table_shows_each_figure_with_its_target_and_verdict():
    summary = grading.summarize(measurement("ours 1", 200.0, phases={"students": 180.0}),
                                measurement("ours 2", 125.0, phases={"students": 95.0}),
                                measurement("stock", 240.0))

    lines = grading.format_table(summary).splitlines()

    by_name = {line[:52].strip(): line[52:].split() for line in lines[2:]}
    assert by_name["our grade, 1 worker: s per submission (wall)"] == ["50.0", "<=", "60", "PASS"]
    assert by_name["speedup 1 -> 2 workers, end to end"] == ["1.60x", ">=", "1.8x", "MISS"]
    assert by_name["speedup of the per-student phase"] == ["1.89x"]
    assert by_name["stock nbgrader autograde: s per submission (wall)"] == ["60.0"]
    assert by_name["ours / stock, 2 workers (the default on 2 cores)"] == ["0.52", "<", "1", "PASS"]
    assert by_name["ours / stock, 1 worker"] == ["0.83"]


def write_notebook(path, cells):
    notebook = nbformat.v4.new_notebook(cells=cells)
    nbformat.write(notebook, path)
    return path


def timed_code_cell(source, started, finished):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["execution"] = {"iopub.execute_input": started, "shell.execute_reply": finished}
    return cell


def test_cell_seconds_sums_the_kernel_time_of_executed_code_cells_only(tmp_path):
    path = write_notebook(tmp_path / "Executed.ipynb", [
        timed_code_cell("a = 1", "2025-01-01T10:00:00.000000Z", "2025-01-01T10:00:01.500000Z"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("never run"),
        timed_code_cell("b = 2", "2025-01-01T10:00:02.000000Z", "2025-01-01T10:00:02.250000Z"),
    ])

    assert grading.cell_seconds(path) == pytest.approx(1.75)


def test_autograded_timing_adds_cells_and_gaps_between_each_students_notebooks(tmp_path):
    for student, offset in (("student01", 0), ("student02", 30)):
        folder = tmp_path / student / grading.ASSIGNMENT
        folder.mkdir(parents=True)
        write_notebook(folder / "First.ipynb", [
            timed_code_cell("x", f"2025-01-01T10:00:{offset:02d}Z", f"2025-01-01T10:00:{offset + 1:02d}Z"),
            timed_code_cell("y", f"2025-01-01T10:00:{offset + 2:02d}Z", f"2025-01-01T10:00:{offset + 4:02d}Z")])
        write_notebook(folder / "Second.ipynb", [
            timed_code_cell("z", f"2025-01-01T10:00:{offset + 7:02d}Z", f"2025-01-01T10:00:{offset + 8:02d}Z")])

    timing = grading.autograded_timing(tmp_path)

    assert timing["cells"] == pytest.approx(2 * (1.0 + 2.0 + 1.0))
    assert timing["between_cells"] == pytest.approx(2 * 1.0)
    assert timing["between_notebooks"] == pytest.approx(2 * 3.0)


def test_per_submission_means_average_each_step_over_the_students():
    students = [
        {"durations": {"unpack": 1.0, "library_checks": 4.0, "notebooks": 40.0, "total": 45.0}, "sandboxed_code": 2.0},
        {"durations": {"unpack": 3.0, "library_checks": 6.0, "notebooks": 60.0, "total": 69.0}, "sandboxed_code": 4.0},
    ]

    means = grading.per_submission_means(students, {"cells": 70.0, "between_cells": 2.0, "between_notebooks": 8.0})

    assert means == {"cells": 35.0, "between_cells": 1.0, "between_notebooks": 4.0, "sandboxed_code": 3.0,
                     "unpack": 2.0, "library_checks": 5.0, "notebooks": 50.0, "total": 57.0}


def test_format_breakdown_splits_the_notebook_and_library_time_of_one_submission():
    ours = grading.Measurement(
        label="ours 1", submissions=2, wall_seconds=120.0, cpu_seconds=100.0, full_marks=2,
        phases={"prepare": 6.0, "students": 100.0, "finish": 14.0},
        per_submission={"cells": 35.0, "between_cells": 1.0, "between_notebooks": 4.0, "sandboxed_code": 3.0,
                        "unpack": 2.0, "library_checks": 5.0, "notebooks": 46.0, "total": 53.0})
    stock = grading.Measurement(label="stock", submissions=2, wall_seconds=100.0, cpu_seconds=90.0, full_marks=2,
                                per_submission={"cells": 36.0, "between_cells": 3.0, "between_notebooks": 5.0})

    lines = grading.format_breakdown(ours, stock, 0.7, ["First", "Second"]).splitlines()

    figures = {line[:60].strip(): line[60:].split() for line in lines[2:]}
    assert figures["notebook cells executing"] == ["35.0", "36.0"]
    assert figures["waiting between cells (nbclient stalls show here)"] == ["1.0", "3.0"]
    assert figures["between notebooks: kernel restart, nbgrader per notebook"] == ["4.0", "5.0"]
    assert figures["nbgrader start-up, scratch course, first/last notebook"] == ["6.0", "6.0"]
    assert figures["library checks: the student's code (sandboxed)"] == ["3.0", "-"]
    assert figures["library checks: sandbox start-up, I/O, comparison"] == ["2.0", "-"]
    assert figures["batch: prepare (generate_assignment), shared"] == ["3.0", "-"]
    assert figures["batch: finish (gradebook, feedback, report), shared"] == ["7.0", "-"]
    assert "0.70 s" in lines[0]


@pytest.fixture
def stock_course(tmp_path):
    notebooks_dir = tmp_path / "notebooks"
    notebooks_dir.mkdir()
    write_notebook(notebooks_dir / "First.ipynb", [nbformat.v4.new_code_cell("x = 1")])
    write_notebook(notebooks_dir / "Second.ipynb", [nbformat.v4.new_code_cell("y = 2")])
    submission = tmp_path / "submissions" / "student01"
    (submission / "course_lib").mkdir(parents=True)
    (submission / "course_lib" / "layers.py").write_text("STUDENT = True\n")
    (submission / "course_lib" / "__pycache__").mkdir()
    (submission / "course_lib" / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"cache")
    write_notebook(submission / "First.ipynb", [nbformat.v4.new_code_cell("x = 1")])
    root = grading.write_stock_course(tmp_path / "course", notebooks_dir=notebooks_dir,
                                      bundle_root=grading.PROJECT_ROOT, submissions=[submission])
    return root


def test_stock_course_config_keeps_nbgrader_defaults_but_the_root_and_the_cell_timeout(stock_course):
    config = load_course_config(CourseLayout(stock_course))

    assert config.CourseDirectory.root == str(stock_course)
    assert config.Execute.timeout == CELL_TIMEOUT_SECONDS
    assert set(config) == {"CourseDirectory", "Execute"}
    assert set(config.Execute) == {"timeout"}


def test_stock_course_source_holds_the_notebooks_and_the_instructor_checks_bundle_but_no_course_lib(stock_course):
    source = stock_course / "source" / grading.ASSIGNMENT

    assert sorted(path.name for path in source.glob("*.ipynb")) == ["First.ipynb", "Second.ipynb"]
    assert (source / "autograde" / "check" / "__init__.py").is_file()
    assert (source / "autograde" / "checks" / "spec.py").is_file()
    assert any((source / "autograde" / "checks" / "hidden").glob("*.py"))
    assert (source / "autograde" / "expected" / "hidden.npz").is_file()
    assert not (source / "course_lib").exists()
    assert not (source / "autograde" / "grade").exists()


def test_stock_course_has_each_submission_as_is_under_submitted(stock_course):
    submitted = stock_course / "submitted" / "student01" / grading.ASSIGNMENT

    assert (submitted / "course_lib" / "layers.py").read_text() == "STUDENT = True\n"
    assert (submitted / "First.ipynb").is_file()
    assert not (submitted / "course_lib" / "__pycache__").exists()


def test_write_stock_course_replaces_a_previous_course(stock_course, tmp_path):
    (stock_course / "gradebook.db").write_text("old")
    notebooks_dir = tmp_path / "notebooks"

    grading.write_stock_course(stock_course, notebooks_dir=notebooks_dir, bundle_root=grading.PROJECT_ROOT,
                               submissions=[])

    assert not (stock_course / "gradebook.db").exists()
    assert not (stock_course / "submitted").exists()


def test_write_stock_course_refuses_a_folder_without_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="notebooks_dir"):
        grading.write_stock_course(tmp_path / "course", notebooks_dir=tmp_path, bundle_root=grading.PROJECT_ROOT,
                                   submissions=[])


def test_make_submissions_refuses_an_empty_batch(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        grading.make_submissions(tmp_path / "release", tmp_path / "submissions", 0, Path(grading.PROJECT_ROOT))


def test_snapshot_instructor_files_copies_the_notebooks_checks_and_reference_library(tmp_path):
    snapshot = grading.snapshot_instructor_files(grading.PROJECT_ROOT, tmp_path / "instructor")

    project_notebooks = sorted(path.name for path in (grading.PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(path.name for path in (snapshot / "notebooks").glob("*.ipynb")) == project_notebooks
    assert ((snapshot / "autograde" / "checks" / "spec.py").read_bytes()
            == (grading.PROJECT_ROOT / "autograde" / "checks" / "spec.py").read_bytes())
    assert (snapshot / "course_lib" / "layers").is_dir()
    assert not list(snapshot.rglob("__pycache__"))


def test_stock_scores_count_the_automatically_graded_cells_and_leave_out_inline_questions(tmp_path):
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning


    url = sqlite_url(tmp_path / "gradebook.db")
    with scripts_on_path(), Gradebook(url) as book, warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; they are harmless.
        warnings.simplefilter("ignore", SAWarning)
        book.add_assignment(grading.ASSIGNMENT)
        book.add_notebook("First", grading.ASSIGNMENT)
        book.add_grade_cell("test-a", "First", grading.ASSIGNMENT, max_score=3, cell_type="code")
        book.add_grade_cell("test-b", "First", grading.ASSIGNMENT, max_score=2, cell_type="code")
        book.add_grade_cell("answer", "First", grading.ASSIGNMENT, max_score=4, cell_type="markdown")
        book.add_solution_cell("answer", "First", grading.ASSIGNMENT)
        book.add_student("student01")
        book.add_submission(grading.ASSIGNMENT, "student01")
        book.find_grade("test-a", "First", grading.ASSIGNMENT, "student01").auto_score = 3
        book.find_grade("test-b", "First", grading.ASSIGNMENT, "student01").auto_score = 0
        book.db.commit()

    assert grading.stock_scores(tmp_path, ["student01"]) == {"student01": (3.0, 5.0)}


def test_read_process_table_parses_command_names_with_spaces_and_parentheses(tmp_path):
    ticks = os.sysconf("SC_CLK_TCK")
    fields = ["S", "41", "42", "42", "0", "-1", "0", "0", "0", "0", "0", str(3 * ticks), str(ticks), "0", "0", "20",
              "0", "1", "0", "777", "1000", "100"]
    (tmp_path / "123").mkdir()
    (tmp_path / "123" / "stat").write_text("123 (odd (name) here) " + " ".join(fields) + "\n")
    (tmp_path / "self").mkdir()

    assert grading.read_process_table(tmp_path) == {123: (41, 777, 4.0)}


def test_descendants_follow_parent_links_from_every_root():
    table = {1: (0,), 10: (1,), 11: (10,), 12: (11,), 20: (1,), 30: (20,), 40: (99,)}

    assert grading.descendants(table, {10, 40}) == {10, 11, 12, 40}
    assert grading.descendants(table, {5}) == set()


def test_run_timed_counts_the_cpu_time_of_a_grandchild_nobody_waits_for(tmp_path):
    burn = ("import resource, time\n"
            "while resource.getrusage(resource.RUSAGE_SELF).ru_utime < 0.5:\n    pass\ntime.sleep(0.6)\n")
    (tmp_path / "burn.py").write_text(burn)
    marker = tmp_path / "done"
    # The parent starts the burner and exits without waiting for it: the burner's CPU time never reaches
    # RUSAGE_CHILDREN, as with a kernel left to the init of a bubblewrap PID namespace.
    orphaning = (f"import subprocess, sys, time; subprocess.Popen([sys.executable, {str(tmp_path / 'burn.py')!r}]); "
                 f"time.sleep(1.8); open({str(marker)!r}, 'w').close()")
    command = [sys.executable, "-c", orphaning]

    wall, cpu, _ = grading.run_timed(command, cwd=tmp_path, env=dict(os.environ))

    assert marker.exists()
    assert cpu >= 0.4
    assert wall >= 1.5
