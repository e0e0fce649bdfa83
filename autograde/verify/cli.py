"""Command line of `python -m autograde verify`."""
import sys

from autograde.verify import verify


def add_arguments(parser):
    parser.add_argument("--workdir", default=None, help="keep the release, submissions and grading here")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: the machine's cores)")


def main(args):
    problems = verify(workdir=args.workdir, workers=args.workers)
    if problems:
        print(f"verify FAILED: {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    print("verify: the reference earns full marks, the untouched release earns zero, the release leaks nothing")
    return 0
