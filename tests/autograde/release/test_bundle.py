"""What ships besides the stubs and the notebooks: the student autograde subset, environment.yml, README."""
import pytest

from autograde.release.bundle import student_autograde_files, student_environment, student_files
from autograde.release.errors import ReleaseError
from release_fixtures import STUDENT_AUTOGRADE_FILES


def test_student_autograde_subset_is_exactly_the_public_side(project):
    assert sorted(student_autograde_files(project)) == STUDENT_AUTOGRADE_FILES


def test_caches_are_left_out_of_the_subset(project):
    cache = project / "autograde" / "check" / "__pycache__"
    cache.mkdir()
    (cache / "x.cpython-311.pyc").write_bytes(b"\x00")
    assert not any("__pycache__" in path for path in student_autograde_files(project))


def test_shipped_module_that_imports_the_hidden_checks_is_refused(project):
    (project / "autograde" / "checks" / "__init__.py").write_text("from autograde.checks import hidden, public\n")
    with pytest.raises(ReleaseError, match=r"checks/__init__\.py imports the hidden checks"):
        student_autograde_files(project)


def test_missing_public_expected_values_are_refused(project):
    (project / "autograde" / "expected" / "public.npz").unlink()
    with pytest.raises(ReleaseError, match=r"public\.npz is missing"):
        student_autograde_files(project)


def test_environment_lists_python_pip_runtime_dependencies_and_jupyterlab_only(project):
    assert student_environment(project / "pyproject.toml") == (
        "name: numpy-nn-course\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python>=3.10\n"
        "  - pip\n"
        "  - pip:\n"
        '      - "numpy>=1.26"\n'
        '      - "matplotlib>=3.8"\n'
        '      - "jupyterlab>=4"\n'
    )


def test_student_readme_explains_checks_stubs_and_the_environment(project):
    readme = student_files(project)["README.md"].decode()
    assert "python -m autograde check" in readme
    assert "NotImplementedError: layers.relu_forward:" in readme
    assert "not the instructor's course project" in readme
    assert "###" not in readme


def test_missing_dataset_helper_is_refused(project):
    (project / "datasets" / "get_datasets.py").unlink()
    with pytest.raises(ReleaseError, match=r"get_datasets\.py is missing"):
        student_files(project)
