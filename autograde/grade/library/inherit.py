"""Each bug costs once: a check that fails only because a function it calls is wrong keeps its points.

When a check of task T fails (or errs, or runs out of time), and a task T calls (`spec.CALLS`: the functions T's
code calls, and for a backward pass the forward that makes its cache) fails checks of its own, the check is run
again in a new sandboxed child in which the student's code calls the REFERENCE version of every such task. If it
then passes, T keeps the check's points with status `inherited` and a message that names the function to fix
first. Only pass or fail comes back from that re-run: its messages and output are dropped, since the reference
code of the other tasks was in reach of the student's code there. T's own reference code never is: the reference
library of a re-run has T's solution regions stubbed (`release.strip.stub_tree(tasks=...)`).

`penalize=True` (the instructor's `--inherited penalize`) keeps the failure and its points at 0, with the same
message naming the upstream function.
"""
import dataclasses
import functools
import re
import tempfile
from pathlib import Path

from autograde.checks import spec
from autograde.grade.library import supervisor
from autograde.paths import COURSE_LIB_DIR

FAILED = ("fail", "error", "timeout")


def code_task(task):
    """The task whose code `task` grades: the `_normalization` and `_dropout` views grade FullyConnectedNet's."""
    return spec.VARIANT_OF.get(task, task)


def upstream_failures(task, results_by_task):
    """The tasks `task` calls whose own checks did not all pass (in task order), excluding its own code."""
    own = code_task(task)
    return [callee for callee in spec.CALLS.get(task, ())
            if code_task(callee) != own and any(result.status in FAILED for result in results_by_task.get(callee, []))]


@functools.cache
def _reference_without(task, parent):
    """A reference course_lib (in a folder under `parent`) with `task`'s own solution regions stubbed."""
    from autograde.release.strip import stub_tree

    folder = Path(tempfile.mkdtemp(prefix="reference-", dir=parent))
    stub_tree(COURSE_LIB_DIR, folder / "course_lib", tasks={code_task(task)})
    from autograde.grade.library.launch import make_readable

    make_readable(folder)
    return folder


def _own_stub(task, result):
    """Whether the check failed at the task's own unfilled TODO (no reference upstream can make it pass)."""
    name = code_task(task).split(".", 1)[1]
    stub = re.search(r"([\w.]+) is not implemented yet", result.message)
    return stub is not None and stub.group(1).split(".")[-1] == name


def _names(tasks):
    return ", ".join(task.split(".", 1)[1] for task in tasks)


def inherit(results, checks, expected, *, student_dir, scratch_dir, timeout, hidden=(), penalize=False):
    """`results` (CheckResults in `checks` order) with the failures that a wrong upstream function explains turned
    `inherited` (or, with penalize, kept as failures with the upstream named)."""
    by_task = {}
    for result in results:
        by_task.setdefault(result.task, []).append(result)
    by_id = {check.id: check for check in checks}
    final = list(results)
    cache_dir = Path(scratch_dir) / "references"
    cache_dir.mkdir(parents=True, exist_ok=True)
    for task, task_results in by_task.items():
        failing = [result for result in task_results if result.status in FAILED and not _own_stub(task, result)]
        upstream = upstream_failures(task, by_task) if failing else []
        if not upstream:
            continue
        reference = _reference_without(task, str(cache_dir))
        rerun, _ = supervisor.run_library_checks(
            student_dir, [by_id[result.id] for result in failing], expected, scratch_dir=scratch_dir / f"rerun-{task}",
            timeout=timeout, hidden=hidden, reference=(reference, upstream))
        for before, after in zip(failing, rerun):
            passed = after.status == "pass"
            final[results.index(before)] = _verdict(task, before, passed, upstream, penalize)
    return final


def _verdict(task, before, passed, upstream, penalize):
    names = _names(upstream)
    if passed and not penalize:
        return dataclasses.replace(before, status="inherited", points=before.max_points, message=(
            f"passes with the reference {names}: it fails only because {names} is wrong; fix {names} first "
            f"(its own checks say how). What it showed with yours: {before.message}"))
    if passed:
        return dataclasses.replace(before, message=(
            f"{before.message} (it passes with the reference {names}: fix {names} first)"))
    own = task.split(".", 1)[1]
    forward = [callee for callee in upstream if callee.endswith("_forward") or callee.endswith("_forward_naive")]
    if "backward" in task and forward:
        return dataclasses.replace(before, message=(
            f"{before.message} (it fails with the reference {_names(forward)}'s cache too: fix {names} first; if "
            f"your {own} expects another cache layout than the one documented in {_names(forward)}'s docstring, "
            "keep the two consistent)"))
    return dataclasses.replace(before, message=(
        f"{before.message} (it fails with the reference {names} too, so {own} itself needs a fix; {names} "
        "fails its own checks as well)"))
