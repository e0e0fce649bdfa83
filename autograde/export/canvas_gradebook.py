"""Fill one assignment column of a Canvas gradebook export, for Canvas's own "Import" of the gradebook.

What Canvas writes and reads (canvas-lms `lib/gradebook_exporter.rb`, `app/models/gradebook_importer.rb`):

- the header row starts `Student` (or `LastName`, `FirstName`), `ID`, then `SIS User ID`, `SIS Login ID`
  (optional), `Section`, custom columns, one column per assignment titled `<title> (<assignment id>)`, and
  read-only totals;
- an optional row of posting policies ("Manual Posting"; "Muted" in older exports) with an empty first cell,
  then the row `    Points Possible`; the importer skips both, and every other row is a student whose `ID` is
  the Canvas user id;
- the file may start with a byte-order mark and may be `;`-delimited, with decimal commas, by the user's locale;
- scores are numbers, `EX` for excused; a cell left as it was exported is no change.

Only the chosen column of the students matched to a grade changes; every other cell, row and header stays as
Canvas wrote it. Students are matched by Canvas user id (the roster's lms_id), else by SIS Login ID (the
roster's email or student id), else by SIS User ID (the student id).
"""
import csv
import io
import re
from pathlib import Path

from autograde.export.grades import ExportError, format_points
from autograde.text import plural, short_list

ASSIGNMENT_COLUMN = re.compile(r"(?P<title>.*\S)\s+\((?P<id>\d+)\)")
POINTS_POSSIBLE = "Points Possible"
EXCUSED = "EX"


class CanvasGradebook:
    """A Canvas gradebook export: its rows as read, and how to write them back the same way."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise ExportError(f"--canvas-gradebook: {self.path} cannot be read ({error})") from None
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExportError(f"--canvas-gradebook: {self.path} is not UTF-8 text; export the gradebook from "
                              "Canvas again (Grades, Export, Export Entire Gradebook)") from None
        first_line = text.split("\n", 1)[0]
        self.delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        self.line_end = "\r\n" if "\r\n" in text[: len(first_line) + 2] else "\n"
        self.rows = list(csv.reader(io.StringIO(text), delimiter=self.delimiter))
        header = [cell.strip() for cell in self.rows[0]] if self.rows else []
        names_first = bool(header) and ("Student" in header[0] or header[:2] == ["LastName", "FirstName"])
        if len(header) < 3 or not names_first or "ID" not in header:
            raise ExportError(f"--canvas-gradebook: {self.path} is not a Canvas gradebook export (its header does "
                              "not start with Student, ID); export it from Canvas: Grades, Export")
        self.header = header
        self.index = {name: header.index(name) for name in ("ID", "SIS User ID", "SIS Login ID") if name in header}

    def assignment_columns(self):
        """{column index: title with id} of the assignment columns."""
        return {index: name for index, name in enumerate(self.header) if ASSIGNMENT_COLUMN.fullmatch(name)}

    def find_column(self, *, column=None, assignment_name=None):
        """The index of the column titled `column`, or of the one assignment column whose title is (or, failing
        that, contains) `assignment_name`."""
        columns = self.assignment_columns()
        available = short_list(f"{name!r}" for name in columns.values()) or "none"
        if column is not None:
            for index, name in columns.items():
                if name == column.strip():
                    return index
            raise ExportError(f"--column {column!r} is not an assignment column of {self.path.name} (its assignment "
                              f"columns: {available}); copy the title with its id from the header row")
        wanted = assignment_name.strip().casefold()
        titles = {index: ASSIGNMENT_COLUMN.fullmatch(name)["title"].casefold() for index, name in columns.items()}
        matches = [index for index, title in titles.items() if title == wanted] or \
                  [index for index, title in titles.items() if wanted in title]
        if len(matches) != 1:
            found = "none" if not matches else short_list(f"{columns[index]!r}" for index in matches)
            raise ExportError(f"--assignment-name {assignment_name!r} matches {found} of the assignment columns of "
                              f"{self.path.name} ({available}); pass the column with --column")
        return matches[0]

    def student_rows(self):
        """Indices of the rows that are students (skipping the header, posting-policy and Points Possible rows)."""
        id_index = self.index["ID"]
        return [number for number, row in enumerate(self.rows[1:], start=1)
                if len(row) > id_index and row[id_index].strip().isdigit()
                and POINTS_POSSIBLE not in (row[0] if row else "")]

    def points_possible(self, column_index):
        for row in self.rows[1:]:
            if row and POINTS_POSSIBLE in row[0] and len(row) > column_index:
                text = row[column_index].strip().replace(",", ".")
                try:
                    return float(text)
                except ValueError:
                    return None
        return None

    def row_keys(self, number):
        """The (column, value) pairs that identify the student of row `number`; logins lowercased."""
        keys = [("ID", self.cell(number, "ID"))]
        keys.extend((name, self.cell(number, name).lower()) for name in ("SIS Login ID", "SIS User ID")
                    if self.cell(number, name))
        return keys

    def cell(self, number, name):
        row = self.rows[number]
        index = self.index.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def write(self, path):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.line_end).writerows(self.rows)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(buffer.getvalue(), encoding="utf-8-sig" if self.bom else "utf-8")


def _students_by_key(grades, roster):
    """{(key, value): grade row} for matching gradebook rows: Canvas user id, login (email or id), SIS id."""
    keys = {}
    for grade in grades:
        entry = roster.get(grade.student)
        candidates = [("SIS Login ID", grade.student.lower()), ("SIS User ID", grade.student.lower())]
        if entry is not None and entry.lms_id:
            candidates.insert(0, ("ID", entry.lms_id))
        if entry is not None and entry.email:
            candidates.append(("SIS Login ID", entry.email.lower()))
        for key in candidates:
            keys.setdefault(key, grade)
    return keys


def fill_canvas_column(gradebook, column_index, grades, roster, *, scale=True):
    """Put the graded students' totals into the column `column_index` of `gradebook`; return report lines."""
    title = gradebook.header[column_index]
    points_possible = gradebook.points_possible(column_index)
    keys = _students_by_key(grades, roster)
    filled, excused, ungraded, used = [], [], [], set()
    for number in gradebook.student_rows():
        grade = next((keys[key] for key in gradebook.row_keys(number) if key in keys), None)
        row = gradebook.rows[number]
        row.extend([""] * (column_index + 1 - len(row)))
        name = row[0].strip() or gradebook.cell(number, "ID")
        if grade is None:
            ungraded.append(name)
            continue
        used.add(grade.student)
        if row[column_index].strip().upper() == EXCUSED:
            excused.append(name)
            continue
        score = grade.total
        if scale and points_possible and grade.max and abs(points_possible - grade.max) > 1e-9:
            score = grade.total / grade.max * points_possible
        row[column_index] = format_points(score, decimal_comma=gradebook.delimiter == ";")
        filled.append(grade.student)
    maxima = sorted({grade.max for grade in grades})
    lines = [f"filled {plural(len(filled), 'grade')} into the column {title!r}"]
    if scale and points_possible and any(abs(points_possible - maximum) > 1e-9 for maximum in maxima if maximum):
        lines.append(f"scaled the totals (out of {', '.join(format_points(m) for m in maxima)}) to the column's "
                     f"{format_points(points_possible)} points possible; pass --no-scale to keep raw points")
    if excused:
        lines.append(f"left as excused (EX): {short_list(excused)}")
    if ungraded:
        lines.append(f"no grade here for {plural(len(ungraded), 'student')} of the gradebook (left as they were): "
                     f"{short_list(ungraded)}")
    missing = [grade.student for grade in grades if grade.student not in used]
    if missing:
        lines.append(f"{plural(len(missing), 'graded student')} not in the gradebook (no Canvas user id, SIS login "
                     f"or SIS id matches): {short_list(missing)}")
    return lines
