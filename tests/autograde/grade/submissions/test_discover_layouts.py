"""discover: one folder or .zip per student, one assignment folder, wrappers, and SUBMISSIONS that cannot work."""
import pickle

import pytest
from layout_fixtures import RELEASE_PATHS, assignment_files, by_student, under, unpacked, write_tree, write_zip

from autograde.grade.submissions import SubmissionsError, discover


def discover_here(path, **options):
    return discover(path, release_paths=RELEASE_PATHS, **options)


def test_folders_and_zips_are_one_student_each_and_the_layout_is_announced(tmp_path):
    write_tree(tmp_path / "subs" / "bob", assignment_files("bob"))
    write_zip(tmp_path / "subs" / "alice.zip", under("assignment2", assignment_files("alice")))
    write_tree(tmp_path / "subs", {"grading-notes.txt": "mine", ".DS_Store": "junk"})
    discovery = discover_here(tmp_path / "subs")
    assert discovery.layout == "folders"
    assert discovery.description == "2 students found: one folder or .zip each"
    assert [submission.student for submission in discovery.submissions] == ["alice", "bob"]
    assert discovery.notes == ["left out (not a folder or .zip): grading-notes.txt"]
    for student, submission in by_student(discovery).items():
        assert unpacked(submission, tmp_path / student)[0] == assignment_files(student)


def test_student_ids_are_made_safe_and_unique(tmp_path):
    write_tree(tmp_path / "subs" / "José Núñez", assignment_files("a"))
    write_zip(tmp_path / "subs" / "Jose Nunez.zip", assignment_files("b"))
    discovery = discover_here(tmp_path / "subs")
    assert sorted(submission.student for submission in discovery.submissions) == ["Jose_Nunez", "Jose_Nunez-2"]
    assert any("graded as 'Jose_Nunez-2'" in note for note in discovery.notes)


def test_submissions_pickle_for_worker_processes(tmp_path):
    write_tree(tmp_path / "subs" / "bob", assignment_files("bob"))
    submission = discover_here(tmp_path / "subs").submissions[0]
    assert pickle.loads(pickle.dumps(submission)) == submission


def test_one_assignment_folder_is_one_student_named_after_it(tmp_path):
    write_tree(tmp_path / "alice", assignment_files("alice"))
    discovery = discover_here(tmp_path / "alice")
    assert discovery.layout == "single"
    assert [submission.student for submission in discovery.submissions] == ["alice"]
    assert discovery.description == "1 student found: SUBMISSIONS is one assignment folder (alice)"


def test_one_zip_of_an_assignment_folder_is_one_student_named_after_the_zip(tmp_path):
    write_zip(tmp_path / "alice.zip", under("assignment2", assignment_files("alice")))
    discovery = discover_here(tmp_path / "alice.zip")
    assert (discovery.layout, [submission.student for submission in discovery.submissions]) == ("single", ["alice"])
    assert unpacked(discovery.submissions[0], tmp_path / "scratch")[0] == assignment_files("alice")


def test_a_lone_student_folder_stays_a_student(tmp_path):
    write_tree(tmp_path / "subs" / "alice" / "assignment2", assignment_files("alice"))
    discovery = discover_here(tmp_path / "subs")
    assert [submission.student for submission in discovery.submissions] == ["alice"]


def test_a_wrapper_folder_around_the_student_folders_is_looked_into(tmp_path):
    write_tree(tmp_path / "subs" / "batch" / "alice", assignment_files("alice"))
    write_tree(tmp_path / "subs" / "batch" / "bob", assignment_files("bob"))
    discovery = discover_here(tmp_path / "subs")
    assert [submission.student for submission in discovery.submissions] == ["alice", "bob"]


def test_a_zip_of_student_folders_gives_one_student_per_folder(tmp_path):
    files = {**under("class/alice", assignment_files("alice")),
             **under("class/bob/assignment2", assignment_files("bob"))}
    discovery = discover_here(write_zip(tmp_path / "class.zip", files))
    assert discovery.description == "2 students found: one folder or .zip each in class.zip"
    for student, submission in by_student(discovery).items():
        assert unpacked(submission, tmp_path / student)[0] == assignment_files(student)


@pytest.mark.parametrize("make, expected", [
    (lambda root: root / "missing", "does not exist; pass the folder"),
    (lambda root: write_tree(root / "empty", {".DS_Store": ""}), "is empty; expected one folder or .zip per student"),
    (lambda root: write_tree(root / "docs", {"a.pdf": "", "b.txt": ""}), "nothing in"),
    (lambda root: write_tree(root, {"grades.xlsx": ""}) / "grades.xlsx", "is a file, not a folder or a .zip"),
    (lambda root: write_tree(root, {"broken.zip": "not a zip"}) / "broken.zip", "is not a readable zip file"),
])
def test_unusable_submissions_raise_one_line_that_says_what_to_do(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(SubmissionsError) as raised:
        discover_here(path)
    message = str(raised.value)
    assert expected in message and "\n" not in message and message.startswith("SUBMISSIONS: ")


def test_nothing_looks_like_a_submission_lists_what_is_there(tmp_path):
    write_tree(tmp_path / "docs", {"a.pdf": "", "b.txt": ""})
    with pytest.raises(SubmissionsError, match=r"it holds a\.pdf, b\.txt\); expected one folder or \.zip"):
        discover_here(tmp_path / "docs")


def test_a_notebook_beside_the_student_zips_does_not_make_it_one_assignment_folder(tmp_path):
    write_zip(tmp_path / "subs" / "alice.zip", assignment_files("alice"))
    write_zip(tmp_path / "subs" / "bob.zip", assignment_files("bob"))
    write_tree(tmp_path / "subs", {"template.ipynb": "{}"})
    discovery = discover_here(tmp_path / "subs")
    assert [submission.student for submission in discovery.submissions] == ["alice", "bob"]
    assert discovery.notes == ["left out (not a folder or .zip): template.ipynb"]


def test_a_lone_student_folder_with_two_assignments_grades_the_asked_one(tmp_path):
    write_tree(tmp_path / "subs" / "alice", {**under("assignment1", assignment_files("old")),
                                             **under("assignment2", assignment_files("alice"))})
    discovery = discover_here(tmp_path / "subs")
    assert [submission.student for submission in discovery.submissions] == ["alice"]
    assert unpacked(discovery.submissions[0], tmp_path / "scratch")[0] == assignment_files("alice")
