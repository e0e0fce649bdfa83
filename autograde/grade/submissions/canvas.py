"""Canvas's "Download Submissions": one zip (or its unzipped folder) of every student's files, side by side.

What Canvas writes (canvas-lms `lib/content_zipper.rb`, `app/models/attachment.rb`):

- each uploaded file is `<name>_<user id>_<attachment id>_<file name>`; <name> is the student's sortable name
  ("Doe, Jane") lowercased, with every character but letters, digits and `_` removed (`doejane`);
- `LATE_` comes before the user id when the submission is late: `doejane_LATE_12345_67890_affine.py`;
- with anonymous grading the name is left out and the id is `anon_<anonymous id>`;
- <file name> is the file's display name with `/ \\ : * ? " < > |` replaced by `_`; a file uploaded again
  under a name the student's files already hold is renamed `affine-1.py`, `affine-2.py`, ...;
- text entries and URLs are `<name>_<user id>_text.html` and `<name>_<user id>_link.html`.
"""
import re
from collections import defaultdict

from autograde.grade.submissions.listing import join
from autograde.grade.submissions.model import safe_id
from autograde.text import plural, short_list

ANONYMOUS_UPLOAD = re.compile(r"(?:(?P<late>LATE)_)?anon_(?P<anonymous>[A-Za-z0-9]+)_(?P<attachment>\d+)_(?P<file>.+)")
UPLOAD = re.compile(r"(?P<name>.*?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<attachment>\d+)_(?P<file>.+)")
ONLINE_ENTRY = re.compile(r"(?:.*_)?(?:\d+|anon_[A-Za-z0-9]+)_(?:text|link)\.html")


def squashed_name(sortable_name):
    """The name part of Canvas's file names for a sortable name: `Doe, Jane` -> `doejane`."""
    name = re.sub(r"_(\d+)_", r"\1", sortable_name).lower()
    return re.sub(r"[^\w]", "", name)


def student_id(name, user_id):
    """The student id of a Canvas student: `doejane_12345` (the name part of the file names and the user id)."""
    return safe_id(f"{name}_{user_id}" if name else f"canvas_{user_id}")


def parse_upload(file_name):
    """{key, name, user_id, attachment, file, late} of one file of the download, or None."""
    match = ANONYMOUS_UPLOAD.fullmatch(file_name)
    if match:
        return {"key": "anon_" + match["anonymous"], "name": "", "user_id": "", "late": bool(match["late"]),
                "attachment": int(match["attachment"]), "file": match["file"],
                "student": safe_id("anon_" + match["anonymous"])}
    match = UPLOAD.fullmatch(file_name)
    if match:
        return {"key": match["user"], "name": match["name"], "user_id": match["user"], "late": bool(match["late"]),
                "attachment": int(match["attachment"]), "file": match["file"],
                "student": student_id(match["name"], match["user"])}
    return None


def count(files, folders):
    """How many entries of a listing are Canvas uploads or text entries."""
    return sum(1 for name in files if parse_upload(name) or ONLINE_ENTRY.fullmatch(name))


def build(context, prefix, files, folders):
    """(description, submissions) of the Canvas download whose files are `files` under `prefix`."""
    uploads = defaultdict(list)
    online = 0
    strays = [name + "/" for name in folders]
    for name in files:
        parsed = parse_upload(name)
        if parsed:
            uploads[parsed["key"]].append((parsed, join(prefix, name)))
        elif ONLINE_ENTRY.fullmatch(name):
            online += 1
        else:
            strays.append(name)
    submissions = []
    for key in sorted(uploads):
        entries = sorted(uploads[key], key=lambda entry: entry[0]["attachment"])
        first = entries[0][0]
        by_file = {}
        for parsed, member in entries:
            if parsed["file"] in by_file:
                context.notes.append(f"{context.container.label(member)}: a second file named {parsed['file']!r}; "
                                     "the one uploaded last is used")
            by_file[parsed["file"]] = member
        source = context.container.label(entries[0][1]) if len(entries) == 1 else \
            f"{context.container.label(join(prefix, first['student']))} ({len(entries)} files)"
        submissions.append(context.submission(
            student=first["student"], lms_id=first["user_id"], late=any(parsed["late"] for parsed, _ in entries),
            source=source, files=[(member, file_name) for file_name, member in by_file.items()]))
    if online:
        entries = plural(online, "online text or URL entry", "online text or URL entries")
        context.notes.append(f"left out {entries} (only uploaded files are graded)")
    if strays:
        context.notes.append(f"left out (not a Canvas upload): {short_list(strays)}")
    late = sum(submission.late for submission in submissions)
    return (f"{plural(len(submissions), 'student')} found in a Canvas bulk download ({late} late)",
            submissions)
