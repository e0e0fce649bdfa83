"""`python -m autograde check [TASK ...] [--list]`: run the public checks against ./course_lib.

Exit status: 0 when every selected check passes, 1 when any fails, 2 on a usage error (unknown task, no
./course_lib).
"""
import sys
from pathlib import Path

from autograde.check.runner import run_checks, select_checks
from autograde.checks import load


def add_arguments(parser):
    parser.add_argument("names", nargs="*", metavar="TASK",
                        help="task ids (layers.affine_forward), check ids or notebook names; default: all")
    parser.add_argument("--list", action="store_true", help="list the tasks and their checks, run nothing")
    parser.add_argument("--hidden", action="store_true",
                        help="also run the hidden checks (instructor side, where they are present)")
    parser.add_argument("--root", type=Path, default=None,
                        help="folder holding course_lib/ (default: the current folder)")


def _print_listing(checks):
    for task in dict.fromkeys(check.task for check in checks):
        task_checks = [check for check in checks if check.task == task]
        points = sum(check.points for check in task_checks)
        print(f"{task}  [{task_checks[0].notebook}, {points} points]")
        for check in task_checks:
            hidden = " (hidden)" if check.hidden else ""
            print(f"    {check.id}  {check.points} pt{hidden}  {check.case}")


def _print_table(results, checks):
    width = max(len(result.id) for result in results)
    hints = {check.id: check.hint for check in checks}
    for result in results:
        verdict = "PASS" if result.passed else "FAIL"
        print(f"{verdict}  {result.id:<{width}}  {result.points:g}/{result.max_points:g}")
        if not result.passed:
            print(f"      {result.message}")
            if hints[result.id] not in result.message:
                print(f"      hint: {hints[result.id]}")
    earned = sum(result.points for result in results)
    total = sum(result.max_points for result in results)
    failed = sum(not result.passed for result in results)
    print(f"\n{len(results) - failed} of {len(results)} checks pass, {earned:g}/{total:g} points")


def main(args):
    hidden = True if args.hidden else False
    try:
        checks = select_checks(args.names, hidden=hidden)
    except (KeyError, FileNotFoundError) as error:
        print(f"autograde check: {error.args[0]}", file=sys.stderr)
        return 2
    if args.list:
        _print_listing(checks)
        return 0
    root = (args.root or Path.cwd()) / "course_lib"
    if not (root / "__init__.py").is_file():
        print(f"autograde check: no course_lib package in {root.parent}: run this in your assignment folder",
              file=sys.stderr)
        return 2
    results = run_checks(checks, load.load_lib(root))
    _print_table(results, checks)
    return 0 if all(result.passed for result in results) else 1
