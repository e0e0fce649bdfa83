"""`verify`: the reference earns full marks, the untouched release earns zero, and it says so when not."""
import pytest

from autograde.verify import _problems, verify


def _result(student, checks):
    return {"student": student, "checks": [
        {"id": check_id, "points": points, "max_points": max_points, "status": status, "message": message}
        for check_id, points, max_points, status, message in checks]}


def test_problems_names_a_reference_check_short_of_full_marks_and_an_untouched_check_that_scored():
    results = {
        "reference": _result("reference", [("layers.relu_forward.notebook_case", 1, 1, "pass", ""),
                                           ("layers.affine_forward.other_shape", 0, 1, "fail", "rel_error 1e-2")]),
        "untouched": _result("untouched", [("layers.relu_forward.notebook_case", 1, 1, "pass", ""),
                                           ("layers.affine_forward.other_shape", 0, 1, "error", "NotImplementedError")]),
    }
    problems = _problems(results)
    assert len(problems) == 2
    assert problems[0].startswith("reference: layers.affine_forward.other_shape earned 0/1")
    assert problems[1].startswith("untouched release: layers.relu_forward.notebook_case earned 1 points")


def test_problems_is_empty_when_reference_is_full_and_untouched_is_zero():
    results = {
        "reference": _result("reference", [("a.b.c", 2, 2, "pass", "")]),
        "untouched": _result("untouched", [("a.b.c", 0, 2, "error", "NotImplementedError")]),
    }
    assert _problems(results) == []


def test_written_answers_waiting_for_a_grader_are_no_problem_but_an_unanswered_reference_is():
    results = {
        "reference": _result("reference", [("fc.depth.answer", 0, 2, "pending", "to be graded by hand"),
                                           ("fc.adagrad.answer", 0, 1, "fail", "left unanswered")]),
        "untouched": _result("untouched", [("fc.depth.answer", 0, 2, "fail", "left unanswered")]),
    }
    assert _problems(results) == ["reference: fc.adagrad.answer earned 0/1 (fail): left unanswered"]


@pytest.mark.slow
def test_verify_on_the_real_project_finds_no_problem(tmp_path):
    problems = verify(workdir=tmp_path, workers=2)
    assert problems == [], "\n".join(problems)
