"""`python -m autograde export OUT --format canvas|csv|nbgrader [-o FILE] [...]`.

Every argument is checked before any work; bad input gets one line that says what is wrong and what to do, and
exit status 2.
"""
import sys
from pathlib import Path

from autograde import export
from autograde.export.canvas_gradebook import CanvasGradebook
from autograde.export.grades import GRADES_FILE, ExportError
from autograde.export.nbgrader_export import check_course
from autograde.export.plain_csv import IDENTIFIERS
from autograde.grade.submissions.roster import ROSTER_FILE

FORMATS = ("canvas", "csv", "nbgrader")
OPTIONS_OF_FORMAT = {
    "canvas": ("canvas_gradebook", "column", "assignment_name", "no_scale"),
    "csv": ("identifier", "per_notebook"),
    "nbgrader": ("db_url",),
}
DEFAULT_OUTPUT = {"canvas": "canvas-import.csv", "csv": "grades-export.csv", "nbgrader": "nbgrader-grades.csv"}


def _fail(message):
    print(f"python -m autograde export: {message}", file=sys.stderr)
    sys.exit(2)


def add_arguments(parser):
    parser.error = lambda message: _fail(f"{message} (see python -m autograde export --help)")
    parser.add_argument("out", metavar="OUT", type=Path, help="the grading output folder (the class record)")
    parser.add_argument("--format", required=True, choices=FORMATS,
                        help="canvas: fill a Canvas gradebook export's column; csv: identifier, total, max; "
                             "nbgrader: nbgrader's own export")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="the file to write (default: OUT/export/canvas-import.csv, grades-export.csv or "
                             "nbgrader-grades.csv)")
    parser.add_argument("--roster", type=Path, default=None,
                        help="an instructor's roster CSV (student, name, email, lms_id) or a Canvas gradebook "
                             "export, to add names, emails and LMS ids to OUT/roster.csv for this export")
    canvas = parser.add_argument_group("--format canvas")
    canvas.add_argument("--canvas-gradebook", type=Path, default=None, metavar="FILE",
                        help="the gradebook CSV exported from Canvas (Grades, Export)")
    canvas.add_argument("--column", default=None, help='the assignment column to fill: "Assignment 2 (12345)"')
    canvas.add_argument("--assignment-name", default=None,
                        help="or the assignment's title, when exactly one column matches it")
    canvas.add_argument("--no-scale", action="store_true", default=None,
                        help="write raw points even when the column's points possible differ from the maximum")
    plain = parser.add_argument_group("--format csv")
    plain.add_argument("--identifier", choices=IDENTIFIERS, default=None,
                       help="identify students by student id (default) or by email (from the roster)")
    plain.add_argument("--per-notebook", action="store_true", default=None,
                       help="add a column of points per notebook")
    nbgrader = parser.add_argument_group("--format nbgrader")
    nbgrader.add_argument("--db", dest="db_url", default=None, metavar="URL",
                          help="the gradebook's SQLAlchemy URL (default: SQLite OUT/course/gradebook.db)")


def _has_column(path, name):
    with path.open(encoding="utf-8-sig") as stream:
        return name in stream.readline().strip().split(",")


def _check(args):
    """The output path, after checking every argument; ExportError on the first bad one."""
    out = args.out
    if not out.is_dir():
        raise ExportError(f"OUT: {out} is not a folder; pass the --out folder of `python -m autograde grade`")
    for other, options in OPTIONS_OF_FORMAT.items():
        for option in options:
            if other != args.format and getattr(args, option) is not None:
                flag = "--" + ("db" if option == "db_url" else option.replace("_", "-"))
                raise ExportError(f"{flag} is an option of --format {other}, not of --format {args.format}")
    if args.roster is not None and not args.roster.is_file():
        raise ExportError(f"--roster: {args.roster} is not a file; pass a roster CSV or a Canvas gradebook export")
    if args.format in ("canvas", "csv") and not (out / GRADES_FILE).is_file():
        raise ExportError(f"{out / GRADES_FILE} does not exist; run `python -m autograde grade SUBMISSIONS --out "
                          f"{out}` first")
    inputs = [out / GRADES_FILE, out / ROSTER_FILE]
    if args.format == "canvas":
        if args.canvas_gradebook is None:
            raise ExportError("--format canvas needs --canvas-gradebook FILE (the CSV of Canvas's Grades, Export)")
        if not args.canvas_gradebook.is_file():
            raise ExportError(f"--canvas-gradebook: {args.canvas_gradebook} is not a file; export the gradebook "
                              "from Canvas (Grades, Export) and pass that CSV")
        if (args.column is None) == (args.assignment_name is None):
            raise ExportError("--format canvas needs exactly one of --column \"Title (id)\" and --assignment-name "
                              "TITLE")
        if not (out / ROSTER_FILE).is_file() and args.roster is None and not _has_column(out / GRADES_FILE, "lms_id"):
            raise ExportError(f"{out / ROSTER_FILE} does not exist, so students cannot be matched to Canvas user ids; "
                              "grade again, or pass --roster with a Canvas gradebook export")
        CanvasGradebook(args.canvas_gradebook).find_column(column=args.column, assignment_name=args.assignment_name)
        inputs.append(args.canvas_gradebook)
    if args.format == "nbgrader":
        check_course(out, args.db_url)
    output = args.output or out / "export" / DEFAULT_OUTPUT[args.format]
    if output.is_dir():
        raise ExportError(f"--output: {output} is a folder; name the file to write")
    if any(output.resolve() == path.resolve() for path in inputs + ([args.roster] if args.roster else [])):
        raise ExportError(f"--output: {output} is one of the inputs; choose another file")
    if not output.parent.is_dir() and output.parent != out / "export":
        raise ExportError(f"--output: the folder {output.parent} does not exist; create it or choose another file")
    return output


def main(args):
    try:
        output = _check(args)
        if args.format == "canvas":
            lines = export.export_canvas(args.out, output, gradebook=args.canvas_gradebook, column=args.column,
                                         assignment_name=args.assignment_name, scale=not args.no_scale,
                                         roster=args.roster)
        elif args.format == "csv":
            lines = export.export_csv(args.out, output, identifier=args.identifier or "student",
                                      per_notebook=bool(args.per_notebook), roster=args.roster)
        else:
            lines = export.export_nbgrader(args.out, output, db_url=args.db_url)
    except ExportError as error:
        _fail(str(error))
    for line in lines:
        print(line)
    print(f"wrote {output}")
    return 0
