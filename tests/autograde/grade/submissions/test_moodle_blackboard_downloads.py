"""Moodle's "Download all submissions" (in folders and flat) and Blackboard's assignment file download."""
from layout_fixtures import RELEASE_PATHS, assignment_files, by_student, under, unpacked, write_tree, write_zip, \
    zip_bytes

from autograde.grade.submissions import discover


def moodle_in_folders():
    return {
        **under("Jane Doe_1234567_assignsubmission_file_", under("assignment2", assignment_files("jane"))),
        "Ana María López_1234568_assignsubmission_file_/assignment2.zip": zip_bytes(assignment_files("ana")),
        "Ana María López_1234568_assignsubmission_onlinetext_/onlinetext.html": "<p>hi</p>",
        **under("Participant_1234569_assignsubmission_file_", assignment_files("blind")),
    }


def test_moodle_folders_are_one_student_each_with_name_and_participant_id(tmp_path):
    discovery = discover(write_zip(tmp_path / "CS231-Assignment 2-42.zip", moodle_in_folders()),
                         release_paths=RELEASE_PATHS)
    assert discovery.layout == "moodle"
    assert discovery.description == "3 students found in a Moodle 'Download all submissions' (a folder each)"
    students = by_student(discovery)
    assert {student: submission.name for student, submission in students.items()} == {
        "Jane_Doe_1234567": "Jane Doe", "Ana_Maria_Lopez_1234568": "Ana María López", "Participant_1234569": ""}
    assert "left out the entries of the submission plugins onlinetext (only uploaded files are graded)" in \
        discovery.notes
    assert unpacked(students["Jane_Doe_1234567"], tmp_path / "jane")[0] == assignment_files("jane")
    assert unpacked(students["Ana_Maria_Lopez_1234568"], tmp_path / "ana")[0] == assignment_files("ana")
    assert unpacked(students["Participant_1234569"], tmp_path / "blind")[0] == assignment_files("blind")


def test_moodle_without_folders_flattens_files_which_go_back_to_the_release_paths(tmp_path):
    jane = assignment_files("jane")
    flat = {"Jane Doe_1234567_assignsubmission_file_affine.py": jane["course_lib/layers/affine.py"],
            "Jane Doe_1234567_assignsubmission_file_fc_net.py": jane["course_lib/classifiers/fc_net.py"],
            "Jane Doe_1234567_assignsubmission_file_FullyConnectedNets.ipynb": jane["FullyConnectedNets.ipynb"],
            "Tom Li_1234570_assignsubmission_file_assignment2.zip": zip_bytes(assignment_files("tom"))}
    discovery = discover(write_tree(tmp_path / "moodle", flat), release_paths=RELEASE_PATHS)
    assert discovery.description == "2 students found in a Moodle 'Download all submissions' (single files each)"
    students = by_student(discovery)
    assert unpacked(students["Jane_Doe_1234567"], tmp_path / "jane")[0] == {
        "course_lib/layers/affine.py": jane["course_lib/layers/affine.py"],
        "course_lib/classifiers/fc_net.py": jane["course_lib/classifiers/fc_net.py"],
        "FullyConnectedNets.ipynb": jane["FullyConnectedNets.ipynb"]}
    assert unpacked(students["Tom_Li_1234570"], tmp_path / "tom")[0] == assignment_files("tom")


def receipt(name, username, stored_names):
    files = "".join(f"\tOriginal filename: {original}\n\tFilename: {stored}\n" for original, stored in stored_names)
    return (f"Name: {name} ({username})\nAssignment: Assignment 2\nDate Submitted: Monday, 2 November 2026 "
            "10:15:00 o'clock GMT\nCurrent Grade: Needs Grading\n\nSubmission Field:\nThere is no student "
            "submission text data for this assignment.\n\nComments:\nThere are no student comments for this "
            f"assignment.\n\nFiles:\n{files}")


def blackboard_download():
    old, new = "Assignment 2_j_doe_attempt_2026-11-01-09-00-00", "Assignment 2_j_doe_attempt_2026-11-02-10-15-00"
    mia = "Assignment 2_mia7_attempt_2026-11-02-11-00-00"
    return {
        f"{old}.txt": receipt("Jane Doe", "j_doe", [("assignment2.zip", f"{old}_assignment2.zip")]),
        f"{old}_assignment2.zip": zip_bytes(assignment_files("jane-old")),
        f"{new}.txt": receipt("Jane Doe", "j_doe", [("assignment2.zip", f"{new}_assignment2.zip")]),
        f"{new}_assignment2.zip": zip_bytes(under("assignment2", assignment_files("jane"))),
        f"{mia}.txt": receipt("Mia Wong", "mia7", [("affine.py", f"{mia}_affine.py"),
                                                   ("FullyConnectedNets.ipynb", f"{mia}_FullyConnectedNets.ipynb")]),
        f"{mia}_affine.py": "MARKER = 'mia'\n",
        f"{mia}_FullyConnectedNets.ipynb": "{}",
    }


def test_blackboard_attempts_give_the_newest_attempt_of_each_username(tmp_path):
    discovery = discover(write_zip(tmp_path / "gradebook_CS231_Assignment2.zip", blackboard_download()),
                         release_paths=RELEASE_PATHS)
    assert discovery.layout == "blackboard"
    assert discovery.description == "2 students found in a Blackboard assignment download"
    assert "left out 1 older attempt (the newest attempt of each student is graded)" in discovery.notes
    students = by_student(discovery)
    assert [(s.student, s.name, s.lms_id) for s in students.values()] == [("j_doe", "Jane Doe", "j_doe"),
                                                                         ("mia7", "Mia Wong", "mia7")]
    assert unpacked(students["j_doe"], tmp_path / "jane")[0] == assignment_files("jane")
    assert unpacked(students["mia7"], tmp_path / "mia")[0] == {"course_lib/layers/affine.py": "MARKER = 'mia'\n",
                                                               "FullyConnectedNets.ipynb": "{}"}


def test_blackboard_without_receipts_takes_the_last_part_before_attempt_as_username(tmp_path):
    files = {name: content for name, content in blackboard_download().items() if not name.endswith(".txt")}
    students = by_student(discover(write_tree(tmp_path / "bb", files), release_paths=RELEASE_PATHS))
    assert sorted(students) == ["doe", "mia7"]
    assert unpacked(students["doe"], tmp_path / "jane")[0] == assignment_files("jane")
