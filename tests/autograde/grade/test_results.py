"""grades.csv and results/<id>.json: sorted, per notebook, stable."""
import json

import pytest

from autograde.checks.result import CheckResult
from autograde.grade.results import student_result, write_grades_csv, write_student_json


def result(student, points_by_notebook):
    checks = [CheckResult(id=f"{notebook}.check", task="layers.affine_forward", notebook=notebook, max_points=2,
                          status="pass" if points else "fail", points=points)
              for notebook, points in points_by_notebook.items()]
    return student_result(student, checks, isolation="bwrap", durations={"total": 1.0})


def test_grades_csv_has_a_row_per_student_sorted_with_notebook_columns(tmp_path):
    results = [result("zed", {"FullyConnectedNets": 2, "Dropout": 0}),
               result("amy", {"FullyConnectedNets": 1.5, "Dropout": 2})]
    write_grades_csv(tmp_path, results)
    assert (tmp_path / "grades.csv").read_text().splitlines() == [
        "student,FullyConnectedNets,Dropout,total,max", "amy,1.5,2,3.5,4", "zed,2,0,2,4"]


def test_grades_csv_is_identical_whatever_order_the_results_arrive_in(tmp_path):
    results = [result(name, {"FullyConnectedNets": 1}) for name in ("b", "a", "c")]
    write_grades_csv(tmp_path / "one", results)
    write_grades_csv(tmp_path / "two", results[::-1])
    assert (tmp_path / "one/grades.csv").read_bytes() == (tmp_path / "two/grades.csv").read_bytes()


def test_student_json_holds_the_checks_and_totals(tmp_path):
    path = write_student_json(tmp_path, result("amy", {"FullyConnectedNets": 2}))
    saved = json.loads(path.read_text())
    assert saved["student"] == "amy" and (saved["points"], saved["max_points"]) == (2, 2)
    assert {"id", "points", "max_points", "status", "message"} <= set(saved["checks"][0])


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        CheckResult(id="x.y", task="x", notebook="n", max_points=1, status="great")
