"""Run checks in this process and report them: `check(task)` for notebook cells, `run_checks` for the CLI."""
import sys

from autograde.checks import load, run, spec
from autograde.checks.expected import load_expected


def select_checks(names, *, hidden=None):
    """The checks named by task ids, check ids or notebook names (all checks when `names` is empty).

    Raises KeyError naming the known tasks when a name matches nothing.
    """
    checks = spec.all_checks(hidden=hidden)
    if not names:
        return checks
    selected = []
    for name in names:
        matches = [check for check in checks if name in (check.task, check.id, check.notebook)]
        if not matches:
            raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(spec.tasks())} "
                           f"(or a notebook: {', '.join(spec.NOTEBOOKS)}, or a check id)")
        selected.extend(check for check in matches if check not in selected)
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


def check(task_or_check_id, *, hidden=False, lib=None, file=None):
    """Run the checks of one task (or one check, or a whole notebook) against the imported course_lib.

    Prints one line per check and raises AssertionError listing the failures, so an nbgrader test cell that calls
    `check("layers.affine_forward")` passes exactly when every check of the task passes. hidden: False runs the
    public checks (what a student's copy has); True runs ONLY the hidden checks, which exist on the instructor's
    side (the hidden-tests line of a test cell, restored at grading time). lib: the Lib to test
    (default: load.lib_from_installed()). Returns None (the printed lines are the report).
    """
    out = sys.stdout if file is None else file
    checks = [item for item in select_checks([task_or_check_id], hidden=bool(hidden)) if item.hidden == bool(hidden)]
    results = run_checks(checks, load.lib_from_installed() if lib is None else lib)
    for result in results:
        print(format_result(result), file=out)
    earned = sum(result.points for result in results)
    total = sum(result.max_points for result in results)
    print(f"{task_or_check_id}: {earned:g}/{total:g} points", file=out)
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
        raise KeyError(f"check {check_id!r} has no stored output {name!r}; it has {', '.join(sorted(values[check_id]))}")
    return values[check_id][name]
