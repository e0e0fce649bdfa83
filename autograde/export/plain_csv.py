"""A plain grades CSV for Moodle's grade import, Gradescope and spreadsheets: one row per graded student with
an identifier (the student id or the email), total, max and, optionally, the points of each notebook."""
import csv
from pathlib import Path

from autograde.checks.spec import NOTEBOOKS
from autograde.export.grades import ExportError, format_points
from autograde.text import plural, short_list

IDENTIFIERS = ("student", "email")


def write_plain_csv(path, grades, roster, *, identifier="student", per_notebook=False):
    """Write the CSV at `path`; return report lines. identifier: "student" or "email" (every graded student
    then needs an email in the roster); per_notebook: add the notebook columns grades.csv has."""
    if identifier == "email":
        without = [grade.student for grade in grades
                   if roster.get(grade.student) is None or not roster.get(grade.student).email]
        if without:
            raise ExportError(f"--identifier email: no email in the roster for {plural(len(without), 'graded student')}"
                              f" ({short_list(without)}); add them with --roster FILE or use --identifier student")
    notebooks = [name for name in NOTEBOOKS if grades and name in grades[0].columns] if per_notebook else []
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with Path(path).open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([identifier, "total", "max", *notebooks])
        for grade in grades:
            key = roster.get(grade.student).email if identifier == "email" else grade.student
            writer.writerow([key, format_points(grade.total), format_points(grade.max),
                             *(format_points(float(grade.columns[name] or 0)) for name in notebooks)])
    lines = [f"wrote {plural(len(grades), 'student')} ({identifier}, total, max"
             + "".join(f", {name}" for name in notebooks) + ")"]
    if per_notebook and not notebooks:
        lines.append("grades.csv has no notebook columns; wrote the totals only")
    return lines
