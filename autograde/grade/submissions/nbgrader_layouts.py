"""nbgrader's own layouts: the course's collected submissions and the exchange's inbound folder.

What nbgrader writes (nbgrader 0.9.6, `coursedir.py`, `exchange/default/submit.py` and `collect.py`):

- `nbgrader collect` copies each student's newest submission to `submitted/<student id>/<assignment id>/`
  (`CourseDirectory.directory_structure`), with the `timestamp.txt` of the submission;
- `nbgrader submit` writes `<exchange>/<course id>/inbound/<student id>+<assignment id>+<timestamp>+<random>`
  (the random part is 12 URL-safe characters, left out when `add_random_string` is off), and `collect` keeps
  the newest per student; the timestamp is `%Y-%m-%d %H:%M:%S.%f %Z` by default (`Exchange.timestamp_format`),
  in the course's one time zone;
- student ids hold neither `+` nor `*`.
"""
import re
from collections import Counter, defaultdict
from datetime import datetime

from autograde.grade.submissions.listing import join
from autograde.grade.submissions.model import SubmissionsError, safe_id
from autograde.text import plural, short_list

COLLECTED = "submitted"
INBOUND = "inbound"
TIMESTAMP_FILE = "timestamp.txt"
TIMESTAMP = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2}:\d{2})(?P<fraction>\.\d+)?")


def parse_inbound_name(name):
    """(student, assignment, datetime) of an inbound entry `student+assignment+timestamp[+random]`, or None."""
    parts = name.split("+")
    if len(parts) not in (3, 4) or not all(parts[:2]):
        return None
    match = TIMESTAMP.match(parts[2])
    if not match:
        return None
    fraction = (match["fraction"] or ".0")[1:7].ljust(6, "0")
    moment = datetime.strptime(f"{match['date']} {match['time']}.{fraction}", "%Y-%m-%d %H:%M:%S.%f")
    return parts[0], parts[1], moment


def count_inbound(folders):
    return sum(1 for name in folders if parse_inbound_name(name))


def looks_collected(container, prefix, folders):
    """True when most student folders hold an assignment folder with nbgrader's `timestamp.txt`."""
    stamped = 0
    for student in folders:
        _, assignments = container.children(join(prefix, student))
        if any(TIMESTAMP_FILE in container.children(join(join(prefix, student), name))[0] for name in assignments):
            stamped += 1
    return stamped > 0 and 2 * stamped >= len(folders)


def collected(context, prefix):
    """(description, submissions) of `prefix` = nbgrader's `submitted/` folder."""
    container = context.container
    _, students = container.children(prefix)
    submissions = []
    others = Counter()
    for student in students:
        _, assignments = container.children(join(prefix, student))
        if context.assignment in assignments:
            root = join(join(prefix, student), context.assignment)
            submissions.append(context.submission(student=safe_id(student), source=container.label(root + "/"),
                                                  root=root))
        else:
            others.update(assignments)
            context.notes.append(f"{container.label(join(prefix, student))}: no {context.assignment}/ "
                                 f"(it holds {short_list(assignments) or 'nothing'}); not graded")
    if not submissions:
        found = ", ".join(f"{name} ({plural(number, 'student')})" for name, number in others.most_common())
        raise SubmissionsError(f"SUBMISSIONS: no student folder in {container.label(prefix) or container.path} "
                               f"holds {context.assignment}/ (found: {found or 'nothing'}); pass the assignment "
                               "id to grade with --assignment")
    return (f"{plural(len(submissions), 'student')} found in nbgrader's collected layout "
            f"(submitted/<student>/{context.assignment}/)", submissions)


def inbound(context, prefix):
    """(description, submissions) of `prefix` = an nbgrader exchange's `inbound/` folder: the newest submission
    of `context.assignment` per student."""
    container = context.container
    files, entries = container.children(prefix)
    newest = {}
    per_student = defaultdict(int)
    other_assignments = Counter()
    unrecognised = list(files)
    for name in entries:
        parsed = parse_inbound_name(name)
        if parsed is None:
            unrecognised.append(name)
            continue
        student, assignment, moment = parsed
        if assignment != context.assignment:
            other_assignments[assignment] += 1
            continue
        per_student[student] += 1
        if student not in newest or moment > newest[student][0]:
            newest[student] = (moment, name)
    if not newest:
        found = ", ".join(f"{name} ({number})" for name, number in other_assignments.most_common())
        raise SubmissionsError(f"SUBMISSIONS: the inbound folder {container.label(prefix) or container.path} holds "
                               f"no submission of {context.assignment} (found: {found or 'nothing'}); pass the "
                               "assignment id to grade with --assignment")
    submissions = [context.submission(student=safe_id(student), source=container.label(join(prefix, name) + "/"),
                                      root=join(prefix, name))
                   for student, (_, name) in sorted(newest.items())]
    older = sum(per_student.values()) - len(newest)
    if older:
        context.notes.append(f"left out {plural(older, 'older submission')} (the newest of each student is graded)")
    if other_assignments:
        context.notes.append(f"left out {plural(sum(other_assignments.values()), 'submission')} of other "
                             f"assignments ({', '.join(sorted(other_assignments))})")
    if unrecognised:
        context.notes.append(f"left out (not an nbgrader submission): {short_list(unrecognised)}")
    return (f"{plural(len(submissions), 'student')} found in nbgrader's exchange inbound folder "
            f"(the newest submission of each)", submissions)
