"""Per-student feedback pages and nbgrader's feedback: verdicts shown, hidden details and student HTML never."""
import shutil

import pytest

import grading_course
from autograde.grade import feedback, notebooks


def check(check_id, status, points, max_points, message="", hidden=False, notebook="Fixture"):
    return {"id": check_id, "task": check_id.rsplit(".", 1)[0], "notebook": notebook, "status": status,
            "points": points, "max_points": max_points, "message": message, "hidden": hidden}


def test_page_lists_each_check_with_verdict_points_and_escaped_message(tmp_path):
    result = {"student": "eve<b>", "checks": [
        check("layers.relu_forward.basic", "fail", 0, 2, "got <script>alert(1)</script>, expected 0.5"),
        check("layers.relu_forward.kink", "pass", 1, 1)]}
    (page, _index) = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture"])
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "eve&lt;b&gt;" in text
    assert "layers.relu_forward.basic</td><td class='fail'>failed</td><td>0 / 2</td>" in text
    assert "Score: <strong>1 / 3</strong>" in text


def test_hidden_check_says_that_it_failed_but_never_its_message(tmp_path):
    result = {"student": "s", "checks": [
        check("ops.double.hidden", "fail", 0, 2, "got [0. 2. 4.], expected [14.5 -7. 2.]", hidden=True),
        check("ops.double.hidden_b", "tampered", 0, 1, "trusted: expected 91735", hidden=True)]}
    (page, _index) = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture"])
    text = page.read_text()
    assert "14.5" not in text and "91735" not in text
    assert text.count("A hidden check failed") == 2


def test_index_links_every_notebook_and_lists_answers_to_be_graded(tmp_path):
    result = {"student": "s", "checks": [check("a.b", "pass", 1, 1), check("c.d", "fail", 0, 1, notebook="Other")],
              "manual_pending": [{"id": "nb.Fixture.inline_question", "notebook": "Fixture", "max_points": 2.0}]}
    paths = feedback.write_student_feedback(tmp_path, result, notebooks=["Fixture", "Second"])
    assert sorted(path.name for path in paths) == ["Fixture.html", "Other.html", "Second.html", "index.html"]
    index = (tmp_path / "index.html").read_text()
    assert "<a href='Other.html'>Other</a></td><td>0 / 1</td>" in index
    assert "nb.Fixture.inline_question (2 points)" in index


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grading_course.graded_class(str(tmp_path_factory.getbasetemp() / "fixture-class"))


@pytest.mark.slow
def test_feedback_pages_of_a_graded_student_hide_hidden_expected_values(graded):
    out_dir, _, _ = graded
    page = (out_dir / "feedback" / "bob" / "Fixture.html").read_text()
    assert "ops.double.hidden</td><td class='fail'>failed (hidden check)</td><td>0 / 2</td>" in page
    assert "answer is 41" in page
    assert grading_course.HIDDEN_EXPECTED_TEXT not in page


@pytest.mark.slow
def test_nbgrader_feedback_shows_scores_but_no_hidden_test_code_or_values(graded):
    out_dir, _, _ = graded
    autograded = (out_dir / "course" / "autograded" / "bob" / "assignment2" / "Fixture.ipynb").read_text()
    assert grading_course.HIDDEN_EXPECTED_TEXT in autograded
    page = (out_dir / "course" / "feedback" / "bob" / "assignment2" / "Fixture.html").read_text()
    for secret in (grading_course.HIDDEN_EXPECTED_TEXT, "hidden=True", "BEGIN HIDDEN TESTS", "checks.hidden"):
        assert secret not in page
    assert "This test cell failed. It includes hidden tests" in page
    assert "answer is 41; expected the answer to everything" in page


@pytest.mark.slow
def test_nbgrader_feedback_split_over_two_workers_covers_every_student_once(graded):
    out_dir, context, results = graded
    course = notebooks.course_from_context(context)
    pages = out_dir / "course" / "feedback"
    shutil.rmtree(pages)
    feedback.generate_nbgrader_feedback(course, students=sorted(results), workers=2)
    written = {path.parent.parent.name for path in pages.glob("*/assignment2/*.html")}
    autograded = {path.name for path in (out_dir / "course" / "autograded").iterdir() if path.is_dir()}
    assert written == autograded and "bob" in written
