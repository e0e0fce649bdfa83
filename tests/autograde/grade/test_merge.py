"""Merging trusted library results with nbgrader's cell scores and the grades given by hand (synthetic outcomes)."""
from autograde.checks.result import CheckResult
from autograde.grade import merge

NOTEBOOK = "FullyConnectedNets"
COURSE_CELLS = {NOTEBOOK: {"layers-relu_forward": (2.0, "code", False),
                           "nb-FullyConnectedNets-best_model": (2.0, "code", False),
                           "nb-FullyConnectedNets-inline_question_1": (3.0, "markdown", True),
                           "nb-FullyConnectedNets-inline_question_2": (1.0, "markdown", True)}}
ANSWER, SECOND_ANSWER = "nb.FullyConnectedNets.inline_question_1", "nb.FullyConnectedNets.inline_question_2"


def library(statuses, hidden=()):
    """Trusted results of task `layers.relu_forward`: one 1-point check per status; indices in `hidden` hidden."""
    return [CheckResult(id=f"layers.relu_forward.case{index}", task="layers.relu_forward", notebook=NOTEBOOK,
                        max_points=1.0, status=status, points=1.0 if status == "pass" else 0.0,
                        message=f"message {index}", hidden=index in hidden)
            for index, status in enumerate(statuses)]


def outcome(*, relu="pass", best_model=("pass", 2.0, ""), status="graded", tampering=None, answers=(None, None)):
    """An outcome of `autograde_student`; answers: nbgrader's auto_score of the two written answers (None: to be
    graded by hand, 0: left as released)."""
    cells = {
        "layers-relu_forward": {"auto_score": 2.0 if relu == "pass" else 0.0, "max_score": 2.0, "manual": False,
                                "outcome": relu, "message": ""},
        "nb-FullyConnectedNets-best_model": {"auto_score": best_model[1], "max_score": 2.0, "manual": False,
                                             "outcome": best_model[0], "message": best_model[2]},
        "nb-FullyConnectedNets-inline_question_1": {"auto_score": answers[0], "max_score": 3.0, "manual": True,
                                                    "outcome": "manual", "message": ""},
        "nb-FullyConnectedNets-inline_question_2": {"auto_score": answers[1], "max_score": 1.0, "manual": True,
                                                    "outcome": "manual", "message": ""},
    }
    messages = {"missing": "FullyConnectedNets.ipynb was not found", "timeout": "grading stopped at the time limit"}
    return {"notebooks": {NOTEBOOK: {"status": status, "message": messages.get(status, ""),
                                     "cells": cells if status == "graded" else {}, "comments": {},
                                     "tampering": tampering or {}}}}


def merged(library_results, notebook_outcome):
    return {check.id: check for check in merge.merge_results(library_results, notebook_outcome, COURSE_CELLS)}


def test_passing_notebook_cell_with_failing_public_trusted_checks_marks_them_tampered():
    checks = merged(library(["pass", "fail", "timeout"]), outcome(relu="pass"))
    assert [checks[f"layers.relu_forward.case{index}"].status for index in range(3)] == ["pass", "tampered",
                                                                                        "tampered"]
    assert checks["layers.relu_forward.case1"].message == (
        "the notebook's own check reported success but the trusted check failed: message 1")
    assert checks["layers.relu_forward.case1"].points == 0.0


def test_a_failing_hidden_trusted_check_stays_an_ordinary_failure_when_the_notebook_cell_passed():
    checks = merged(library(["pass", "fail", "fail"], hidden=(2,)), outcome(relu="pass"))
    assert [checks[f"layers.relu_forward.case{index}"].status for index in range(3)] == ["pass", "tampered", "fail"]
    assert checks["layers.relu_forward.case2"].message == "message 2"


def test_failing_notebook_cell_leaves_trusted_checks_as_they_are():
    checks = merged(library(["pass", "fail"]), outcome(relu="fail"))
    assert checks["layers.relu_forward.case1"].status == "fail"
    assert checks["layers.relu_forward.case0"].points == 1.0


def test_notebook_only_cell_takes_nbgrader_score_and_message():
    failed = merged(library(["pass"]), outcome(best_model=("fail", 0.0, "AssertionError: 31%")))
    best = failed["nb.FullyConnectedNets.best_model"]
    assert (best.status, best.points, best.message) == ("fail", 0.0, "AssertionError: 31%")
    passed = merged(library(["pass"]), outcome())["nb.FullyConnectedNets.best_model"]
    assert (passed.status, passed.points, passed.max_points) == ("pass", 2.0, 2.0)


def test_written_answers_are_listed_pending_with_their_label_and_count_towards_the_maximum():
    checks = merged(library(["pass"]), outcome())
    assert {check_id: (checks[check_id].status, checks[check_id].points, checks[check_id].max_points,
                       checks[check_id].label) for check_id in (ANSWER, SECOND_ANSWER)} == {
        ANSWER: ("pending", 0.0, 3.0, "Inline question 1"), SECOND_ANSWER: ("pending", 0.0, 1.0, "Inline question 2")}
    assert merge.pending_answers([check.to_dict() for check in checks.values()]) == [
        {"id": ANSWER, "label": "Inline question 1", "notebook": NOTEBOOK, "max_points": 3.0},
        {"id": SECOND_ANSWER, "label": "Inline question 2", "notebook": NOTEBOOK, "max_points": 1.0}]


def test_an_answer_left_as_released_fails_with_no_points():
    answer = merged(library(["pass"]), outcome(answers=(0.0, None)))[ANSWER]
    assert (answer.status, answer.points, answer.message) == ("fail", 0.0, "left unanswered")


def test_every_submission_has_the_same_maximum_whatever_happened_to_its_notebook():
    maxima = {status: sum(check.max_points for check in merged(library(["pass", "pass"]),
                                                               outcome(status=status)).values())
              for status in ("graded", "missing", "timeout", "error")}
    maxima["not graded"] = sum(check.max_points for check in merge.merge_results(library(["pass", "pass"]), None,
                                                                                 COURSE_CELLS))
    assert set(maxima.values()) == {2.0 + 2.0 + 3.0 + 1.0}


def test_missing_notebook_marks_its_checks_and_answers_missing_and_keeps_library_points():
    checks = merged(library(["pass", "pass"]), outcome(status="missing"))
    assert (checks["nb.FullyConnectedNets.best_model"].status, checks["nb.FullyConnectedNets.best_model"].message) \
        == ("missing", "FullyConnectedNets.ipynb was not found")
    assert checks[ANSWER].status == "missing"
    assert sum(check.points for check in checks.values()) == 2.0


def test_the_answers_of_an_unreadable_notebook_are_errors_that_say_why_not_pending():
    unreadable = outcome(status="unreadable")
    unreadable["notebooks"][NOTEBOOK]["message"] = "FullyConnectedNets.ipynb is not UTF-8 text"
    checks = merged(library(["pass"]), unreadable)
    assert {check_id: (checks[check_id].status, checks[check_id].message)
            for check_id in ("nb.FullyConnectedNets.best_model", ANSWER)} == {
        "nb.FullyConnectedNets.best_model": ("error", "FullyConnectedNets.ipynb is not UTF-8 text"),
        ANSWER: ("error", "FullyConnectedNets.ipynb is not UTF-8 text")}


def test_a_notebook_that_ran_out_of_time_costs_its_checks_and_its_answers_wait_for_a_grader():
    checks = merged(library(["pass"]), outcome(status="timeout"))
    assert checks["nb.FullyConnectedNets.best_model"].status == "timeout"
    assert checks[ANSWER].status == "pending"


def test_tampered_test_cell_adds_a_zero_point_tampered_check():
    flagged = merged(library(["pass"]), outcome(tampering={"layers-relu_forward": "edited"}))[
        "layers.relu_forward.test_cell"]
    assert (flagged.status, flagged.points, flagged.max_points, flagged.message) == ("tampered", 0.0, 0.0, "edited")


def test_gradebook_scores_give_library_cells_the_trusted_points_and_answers_nbgraders_value():
    notebook_outcome = outcome(relu="fail", answers=(None, 0.0))
    checks = [check.to_dict() for check in merge.merge_results(library(["pass", "fail", "pass"]), notebook_outcome,
                                                               COURSE_CELLS)]
    scores, _ = merge.gradebook_scores(checks, COURSE_CELLS, notebook_outcome)
    assert scores[NOTEBOOK] == {"layers-relu_forward": 2.0, "nb-FullyConnectedNets-best_model": 2.0,
                                "nb-FullyConnectedNets-inline_question_1": None,
                                "nb-FullyConnectedNets-inline_question_2": 0.0}


def test_a_score_set_by_hand_on_a_notebook_only_cell_replaces_its_points_and_leaves_the_input_alone():
    checks = [check.to_dict() for check in merge.merge_results(library(["pass"]), outcome(), COURSE_CELLS)]
    graded = {check["id"]: check for check in merge.apply_manual_grades(
        checks, {NOTEBOOK: {"nb-FullyConnectedNets-best_model": 1.0, "nb-FullyConnectedNets-inline_question_2": 1.0}},
        {}, COURSE_CELLS)}
    best = graded["nb.FullyConnectedNets.best_model"]
    assert best["points"] == 1.0 and best["message"].endswith("(score set by hand in formgrader: 1)")
    assert (graded[SECOND_ANSWER]["points"], graded[SECOND_ANSWER]["status"]) == (1.0, "pass")
    assert [check["id"] for check in merge.pending_answers(list(graded.values()))] == [ANSWER]
    assert {check["id"]: check["status"] for check in checks}[SECOND_ANSWER] == "pending"


def test_a_failing_training_task_names_the_library_task_that_most_likely_caused_it():
    failing_softmax = [CheckResult(id="layers.softmax_loss.notebook_case", task="layers.softmax_loss",
                                   notebook="FullyConnectedNets", max_points=1.0, status="fail"),
                       CheckResult(id="fc_net.TwoLayerNet.loss_and_grads", task="fc_net.TwoLayerNet",
                                   notebook="FullyConnectedNets", max_points=1.0, status="inherited", points=1.0)]
    assert merge.likely_cause("nb.FullyConnectedNets.two_layer_solver", failing_softmax) == "layers.softmax_loss"
    assert merge.likely_cause("nb.ConvolutionalNetworks.image_filters", failing_softmax) is None
    passing = [CheckResult(id="layers.softmax_loss.notebook_case", task="layers.softmax_loss",
                           notebook="FullyConnectedNets", max_points=1.0, status="pass", points=1.0)]
    assert merge.likely_cause("nb.FullyConnectedNets.two_layer_solver", passing) is None
