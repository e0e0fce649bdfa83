"""grades.csv and results/<student>.json: sorted, per notebook, with the points still to grade by hand, stable."""
import json

import pytest

from autograde.checks.result import CheckResult
from autograde.grade.results import pending_points, student_result, total_points, write_grades_csv, \
    write_student_json


def result(student, points_by_notebook, pending=0.0):
    checks = [CheckResult(id=f"{notebook}.check", task="layers.affine_forward", notebook=notebook, max_points=2,
                          status="pass" if points else "fail", points=points)
              for notebook, points in points_by_notebook.items()]
    if pending:
        checks.append(CheckResult(id="nb.Dropout.inline_question_1", task="nb.Dropout.inline_question_1",
                                  notebook="Dropout", max_points=pending, status="pending", label="Inline question 1"))
    return student_result(student, checks, isolation="bwrap", durations={"total": 1.0})


def test_grades_csv_has_a_row_per_student_sorted_with_notebook_columns_pending_points_and_the_roster(tmp_path):
    results = [result("zed", {"FullyConnectedNets": 2, "Dropout": 0}, pending=1.5),
               result("amy", {"FullyConnectedNets": 1.5, "Dropout": 2}, pending=1.5)]
    write_grades_csv(tmp_path, results, notebooks=["FullyConnectedNets", "Dropout"],
                     roster={"amy": {"name": "Amy Ng", "lms_id": "1001"}})
    assert (tmp_path / "grades.csv").read_text().splitlines() == [
        "student,name,lms_id,FullyConnectedNets,Dropout,pending,total,max",
        "amy,Amy Ng,1001,1.5,2,1.5,3.5,5.5", "zed,,,2,0,1.5,2,5.5"]


def test_a_notebook_no_course_names_gets_a_column_after_the_courses_notebooks(tmp_path):
    write_grades_csv(tmp_path, [result("amy", {"Extra": 1, "Dropout": 2})], notebooks=["FullyConnectedNets"])
    assert (tmp_path / "grades.csv").read_text().splitlines() == [
        "student,name,lms_id,FullyConnectedNets,Dropout,Extra,pending,total,max", "amy,,,0,2,1,0,3,4"]


def test_grades_csv_is_identical_whatever_order_the_results_arrive_in(tmp_path):
    results = [result(name, {"FullyConnectedNets": 1}) for name in ("b", "a", "c")]
    write_grades_csv(tmp_path / "one", results, notebooks=["FullyConnectedNets"])
    write_grades_csv(tmp_path / "two", results[::-1], notebooks=["FullyConnectedNets"])
    assert (tmp_path / "one/grades.csv").read_bytes() == (tmp_path / "two/grades.csv").read_bytes()


def test_student_json_holds_the_checks_and_totals_and_the_log_goes_to_its_own_file(tmp_path):
    document = {**result("amy", {"FullyConnectedNets": 2}, pending=3.0), "log": "printed by the student\n",
                "autograded": {"Dropout": "{}"}, "code": {"course_lib/ops.py": "x = 1\n"}}
    saved = json.loads(write_student_json(tmp_path, document).read_text())
    assert saved["student"] == "amy"
    assert (saved["points"], saved["max_points"], saved["pending_points"]) == (2, 5, 3)
    assert {"id", "points", "max_points", "status", "message", "label"} <= set(saved["checks"][0])
    assert not {"log", "autograded", "code", "outcome", "nbgrader_feedback"} & set(saved)
    assert (tmp_path / "logs" / "amy.txt").read_text() == "printed by the student\n"


def test_totals_and_pending_points_do_not_drift():
    tenths = student_result("amy", [CheckResult(id=f"a.b{index}", task="a.b", notebook="N", max_points=0.1,
                                                status="pass", points=0.1) for index in range(3)])
    assert total_points(tenths) == (0.3, 0.3) and pending_points(tenths) == 0


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        CheckResult(id="x.y", task="x", notebook="n", max_points=1, status="great")
