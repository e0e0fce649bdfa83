"""The class roster: who the students are, kept as `OUT/roster.csv` in the grading output folder (the class record).

One row per student: `student` (the grader's id), `name`, `email`, `lms_id` (the LMS's own id: the Canvas user
id, the Blackboard username). Grading merges what each run's submissions tell (`merge`): new students are added,
known ones updated, nobody is dropped, and a value is never erased by an empty one. An instructor's roster can be
imported (`import_csv`):

- a plain CSV with the columns `student` (or `id`), `name`, `email`, `lms_id` (only the first is required);
- a Canvas gradebook export ("Student", "ID", "SIS User ID", "SIS Login ID", "Section", ...): "ID" is the
  Canvas user id, "Student" the sortable name, "SIS Login ID" the email when it is one; the student id is the
  one a Canvas bulk download gives the same student (`doejane_12345`).
"""
import csv
import io
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from autograde.grade.submissions import canvas
from autograde.grade.submissions.model import safe_id

ROSTER_FILE = "roster.csv"


class RosterError(Exception):
    """A roster file that cannot be read; the message names the file and says what to do."""


@dataclass(frozen=True)
class RosterEntry:
    student: str
    name: str = ""
    email: str = ""
    lms_id: str = ""


COLUMNS = tuple(field.name for field in fields(RosterEntry))


def _updated(entry, other):
    """`entry` with the non-empty values of `other` (same student)."""
    changes = {name: getattr(other, name) for name in COLUMNS[1:] if getattr(other, name)}
    return replace(entry, **changes)


def read_csv_rows(path, what):
    """(header, rows) of the CSV file at `path`, whatever its delimiter (`,`, `;`, tab) and byte-order mark."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{what}: {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{what}: {path} cannot be read as UTF-8 text ({error}); export it again as CSV") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(rows[0]):
        raise RosterError(f"{what}: {path} is empty; export it again as CSV with a header row")
    return [cell.strip() for cell in rows[0]], rows[1:]


class Roster:
    """The class list: {student id: RosterEntry}, in student order when saved."""

    def __init__(self, entries=()):
        self._entries = {entry.student: entry for entry in entries}

    def __len__(self):
        return len(self._entries)

    def __iter__(self):
        return iter(sorted(self._entries.values(), key=lambda entry: entry.student))

    def __contains__(self, student):
        return student in self._entries

    def get(self, student):
        return self._entries.get(student)

    @classmethod
    def load(cls, out_dir):
        """The roster of the class record `out_dir` (empty when it has none yet)."""
        path = Path(out_dir) / ROSTER_FILE
        if not path.exists():
            return cls()
        header, rows = read_csv_rows(path, "roster")
        if header[: len(COLUMNS)] != list(COLUMNS):
            raise RosterError(f"roster: {path} does not start with the columns {', '.join(COLUMNS)}; restore it "
                              "or remove it (grading writes it again)")
        return cls(RosterEntry(*(row + [""] * len(COLUMNS))[: len(COLUMNS)]) for row in rows if row and row[0])

    def save(self, out_dir):
        """Write `out_dir/roster.csv` (replacing the old one in one step); return its path."""
        path = Path(out_dir) / ROSTER_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{ROSTER_FILE}.partial")
        with partial.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(COLUMNS)
            writer.writerows([getattr(entry, name) for name in COLUMNS] for entry in self)
        os.replace(partial, path)
        return path

    def merge(self, submissions):
        """Add or update the students of `submissions` (anything with student, name, email, lms_id);
        return (added ids, updated ids). Nobody is dropped; empty values never erase known ones."""
        added, updated = [], []
        for submission in submissions:
            incoming = RosterEntry(submission.student, submission.name, submission.email, submission.lms_id)
            known = self._entries.get(incoming.student)
            if known is None:
                self._entries[incoming.student] = incoming
                added.append(incoming.student)
            elif _updated(known, incoming) != known:
                self._entries[incoming.student] = _updated(known, incoming)
                updated.append(incoming.student)
        return added, updated

    def _match(self, entry):
        """The known student id for an imported `entry`: same id, else same lms_id, else same email."""
        if entry.student in self._entries:
            return entry.student
        for key in ("lms_id", "email"):
            value = getattr(entry, key).lower()
            if value:
                for known in self._entries.values():
                    if getattr(known, key).lower() == value:
                        return known.student
        return None

    def update(self, other):
        """Merge the imported roster `other`: its entries update the known students they match (same id, lms_id
        or email) and the others are added; return (added ids, updated ids)."""
        added, updated = [], []
        for entry in other:
            student = self._match(entry)
            if student is None:
                self._entries[entry.student] = entry
                added.append(entry.student)
            elif _updated(self._entries[student], entry) != self._entries[student]:
                self._entries[student] = _updated(self._entries[student], entry)
                updated.append(student)
        return added, updated

    @classmethod
    def import_csv(cls, path):
        """The roster in an instructor's CSV file: a plain roster or a Canvas gradebook export."""
        header, rows = read_csv_rows(path, "--roster")
        lower = [cell.lower() for cell in header]
        if "id" in lower and ("student" in lower or "lastname" in lower) and "section" in lower:
            return cls(_canvas_entries(lower, rows))
        key = "student" if "student" in lower else "id" if "id" in lower else None
        if key is None:
            raise RosterError(f"--roster: {path} has no 'student' or 'id' column (its columns: {', '.join(header)}); "
                              "give a CSV with the columns student, name, email, lms_id, or a Canvas gradebook "
                              "export")
        position = {name: lower.index(name) for name in ("name", "email", "lms_id") if name in lower}

        def cell(row, name):
            index = position.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        index = lower.index(key)
        return cls(RosterEntry(safe_id(row[index]), cell(row, "name"), cell(row, "email"), cell(row, "lms_id"))
                   for row in rows if index < len(row) and row[index].strip())


def _canvas_entries(lower, rows):
    """Roster entries of the student rows of a Canvas gradebook export with the (lowercased) header `lower`."""
    column = {name: lower.index(name) for name in ("student", "lastname", "firstname", "id", "sis login id")
              if name in lower}
    entries = []
    for row in rows:
        row = row + [""] * (len(lower) - len(row))
        user_id = row[column["id"]].strip()
        if not user_id.isdigit():
            continue
        if "student" in column:
            sortable = row[column["student"]].strip()
        else:
            sortable = f"{row[column['lastname']].strip()}, {row[column.get('firstname', column['lastname'])].strip()}"
        login = row[column["sis login id"]].strip() if "sis login id" in column else ""
        entries.append(RosterEntry(canvas.student_id(canvas.squashed_name(sortable), user_id), sortable,
                                   login if "@" in login else "", user_id))
    return entries
