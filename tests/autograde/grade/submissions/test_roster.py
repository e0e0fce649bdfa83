"""The class roster OUT/roster.csv: merged from each run's submissions, completed from an instructor's file."""
import csv

import pytest
from layout_fixtures import RELEASE_PATHS, assignment_files, write_tree, write_zip, zip_bytes

from autograde.grade.submissions import discover
from autograde.grade.submissions.model import Submission
from autograde.grade.submissions.roster import Roster, RosterEntry, RosterError

CANVAS_GRADEBOOK = (
    '\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Assignment 2 (4321),Current Score\n'
    ',,,,,Manual Posting,\n'
    '    Points Possible,,,,,100.00,(read only)\n'
    '"Doe, Jane",12345,S1,jane@uni.edu,CS231,,\n'
    '"Smith, John",222,S2,jsmith,CS231,80.00,\n'
)


def read_rows(path):
    with open(path, newline="") as stream:
        return list(csv.reader(stream))


def test_merge_adds_new_students_updates_known_ones_and_drops_nobody(tmp_path):
    roster = Roster([RosterEntry("alice", "Alice A", "alice@uni.edu", ""), RosterEntry("zed", "Zed", "", "")])
    added, updated = roster.merge([Submission(student="alice", lms_id="77"), Submission(student="bob", name="Bob")])
    assert (added, updated) == (["bob"], ["alice"])
    roster.save(tmp_path)
    assert read_rows(tmp_path / "roster.csv") == [["student", "name", "email", "lms_id"],
                                                  ["alice", "Alice A", "alice@uni.edu", "77"],
                                                  ["bob", "Bob", "", ""], ["zed", "Zed", "", ""]]
    assert list(Roster.load(tmp_path)) == list(roster)


def test_a_missing_roster_loads_empty_and_a_foreign_file_is_refused(tmp_path):
    assert len(Roster.load(tmp_path)) == 0
    (tmp_path / "roster.csv").write_text("name,score\nx,1\n")
    with pytest.raises(RosterError, match="does not start with the columns student, name, email, lms_id"):
        Roster.load(tmp_path)


def test_a_canvas_gradebook_export_gives_the_ids_of_a_canvas_bulk_download(tmp_path):
    gradebook = tmp_path / "gradebook.csv"
    gradebook.write_text(CANVAS_GRADEBOOK, encoding="utf-8")
    imported = Roster.import_csv(gradebook)
    assert list(imported) == [RosterEntry("doejane_12345", "Doe, Jane", "jane@uni.edu", "12345"),
                              RosterEntry("smithjohn_222", "Smith, John", "", "222")]
    download = write_zip(tmp_path / "submissions.zip", {
        "doejane_12345_9_assignment2.zip": zip_bytes(assignment_files("jane"))})
    discovered = discover(download, release_paths=RELEASE_PATHS).submissions
    assert [submission.student for submission in discovered] == ["doejane_12345"]


def test_an_imported_roster_updates_known_students_by_id_lms_id_or_email(tmp_path):
    roster = Roster([RosterEntry("doejane_12345", lms_id="12345"), RosterEntry("bob", email="BOB@uni.edu")])
    plain = write_tree(tmp_path, {"class.csv": "id;name;email;lms_id\nbob2;Bob B;bob@uni.edu;\n"
                                               "carol;Carol C;carol@uni.edu;555\njane;Jane D;;12345\n"})
    added, updated = roster.update(Roster.import_csv(plain / "class.csv"))
    assert (added, updated) == (["carol"], ["bob", "doejane_12345"])
    assert roster.get("bob") == RosterEntry("bob", "Bob B", "bob@uni.edu", "")
    assert roster.get("doejane_12345").name == "Jane D"


def test_a_roster_file_without_an_id_column_is_refused_with_what_to_give(tmp_path):
    path = write_tree(tmp_path, {"class.csv": "name,email\nA,a@x\n"}) / "class.csv"
    with pytest.raises(RosterError, match="has no 'student' or 'id' column .*give a CSV with the columns student"):
        Roster.import_csv(path)
