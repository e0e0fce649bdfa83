"""The gradebook through nbgrader's own API: the schema, batched automatic scores that never touch hand grades,
hand grades read back, recorded cells."""
import sqlite3
import threading
import time

import pytest
from nbgrader.api import Gradebook

from autograde.nbgrader_adapter import gradebook
from autograde.nbgrader_adapter.layout import ASSIGNMENT, sqlite_url
from autograde.nbgrader_adapter.process import scripts_on_path

# One notebook: a test cell worth 2 and a written answer worth 3.
CELLS = {"check-one": (2.0, "code", False), "answer": (3.0, "markdown", True)}


@pytest.fixture
def db_url(tmp_path):
    url = sqlite_url(tmp_path / "gradebook.db")
    gradebook.create_gradebook(url)
    with Gradebook(url) as book:
        book.add_assignment(ASSIGNMENT)
        book.add_notebook("Nb", ASSIGNMENT)
        book.add_grade_cell("check-one", "Nb", ASSIGNMENT, max_score=2, cell_type="code")
        book.add_grade_cell("answer", "Nb", ASSIGNMENT, max_score=3, cell_type="markdown")
        book.add_solution_cell("answer", "Nb", ASSIGNMENT)
        book.add_source_cell("check-one", "Nb", ASSIGNMENT, cell_type="code", locked=True, source="check('one')",
                             checksum="abc")
    return url


def rows(db_url, students):
    """{(student, grade_id): (auto_score, manual_score, needs_manual_grade)}."""
    found = {}
    with Gradebook(db_url) as book:
        for student in students:
            for grade in book.find_submission_notebook("Nb", ASSIGNMENT, student).grades:
                found[student, grade.name] = (grade.auto_score, grade.manual_score, grade.needs_manual_grade)
    return found


def test_create_gradebook_matches_what_nbgrader_creates(tmp_path):
    """The in-process schema creation writes what nbgrader's own first use writes (tables, columns, version)."""
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    gradebook.create_gradebook(sqlite_url(ours))
    gradebook.create_gradebook(sqlite_url(ours))  # a second call leaves an existing gradebook alone
    with scripts_on_path(), Gradebook(sqlite_url(theirs)):
        pass  # nbgrader creates its schema, asking `alembic heads` for the version

    def schema(path):
        with sqlite3.connect(path) as connection:
            tables = sorted(name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'"))
            columns = {table: [row[1:3] for row in connection.execute(f"PRAGMA table_info({table})")]
                       for table in tables}
            version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        return tables, columns, version

    our_tables, _, our_version = schema(ours)
    assert "grade" in our_tables and "alembic_version" in our_tables
    assert len(our_version) == 1 and our_version[0][0]
    assert schema(ours) == schema(theirs)
    with Gradebook(sqlite_url(ours)) as book:  # nbgrader opens it as its own and can use it
        book.add_student("someone")
        assert [student.id for student in book.students] == ["someone"]


def test_record_students_writes_many_students_in_one_call_with_their_roster_entries(db_url):
    gradebook.record_students(db_url, ASSIGNMENT, {
        "amy": ({"Nb": {"check-one": 2.0, "answer": None}}, {"Nb": {"answer": "written, to be read"}}),
        "ben": ({"Nb": {"check-one": 0.5, "answer": 0.0}}, {}),
    }, roster={"amy": {"first_name": "Amy", "last_name": "", "email": None}})
    assert rows(db_url, ["amy", "ben"]) == {("amy", "check-one"): (2.0, None, False),
                                            ("amy", "answer"): (None, None, True),
                                            ("ben", "check-one"): (0.5, None, False),
                                            ("ben", "answer"): (0.0, None, False)}
    assert gradebook.gradebook_students(db_url, ASSIGNMENT) == ["amy", "ben"]
    with Gradebook(db_url) as book:
        assert book.find_student("amy").first_name == "Amy"
        assert book.find_comment("answer", "Nb", ASSIGNMENT, "amy").auto_comment == "written, to be read"


def test_recording_again_keeps_hand_grades_and_never_flags_a_hand_graded_answer_again(db_url):
    gradebook.record_students(db_url, ASSIGNMENT, {"amy": ({"Nb": {"check-one": 2.0, "answer": None}}, {})})
    with Gradebook(db_url) as book:
        book.find_grade("answer", "Nb", ASSIGNMENT, "amy").manual_score = 2.5
        book.find_comment("answer", "Nb", ASSIGNMENT, "amy").manual_comment = "good, but brief"
        book.db.commit()
    gradebook.record_students(db_url, ASSIGNMENT, {"amy": ({"Nb": {"check-one": 1.0, "answer": None}}, {})})
    assert rows(db_url, ["amy"]) == {("amy", "check-one"): (1.0, None, False), ("amy", "answer"): (None, 2.5, False)}
    assert gradebook.manual_grades(db_url, ASSIGNMENT, ["amy"]) == {
        "amy": ({"Nb": {"answer": 2.5}}, {"Nb": {"answer": "good, but brief"}})}


def test_manual_grades_of_a_student_without_a_submission_are_empty(db_url):
    assert gradebook.manual_grades(db_url, ASSIGNMENT, ["nobody"]) == {"nobody": ({}, {})}


def test_a_cell_the_gradebook_does_not_know_is_refused_naming_it(db_url):
    with pytest.raises(KeyError, match="'check-two' of notebook 'Nb'"):
        gradebook.record_students(db_url, ASSIGNMENT, {"amy": ({"Nb": {"check-two": 1.0}}, {})})


def test_grade_and_source_cells_as_recorded(db_url):
    assert gradebook.grade_cells(db_url, ASSIGNMENT, "Nb") == CELLS
    assert gradebook.source_cells(db_url, ASSIGNMENT, "Nb") == {"check-one": ("check('one')", "abc", "code", True)}


def test_auto_grades_of_a_recorded_notebook_and_of_one_never_recorded(db_url):
    gradebook.record_students(db_url, ASSIGNMENT, {"amy": ({"Nb": {"check-one": 2.0, "answer": None}},
                                                           {"Nb": {"answer": "fine"}})})
    assert gradebook.auto_grades(db_url, ASSIGNMENT, "amy", "Nb") == ({"check-one": 2.0, "answer": None},
                                                                      {"answer": "fine"})
    assert gradebook.auto_grades(db_url, ASSIGNMENT, "ben", "Nb") == ({}, {})


def test_writer_lock_keeps_writers_in_turn(tmp_path):
    lock, order = tmp_path / "locks" / "gradebook.lock", []

    def writer(name):
        with gradebook.writer_lock(lock):
            order.append(f"{name} in")
            time.sleep(0.2)
            order.append(f"{name} out")

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [entry.split()[1] for entry in order] == ["in", "out", "in", "out"]
