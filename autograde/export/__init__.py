"""`python -m autograde export OUT --format canvas|csv|nbgrader`: the class's grades in an LMS's own import format.

Reads the class record OUT that `grade` writes: `grades.csv` (`student`, `total`, `max`, `pending`) and
`roster.csv` (student, name, email, lms_id).

- `canvas`: fills one assignment column of a Canvas gradebook export (`canvas_gradebook`), for Canvas's
  gradebook import; students are matched by Canvas user id;
- `csv`: a plain CSV (identifier, total, max, optionally per-notebook points) for Moodle, Gradescope or a
  spreadsheet (`plain_csv`);
- `nbgrader`: nbgrader's own `nbgrader export` of the course's gradebook (`nbgrader_export`).
"""
from pathlib import Path

from autograde.export.canvas_gradebook import CanvasGradebook, fill_canvas_column
from autograde.export.grades import ExportError, load_roster, read_grades
from autograde.export.nbgrader_export import export_nbgrader_csv
from autograde.export.plain_csv import write_plain_csv
from autograde.text import plural

__all__ = ["export_canvas", "export_csv", "export_nbgrader", "ExportError"]


def _pending_line(grades):
    pending = [grade for grade in grades if grade.pending > 0]
    if not pending:
        return []
    points = sum(grade.pending for grade in pending)
    return [f"written answers still to grade by hand for {plural(len(pending), 'student')} ({points:g} points not in "
            "the totals yet); export again after grading them in formgrader"]


def export_canvas(out_dir, output, *, gradebook, column=None, assignment_name=None, scale=True, roster=None):
    """Write to `output` the Canvas gradebook export `gradebook` with the column `column` (or the one matching
    `assignment_name`) filled from `out_dir`'s grades; return report lines. scale: rescale totals to the column's
    points possible when they differ; roster: an instructor's roster file to complete the class roster."""
    canvas = CanvasGradebook(gradebook)
    index = canvas.find_column(column=column, assignment_name=assignment_name)
    grades = read_grades(out_dir)
    lines = fill_canvas_column(canvas, index, grades, load_roster(out_dir, roster, grades), scale=scale)
    canvas.write(output)
    return lines + _pending_line(grades) + [f"import {output} in Canvas: Grades, Import"]


def export_csv(out_dir, output, *, identifier="student", per_notebook=False, roster=None):
    """Write the plain grades CSV of `out_dir` to `output`; return report lines."""
    grades = read_grades(out_dir)
    lines = write_plain_csv(output, grades, load_roster(out_dir, roster, grades), identifier=identifier,
                            per_notebook=per_notebook)
    return lines + _pending_line(grades)


def export_nbgrader(out_dir, output, *, db_url=None):
    """Copy nbgrader's own export of `out_dir/course` to `output`; return report lines."""
    return export_nbgrader_csv(Path(out_dir), output, db_url=db_url)
