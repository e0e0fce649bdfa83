"""Single uploaded files go back to the release's paths: resubmission suffixes and shared names."""
import pytest
from layout_fixtures import RELEASE_PATHS, tree, write_tree

from autograde.grade.submissions.placement import default_release_paths, place_loose_files, release_name

NAMES = {"affine.py", "__init__.py", "FullyConnectedNets.ipynb", "layer_utils.py"}


@pytest.mark.parametrize("uploaded, expected", [
    ("affine.py", ("affine.py", 0)),
    ("affine-1.py", ("affine.py", 1)),
    ("affine-12.py", ("affine.py", 12)),
    ("__init__-2.py", ("__init__.py", 2)),
    ("FullyConnectedNets-3.ipynb", ("FullyConnectedNets.ipynb", 3)),
    ("layer_utils-1.py", ("layer_utils.py", 1)),
    ("notes-1.txt", ("notes-1.txt", 0)),
    ("affine-1-2.py", ("affine-1-2.py", 0)),
])
def test_canvas_resubmission_suffixes_are_read_only_off_release_names(uploaded, expected):
    assert release_name(uploaded, NAMES) == expected


def test_an_init_that_fits_two_packages_equally_is_left_out_with_a_note(tmp_path):
    folder = write_tree(tmp_path / "upload", {
        "__init__.py": "from course_lib.layers.affine import a\nfrom course_lib.classifiers.fc_net import b\n",
        "affine.py": "A = 1\n"})
    notes = []
    place_loose_files(folder, RELEASE_PATHS, notes, resubmissions=True)
    assert tree(folder) == {"course_lib/layers/affine.py": "A = 1\n", "__init__.py":
                            "from course_lib.layers.affine import a\nfrom course_lib.classifiers.fc_net import b\n"}
    assert notes == ["__init__.py: several files of the release have this name (course_lib/__init__.py, "
                     "course_lib/classifiers/__init__.py, course_lib/layers/__init__.py, autograde/__init__.py) and "
                     "its content does not say which; left out"]


def test_without_resubmissions_suffixed_names_are_not_taken_for_release_files(tmp_path):
    folder = write_tree(tmp_path / "zip", {"affine.py": "A = 0\n", "affine-1.py": "A = 1\n"})
    place_loose_files(folder, RELEASE_PATHS, [], resubmissions=False)
    assert tree(folder) == {"course_lib/layers/affine.py": "A = 0\n", "affine-1.py": "A = 1\n"}


def test_the_default_release_paths_are_this_projects_library_and_notebooks():
    paths = default_release_paths()
    assert "course_lib/layers/affine.py" in paths and "course_lib/classifiers/__init__.py" in paths
    assert "FullyConnectedNets.ipynb" in paths and not any("__pycache__" in path for path in paths)
