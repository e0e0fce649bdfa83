"""The gradebook database, through nbgrader's own API: its schema, automatic scores, manual grades, recorded cells.

Scores are written with `record_students`, which sets `auto_score` and never touches `manual_score`, for many
students in one transaction. SQLite takes one writer at a time: `writer_lock` keeps concurrent writers (local
grading workers) in turn instead of failing after SQLite's 5 s wait.
"""
import contextlib
import fcntl
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning


def create_gradebook(db_url):
    """Create nbgrader's gradebook schema in an empty database at `db_url` (nothing happens if it has tables).

    nbgrader's `Gradebook` does the same on first use, but it learns the schema version by running `alembic heads`
    in a subprocess, a second Python start that takes 3-4 s here. This asks alembic in this process instead, from
    nbgrader's own migration scripts, and writes the same tables and the same `alembic_version` row.
    """
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from nbgrader.dbutil import ALEMBIC_DIR
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()


@contextlib.contextmanager
def writer_lock(lock_path):
    """Hold an exclusive `flock` on `lock_path` (created when missing) for the block."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _set_auto_score(grade, auto_score):
    grade.auto_score = auto_score
    # nbgrader's own rule (SaveAutoGrades): a cell needs a look by hand when it has no automatic score. A cell a
    # grader already scored by hand keeps that score and is not flagged again.
    grade.needs_manual_grade = auto_score is None and grade.manual_score is None


def record_students(db_url, assignment, records, *, roster=None):
    """Write automatic scores into the gradebook, one transaction for all of `records`.

    records: {student: (cell_scores, auto_comments)} with cell_scores {notebook: {grade_id: auto_score or None}}
    (None: to be graded by hand) and auto_comments {notebook: {grade_id: text or None}}; roster: {student:
    {"first_name", "last_name", "email", "lms_user_id"}} to store beside each student. Creates the students and
    submissions that are missing; never changes `manual_score`.
    """
    roster = roster or {}
    with Gradebook(db_url) as gradebook, warnings.catch_warnings():
        # nbgrader's update_or_create_submission trips SQLAlchemy's autoflush warnings; they are harmless.
        warnings.simplefilter("ignore", SAWarning)
        for student, (cell_scores, auto_comments) in records.items():
            gradebook.update_or_create_student(student, **{key: value for key, value in roster.get(student, {}).items()
                                                          if value})
            submission = gradebook.update_or_create_submission(assignment, student)
            # Each notebook's grades and comments read once (nbgrader's find_grade is one query per cell).
            notebooks = {notebook.name: notebook for notebook in submission.notebooks}
            for notebook, scores in cell_scores.items():
                if notebook not in notebooks:
                    raise KeyError(f"notebook {notebook!r} is not in the gradebook {db_url}; regenerate the course")
                grades = {grade.name: grade for grade in notebooks[notebook].grades}
                comments = {comment.name: comment for comment in notebooks[notebook].comments}
                for grade_id, auto_score in scores.items():
                    if grade_id not in grades:
                        raise KeyError(f"grade cell {grade_id!r} of notebook {notebook!r} is not in the gradebook "
                                       f"{db_url}; regenerate the course")
                    _set_auto_score(grades[grade_id], auto_score)
                for grade_id, text in (auto_comments or {}).get(notebook, {}).items():
                    comments[grade_id].auto_comment = text
        gradebook.db.commit()


def manual_grades(db_url, assignment, students):
    """{student: ({notebook: {grade_id: manual_score}}, {notebook: {grade_id: manual_comment}})}: what graders
    entered by hand in formgrader for each of `students` (one gradebook session for all)."""
    found = {student: ({}, {}) for student in students}
    with Gradebook(db_url) as gradebook:
        for student in found:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            scores, comments = found[student]
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None:
                        scores.setdefault(notebook.name, {})[grade.name] = grade.manual_score
                for comment in notebook.comments:
                    if comment.manual_comment:
                        comments.setdefault(notebook.name, {})[comment.name] = comment.manual_comment
    return found


def gradebook_students(db_url, assignment):
    """The students with a submission of `assignment` in the gradebook, sorted."""
    with Gradebook(db_url) as gradebook:
        try:
            return sorted(submission.student.id for submission in gradebook.find_assignment(assignment).submissions)
        except MissingEntry:
            return []


def source_cells(db_url, assignment, notebook):
    """{grade_id: (source, checksum, cell_type, locked)} of the cells nbgrader recorded for `notebook`."""
    with Gradebook(db_url) as gradebook:
        recorded = gradebook.find_notebook(notebook, assignment)
        return {cell.name: (cell.source, cell.checksum, cell.cell_type, cell.locked)
                for cell in recorded.source_cells}


def grade_cells(db_url, assignment, notebook):
    """{grade_id: (max_score, cell_type, is_manual)} of the graded cells of `notebook` in the gradebook."""
    with Gradebook(db_url) as gradebook:
        recorded = gradebook.find_notebook(notebook, assignment)
        solution_ids = {cell.name for cell in recorded.solution_cells}
        return {cell.name: (float(cell.max_score), cell.cell_type, cell.name in solution_ids)
                for cell in recorded.grade_cells}


def auto_grades(db_url, assignment, student, notebook):
    """({grade_id: auto_score}, {grade_id: auto_comment}) that nbgrader recorded for one submitted notebook; empty
    when the notebook was not recorded."""
    with Gradebook(db_url) as gradebook:
        try:
            submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return {}, {}
        return ({grade.name: grade.auto_score for grade in submitted.grades},
                {comment.name: comment.auto_comment for comment in submitted.comments})
