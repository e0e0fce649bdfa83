"""Grades and comments given by hand in formgrader reach the student's checks: written answers graded, comments on
any cell shown, overridden test cells counted as formgrader counts them."""
from autograde.checks.result import CheckResult
from autograde.grade.merge import apply_manual_grades, merge_results, pending_answers

COURSE_CELLS = {"Fixture": {"ops-double": (3.0, "code", False), "nb-Fixture-answer": (2.0, "code", False),
                            "inline-question": (2.0, "markdown", True)}}
OUTCOME = {"notebooks": {"Fixture": {
    "status": "graded", "message": "", "tampering": {}, "comments": {},
    "cells": {"ops-double": {"auto_score": 3.0, "outcome": "pass", "message": ""},
              "nb-Fixture-answer": {"auto_score": 2.0, "outcome": "pass", "message": ""},
              "inline-question": {"auto_score": None, "outcome": "manual", "message": ""}}}}}


def graded():
    library = [CheckResult(id="ops.double.public", task="ops.double", notebook="Fixture", max_points=1.0,
                           status="pass", points=1.0),
               CheckResult(id="ops.double.hidden", task="ops.double", notebook="Fixture", max_points=2.0,
                           status="pass", points=2.0, hidden=True)]
    return [check.to_dict() for check in merge_results(library, OUTCOME, COURSE_CELLS)]


def by_id(checks):
    return {check["id"]: check for check in checks}


def test_an_answer_not_graded_yet_is_pending_and_counts_towards_the_maximum():
    checks = by_id(graded())
    answer = checks["inline.question"]
    assert (answer["status"], answer["points"], answer["max_points"]) == ("pending", 0.0, 2.0)
    assert answer["label"] == "Inline question 1"
    assert pending_answers(graded()) == [{"id": "inline.question", "label": "Inline question 1",
                                          "notebook": "Fixture", "max_points": 2.0}]


def test_a_graded_answer_takes_the_graders_score_and_comment():
    checks = by_id(apply_manual_grades(graded(), {"Fixture": {"inline-question": 1.5}},
                                       {"Fixture": {"inline-question": "Say why the variance shrinks."}}, COURSE_CELLS))
    answer = checks["inline.question"]
    assert (answer["status"], answer["points"]) == ("fail", 1.5)
    assert "graded by hand: 1.5 of 2 points" in answer["message"]
    assert "Grader's comment: Say why the variance shrinks." in answer["message"]
    assert pending_answers(list(checks.values())) == []


def test_a_comment_on_a_test_cell_reaches_its_first_check_and_an_override_keeps_the_totals_in_step():
    checks = apply_manual_grades(graded(), {"Fixture": {"ops-double": 2.0}},
                                 {"Fixture": {"ops-double": "Hard-coded for the public case?"}}, COURSE_CELLS)
    found = by_id(checks)
    assert "Grader's comment: Hard-coded for the public case?" in found["ops.double.public"]["message"]
    assert found["ops.double.manual_adjustment"]["points"] == -1.0
    assert sum(check["points"] for check in checks if check["task"] == "ops.double") == 2.0
