"""What the export reads from the class record OUT: `grades.csv` (a row per student) and `roster.csv`.

Only four columns of grades.csv are relied on: `student`, `total`, `max` and `pending` (points of written answers
still to grade by hand; 0 when the column is absent). Any other column (points per notebook, name, email, lms_id)
is optional and kept as text in `GradeRow.columns`; name, email and lms_id complete the roster when present.
"""
from dataclasses import dataclass, field
from pathlib import Path

from autograde.grade.submissions.roster import Roster, RosterEntry, RosterError, read_csv_rows

GRADES_FILE = "grades.csv"
REQUIRED_COLUMNS = ("student", "total", "max")


class ExportError(Exception):
    """Bad input for an export; the message is one line that says what is wrong and what to do."""


@dataclass(frozen=True)
class GradeRow:
    student: str
    total: float
    max: float
    pending: float = 0.0
    columns: dict = field(default_factory=dict)


def _number(text, what, path):
    try:
        return float(text) if text.strip() else 0.0
    except ValueError:
        raise ExportError(f"{path}: {what} is {text!r}, not a number; grade again to rewrite it") from None


def read_grades(out_dir):
    """The rows of `out_dir/grades.csv`, in file order."""
    path = Path(out_dir) / GRADES_FILE
    if not path.is_file():
        raise ExportError(f"{path} does not exist; run `python -m autograde grade SUBMISSIONS --out {out_dir}` first")
    try:
        header, rows = read_csv_rows(path, "grades")
    except RosterError as error:
        raise ExportError(str(error)) from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ExportError(f"{path} lacks the column(s) {', '.join(missing)}; grade again to rewrite it")
    grades = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, [cell.strip() for cell in row] + [""] * (len(header) - len(row))))
        student = cells["student"]
        grades.append(GradeRow(student=student, total=_number(cells["total"], f"{student}'s total", path),
                               max=_number(cells["max"], f"{student}'s max", path),
                               pending=_number(cells.get("pending", ""), f"{student}'s pending", path),
                               columns=cells))
    return grades


def load_roster(out_dir, extra_roster=None, grades=()):
    """The class record's roster, completed by the optional name, email and lms_id columns of `grades` and by the
    instructor's roster file `extra_roster` (nothing is saved)."""
    try:
        roster = Roster.load(out_dir)
        roster.merge(RosterEntry(grade.student, grade.columns.get("name", ""), grade.columns.get("email", ""),
                                 grade.columns.get("lms_id", "")) for grade in grades)
        if extra_roster is not None:
            roster.update(Roster.import_csv(extra_roster))
    except RosterError as error:
        raise ExportError(str(error)) from None
    return roster


def format_points(value, *, decimal_comma=False):
    """Points as Canvas and spreadsheets show them: at most 2 decimals, no trailing zeros (`87.5`, `90`)."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("", "-0") else text
    return text.replace(".", ",") if decimal_comma else text
