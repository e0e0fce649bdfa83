"""The grading course and its gradebook: config, trusted points written back, manual grades kept on re-grade."""
import shutil

import pytest
from nbgrader.api import Gradebook

import grading_course
from autograde.grade import gradebook, notebooks


def test_config_filters_warnings_keeps_course_lib_and_hides_hidden_tests_in_feedback():
    text = gradebook.nbgrader_config_text(db_url="sqlite:////x/gradebook.db", cell_timeout=77,
                                          exclude_overwriting=["course_lib/layers.py"])
    config = {}
    exec(text, {"get_config": lambda: _Config(config)})
    assert config["Autograde.exclude_overwriting"] == {"assignment2": ["course_lib/layers.py"]}
    assert config["Execute.timeout"] == 77 and config["Execute.kernel_name"] == "python3"
    assert config["IgnorePattern.enabled"] is True
    assert config["IgnorePattern.pattern"] == gradebook.WARNING_STDERR_PATTERN
    feedback_steps = config["GenerateFeedback.preprocessors"]
    assert feedback_steps.index("autograde.grade.feedback.HideHiddenTestOutcomes") < feedback_steps.index(
        "nbgrader.preprocessors.ClearHiddenTests")


class _Config:
    def __init__(self, store, prefix=""):
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_prefix", prefix)

    def __getattr__(self, name):
        return _Config(self._store, f"{self._prefix}{name}.")

    def __setattr__(self, name, value):
        self._store[f"{self._prefix}{name}"] = value


def test_bundle_holds_the_checks_and_never_course_lib():
    files = [str(path) for path in gradebook.instructor_bundle_files(grading_course.FIXTURES / "bundle")]
    assert files == ["autograde/__init__.py", "autograde/check/__init__.py", "autograde/checks/__init__.py",
                     "autograde/checks/hidden/__init__.py", "autograde/checks/hidden/ops.py"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grading_course.graded_class(str(tmp_path_factory.getbasetemp() / "fixture-class"))


@pytest.mark.slow
def test_course_source_has_notebooks_and_bundle_but_no_course_lib(graded):
    out_dir, _, _ = graded
    source = out_dir / "course" / "source" / "assignment2"
    assert sorted(path.name for path in source.iterdir()) == ["Fixture.ipynb", "Second.ipynb", "autograde"]
    assert not (out_dir / "course" / "release").exists()


@pytest.mark.slow
def test_gradebook_holds_trusted_library_points_and_matches_the_results(graded):
    _, context, results = graded
    with Gradebook(context["db_url"]) as book:
        carol = {grade.name: grade.auto_score for notebook in book.find_submission("assignment2", "carol").notebooks
                 for grade in notebook.grades}
        totals = {student: book.find_submission("assignment2", student).score for student in results}
    assert carol["ops-double"] == 1.0
    assert carol["nb-Fixture-answer"] == 0.0
    assert totals == {student: sum(check["points"] for check in result["checks"])
                      for student, result in results.items()}


@pytest.mark.slow
def test_regrading_keeps_manual_grades_adds_them_to_the_results_and_reuses_the_course(graded, tmp_path):
    out_dir, context, _ = graded
    copy = tmp_path / "out"
    shutil.copytree(out_dir / "course", copy / "course")
    db_url = gradebook.sqlite_url(copy / "course" / "gradebook.db")
    with Gradebook(db_url) as book:
        book.find_grade("nb-Fixture-inline_question", "Fixture", "assignment2", "alice").manual_score = 1.5
        book.db.commit()
    instructor = out_dir.parent / "instructor"
    skeleton = copy / "course" / ".autograde" / "skeleton.db"
    stamp = skeleton.stat().st_mtime_ns
    new_context, results = grading_course.grade_batch(copy, instructor, ["alice"], out_dir.parent / "submissions")
    assert new_context["db_url"] == db_url
    answer = next(check for check in results["alice"]["checks"] if check["id"] == "nb.Fixture.inline_question")
    assert (answer["points"], answer["status"], answer["message"]) == (1.5, "fail", "graded by hand: 1.5 of 2 points")
    with Gradebook(db_url) as book:
        assert book.find_grade("nb-Fixture-inline_question", "Fixture", "assignment2", "alice").manual_score == 1.5
    assert notebooks.course_from_context(new_context).skeleton_db.stat().st_mtime_ns == stamp
