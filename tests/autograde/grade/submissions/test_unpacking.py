"""unpack finds the assignment folder by content; pack and unpack_bytes carry it to another machine."""
import pytest
from layout_fixtures import RELEASE_PATHS, assignment_files, tree, under, unpacked, write_tree, write_zip, zip_bytes

from autograde.grade.submissions import UnpackError, pack, unpack, unpack_bytes
from autograde.grade.submissions.model import Submission


def submission_at(path, **fields):
    return Submission(student="s", source=path.name, container=str(path), assignment="assignment2",
                      release_paths=RELEASE_PATHS, **fields)


def test_a_stray_file_beside_the_assignment_folder_is_left_out_with_a_note(tmp_path):
    path = write_zip(tmp_path / "alice.zip", {**under("assignment2", assignment_files("alice")),
                                              "notes.txt": "remember", "__MACOSX/assignment2/._affine.py": "",
                                              "assignment2/.DS_Store": "", "Thumbs.db": "", "desktop.ini": ""})
    files, notes = unpacked(submission_at(path), tmp_path / "scratch")
    assert files == assignment_files("alice")
    assert notes == ["alice.zip: left out beside the assignment folder: notes.txt",
                     "alice.zip: left out 4 entries of operating-system or editor litter (.DS_Store, Thumbs.db, "
                     "__MACOSX, desktop.ini)"]


def test_the_folder_with_course_lib_wins_over_a_shallower_notebook_copy(tmp_path):
    path = write_tree(tmp_path / "bob", {"Scratch.ipynb": "{}", **under("work/assignment2", assignment_files("bob"))})
    files, notes = unpacked(submission_at(path), tmp_path / "scratch")
    assert files == assignment_files("bob")
    assert notes == ["bob: left out beside the assignment folder: Scratch.ipynb"]


def test_loose_library_files_in_a_zip_go_back_to_their_release_paths(tmp_path):
    bob = assignment_files("bob")
    loose = {"affine.py": bob["course_lib/layers/affine.py"], "optim.py": bob["course_lib/optim.py"],
             "FullyConnectedNets.ipynb": bob["FullyConnectedNets.ipynb"]}
    files, _ = unpacked(submission_at(write_zip(tmp_path / "bob.zip", loose)), tmp_path / "scratch")
    assert files == {"course_lib/layers/affine.py": bob["course_lib/layers/affine.py"],
                     "course_lib/optim.py": bob["course_lib/optim.py"],
                     "FullyConnectedNets.ipynb": bob["FullyConnectedNets.ipynb"]}


def test_compiled_bytecode_and_checkpoints_are_dropped_so_the_source_is_what_runs(tmp_path):
    path = write_tree(tmp_path / "bob", {**assignment_files("bob"), "course_lib/__pycache__/optim.cpython-311.pyc": "",
                                         "course_lib/optim.pyc": "", ".ipynb_checkpoints/x-checkpoint.ipynb": "{}"})
    files, notes = unpacked(submission_at(path), tmp_path / "scratch")
    assert files == assignment_files("bob")
    assert notes == ["bob: left out 3 entries of operating-system or editor litter (*.pyc, .ipynb_checkpoints, "
                     "__pycache__)"]


def test_a_submission_without_course_lib_or_notebooks_says_what_it_holds(tmp_path):
    path = write_zip(tmp_path / "carol.zip", {"report.pdf": "", "data/x.csv": ""})
    with pytest.raises(UnpackError, match=r"carol.zip: no course_lib/ folder or notebook found \(it holds data/, "
                                          r"report.pdf\); submit the assignment folder"):
        unpack(submission_at(path), tmp_path / "scratch")


def test_pack_then_unpack_bytes_gives_the_same_assignment_folder(tmp_path):
    path = write_zip(tmp_path / "alice.zip", {**under("a/assignment2", assignment_files("alice")), "notes.txt": ""})
    notes = []
    data = pack(submission_at(path), notes=notes)
    assert notes == ["alice.zip: left out beside the assignment folder: notes.txt"]
    folder = unpack_bytes(data, tmp_path / "worker")
    assert tree(folder) == assignment_files("alice")


def test_pack_refuses_what_unpack_refuses(tmp_path):
    path = write_zip(tmp_path / "evil.zip", {"course_lib/__init__.py": "", "../x.py": ""})
    with pytest.raises(UnpackError, match="'..'"):
        pack(submission_at(path))


def test_a_zip_inside_the_zip_is_unpacked_when_it_is_all_there_is(tmp_path):
    path = write_zip(tmp_path / "dan.zip", {"assignment2.zip": zip_bytes(under("assignment2", assignment_files("dan"))),
                                            "readme.txt": "see zip"})
    files, notes = unpacked(submission_at(path), tmp_path / "scratch")
    assert files == assignment_files("dan")
    assert notes == ["dan.zip: left out beside the assignment folder: readme.txt"]
