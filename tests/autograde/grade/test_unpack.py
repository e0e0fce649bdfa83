"""The grader's path-based entry points: one folder or .zip per student, unpacked as `submissions.unpack` does."""
import zipfile

import pytest

from autograde.grade.submissions import SubmissionsError
from autograde.grade.unpack import find_submissions, unpack_submission

ASSIGNMENT = {"course_lib/__init__.py": "", "course_lib/layers/affine.py": "X = 1\n", "Dropout.ipynb": "{}"}


def write_zip(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def write_tree(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def files_under(folder):
    return {path.relative_to(folder).as_posix(): path.read_text() for path in folder.rglob("*") if path.is_file()}


def under(prefix, files):
    return {f"{prefix}/{name}": text for name, text in files.items()}


def test_find_submissions_gives_each_folder_and_zip_by_id(tmp_path):
    write_tree(tmp_path / "bob", ASSIGNMENT)
    write_zip(tmp_path / "alice.zip", ASSIGNMENT)
    write_tree(tmp_path, {".DS_Store": "", "notes.txt": ""})
    assert find_submissions(tmp_path) == {"alice": tmp_path / "alice.zip", "bob": tmp_path / "bob"}


def test_a_zip_with_a_stray_file_beside_the_assignment_folder_unpacks_to_the_assignment_folder(tmp_path):
    zip_path = write_zip(tmp_path / "alice.zip", {**under("assignment2", ASSIGNMENT), "notes.txt": "todo"})
    assert files_under(unpack_submission(zip_path, tmp_path / "scratch")) == ASSIGNMENT


def test_a_student_folder_with_two_assignments_unpacks_the_course_assignment(tmp_path):
    older = {name: "old" for name in ASSIGNMENT}
    folder = write_tree(tmp_path / "submitted" / "alice", {**under("assignment1", older),
                                                          **under("assignment2", ASSIGNMENT)})
    assert files_under(unpack_submission(folder, tmp_path / "scratch")) == ASSIGNMENT


def test_an_lms_download_is_refused_with_one_line_instead_of_a_traceback(tmp_path):
    download = write_zip(tmp_path / "submissions.zip", {"doejane_1_2_affine.py": "", "smithjohn_3_4_affine.py": ""})
    with pytest.raises(SubmissionsError, match=r"^SUBMISSIONS: 2 students found in a Canvas bulk download"):
        find_submissions(download)
