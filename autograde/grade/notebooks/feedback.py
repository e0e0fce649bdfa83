"""nbgrader's own feedback for one student, made where the student was graded (a worker): HTML pages as data.

nbgrader's generate_feedback reads the autograded notebooks and the gradebook's scores and comments. The worker
builds a small course for that alone: a copy of the skeleton gradebook holding this student's final scores (the
trusted points) and the grades and comments given by hand so far (sent with the job), and the autograded notebooks.
The course's config removes hidden tests and their outputs (`autograde.grade.feedback.HideHiddenTestOutcomes`,
nbgrader's `ClearHiddenTests`).
"""
import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from autograde.grade.notebooks.course import grading_config
from autograde.nbgrader_adapter import config, gradebook, process
from autograde.nbgrader_adapter.layout import ASSIGNMENT, CourseLayout, sqlite_url

# Autograded notebooks larger than this (outputs included) are exported by a separate nbgrader process, where
# running out of memory costs only the HTML, not the worker and the student's grades with it.
IN_PROCESS_MAX_BYTES = 20 * 2**20


def _store_manual_grades(db_url, student, manual_scores, manual_comments):
    with Gradebook(db_url) as book:
        for notebook, scores in manual_scores.items():
            for grade_id, score in scores.items():
                book.find_grade(grade_id, notebook, ASSIGNMENT, student).manual_score = score
        for notebook, comments in manual_comments.items():
            for grade_id, text in comments.items():
                book.find_comment(grade_id, notebook, ASSIGNMENT, student).manual_comment = text
        book.db.commit()


def nbgrader_feedback(course, student, *, autograded, cell_scores, comments, manual_scores, manual_comments,
                      scratch_dir):
    """{notebook: HTML text} of nbgrader's feedback for `student`.

    autograded: {notebook: notebook JSON text}; cell_scores, comments: what the gradebook records for the student
    (`merge.gradebook_scores`); manual_scores, manual_comments: the grades given by hand so far.
    Raises NbgraderError when nbgrader fails.
    """
    if not autograded:
        return {}
    layout = CourseLayout(Path(scratch_dir).resolve() / "feedback-course")
    shutil.rmtree(layout.root, ignore_errors=True)
    layout.root.mkdir(parents=True)
    db_url = sqlite_url(layout.root / "gradebook.db")
    shutil.copy2(course.skeleton_db, layout.root / "gradebook.db")
    config.write_course_config(layout, **grading_config(course, db_url=db_url))
    target = layout.autograded_dir(student)
    target.mkdir(parents=True)
    for notebook, text in autograded.items():
        (target / f"{notebook}.ipynb").write_text(text, encoding="utf-8")
    gradebook.record_students(db_url, ASSIGNMENT, {student: (cell_scores, comments)})
    _store_manual_grades(db_url, student, manual_scores, manual_comments)
    if sum(len(text) for text in autograded.values()) > IN_PROCESS_MAX_BYTES:
        process.generate_feedback(layout, [student])
    else:
        process.generate_feedback_here(layout, student)
    pages = {path.stem: path.read_text(encoding="utf-8") for path in sorted(layout.feedback_dir(student).glob("*.html"))}
    shutil.rmtree(layout.root, ignore_errors=True)
    return pages
