"""The whole release of the miniature project: layout, the stub import, replacing and refusing folders, the CLI
and nbgrader's generate_assignment (slow)."""
import json

import pytest
from nbgrader.api import Gradebook

from autograde.__main__ import main as autograde_main
from autograde.release import LeakError, ReleaseError, release
from autograde.nbgrader_adapter.config import load_course_config
from autograde.nbgrader_adapter.layout import ASSIGNMENT as ASSIGNMENT_ID
from autograde.nbgrader_adapter.layout import COURSE_ID, CourseLayout
from autograde.nbgrader_adapter.process import scripts_on_path as interpreter_scripts_on_path
from release_fixtures import (
    ANSWER_TEXT,
    GOLDEN,
    HIDDEN_TEST_LINE,
    NOTEBOOK_SOLUTION_LINE,
    STUB_IMPORT,
    STUDENT_AUTOGRADE_FILES,
    run_stub_in_release,
)

LIBRARY_AND_BUNDLE = sorted([
    "README.md",
    *STUDENT_AUTOGRADE_FILES,
    "course_lib/__init__.py",
    "course_lib/layers.py",
    "course_lib/models/README.txt",
    "course_lib/models/__init__.py",
    "course_lib/models/linear.py",
    "datasets/get_datasets.py",
    "environment.yml",
])


def _files(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_library_release_has_the_stubs_the_student_checks_and_nothing_else(project, tmp_path):
    out = release(root=project, out=tmp_path / "release", course_dir=tmp_path / "course", notebooks=False)
    assert _files(out) == LIBRARY_AND_BUNDLE
    golden_stub = GOLDEN / "student" / "course_lib" / "layers.py"
    assert (out / "course_lib" / "layers.py").read_bytes() == golden_stub.read_bytes()
    assert not (tmp_path / "course").exists()


def test_release_course_lib_is_what_imports_and_its_stub_names_the_function(project, tmp_path):
    out = release(root=project, out=tmp_path / "release", notebooks=False)
    result = run_stub_in_release(out, STUB_IMPORT)
    assert result.stdout.strip() == str(out / "course_lib" / "layers.py")
    assert result.stderr.strip().splitlines()[-1] == (
        "NotImplementedError: layers.relu_forward: Implement the ReLU forward pass."
    )


def test_previous_release_is_replaced_and_stale_files_disappear(project, tmp_path):
    out = release(root=project, out=tmp_path / "release", notebooks=False)
    (out / "stale.txt").write_text("from an older release")
    release(root=project, out=out, notebooks=False)
    assert _files(out) == LIBRARY_AND_BUNDLE


def test_existing_folder_that_is_not_a_release_is_never_replaced(project, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(ReleaseError, match="refusing to replace"):
        release(root=project, out=out, notebooks=False)
    assert (out / "thesis.tex").read_text() == "precious"


def test_release_into_the_project_itself_is_refused(project):
    with pytest.raises(ReleaseError, match="would replace the project"):
        release(root=project, out=project, notebooks=False)


def test_leak_keeps_the_previous_release_and_the_rejected_build_for_inspection(project, tmp_path):
    out = release(root=project, out=tmp_path / "release", notebooks=False)
    before = _files(out)
    (project / "datasets" / "get_datasets.py").write_text("# hint: x *= factors[:, None]  # (N, D) * (N, 1)\n")
    with pytest.raises(LeakError) as raised:
        release(root=project, out=out, notebooks=False)
    assert [str(leak) for leak in raised.value.leaks] == [
        "datasets/get_datasets.py:1: solution text from course_lib/layers.py:30: x *= factors[:, None] # (N, D) * "
        "(N, 1)"
    ]
    assert _files(out) == before
    assert (tmp_path / ".release.staging" / "datasets" / "get_datasets.py").is_file()


def test_cli_exits_2_naming_file_and_line_for_a_bad_marker(project, tmp_path, capsys):
    (project / "course_lib" / "broken.py").write_text('"""Broken."""\n\n\ndef f():\n    ### BEGIN SOLUTION\n')
    status = autograde_main(["release", "--project", str(project), "--out", str(tmp_path / "release"),
                             "--no-notebooks"])
    assert status == 2
    assert "course_lib/broken.py:5: unterminated '### BEGIN SOLUTION'" in capsys.readouterr().err


def test_cli_exits_1_when_the_scan_finds_a_leak(project, tmp_path, capsys):
    (project / "datasets" / "get_datasets.py").write_text("### END SOLUTION is a marker\n")
    status = autograde_main(["release", "--project", str(project), "--out", str(tmp_path / "release"),
                             "--no-notebooks"])
    assert status == 1
    assert "datasets/get_datasets.py:1: marker '### END SOLUTION'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def nbgrader_release(tmp_path_factory):
    """The mini project released with nbgrader's generate_assignment: (project, release folder, course folder)."""
    from release_fixtures import make_project

    base = tmp_path_factory.mktemp("nbgrader_release")
    project = make_project(base / "project")
    status = autograde_main(["release", "--project", str(project), "--out", str(base / "release"),
                             "--course-dir", str(base / "course")])
    assert status == 0
    return project, base / "release", base / "course"


@pytest.mark.slow
def test_release_with_notebooks_adds_the_generated_notebook_only(nbgrader_release):
    _, out, _ = nbgrader_release
    assert _files(out) == sorted(LIBRARY_AND_BUNDLE + ["Tiny.ipynb"])


@pytest.mark.slow
def test_generated_notebook_lost_solutions_hidden_tests_and_answers_and_is_locked(nbgrader_release):
    _, out, _ = nbgrader_release
    notebook = json.loads((out / "Tiny.ipynb").read_text())
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    text = "\n".join(sources)
    for secret in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", NOTEBOOK_SOLUTION_LINE, HIDDEN_TEST_LINE,
                   ANSWER_TEXT):
        assert secret not in text
    assert sources[2] == "values = np.linspace(-2.0, 2.0, 9)\n# YOUR CODE HERE\nraise NotImplementedError()\n" \
                         "print(values.shape)"
    assert sources[4] == "YOUR ANSWER HERE"
    test_cell = notebook["cells"][3]
    assert (test_cell["metadata"]["editable"], test_cell["metadata"]["deletable"]) == (False, False)
    assert test_cell["metadata"]["nbgrader"]["grade_id"] == "layers-relu_forward"
    assert test_cell["metadata"]["nbgrader"]["points"] == 3
    assert "checksum" in test_cell["metadata"]["nbgrader"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_gradebook_records_the_notebook_its_grade_cells_and_the_hidden_tests(nbgrader_release):
    _, _, course = nbgrader_release
    with interpreter_scripts_on_path(), Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT_ID)
        assert [notebook.name for notebook in assignment.notebooks] == ["Tiny"]
        notebook = assignment.notebooks[0]
        assert sorted((cell.name, cell.max_score) for cell in notebook.grade_cells) == [
            ("layers-relu_forward", 3.0), ("relu-question", 2.0)]
        assert assignment.max_score == 5.0
        test_source = gradebook.find_source_cell("layers-relu_forward", "Tiny", ASSIGNMENT_ID).source
        assert HIDDEN_TEST_LINE in test_source


@pytest.mark.slow
def test_course_config_points_nbgrader_at_the_course_folder_and_its_sqlite_gradebook(nbgrader_release):
    _, _, course = nbgrader_release
    config = load_course_config(CourseLayout(course))
    assert config.CourseDirectory.root == str(course)
    assert config.CourseDirectory.db_url == f"sqlite:///{course / 'gradebook.db'}"
    assert config.CourseDirectory.course_id == COURSE_ID
    assert sorted(path.name for path in (course / "source" / ASSIGNMENT_ID).iterdir()) == ["Tiny.ipynb", "autograde"]


@pytest.mark.slow
def test_gradebook_can_live_at_any_sqlalchemy_url(project, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    release(root=project, out=tmp_path / "release", course_dir=tmp_path / "course", db_url=db_url)
    assert load_course_config(CourseLayout(tmp_path / "course")).CourseDirectory.db_url == db_url
    assert (tmp_path / "elsewhere.db").is_file()
    assert not (tmp_path / "course" / "gradebook.db").exists()
