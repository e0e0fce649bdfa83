"""Canvas's "Download Submissions": per-student zips, multi-file uploads, LATE, re-upload suffixes, unzipped."""
import pytest
from layout_fixtures import (RELEASE_PATHS, assignment_files, by_student, under, unpacked, write_tree, write_zip,
                             zip_bytes)

from autograde.grade.submissions import discover
from autograde.grade.submissions.canvas import parse_upload, squashed_name


def flat_upload(prefix, files):
    """The files of one student as Canvas flattens them: `<prefix>_<attachment id>_<file name>`, a name the
    student's files already hold renamed `name-1.ext`, `name-2.ext` (three `__init__.py`)."""
    uploaded = {}
    seen = {}
    for number, (path, text) in enumerate(files.items()):
        name = path.rsplit("/", 1)[-1]
        if name in seen:
            seen[name] += 1
            stem, extension = name.rsplit(".", 1)
            name = f"{stem}-{seen[name]}.{extension}"
        else:
            seen[name] = 0
        uploaded[f"{prefix}_{700 + number}_{name}"] = text
    return uploaded


def bulk_download():
    """A Canvas bulk download: a per-student zip, a late multi-file upload with re-uploads, a text entry."""
    carol = assignment_files("carol")
    files = {
        "doejane_12345_901_assignment2.zip": zip_bytes(under("assignment2", assignment_files("jane"))),
        **flat_upload("smithjohn_LATE_222", assignment_files("john-old")),
        "smithjohn_LATE_222_990_affine-1.py": "MARKER = 'john'\n",
        "smithjohn_LATE_222_991_FullyConnectedNets-1.ipynb": '{"cells": [], "metadata": {"student": "john"}}',
        **flat_upload("leecarol_333", carol),
        "nguyenan_444_text.html": "<p>my answer</p>",
    }
    return files


def john_expected():
    files = assignment_files("john-old")
    files["course_lib/layers/affine.py"] = "MARKER = 'john'\n"
    files["FullyConnectedNets.ipynb"] = '{"cells": [], "metadata": {"student": "john"}}'
    return files


@pytest.fixture(params=["zip", "unzipped folder", "zip in a folder", "re-zipped with a wrapper folder"])
def canvas_download(request, tmp_path):
    files = bulk_download()
    if request.param == "zip":
        return write_zip(tmp_path / "submissions.zip", files)
    if request.param == "unzipped folder":
        return write_tree(tmp_path / "submissions", files)
    if request.param == "zip in a folder":
        write_zip(tmp_path / "downloads" / "submissions.zip", files)
        write_tree(tmp_path / "downloads", {"rubric.pdf": ""})
        return tmp_path / "downloads"
    return write_zip(tmp_path / "canvas.zip", under("submissions", files))


def test_a_canvas_download_is_one_student_per_user_id_with_late_and_lms_id(canvas_download):
    discovery = discover(canvas_download, release_paths=RELEASE_PATHS)
    assert discovery.layout == "canvas"
    assert discovery.description == "3 students found in a Canvas bulk download (1 late)"
    students = by_student(discovery)
    assert sorted(students) == ["doejane_12345", "leecarol_333", "smithjohn_222"]
    assert [(students[student].lms_id, students[student].late) for student in sorted(students)] == [
        ("12345", False), ("333", False), ("222", True)]
    assert "left out 1 online text or URL entry (only uploaded files are graded)" in discovery.notes


def test_per_student_zips_and_single_file_uploads_unpack_to_the_release_layout(canvas_download, tmp_path):
    students = by_student(discover(canvas_download, release_paths=RELEASE_PATHS))
    assert unpacked(students["doejane_12345"], tmp_path / "jane")[0] == assignment_files("jane")
    assert unpacked(students["leecarol_333"], tmp_path / "carol")[0] == assignment_files("carol")


def test_the_highest_resubmission_suffix_wins_and_is_noted(canvas_download, tmp_path):
    students = by_student(discover(canvas_download, release_paths=RELEASE_PATHS))
    files, notes = unpacked(students["smithjohn_222"], tmp_path / "john")
    assert files == john_expected()
    assert "affine.py: replaced by the newer upload affine-1.py" in notes


def test_shared_init_names_go_to_the_package_they_import_from(tmp_path):
    files = {"doejane_1_10___init__.py": '"""The course library."""\n',
             "doejane_1_11___init__-1.py": "from course_lib.layers.affine import affine_forward\n",
             "doejane_1_12___init__-2.py": "from .fc_net import FullyConnectedNet\n",
             "doejane_1_13_affine.py": "MARKER = 1\n"}
    submission = discover(write_zip(tmp_path / "submissions.zip", files), release_paths=RELEASE_PATHS).submissions[0]
    placed, notes = unpacked(submission, tmp_path / "scratch")
    assert placed == {"course_lib/__init__.py": '"""The course library."""\n',
                      "course_lib/layers/__init__.py": "from course_lib.layers.affine import affine_forward\n",
                      "course_lib/classifiers/__init__.py": "from .fc_net import FullyConnectedNet\n",
                      "course_lib/layers/affine.py": "MARKER = 1\n"}
    assert "__init__-2.py: used as course_lib/classifiers/__init__.py (it imports that package's modules)" in notes


def test_anonymous_grading_names_students_by_their_anonymous_id(tmp_path):
    files = {"anon_x7Kq2_55_assignment2.zip": zip_bytes(assignment_files("a")),
             "LATE_anon_b8Zz1_56_assignment2.zip": zip_bytes(assignment_files("b"))}
    discovery = discover(write_zip(tmp_path / "submissions.zip", files), release_paths=RELEASE_PATHS)
    assert [(s.student, s.lms_id, s.late) for s in discovery.submissions] == [("anon_b8Zz1", "", True),
                                                                             ("anon_x7Kq2", "", False)]


@pytest.mark.parametrize("file_name, expected", [
    ("doejane_12345_678_affine.py", ("doejane_12345", "12345", 678, "affine.py", False)),
    ("doejane_LATE_12345_678_my_notes_v2.txt", ("doejane_12345", "12345", 678, "my_notes_v2.txt", True)),
    ("_12345_678_x.py", ("canvas_12345", "12345", 678, "x.py", False)),
    ("vanderberg_12_34_5_6.py", ("vanderberg_12", "12", 34, "5_6.py", False)),
])
def test_canvas_file_names_are_parsed_into_student_user_attachment_and_file(file_name, expected):
    parsed = parse_upload(file_name)
    assert (parsed["student"], parsed["user_id"], parsed["attachment"], parsed["file"], parsed["late"]) == expected


def test_the_name_part_is_the_sortable_name_squashed_as_canvas_does():
    assert squashed_name("Doe, Jane") == "doejane"
    assert squashed_name("O'Brien-Smith, Pat_12_") == "obriensmithpat12"
