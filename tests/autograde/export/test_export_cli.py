"""`python -m autograde export` on the command line: good runs, and bad ones that exit 2 with one line.

A few command lines run as a real `python -m autograde export` process (marked slow: `python -m autograde` imports
every verb, nbgrader included, about 6 s per process here); every argument check also runs through the same parser
and `main` in this process.
"""
import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from class_record import read_csv, write_class_record, write_gradebook

from autograde.export import cli

PROJECT = Path(__file__).resolve().parents[3]
IN_A_PROCESS = ("no OUT", "OUT is missing", "canvas column not there")


def run_export(*arguments):
    return subprocess.run([sys.executable, "-m", "autograde", "export", *map(str, arguments)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


def run_export_here(arguments, capsys):
    """(exit status, stderr) of the export command line `arguments`, parsed and run in this process."""
    parser = argparse.ArgumentParser(prog="python -m autograde export")
    cli.add_arguments(parser)
    with pytest.raises(SystemExit) as exited:
        cli.main(parser.parse_args([str(argument) for argument in arguments]))
    return exited.value.code, capsys.readouterr().err


@pytest.fixture
def record(tmp_path):
    out = write_class_record(tmp_path / "out")
    write_gradebook(tmp_path / "gradebook.csv")
    return tmp_path


BAD_COMMAND_LINES = {
    "no OUT": (lambda p: ["--format", "csv"], "the following arguments are required: OUT"),
    "unknown format": (lambda p: [p / "out", "--format", "xlsx"], "invalid choice: 'xlsx'"),
    "OUT is missing": (lambda p: [p / "nowhere", "--format", "csv"], "is not a folder; pass the --out folder"),
    "no grades yet": (lambda p: [p, "--format", "csv"], "grades.csv does not exist; run `python -m autograde grade"),
    "canvas without gradebook": (lambda p: [p / "out", "--format", "canvas", "--column", "A (1)"],
                                 "--format canvas needs --canvas-gradebook FILE"),
    "canvas gradebook missing": (lambda p: [p / "out", "--format", "canvas", "--canvas-gradebook", p / "no.csv",
                                            "--column", "A (1)"], "no.csv is not a file"),
    "canvas without a column": (lambda p: [p / "out", "--format", "canvas", "--canvas-gradebook",
                                           p / "gradebook.csv"], "needs exactly one of --column"),
    "canvas column not there": (lambda p: [p / "out", "--format", "canvas", "--canvas-gradebook",
                                           p / "gradebook.csv", "--column", "Quiz (9)"],
                                "--column 'Quiz (9)' is not an assignment column of gradebook.csv"),
    "canvas option with csv": (lambda p: [p / "out", "--format", "csv", "--column", "A (1)"],
                               "--column is an option of --format canvas, not of --format csv"),
    "db option with csv": (lambda p: [p / "out", "--format", "csv", "--db", "sqlite:///x.db"],
                           "--db is an option of --format nbgrader, not of --format csv"),
    "output over an input": (lambda p: [p / "out", "--format", "csv", "-o", p / "out" / "grades.csv"],
                             "is one of the inputs; choose another file"),
    "output in a missing folder": (lambda p: [p / "out", "--format", "csv", "-o", p / "no" / "where.csv"],
                                   "the folder"),
    "roster missing": (lambda p: [p / "out", "--format", "csv", "--roster", p / "class.csv"],
                       "--roster: ") ,
    "no emails": (lambda p: [p / "out", "--format", "csv", "--identifier", "email"],
                  "--identifier email: no email in the roster for 1 graded student (wuming)"),
    "nbgrader without a course": (lambda p: [p / "out", "--format", "nbgrader"],
                                  "course does not exist; grade with the notebooks"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", IN_A_PROCESS)
def test_a_bad_command_line_exits_2_with_one_line_and_no_traceback(record, case):
    arguments, expected = BAD_COMMAND_LINES[case]
    completed = run_export(*arguments(record))
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("\n") == 1 and expected in completed.stderr, completed.stderr


@pytest.mark.parametrize("case", sorted(BAD_COMMAND_LINES))
def test_every_bad_argument_is_refused_before_any_work_with_one_line(record, case, capsys):
    arguments, expected = BAD_COMMAND_LINES[case]
    before = sorted(path for path in record.rglob("*"))
    status, stderr = run_export_here(arguments(record), capsys)
    assert status == 2
    assert stderr.count("\n") == 1 and expected in stderr, stderr
    assert sorted(path for path in record.rglob("*")) == before


@pytest.mark.slow
def test_a_csv_export_on_the_command_line_writes_the_default_file(record):
    completed = run_export(record / "out", "--format", "csv", "--per-notebook")
    assert completed.returncode == 0, completed.stderr
    output = record / "out" / "export" / "grades-export.csv"
    assert f"wrote {output}" in completed.stdout
    assert read_csv(output)[1] == ["doejane_12345", "42.5", "50", "30", "12.5"]


@pytest.mark.slow
def test_a_canvas_export_on_the_command_line_reports_what_it_filled(record):
    output = record / "import.csv"
    completed = run_export(record / "out", "--format", "canvas", "--canvas-gradebook", record / "gradebook.csv",
                           "--assignment-name", "Assignment 2", "-o", output)
    assert completed.returncode == 0, completed.stderr
    assert "filled 2 grades into the column 'Assignment 2 (4321)'" in completed.stdout
    assert read_csv(output)[3][6] == "42.5"
