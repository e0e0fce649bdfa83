"""`python -m autograde grade SUBMISSIONS [--out DIR] [--workers N] [--scheduler ADDR] [--timeout S]`."""
from pathlib import Path

from autograde.grade import DEFAULT_TIMEOUT, grade, sandbox
from autograde.grade.results import total_points


def add_arguments(parser):
    parser.add_argument("submissions", type=Path, help="folder with one folder or .zip per student")
    parser.add_argument("--out", type=Path, default=Path("grade-out"),
                        help="where grades.csv, results/, logs/, feedback/ and report.html go (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=None,
                        help="local grading processes (default: the number of cores)")
    parser.add_argument("--scheduler", default=None,
                        help="Dask scheduler address (tcp://host:8786): grade on that cluster instead")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="wall-clock seconds for each library check (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="TASK", default=None,
                        help="grade only these tasks or check ids (e.g. layers.affine_forward)")
    parser.add_argument("--db", dest="db_url", default=None, metavar="URL",
                        help="gradebook SQLAlchemy URL (default: SQLite gradebook.db in OUT/course)")
    parser.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                        help="grade the library checks only, skip nbgrader")


def main(args):
    print(f"sandbox isolation: {sandbox.describe_isolation()}")
    results = grade(args.submissions, out=args.out, workers=args.workers, scheduler=args.scheduler,
                    timeout=args.timeout, only=args.only, notebooks=args.notebooks, db_url=args.db_url)
    width = max([len("student")] + [len(result["student"]) for result in results])
    print(f"{'student':<{width}}  points")
    for result in results:
        points, max_points = total_points(result)
        note = f"  ({result['error'].splitlines()[0]})" if result["error"] else ""
        print(f"{result['student']:<{width}}  {points:g} / {max_points:g}{note}")
    print(f"grades: {args.out / 'grades.csv'}; per-student results: {args.out / 'results'}")
    return 0
