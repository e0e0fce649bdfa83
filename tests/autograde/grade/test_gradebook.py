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


def test_create_gradebook_matches_what_nbgrader_creates(tmp_path):
    """Our in-process schema creation writes what nbgrader's own first use writes (tables, columns, version)."""
    import sqlite3

    from nbgrader.api import Gradebook

    from autograde.release.nbgrader_step import interpreter_scripts_on_path

    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    gradebook.create_gradebook(gradebook.sqlite_url(ours))
    gradebook.create_gradebook(gradebook.sqlite_url(ours))  # a second call leaves an existing gradebook alone
    with interpreter_scripts_on_path(), Gradebook(gradebook.sqlite_url(theirs)):
        pass  # nbgrader creates its schema, asking `alembic heads` for the version

    def schema(path):
        with sqlite3.connect(path) as connection:
            tables = sorted(name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'"))
            columns = {table: [row[1:3] for row in connection.execute(f"PRAGMA table_info({table})")]
                       for table in tables}
            version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        return tables, columns, version

    our_tables, our_columns, our_version = schema(ours)
    assert "grade" in our_tables and "alembic_version" in our_tables
    assert len(our_version) == 1 and our_version[0][0]
    assert schema(ours)[:2] == schema(theirs)[:2]
    assert our_version == schema(theirs)[2]
    # nbgrader opens our gradebook as its own and can use it.
    with Gradebook(gradebook.sqlite_url(ours)) as book:
        book.add_student("someone")
        assert [student.id for student in book.students] == ["someone"]


def gradebook_rows(db_url, students):
    """{(student, notebook, grade_id): (auto_score, manual_score, needs_manual_grade)} of a gradebook."""
    rows = {}
    with Gradebook(db_url) as book:
        for student in students:
            for notebook in book.find_submission(gradebook.ASSIGNMENT, student).notebooks:
                for grade in notebook.grades:
                    rows[(student, notebook.name, grade.name)] = (grade.auto_score, grade.manual_score,
                                                                   grade.needs_manual_grade)
    return rows


@pytest.mark.slow
def test_publishing_in_the_workers_writes_what_the_finish_writes(tmp_path, monkeypatch):
    """Local workers record their student and make its nbgrader feedback; the finish does both for Dask workers.
    Both ways end with the same gradebook, the same results and feedback pages for every student."""
    course_root = grading_course.course_folder(tmp_path / "instructor")
    students = ["bob", "carol"]
    ends, published = {}, []
    publish_student = notebooks.publish_student

    def recording_publish_student(*args, **kwargs):
        published.append(publish_student(*args, **kwargs))
        return published[-1]

    monkeypatch.setattr(notebooks, "publish_student", recording_publish_student)
    for publish in (False, True):
        out_dir = tmp_path / f"publish-{publish}"
        context, results = grading_course.grade_batch(out_dir, course_root, students, tmp_path / "submissions",
                                                      publish_in_workers=publish)
        course = notebooks.course_from_context(context)
        pages = sorted(path.relative_to(out_dir).as_posix()
                       for path in (out_dir / "course" / "feedback").glob("*/assignment2/*.html"))
        assert not list((course.root / ".autograde" / "pending").glob("*.json"))
        ends[publish] = (gradebook_rows(course.db_url, students), results, pages)
    assert published == [{"recorded": True, "feedback": True, "message": ""}] * 2  # the publish=True run only
    assert ends[True][0] == ends[False][0]
    assert ends[True][1] == ends[False][1]
    assert ends[True][2] == ends[False][2]
    assert "course/feedback/carol/assignment2/Fixture.html" in ends[True][2]
    assert ends[True][0][("carol", "Fixture", "ops-double")][0] == 1.0  # the trusted public point, not 10


@pytest.mark.slow
def test_huge_autograded_notebooks_leave_their_nbgrader_feedback_to_the_finish(graded, monkeypatch):
    _, context, _ = graded
    course = notebooks.course_from_context(context)
    monkeypatch.setattr(notebooks, "FEEDBACK_IN_WORKER_MAX_BYTES", 1)
    published = notebooks.publish_student(course, "bob", {"notebooks": {}}, [])
    assert published["recorded"] and not published["feedback"]
    assert "nbgrader feedback left to the finish" in published["message"]
