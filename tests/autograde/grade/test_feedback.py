"""Per-student feedback pages: verdicts, points and messages shown, hidden checks' details and student HTML never;
and the nbgrader feedback step that hides hidden tests' outcomes."""
import nbformat
import pytest

import grading_course
from autograde.grade import feedback


def check(check_id, status, points, max_points, message="", hidden=False, notebook="Fixture", label=""):
    return {"id": check_id, "task": check_id.rsplit(".", 1)[0], "notebook": notebook, "status": status,
            "points": points, "max_points": max_points, "message": message, "hidden": hidden, "label": label}


def test_page_lists_each_check_with_verdict_points_and_escaped_message(tmp_path):
    result = {"student": "eve<b>", "checks": [
        check("layers.relu_forward.basic", "fail", 0, 2, "got <script>alert(1)</script>, expected 0.5"),
        check("layers.relu_forward.kink", "pass", 1, 1)]}
    page, _index = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture"])
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "eve&lt;b&gt;" in text
    assert "layers.relu_forward.basic</td><td class='fail'>failed</td><td>0 / 2</td>" in text
    assert "Score: <strong>1 / 3</strong>" in text


def test_hidden_check_says_which_behaviour_failed_but_never_its_message(tmp_path):
    result = {"student": "s", "checks": [
        check("layers.relu_forward.other_values", "fail", 0, 2, "got [0. 2. 4.], expected [14.5 -7. 2.]",
              hidden=True),
        check("ops.double.hidden_b", "error", 0, 1, "trusted: expected 91735", hidden=True),
        check("ops.double.hidden_c", "pass", 1, 1, "passed with 91735", hidden=True)]}
    page, _index = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture"])
    text = page.read_text()
    assert "14.5" not in text and "91735" not in text
    assert text.count("A hidden check failed") == 2
    assert "(hidden check)" in text


def test_a_written_answer_shows_its_label_and_the_index_lists_those_to_be_graded(tmp_path):
    result = {"student": "s", "checks": [
        check("a.b", "pass", 1, 1), check("c.d", "fail", 0, 1, notebook="Other"),
        check("nb.Fixture.inline_question", "pending", 0, 2, "to be graded by hand", label="Inline question 1")]}
    paths = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture", "Second"])
    assert sorted(path.name for path in paths) == ["Fixture.html", "Other.html", "Second.html", "index.html"]
    assert "<td>Inline question 1</td><td class='pending'>to be graded by hand</td><td>0 / 2</td>" in (
        tmp_path / "Fixture.html").read_text()
    index = (tmp_path / "index.html").read_text()
    assert "<a href='Other.html'>Other</a></td><td>0 / 1</td>" in index
    assert "<a href='Fixture.html'>Fixture</a></td><td>1 / 3</td>" in index
    assert "<li>Fixture: Inline question 1 (2 points)</li>" in index


def _test_cell(source, outputs):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False, "locked": True}
    cell.outputs = outputs
    return cell


def test_a_failed_test_cell_with_hidden_tests_or_a_check_call_shows_one_neutral_line():
    hide = feedback.HideHiddenTestOutcomes()
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="expected 91735", traceback=["91735"])
    hidden_source = "check('x')\n### BEGIN HIDDEN TESTS\nassert x == 91735\n### END HIDDEN TESTS"
    for source in (hidden_source, "check('layers.relu_forward')"):
        cell, _ = hide.preprocess_cell(_test_cell(source, [error]), {}, 0)
        assert [(output.output_type, output.evalue) for output in cell.outputs] == [
            ("error", feedback.HIDDEN_FAILURE_OUTPUT.strip())]
    printed = nbformat.v4.new_output("stream", name="stdout", text="PASS\n")
    passed, _ = hide.preprocess_cell(_test_cell(hidden_source, [printed]), {}, 0)
    assert passed.outputs == [printed]
    public, _ = hide.preprocess_cell(_test_cell("assert answer == 42", [error]), {}, 0)
    assert public.outputs == [error]


@pytest.mark.slow
def test_feedback_pages_of_a_graded_student_hide_hidden_expected_values(graded_class):
    out_dir, _, _ = graded_class
    page = (out_dir / "feedback" / "bob" / "Fixture.html").read_text()
    assert "ops.double.hidden</td><td class='fail'>failed (hidden check)</td><td>0 / 2</td>" in page
    assert "answer is 41" in page
    assert grading_course.HIDDEN_EXPECTED_TEXT not in page
    carol = (out_dir / "feedback" / "carol" / "Fixture.html").read_text()
    assert "ops.double.public</td><td class='tampered'>flagged: the notebook and the trusted check disagree" in carol
