"""One student's check list from the trusted library results, nbgrader's cell scores and the grades given by hand.

- Library tasks (a grade cell whose task has trusted results) keep the trusted per-check results: partial credit
  per check, decided outside the student's kernel. When the task's notebook test cell PASSED in nbgrader but a
  PUBLIC trusted check did not, those checks become `tampered`: the notebook's own check claimed a success the
  trusted grader does not see. (Hidden checks run only in the trusted grader, never in the kernel, so their failures
  are ordinary failures.)
- Notebook-only tasks (every other autograder test cell, `nb.<Notebook>.<what>`) take nbgrader's cell score.
- Written answers (cells graded by hand) are always listed, so every student has the same maximum: `pending` until
  a grader scores them in formgrader, `fail` with 0 points when left unanswered, `missing` with the notebook.
- A test cell that was deleted, edited, re-typed or given more points adds a 0-point `<task>.test_cell` check with
  status `tampered` (nbgrader restored the cell and the gradebook's points count).

`course_cells` everywhere is {notebook: {grade_id: (max_score, cell_type, is_manual)}}, the grading course's graded
cells (`course.course_cells`); `outcome` is what `notebooks.supervisor.autograde_student` returns (None when the
notebooks were not graded).
"""
import dataclasses

from autograde.checks.result import CheckResult
from autograde.checks.spec import CALLS, TASKS, task_for_grade_id

TAMPERED_PREFIX = "the notebook's own check reported success but the trusted check failed: "
# The library tasks whose code a notebook-only task runs (the models it trains, the layer it calls): when the
# notebook task fails and one of these fails its own checks, the feedback names it as the likely cause.
NOTEBOOK_TASK_NEEDS = {
    "nb.FullyConnectedNets.two_layer_solver": ("fc_net.TwoLayerNet",),
    "nb.FullyConnectedNets.overfit_three_layer": ("fc_net.FullyConnectedNet",),
    "nb.FullyConnectedNets.overfit_five_layer": ("fc_net.FullyConnectedNet",),
    "nb.FullyConnectedNets.best_model": ("fc_net.FullyConnectedNet", "optim.adam"),
    "nb.BatchNormalization.deep_net_with_batchnorm": ("fc_net.FullyConnectedNet_normalization",),
    "nb.ConvolutionalNetworks.image_filters": ("layers.conv_forward_naive",),
    "nb.ConvolutionalNetworks.overfit_small_data": ("cnn.ThreeLayerConvNet",),
    "nb.ConvolutionalNetworks.trained_val_accuracy": ("cnn.ThreeLayerConvNet",),
}
NOTEBOOK_STATUS = {"missing": "missing", "unreadable": "error", "timeout": "timeout", "error": "error"}
CELL_STATUS = {"pass": "pass", "fail": "fail", "error": "error", "timeout": "timeout"}


def answer_labels(course_cells):
    """{(notebook, grade_id): "Inline question N"} for the written answers, numbered per notebook in cell order."""
    labels = {}
    for notebook, cells in course_cells.items():
        answers = [grade_id for grade_id, (_, _, is_manual) in cells.items() if is_manual]
        for number, grade_id in enumerate(answers, start=1):
            labels[notebook, grade_id] = f"Inline question {number}"
    return labels


def _notebook_entry(outcome, notebook):
    if outcome is None:
        return {"status": "error", "message": "the notebooks were not graded", "cells": {}, "tampering": {}}
    return outcome["notebooks"].get(notebook) or {"status": "missing", "message": f"{notebook} was not graded",
                                                  "cells": {}, "tampering": {}}


def _notebook_only_check(task, notebook, entry, grade_id, max_score):
    if entry["status"] != "graded":
        return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score,
                           status=NOTEBOOK_STATUS.get(entry["status"], "error"), message=entry["message"])
    cell = entry["cells"].get(grade_id)
    if cell is None:
        return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status="error",
                           message="nbgrader recorded no result for this cell")
    points = float(cell["auto_score"] or 0.0)
    status = "pass" if points >= max_score else CELL_STATUS.get(cell["outcome"], "fail")
    if status == "pass" and cell["outcome"] != "pass":
        status = "fail"
    return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status=status,
                       message=cell["message"], points=points)


def _answer_check(task, notebook, entry, grade_id, max_score, label):
    if entry["status"] != "graded":
        # A missing or unreadable notebook holds no answer a grader could read; one that ran out of time does.
        status = NOTEBOOK_STATUS[entry["status"]] if entry["status"] in ("missing", "unreadable") else "pending"
        return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status=status,
                           message="to be graded by hand" if status == "pending" else entry["message"], label=label)
    cell = entry["cells"].get(grade_id) or {}
    if cell.get("auto_score", None) is None:
        return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status="pending",
                           message="to be graded by hand", label=label)
    return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status="fail",
                       message="left unanswered", points=0.0, label=label)


def likely_cause(task, library_results):
    """The first library task (in task order) that a failing notebook task needs, directly or through the functions
    those call, and that fails its own checks; None when every one of them passes."""
    needed = set()
    for need in NOTEBOOK_TASK_NEEDS.get(task, ()):
        needed |= {need, *CALLS.get(need, ())}
    failing = {check.task for check in library_results if check.status not in ("pass", "inherited")}
    return next((name for name in TASKS if name in needed and name in failing), None)


def _with_cause(check, library_results):
    if check.status == "pass":
        return check
    cause = likely_cause(check.task, library_results)
    if cause is None:
        return check
    return dataclasses.replace(check, message=(check.message + f" (most likely because {cause} fails its own "
                                                               "checks: fix it first)").strip())


def _mark_tampered(check):
    if check.status in ("pass", "inherited") or check.hidden:
        return check
    return dataclasses.replace(check, status="tampered", message=TAMPERED_PREFIX + check.message)


def merge_results(library_results, outcome, course_cells):
    """The student's final checks: `library_results` (trusted `CheckResult`s, some turned `tampered`), then per
    notebook the notebook-only checks, the written answers and the `tampered` findings on test cells."""
    by_task = {}
    for check in library_results:
        by_task.setdefault(check.task, []).append(check)
    merged = {check.id: check for check in library_results}
    labels = answer_labels(course_cells)
    extra = []
    for notebook, cells in course_cells.items():
        entry = _notebook_entry(outcome, notebook)
        for grade_id, (max_score, _cell_type, is_manual) in cells.items():
            task = task_for_grade_id(grade_id)
            if is_manual:
                extra.append(_answer_check(task, notebook, entry, grade_id, max_score, labels[notebook, grade_id]))
                continue
            if task in by_task:
                cell = entry["cells"].get(grade_id)
                if entry["status"] == "graded" and cell is not None and cell["outcome"] == "pass":
                    for check in by_task[task]:
                        merged[check.id] = _mark_tampered(check)
            else:
                extra.append(_with_cause(_notebook_only_check(task, notebook, entry, grade_id, max_score),
                                         library_results))
            if grade_id in entry.get("tampering", {}):
                extra.append(CheckResult(id=f"{task}.test_cell", task=task, notebook=notebook, max_points=0.0,
                                         status="tampered", message=entry["tampering"][grade_id]))
    return [merged[check.id] for check in library_results] + extra


def gradebook_scores(checks, course_cells, outcome):
    """What to write into the gradebook for one student: ({notebook: {grade_id: auto_score}}, comments).

    A library task's cell gets the sum of its trusted check points (so formgrader's totals match grades.csv), a
    notebook-only cell its check's points, an answer cell nbgrader's value (None: to be graded by hand; 0: left
    unanswered). checks: result dicts."""
    points_by_task = {}
    for check in checks:
        if not check["id"].endswith((".test_cell", ".manual_adjustment")):
            points_by_task[check["task"]] = points_by_task.get(check["task"], 0.0) + float(check["points"])
    cell_scores, comments = {}, {}
    for notebook, cells in course_cells.items():
        entry = _notebook_entry(outcome, notebook)
        scores = cell_scores.setdefault(notebook, {})
        comments[notebook] = dict(entry.get("comments", {}))
        for grade_id, (_max_score, _cell_type, is_manual) in cells.items():
            task = task_for_grade_id(grade_id)
            if is_manual:
                cell = entry["cells"].get(grade_id)
                scores[grade_id] = cell["auto_score"] if cell is not None else None
            else:
                scores[grade_id] = round(points_by_task.get(task, 0.0), 6)
    return cell_scores, comments


def apply_manual_grades(checks, manual_scores, manual_comments, course_cells):
    """`checks` (result dicts) with the grades entered by hand in formgrader.

    manual_scores / manual_comments: {notebook: {grade_id: value}} (`gradebook.manual_grades`). A written answer
    graded by hand passes at full marks, else fails; a grader's comment on any cell is added to its check's message
    (the first check of a library task); a test cell whose score a grader overrode gets its points replaced
    (notebook-only) or a 0-max `<task>.manual_adjustment` entry (library tasks), so totals match formgrader's.
    """
    checks = [dict(check) for check in checks]
    by_id = {check["id"]: check for check in checks}
    for notebook, cells in course_cells.items():
        scores, comments = manual_scores.get(notebook, {}), manual_comments.get(notebook, {})
        for grade_id, (max_score, _cell_type, is_manual) in cells.items():
            task = task_for_grade_id(grade_id)
            score, comment = scores.get(grade_id), comments.get(grade_id)
            own = by_id.get(task)
            if is_manual and own is not None:
                if score is not None:
                    own.update(points=float(score), status="pass" if score >= max_score else "fail",
                               message=f"graded by hand: {score:g} of {max_score:g} points")
                if comment:
                    own["message"] = (own["message"] + f"\nGrader's comment: {comment}").strip()
                continue
            if comment:
                commented = own or next((check for check in checks if check["task"] == task), None)
                if commented is not None:
                    commented["message"] = (commented["message"] + f"\nGrader's comment: {comment}").strip()
            if score is None:
                continue
            if own is not None:
                own["message"] = (own["message"] + f" (score set by hand in formgrader: {score:g})").strip()
                own["points"] = float(score)
                continue
            trusted = sum(check["points"] for check in checks if check["task"] == task)
            checks.append(CheckResult(id=f"{task}.manual_adjustment", task=task, notebook=notebook,
                                      max_points=0.0, status="pass", points=round(score - trusted, 6),
                                      message=f"score of the test cell set by hand in formgrader: {score:g} "
                                              f"(trusted checks: {trusted:g})").to_dict())
    return checks


def pending_answers(checks):
    """The written answers of a check list still to be graded by hand: [{"id", "label", "notebook", "max_points"}]."""
    return [{"id": check["id"], "label": check.get("label", ""), "notebook": check["notebook"],
             "max_points": check["max_points"]} for check in checks if check["status"] == "pending"]
