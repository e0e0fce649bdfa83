"""Moodle's "Download all submissions" of an assignment: one zip (or its unzipped folder).

What Moodle writes (moodle `mod/assign/locallib.php`, `download_submissions`; the "Download submissions in
folders" option, on by default since Moodle 3.1, `mod/assign/lang/en/assign.php`):

- every student's prefix is `<Full name>_<participant id>_` (`Participant_<id>_` with blind marking,
  `<Group>-<Full name>_<id>_` for team submissions), where the participant id is the assignment's own id for
  the student, not the user id;
- in folders: one folder per student and submission plugin, `<prefix>assignsubmission_file_/`, holding the files
  with their subfolders, not renamed;
- without folders: each file is `<prefix>assignsubmission_file_<file name>`, subfolders flattened;
- online text goes to the `assignsubmission_onlinetext` plugin, which is not graded here.
"""
import re
from collections import defaultdict

from autograde.grade.submissions.listing import join
from autograde.grade.submissions.model import safe_id
from autograde.text import plural, short_list

FOLDER = re.compile(r"(?P<who>.+)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_")
FILE = re.compile(r"(?P<who>.+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)")
FILE_PLUGIN = "file"


def count(files, folders):
    """How many entries of a listing are Moodle submission folders or files."""
    return sum(1 for name in folders if FOLDER.fullmatch(name)) + sum(1 for name in files if FILE.fullmatch(name))


def _student(who, participant):
    return safe_id(f"{who}_{participant}")


def _name(who):
    return "" if who.split("-")[-1].strip().lower() == "participant" else who


def build(context, prefix, files, folders):
    """(description, submissions) of the Moodle download whose top level is `files`, `folders` under `prefix`."""
    found = defaultdict(lambda: {"folders": [], "files": []})
    other_plugins = set()
    strays = []
    for name in folders:
        match = FOLDER.fullmatch(name)
        if match and match["plugin"] == FILE_PLUGIN:
            found[(match["who"], match["participant"])]["folders"].append(join(prefix, name))
        elif match:
            other_plugins.add(match["plugin"])
        else:
            strays.append(name + "/")
    for name in files:
        match = FILE.fullmatch(name)
        if match and match["plugin"] == FILE_PLUGIN:
            found[(match["who"], match["participant"])]["files"].append((join(prefix, name), match["file"]))
        elif match:
            other_plugins.add(match["plugin"])
        else:
            strays.append(name)
    submissions = []
    for (who, participant), entries in sorted(found.items(), key=lambda item: item[0][1]):
        details = {"student": _student(who, participant), "name": _name(who)}
        if entries["folders"]:
            folder = entries["folders"][0]
            submissions.append(context.submission(source=context.container.label(folder + "/"), root=folder,
                                                  **details))
        else:
            submissions.append(context.submission(
                source=f"{context.container.label(join(prefix, f'{who}_{participant}'))} "
                       f"({plural(len(entries['files']), 'file')})",
                files=entries["files"], **details))
    if other_plugins:
        context.notes.append("left out the entries of the submission plugins "
                             f"{', '.join(sorted(other_plugins))} (only uploaded files are graded)")
    if strays:
        context.notes.append(f"left out (not a Moodle submission): {short_list(strays)}")
    in_folders = any(submission.root for submission in submissions)
    return (f"{plural(len(submissions), 'student')} found in a Moodle 'Download all submissions' "
            f"({'a folder' if in_folders else 'single files'} each)", submissions)
