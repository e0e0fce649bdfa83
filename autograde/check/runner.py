"""Run checks in this process and report them: `check(task)` for notebook cells, `run_checks` for the CLI's child."""
import sys

from autograde.check.names import tasks_named
from autograde.checks import load, run, spec
from autograde.checks.expected import hidden_values_present, load_expected, load_task_points


def select_checks(names, *, hidden=None):
    """The checks named by task ids, check ids, notebook names or short forms of them (autograde.check.names), all
    checks when `names` is empty. Raises KeyError with the closest known names when a name matches nothing."""
    checks = spec.all_checks(hidden=hidden)
    if not names:
        return checks
    check_ids = [check.id for check in checks]
    selected = []
    for name in names:
        tasks, ids = tasks_named(name, check_ids)
        selected.extend(check for check in checks
                        if (check.task in tasks or check.id in ids) and check not in selected)
    return selected


def run_checks(checks, lib):
    """Run `checks` against `lib` with the stored expected values; returns one CheckResult per check."""
    public = load_expected(hidden=False)
    hidden = load_expected(hidden=True) if any(check.hidden for check in checks) else {}
    results = []
    for check in checks:
        expected = (hidden if check.hidden else public).get(check.id, {})
        results.append(run.run_check(check, lib, expected))
    return results


def format_result(result):
    """One line: PASS/FAIL, the check id, points, and the message."""
    verdict = "PASS" if result.passed else "FAIL"
    return f"{verdict} {result.id} ({result.points:g}/{result.max_points:g}): {result.message}"


def _points(value, verb):
    """'1 more point comes' / '3 more points come'."""
    return f"{value:g} more point{'' if value == 1 else 's'} {verb}{'s' if value == 1 else ''}"


def hidden_points(tasks):
    """The points the hidden checks of `tasks` add at grading time (task_points.json), None where unknown."""
    try:
        points = load_task_points()
    except FileNotFoundError:
        return None
    return sum(points.get(task, {}).get("hidden", 0) for task in tasks)


def points_line(results, *, hidden, announce_hidden=True):
    """'public checks: 1/1 points; 2 more points come from hidden checks when your work is graded' (the second part
    only with announce_hidden), or for hidden checks 'hidden checks: 2/2 points'."""
    earned = sum(result.points for result in results)
    total = sum(result.max_points for result in results)
    line = f"{'hidden' if hidden else 'public'} checks: {earned:g}/{total:g} points"
    still_to_come = hidden_points(dict.fromkeys(result.task for result in results)) \
        if announce_hidden and not hidden else None
    if still_to_come:
        line += f"; {_points(still_to_come, 'come')} from hidden checks when your work is graded"
    return line


def check(task_or_check_id, *, hidden=False, lib=None, file=None):
    """Run the checks of one task (or one check, or a whole notebook) against the imported course_lib.

    Prints one line per check and a points line, and raises AssertionError listing the failures, so an nbgrader
    test cell that calls `check("layers.affine_forward")` passes exactly when every check of the task passes.
    hidden: False runs the public checks (what a student's copy has); True runs ONLY the hidden checks where they
    exist with their values (the instructor's project); where they do not (a student's copy, the grading kernel:
    the trusted grader runs them outside the notebook) it prints one line saying so and returns. lib: the Lib to
    test (default: load.lib_from_installed()). Returns None (the printed lines are the report).
    """
    out = sys.stdout if file is None else file
    if hidden and not (spec.hidden_available() and hidden_values_present()):
        tasks, _ = tasks_named(task_or_check_id, [check.id for check in spec.all_checks(hidden=False)])
        points = hidden_points(tasks)
        worth = f" ({points:g} point{'' if points == 1 else 's'})" if points else ""
        print(f"{task_or_check_id}: the hidden checks{worth} are run by the grader outside the notebook", file=out)
        return
    checks = [item for item in select_checks([task_or_check_id], hidden=bool(hidden)) if item.hidden == bool(hidden)]
    results = run_checks(checks, load.lib_from_installed() if lib is None else lib)
    for result in results:
        print(format_result(result), file=out)
    print(f"{task_or_check_id}: {points_line(results, hidden=bool(hidden))}", file=out)
    failures = [result for result in results if not result.passed]
    if failures:
        lines = "\n".join(f"- {result.id}: {result.message}" for result in failures)
        raise AssertionError(f"{len(failures)} of {len(results)} checks of {task_or_check_id} failed:\n{lines}")


def stored_value(check_id, name):
    """The stored correct value of output `name` of a public check (what a notebook shows beside its own result).

    Example: stored_value("layers.affine_forward.notebook_case", "out"). The values are generated from the
    reference by `python -m autograde expected`; raises KeyError naming what exists when the id or name is wrong.
    """
    values = load_expected(hidden=False)
    if check_id not in values:
        raise KeyError(f"no stored values for check {check_id!r}; public checks with stored values: "
                       f"{', '.join(sorted(values))}")
    if name not in values[check_id]:
        raise KeyError(f"check {check_id!r} has no stored output {name!r}; "
                       f"it has {', '.join(sorted(values[check_id]))}")
    return values[check_id][name]
