"""The grading course: the source notebooks with the STUDENT-side checks bundle (never a hidden check or value),
the gradebook kept across runs, and the graded cells every student is graded on."""
import json
import shutil

import pytest

import grading_course
from autograde.grade.notebooks import course as grading_course_module
from autograde.nbgrader_adapter import config
from autograde.paths import PROJECT_ROOT


@pytest.mark.slow
def test_course_source_has_the_notebooks_and_the_student_bundle_only(graded_class):
    _, course, _ = graded_class
    source = course.layout.source_dir
    files = sorted(path.relative_to(source).as_posix() for path in source.rglob("*") if path.is_file())
    assert files == ["Fixture.ipynb", "Second.ipynb", "autograde/__init__.py", "autograde/check/__init__.py"]
    assert not (course.root / "release").exists()
    assert course.notebooks == ("Fixture", "Second")


@pytest.mark.slow
def test_the_course_config_keeps_the_students_course_lib_and_the_cell_timeout(graded_class):
    _, course, _ = graded_class
    loaded = config.load_course_config(course.layout)
    assert loaded.Autograde.exclude_overwriting == {"assignment2": ["course_lib/__init__.py", "course_lib/ops.py"]}
    assert loaded.Execute.timeout == grading_course.CELL_TIMEOUT
    assert loaded.GenerateFeedback.preprocessors == list(grading_course_module.FEEDBACK_PREPROCESSORS)


@pytest.mark.slow
def test_course_cells_list_every_graded_cell_in_order_with_the_written_answers(graded_class):
    _, course, _ = graded_class
    cells = grading_course_module.course_cells(course)
    assert {notebook: list(graded) for notebook, graded in cells.items()} == {
        "Fixture": ["nb-Fixture-answer", "ops-double", "nb-Fixture-warning", "nb-Fixture-inline_question"],
        "Second": ["nb-Second-total"]}
    assert cells["Fixture"]["nb-Fixture-inline_question"] == (2.0, "markdown", True)
    assert cells["Fixture"]["ops-double"] == (3.0, "code", False)


@pytest.mark.slow
def test_preparing_again_reuses_the_course_and_a_changed_source_regenerates_it(tmp_path):
    course = grading_course.prepare_course(tmp_path / "course")
    skeleton = course.skeleton_db.stat().st_mtime_ns
    again = grading_course.prepare_course(tmp_path / "course")
    assert again == course and course.skeleton_db.stat().st_mtime_ns == skeleton
    notebooks = tmp_path / "notebooks"
    shutil.copytree(grading_course.FIXTURES / "notebooks", notebooks)
    second = json.loads((notebooks / "Second.ipynb").read_text())
    second["cells"][1]["metadata"]["nbgrader"]["points"] = 4
    (notebooks / "Second.ipynb").write_text(json.dumps(second))
    changed = grading_course_module.prepare_grading_course(
        tmp_path / "course", notebooks_dir=notebooks, bundle_files=grading_course.bundle_files(),
        course_lib_dir=grading_course.FIXTURES / "course_lib")
    assert course.skeleton_db.stat().st_mtime_ns != skeleton
    assert grading_course_module.course_cells(changed)["Second"]["nb-Second-total"] == (4.0, "code", False)


def test_a_folder_without_notebooks_is_refused_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"{tmp_path} holds no .ipynb file"):
        grading_course_module.prepare_grading_course(tmp_path / "course", notebooks_dir=tmp_path, bundle_files={},
                                                     course_lib_dir=grading_course.FIXTURES / "course_lib")


def test_the_projects_kernel_side_bundle_is_the_student_release_with_no_hidden_check_or_value():
    notebooks_dir, bundle_files, course_lib_dir = grading_course_module.project_sources(PROJECT_ROOT)
    assert (notebooks_dir, course_lib_dir) == (PROJECT_ROOT / "notebooks", PROJECT_ROOT / "course_lib")
    assert "autograde/check/__init__.py" in bundle_files and "autograde/expected/public.npz" in bundle_files
    assert not [path for path in bundle_files if "hidden" in path or path.startswith("course_lib")]


def test_a_course_travels_to_a_worker_as_data():
    course = grading_course_module.GradingCourse(root=PROJECT_ROOT / "out", db_url="sqlite:///x.db",
                                                 notebooks=("Fixture",), cell_timeout=7)
    assert grading_course_module.GradingCourse.from_dict(json.loads(json.dumps(course.to_dict()))) == course
