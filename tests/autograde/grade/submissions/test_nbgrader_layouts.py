"""nbgrader's collected layout (submitted/<student>/<assignment>/) and an exchange's inbound folder."""
from datetime import datetime

import pytest
from layout_fixtures import RELEASE_PATHS, assignment_files, by_student, under, unpacked, write_tree

from autograde.grade.submissions import SubmissionsError, UnpackError, discover
from autograde.grade.submissions.nbgrader_layouts import parse_inbound_name


def collected(root):
    """A course whose submitted/ has alice with two assignments, bob with assignment2 only, carol with
    assignment1 only."""
    files = {}
    for student, assignments in {"alice": ("assignment1", "assignment2"), "bob": ("assignment2",),
                                 "carol": ("assignment1",)}.items():
        for assignment in assignments:
            marked = {**assignment_files(f"{student}-{assignment}"), "timestamp.txt": "2026-11-02 10:00:00 UTC"}
            files.update(under(f"submitted/{student}/{assignment}", marked))
    return write_tree(root, files)


@pytest.mark.parametrize("where", ["course folder", "submitted folder"])
def test_collected_layout_grades_the_asked_assignment_of_each_student(tmp_path, where):
    course = collected(tmp_path / "course")
    path = course if where == "course folder" else course / "submitted"
    discovery = discover(path, release_paths=RELEASE_PATHS)
    assert discovery.layout == "nbgrader-collected"
    assert discovery.description == ("2 students found in nbgrader's collected layout "
                                     "(submitted/<student>/assignment2/)")
    assert any(note.endswith("carol: no assignment2/ (it holds assignment1); not graded") for note in discovery.notes)
    students = by_student(discovery)
    assert sorted(students) == ["alice", "bob"]
    files, _ = unpacked(students["alice"], tmp_path / "alice")
    assert files == {**assignment_files("alice-assignment2"), "timestamp.txt": "2026-11-02 10:00:00 UTC"}


def test_collected_layout_takes_another_assignment_when_asked(tmp_path):
    discovery = discover(collected(tmp_path / "course"), assignment="assignment1", release_paths=RELEASE_PATHS)
    assert sorted(by_student(discovery)) == ["alice", "carol"]


def test_collected_layout_without_the_assignment_lists_what_it_found(tmp_path):
    with pytest.raises(SubmissionsError) as raised:
        discover(collected(tmp_path / "course"), assignment="hw2", release_paths=RELEASE_PATHS)
    assert "holds hw2/ (found: assignment1 (2 students), assignment2 (2 students)); pass the assignment id to " \
           "grade with --assignment" in str(raised.value)


def test_a_student_folder_with_several_assignments_and_no_match_is_a_clear_unpack_error(tmp_path):
    write_tree(tmp_path / "subs" / "dan", {**under("hw1", assignment_files("1")),
                                           **under("hw3", assignment_files("3"))})
    write_tree(tmp_path / "subs" / "eve", assignment_files("eve"))
    submission = by_student(discover(tmp_path / "subs", release_paths=RELEASE_PATHS))["dan"]
    with pytest.raises(UnpackError, match=r"holds several assignment folders \(hw1, hw3\) and none is named "
                                          r"'assignment2'"):
        unpacked(submission, tmp_path / "scratch")


def inbound(root):
    entries = {
        "alice+assignment2+2026-11-01 09:00:00.000001 UTC+AbCdEfGhIjKl": "alice-early",
        "alice+assignment2+2026-11-02 18:30:12.500000 UTC+MnOpQrStUvWx": "alice-late",
        "bob+assignment2+2026-11-02 08:00:00.000000 UTC": "bob",
        "bob+assignment1+2026-10-01 08:00:00.000000 UTC+zzzzzzzzzzzz": "bob-hw1",
    }
    files = {}
    for entry, marker in entries.items():
        files.update(under(f"numpy-nn-course/inbound/{entry}", assignment_files(marker)))
    return write_tree(root, files)


def test_inbound_keeps_the_newest_submission_of_each_student(tmp_path):
    exchange = inbound(tmp_path / "exchange")
    discovery = discover(exchange / "numpy-nn-course", release_paths=RELEASE_PATHS)
    assert discovery.layout == "nbgrader-inbound"
    assert "left out 1 older submission (the newest of each student is graded)" in discovery.notes
    assert "left out 1 submission of other assignments (assignment1)" in discovery.notes
    students = by_student(discovery)
    assert unpacked(students["alice"], tmp_path / "alice")[0] == assignment_files("alice-late")
    assert unpacked(students["bob"], tmp_path / "bob")[0] == assignment_files("bob")
    assert sorted(by_student(discover(exchange / "numpy-nn-course" / "inbound",
                                      release_paths=RELEASE_PATHS))) == ["alice", "bob"]


def test_inbound_without_the_assignment_lists_the_assignments_it_holds(tmp_path):
    with pytest.raises(SubmissionsError, match=r"no submission of hw9 \(found: assignment2 \(3\), assignment1 \(1\)\)"):
        discover(inbound(tmp_path / "exchange") / "numpy-nn-course", assignment="hw9", release_paths=RELEASE_PATHS)


@pytest.mark.parametrize("name, expected", [
    ("alice+assignment2+2026-11-02 18:30:12.500000 UTC+MnOpQrStUvWx",
     ("alice", "assignment2", datetime(2026, 11, 2, 18, 30, 12, 500000))),
    ("bob+ps1+2026-11-02 08:00:00 UTC", ("bob", "ps1", datetime(2026, 11, 2, 8, 0, 0))),
    ("bob+ps1", None),
    ("bob+ps1+yesterday+x", None),
])
def test_inbound_entry_names_are_parsed_like_nbgrader_collect(name, expected):
    assert parse_inbound_name(name) == expected
