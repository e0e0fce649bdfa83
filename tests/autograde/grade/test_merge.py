"""Merging trusted library results with nbgrader cell scores (synthetic outcomes, no nbgrader run)."""
from autograde.grade import merge
from autograde.checks.result import CheckResult


def library(statuses):
    """Trusted results of task `layers.relu_forward`: one 1-point check per status."""
    return [CheckResult(id=f"layers.relu_forward.case{index}", task="layers.relu_forward",
                        notebook="FullyConnectedNets", max_points=1.0, status=status,
                        points=1.0 if status == "pass" else 0.0, message=f"message {index}")
            for index, status in enumerate(statuses)]


def outcome(*, relu="pass", answer=("pass", 2.0, ""), status="graded", tampering=None, manual_score=None):
    cells = {
        "layers-relu_forward": {"auto_score": 2.0 if relu == "pass" else 0.0, "max_score": 2.0, "manual": False,
                                "outcome": relu, "message": ""},
        "nb-FullyConnectedNets-best_model": {"auto_score": answer[1], "max_score": 2.0, "manual": False,
                                             "outcome": answer[0], "message": answer[2]},
        "nb-FullyConnectedNets-inline_question_1": {"auto_score": manual_score, "max_score": 3.0, "manual": True,
                                                    "outcome": "manual", "message": ""},
    }
    return {"notebooks": {"FullyConnectedNets": {
        "status": status, "message": "FullyConnectedNets.ipynb was not found" if status == "missing" else "",
        "cells": cells if status == "graded" else {}, "comments": {}, "tampering": tampering or {},
        "grade_cells": {"layers-relu_forward": [2.0, "code", False],
                        "nb-FullyConnectedNets-best_model": [2.0, "code", False],
                        "nb-FullyConnectedNets-inline_question_1": [3.0, "markdown", True]}}}}


def by_id(checks):
    return {check.id: check for check in checks}


def test_passing_notebook_cell_with_failing_trusted_checks_marks_them_tampered():
    merged = by_id(merge.merge_results(library(["pass", "fail", "timeout"]), outcome(relu="pass")))
    assert [merged[f"layers.relu_forward.case{index}"].status for index in range(3)] == [
        "pass", "tampered", "tampered"]
    assert merged["layers.relu_forward.case1"].message == (
        "the notebook's own check reported success but the trusted check failed: message 1")
    assert merged["layers.relu_forward.case1"].points == 0.0


def test_failing_notebook_cell_leaves_trusted_checks_as_they_are():
    merged = by_id(merge.merge_results(library(["pass", "fail"]), outcome(relu="fail")))
    assert merged["layers.relu_forward.case1"].status == "fail"
    assert merged["layers.relu_forward.case0"].points == 1.0


def test_notebook_only_cell_takes_nbgrader_score_and_message():
    failed = by_id(merge.merge_results(library(["pass"]), outcome(answer=("fail", 0.0, "AssertionError: 31%"))))
    assert failed["nb.FullyConnectedNets.best_model"].status == "fail"
    assert failed["nb.FullyConnectedNets.best_model"].points == 0.0
    assert failed["nb.FullyConnectedNets.best_model"].message == "AssertionError: 31%"
    passed = by_id(merge.merge_results(library(["pass"]), outcome()))
    assert (passed["nb.FullyConnectedNets.best_model"].status, passed["nb.FullyConnectedNets.best_model"].points) \
        == ("pass", 2.0)


def test_answer_cells_are_not_automatic_checks():
    merged = by_id(merge.merge_results(library(["pass"]), outcome()))
    assert "nb.FullyConnectedNets.inline_question_1" not in merged


def test_missing_notebook_marks_notebook_checks_missing_and_keeps_library_points():
    merged = by_id(merge.merge_results(library(["pass", "pass"]), outcome(status="missing")))
    assert merged["nb.FullyConnectedNets.best_model"].status == "missing"
    assert merged["nb.FullyConnectedNets.best_model"].message == "FullyConnectedNets.ipynb was not found"
    assert sum(check.points for check in merged.values()) == 2.0


def test_tampered_test_cell_adds_a_zero_point_tampered_check():
    merged = by_id(merge.merge_results(library(["pass"]), outcome(tampering={"layers-relu_forward": "edited"})))
    flagged = merged["layers.relu_forward.test_cell"]
    assert (flagged.status, flagged.points, flagged.max_points, flagged.message) == ("tampered", 0.0, 0.0, "edited")


def test_gradebook_scores_give_library_cells_the_trusted_points():
    result_checks = [check.to_dict() for check in merge.merge_results(library(["pass", "fail", "pass"]),
                                                                      outcome(relu="fail"))]
    scores, _ = merge.gradebook_scores(outcome(relu="fail"), result_checks)
    assert scores["FullyConnectedNets"] == {"layers-relu_forward": 2.0, "nb-FullyConnectedNets-best_model": 2.0,
                                            "nb-FullyConnectedNets-inline_question_1": None}


def test_manual_grades_become_checks_and_ungraded_answers_are_pending():
    result = {"student": "s", "checks": [check.to_dict() for check in merge.merge_results(library(["pass"]),
                                                                                         outcome())]}
    grade_cells = {"FullyConnectedNets": {"layers-relu_forward": (2.0, "code", False),
                                          "nb-FullyConnectedNets-best_model": (2.0, "code", False),
                                          "nb-FullyConnectedNets-inline_question_1": (3.0, "markdown", True)}}
    pending = merge.add_manual_grades(result, outcome(), {}, grade_cells)
    assert pending["manual_pending"] == [
        {"id": "nb.FullyConnectedNets.inline_question_1", "notebook": "FullyConnectedNets", "max_points": 3.0}]
    graded = merge.add_manual_grades(
        result, outcome(), {"FullyConnectedNets": {"nb-FullyConnectedNets-inline_question_1": 2.5,
                                                   "nb-FullyConnectedNets-best_model": 1.0}}, grade_cells)
    checks = {check["id"]: check for check in graded["checks"]}
    assert (checks["nb.FullyConnectedNets.inline_question_1"]["points"],
            checks["nb.FullyConnectedNets.inline_question_1"]["status"]) == (2.5, "fail")
    assert checks["nb.FullyConnectedNets.best_model"]["points"] == 1.0
    assert graded["manual_pending"] == []
