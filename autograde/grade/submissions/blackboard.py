"""Blackboard Learn's "Assignment File Download" (Grade Centre): one zip (or its unzipped folder), flat.

What Blackboard writes, per attempt:

- a receipt `<Assignment>_<username>_attempt_<yyyy-mm-dd-hh-mm-ss>.txt` whose first line is
  `Name: <First Last> (<username>)`, and (when files were attached) `Original filename: <name>` /
  `Filename: <name in the zip>` pairs;
- each attached file as `<Assignment>_<username>_attempt_<yyyy-mm-dd-hh-mm-ss>_<original file name>`;
- with "all attempts" selected, every attempt of a student: the newest one is graded.

The username is read from the receipt when there is one (usernames may hold `_`), else it is the last
`_`-separated part before `_attempt_`.
"""
import re
from collections import defaultdict

from autograde.grade.submissions.listing import join
from autograde.grade.submissions.model import safe_id
from autograde.text import plural, short_list

ATTEMPT = re.compile(r"(?P<prefix>.+)_attempt_(?P<date>\d{4}(?:-\d{2}){5})(?:_(?P<file>.+)|(?P<receipt>\.txt))")
RECEIPT_NAME = re.compile(r"^Name:\s*(?P<name>.*?)\s*\((?P<username>[^()]+)\)\s*$", re.MULTILINE)
RECEIPT_FILE = re.compile(r"^\s*Original filename:\s*(?P<original>.+?)\s*\n\s*Filename:\s*(?P<stored>.+?)\s*$",
                          re.MULTILINE)


def count(files, folders):
    """How many entries of a listing are Blackboard attempt files or receipts."""
    return sum(1 for name in files if ATTEMPT.fullmatch(name))


def _username(prefix, known):
    """The username at the end of `<Assignment>_<username>`: the longest known one, else the last part."""
    matches = [name for name in known if prefix.endswith("_" + name)]
    return max(matches, key=len) if matches else prefix.rsplit("_", 1)[-1]


def build(context, prefix, files, folders):
    """(description, submissions) of the Blackboard download whose files are `files` under `prefix`."""
    attempts = [(name, ATTEMPT.fullmatch(name)) for name in files]
    strays = [name + "/" for name in folders] + [name for name, match in attempts if not match]
    attempts = [(name, match) for name, match in attempts if match]
    receipts = context.container.read_texts([join(prefix, name) for name, match in attempts if match["receipt"]])
    people = {}
    original_names = {}
    for text in receipts.values():
        name_match = RECEIPT_NAME.search(text)
        if name_match:
            people[name_match["username"]] = name_match["name"]
        original_names.update((match["stored"], match["original"]) for match in RECEIPT_FILE.finditer(text))
    by_student = defaultdict(lambda: defaultdict(list))
    for name, match in attempts:
        username = _username(match["prefix"], people)
        by_student[username][match["date"]].append((name, match))
    submissions = []
    older = 0
    without_files = []
    for username in sorted(by_student):
        dates = sorted(by_student[username])
        older += len(dates) - 1
        newest = by_student[username][dates[-1]]
        uploads = [(join(prefix, name), original_names.get(name, match["file"]))
                   for name, match in newest if not match["receipt"]]
        if not uploads:
            without_files.append(username)
            continue
        submissions.append(context.submission(
            student=safe_id(username), name=people.get(username, ""), lms_id=username,
            source=f"{context.container.label(join(prefix, username))} (attempt {dates[-1]}, "
                   f"{plural(len(uploads), 'file')})",
            files=uploads))
    if older:
        context.notes.append(f"left out {plural(older, 'older attempt')} (the newest attempt of each student is "
                             "graded)")
    if without_files:
        context.notes.append(f"no file in the newest attempt of {short_list(without_files)}; not graded")
    if strays:
        context.notes.append(f"left out (not a Blackboard attempt): {short_list(strays)}")
    return f"{plural(len(submissions), 'student')} found in a Blackboard assignment download", submissions
