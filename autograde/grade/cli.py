"""`python -m autograde grade SUBMISSIONS [--out DIR] [--workers N] [--scheduler ADDR] [--timeout S] ...`.

Exit status: 0 when every student was graded; 1 when the grader failed on some student (a reason not of the
student's making: their result says so, the rest of the class is graded); 2 for a bad command line or input, said
in one line before any work.
"""
import sys
from pathlib import Path

from autograde.grade import DEFAULT_TIMEOUT, GradeOptionError, grade, refresh
from autograde.grade.record import RecordBusyError
from autograde.grade.results import pending_points, total_points
from autograde.grade.sandbox import isolation
from autograde.grade.submissions import SubmissionsError
from autograde.grade.submissions.roster import Roster, RosterError
from autograde.nbgrader_adapter.layout import ASSIGNMENT
from autograde.nbgrader_adapter.process import NbgraderError


def add_arguments(parser):
    parser.add_argument("submissions", type=Path, nargs="?", default=None,
                        help="the submissions: a folder (or .zip) with one folder or .zip per student, an LMS bulk "
                             "download (Canvas, Moodle, Blackboard) or nbgrader's submitted/ or inbound/ folder")
    parser.add_argument("--out", type=Path, default=Path("grade-out"),
                        help="the class record: grades.csv, results/, feedback/, report.html and the nbgrader course "
                             "(default: %(default)s); grading into it again adds or updates students")
    parser.add_argument("--workers", type=int, default=None,
                        help="local grading processes (default: the number of cores)")
    parser.add_argument("--scheduler", default=None,
                        help="Dask scheduler address (tcp://host:8786): grade on that cluster instead")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="wall-clock seconds for each library check (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="TASK", default=None,
                        help="grade only these tasks or check ids (e.g. layers.affine_forward); skips the notebooks")
    parser.add_argument("--db", dest="db_url", default=None, metavar="URL",
                        help="gradebook SQLAlchemy URL (default: SQLite gradebook.db in OUT/course)")
    parser.add_argument("--refresh", action="store_true",
                        help="grade nobody again: rebuild OUT's grades.csv, feedback and report from its gradebook "
                             "(after grading written answers by hand in formgrader); takes no SUBMISSIONS")
    parser.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                        help="grade the library checks only, skip nbgrader")
    parser.add_argument("--assignment", default=ASSIGNMENT,
                        help="the assignment folder to grade where a student's folder holds several (nbgrader's "
                             "layouts; default: %(default)s)")
    parser.add_argument("--inherited", choices=("keep", "penalize"), default="keep",
                        help="a check that fails only because a function it calls (another task) is wrong: keep its "
                             "points, naming the function to fix (default), or penalize it as before")
    parser.add_argument("--known-solutions", type=Path, default=None, metavar="DIR",
                        help="a folder of known public solutions (a folder of code, or a .py file, each) for the similarity check")
    parser.add_argument("--roster", type=Path, default=None, metavar="CSV",
                        help="a class list (student, name, email, lms_id) or a Canvas gradebook export, merged into "
                             "OUT/roster.csv: names and LMS ids for grades.csv and the exports")


def _fail(message):
    print(f"autograde grade: {message}", file=sys.stderr)
    return 2


def _announce(discovery):
    print(discovery.description)
    print(f"sandbox isolation: {isolation.describe()}")
    for note in discovery.notes:
        print(f"  note: {note}")


def _refresh(args):
    try:
        finals = refresh(args.out, workers=args.workers, known_solutions=args.known_solutions)
    except (GradeOptionError, RecordBusyError, NbgraderError) as error:
        return _fail(str(error))
    pending = sum(pending_points(result) > 0 for result in finals)
    print(f"class record: {args.out} ({len(finals)} students) rebuilt from its gradebook: grades.csv, report.html, "
          f"feedback/; {pending} student(s) with written answers still to grade")
    return 0


def main(args):
    if args.refresh:
        if args.submissions is not None:
            return _fail("--refresh grades nobody: leave SUBMISSIONS out (or grade them without --refresh)")
        return _refresh(args)
    if args.submissions is None:
        return _fail("say which SUBMISSIONS to grade (a folder or an LMS download), or --refresh to rebuild OUT")
    try:
        roster = Roster.import_csv(args.roster) if args.roster is not None else None
        batch = grade(args.submissions, out=args.out, workers=args.workers, scheduler=args.scheduler,
                      timeout=args.timeout, only=args.only, notebooks=args.notebooks, db_url=args.db_url,
                      assignment=args.assignment, roster=roster, on_discovery=_announce,
                      known_solutions=args.known_solutions, inherited=args.inherited)
    except (GradeOptionError, SubmissionsError, RosterError, RecordBusyError) as error:
        return _fail(str(error))
    width = max([len("student")] + [len(result["student"]) for result in batch.results])
    print(f"{'student':<{width}}  points")
    grader_failures = 0
    for result in batch.results:
        points, max_points = total_points(result)
        pending = pending_points(result)
        note = f", {pending:g} to grade by hand" if pending else ""
        reason = result.get("grader_error") or result.get("error") or ""
        if result.get("grader_error"):
            grader_failures += 1
        if reason:
            note += f"  ({reason.splitlines()[0]})"
        print(f"{result['student']:<{width}}  {points:g} / {max_points:g}{note}")
    print(f"class record: {args.out} ({len(batch.class_results)} students): grades.csv, report.html, results/, "
          "feedback/")
    if grader_failures:
        print(f"the grader failed on {grader_failures} student(s), not through their fault: see their results and "
              "grade them again", file=sys.stderr)
        return 1
    return 0
