"""export --format nbgrader: nbgrader's own `nbgrader export` of the class record's gradebook."""
import os
import sys
import warnings
from pathlib import Path

import pytest
from class_record import read_csv

from autograde.export import export_nbgrader


def make_gradebook(course):
    """OUT/course/gradebook.db with assignment2 (one 10-point cell), alice scored 7.5, bob scored 10, carol none."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    course.mkdir(parents=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        gradebook.add_assignment("assignment2")
        gradebook.add_notebook("FullyConnectedNets", "assignment2")
        gradebook.add_grade_cell("layers-affine_forward", "FullyConnectedNets", "assignment2", max_score=10,
                                 cell_type="code")
        for student, first, score in [("alice", "Alice", 7.5), ("bob", "Bob", 10.0), ("carol", "Carol", None)]:
            gradebook.add_student(student, first_name=first, last_name="Test", email=f"{student}@uni.edu")
            if score is not None:
                gradebook.add_submission("assignment2", student)
                grade = gradebook.find_grade("layers-affine_forward", "FullyConnectedNets", "assignment2", student)
                grade.auto_score = score
                gradebook.db.commit()


@pytest.mark.slow
def test_nbgrader_export_copies_nbgraders_own_grades_csv(tmp_path, monkeypatch):
    # nbgrader's Gradebook runs `alembic` through PATH: the interpreter's bin folder goes first.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    make_gradebook(tmp_path / "out" / "course")
    output = tmp_path / "nbgrader.csv"
    lines = export_nbgrader(tmp_path / "out", output)
    rows = read_csv(output)
    assert rows[0] == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                       "raw_score", "late_submission_penalty", "score", "max_score"]
    scores = {row[3]: (float(row[9]), float(row[10])) for row in rows[1:]}
    assert scores == {"alice": (7.5, 10.0), "bob": (10.0, 10.0), "carol": (0.0, 10.0)}
    assert lines == ["nbgrader export: 3 rows (one per student and assignment of the gradebook)"]
