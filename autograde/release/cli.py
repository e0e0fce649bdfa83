"""`python -m autograde release [--out DIR] [--course-dir DIR] [--db-url URL] [--no-notebooks] [--project DIR]`.

Exit status: 0 released; 1 the leak scan or nbgrader failed; 2 the sources are wrong (misplaced solution markers,
a stub that does not compile, a missing file).
"""
import sys

from autograde.release import LeakError, NbgraderError, ReleaseError, release


def add_arguments(parser):
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="the release folder (default: release/ in the project); a previous release is replaced")
    parser.add_argument("--course-dir", metavar="DIR", default=None,
                        help="the nbgrader course directory (default: course/ in the project)")
    parser.add_argument("--db-url", metavar="URL", default=None,
                        help="the gradebook's SQLAlchemy URL (default: sqlite:///<course dir>/gradebook.db)")
    parser.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                        help="skip the nbgrader step: release the library and the checks only")
    parser.add_argument("--project", metavar="DIR", default=None,
                        help="the instructor project to release (default: the one this autograde belongs to)")


def main(args):
    try:
        out = release(out=args.out, course_dir=args.course_dir, root=args.project, db_url=args.db_url,
                      notebooks=args.notebooks)
    except (LeakError, NbgraderError) as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    except ReleaseError as error:
        print(f"release: {error}", file=sys.stderr)
        return 2
    files = sorted(path for path in out.rglob("*") if path.is_file())
    print(f"release: wrote {len(files)} files to {out}; the leak scan found nothing")
    return 0
