"""export --format csv: identifier, total, max and optionally the points per notebook."""
import pytest
from class_record import read_csv, write_class_record

from autograde.export import ExportError, export_csv


def test_the_plain_csv_has_student_total_and_max_per_student(tmp_path):
    out = write_class_record(tmp_path / "out")
    export_csv(out, tmp_path / "grades.csv")
    assert read_csv(tmp_path / "grades.csv") == [["student", "total", "max"], ["doejane_12345", "42.5", "50"],
                                                  ["smithjohn_222", "20", "50"], ["leecarol_333", "50", "50"],
                                                  ["wuming", "15", "50"]]


def test_emails_and_notebook_columns_on_request(tmp_path):
    out = write_class_record(tmp_path / "out")
    lines = export_csv(out, tmp_path / "grades.csv", identifier="email", per_notebook=True,
                       roster=write_roster(tmp_path / "class.csv"))
    assert read_csv(tmp_path / "grades.csv") == [
        ["email", "total", "max", "FullyConnectedNets", "Dropout"], ["jane@uni.edu", "42.5", "50", "30", "12.5"],
        ["john@uni.edu", "20", "50", "20", "0"], ["carol@uni.edu", "50", "50", "25", "25"],
        ["ming@uni.edu", "15", "50", "10", "5"]]
    assert lines[0] == "wrote 4 students (email, total, max, FullyConnectedNets, Dropout)"


def write_roster(path):
    path.write_text("student,email\nwuming,ming@uni.edu\n")
    return path


def test_emails_missing_from_the_roster_are_refused_with_what_to_do(tmp_path):
    out = write_class_record(tmp_path / "out")
    with pytest.raises(ExportError, match=r"--identifier email: no email in the roster for 1 graded student "
                                          r"\(wuming\); add them with --roster FILE"):
        export_csv(out, tmp_path / "grades.csv", identifier="email")
    assert not (tmp_path / "grades.csv").exists()
