"""`python -m autograde check [TASK ...] [--list] [--timeout S]`: run the public checks against ./course_lib.

TASK is a task id, a check id, a notebook name or a short form (`affine_forward`, `dropout`; see
autograde.check.names). The checks run in a child process, each within a wall-clock limit, so an endless loop
costs only its own check. Exit status: 0 when every selected check passes, 1 when any does not, 2 on a usage error
(unknown task, no ./course_lib), 130 when interrupted.
"""
import sys
from pathlib import Path

from autograde.check.isolated import run_with_time_limit
from autograde.check.runner import points_line, select_checks

DEFAULT_TIMEOUT = 60.0


def add_arguments(parser):
    parser.add_argument("names", nargs="*", metavar="TASK",
                        help="task ids (layers.affine_forward), short names (affine_forward, dropout), check ids or "
                             "notebook names; default: all")
    parser.add_argument("--list", action="store_true", help="list the tasks and their checks, run nothing")
    parser.add_argument("--hidden", action="store_true",
                        help="also run the hidden checks (instructor side, where they are present)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds of wall-clock time each check may take (default {DEFAULT_TIMEOUT:g})")
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


def _result_printer(checks):
    width = max(len(check.id) for check in checks)
    hints = {check.id: check.hint for check in checks}

    def print_result(result):
        print(f"{result.status.upper():<7}  {result.id:<{width}}  {result.points:g}/{result.max_points:g}", flush=True)
        if not result.passed:
            print(f"         {result.message}")
            if hints[result.id] not in result.message:
                print(f"         hint: {hints[result.id]}")
            sys.stdout.flush()

    return print_result


def _points_text(results):
    public = [result for result in results if not result.hidden]
    hidden = [result for result in results if result.hidden]
    parts = [points_line(public, hidden=False, announce_hidden=not hidden)] if public else []
    if hidden:
        parts.append(points_line(hidden, hidden=True))
    return "; ".join(parts)


def _print_summary(results):
    print()
    tasks = dict.fromkeys(result.task for result in results)
    if len(tasks) > 1:
        for task in tasks:
            print(f"{task}: {_points_text([result for result in results if result.task == task])}")
        print()
    passed = sum(result.passed for result in results)
    print(f"{passed} of {len(results)} checks pass; {_points_text(results)}")


def main(args):
    try:
        checks = select_checks(args.names, hidden=True if args.hidden else False)
    except (KeyError, FileNotFoundError) as error:
        print(f"autograde check: {error.args[0]}", file=sys.stderr)
        return 2
    if args.list:
        _print_listing(checks)
        return 0
    if args.timeout <= 0:
        print(f"autograde check: --timeout must be a positive number of seconds, got {args.timeout:g}",
              file=sys.stderr)
        return 2
    root = (args.root or Path.cwd()) / "course_lib"
    if not (root / "__init__.py").is_file():
        print(f"autograde check: no course_lib package in {root.parent}: run this in your assignment folder",
              file=sys.stderr)
        return 2
    try:
        results = run_with_time_limit(checks, root, timeout=args.timeout, hidden=bool(args.hidden),
                                      on_result=_result_printer(checks))
    except KeyboardInterrupt:
        print("\nautograde check: interrupted", file=sys.stderr)
        return 130
    _print_summary(results)
    return 0 if all(result.passed for result in results) else 1
