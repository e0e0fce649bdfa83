"""Merge the trusted library results with nbgrader's cell scores into one student's check list.

- Library tasks (a grade cell whose task has trusted results) keep the trusted per-check results: partial credit
  per check, decided outside the student's kernel. When the task's notebook test cell PASSED in nbgrader but some
  trusted check did not, those checks become `tampered`: the notebook's own check claimed success.
- Notebook-only tasks (every other autograder test cell, `nb.<Notebook>.<what>`) take nbgrader's cell score: one
  check whose id is the task id, with status pass, fail, error or timeout and the cell's (trimmed) error message;
  a failure in a hidden test never shows the test's code or values.
- A test cell that was deleted, edited, re-typed or given more points adds a 0-point `<task>.test_cell` check with
  status `tampered` (nbgrader restored the cell and the gradebook's points count).
- A notebook that is missing makes its notebook-only checks `missing`; the library checks still count.

The input `outcome` is what `notebooks.autograde_student` returns; results are `results.CheckResult`s.
"""
import dataclasses

from autograde.checks.result import CheckResult

TAMPERED_PREFIX = "the notebook's own check reported success but the trusted check failed: "
NOTEBOOK_STATUS = {"missing": "missing", "unreadable": "error", "timeout": "timeout", "error": "error"}
CELL_STATUS = {"pass": "pass", "fail": "fail", "error": "error", "timeout": "timeout"}


def task_for_grade_id(grade_id):
    """`layers-affine_forward` -> `layers.affine_forward` (the inverse of `checks.spec.grade_id_for`)."""
    return grade_id.replace("-", ".")


def _grade_cells(entry):
    """{grade_id: (max_score, cell_type, is_manual)} of one notebook entry of an outcome."""
    return {grade_id: tuple(values) for grade_id, values in entry["grade_cells"].items()}


def _notebook_only_check(task, notebook, entry, grade_id, max_score):
    if entry["status"] != "graded":
        status = NOTEBOOK_STATUS[entry["status"]]
        return CheckResult(id=task, task=task, notebook=notebook, max_points=max_score, status=status,
                           message=entry["message"])
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


def _mark_tampered(check):
    if check.status == "pass":
        return check
    return dataclasses.replace(check, status="tampered", message=TAMPERED_PREFIX + check.message)


def merge_results(library_results, outcome):
    """The student's final checks: `library_results` (trusted `CheckResult`s, some turned `tampered`), then per
    notebook the notebook-only checks and the `tampered` findings on test cells, in notebook cell order."""
    by_task = {}
    for check in library_results:
        by_task.setdefault(check.task, []).append(check)
    merged = {check.id: check for check in library_results}
    extra = []
    for notebook, entry in outcome["notebooks"].items():
        for grade_id, (max_score, _cell_type, is_manual) in _grade_cells(entry).items():
            if is_manual:
                continue
            task = task_for_grade_id(grade_id)
            if task in by_task:
                cell = entry["cells"].get(grade_id)
                if entry["status"] == "graded" and cell is not None and cell["outcome"] == "pass":
                    for check in by_task[task]:
                        merged[check.id] = _mark_tampered(check)
            else:
                extra.append(_notebook_only_check(task, notebook, entry, grade_id, max_score))
            if grade_id in entry["tampering"]:
                extra.append(CheckResult(id=f"{task}.test_cell", task=task, notebook=notebook, max_points=0.0,
                                         status="tampered", message=entry["tampering"][grade_id]))
    return [merged[check.id] for check in library_results] + extra


def gradebook_scores(outcome, checks):
    """What to write into the gradebook for one student: ({notebook: {grade_id: auto_score}}, comments).

    A library task's cell gets the sum of its trusted check points (so formgrader's totals match grades.csv), a
    notebook-only cell nbgrader's score, an answer cell nbgrader's value (None: to be graded by hand; 0: left
    unanswered). Every cell of a missing notebook scores 0 except the library cells. checks: result dicts.
    """
    points_by_task = {}
    for check in checks:
        points_by_task[check["task"]] = points_by_task.get(check["task"], 0.0) + float(check["points"])
    library_tasks = {check["task"] for check in checks if not check["id"].endswith(".test_cell")
                     and check["id"] != check["task"]}
    cell_scores, comments = {}, {}
    for notebook, entry in outcome["notebooks"].items():
        scores = cell_scores.setdefault(notebook, {})
        comments[notebook] = dict(entry.get("comments", {}))
        for grade_id, (_max_score, _cell_type, is_manual) in _grade_cells(entry).items():
            task = task_for_grade_id(grade_id)
            cell = entry["cells"].get(grade_id)
            if task in library_tasks:
                scores[grade_id] = round(points_by_task[task], 6)
            elif is_manual:
                scores[grade_id] = cell["auto_score"] if cell is not None else 0.0
            else:
                scores[grade_id] = round(points_by_task.get(task, 0.0), 6)
    return cell_scores, comments


def add_manual_grades(result, outcome, manual_scores, grade_cells):
    """`result` with the grades entered by hand in formgrader.

    manual_scores: {notebook: {grade_id: score}} (`gradebook.manual_scores`); grade_cells: {notebook: {grade_id:
    (max_score, cell_type, is_manual)}}. An answer cell graded by hand becomes a check (pass at full marks, else
    fail); a test cell whose score a grader overrode gets its points replaced (notebook-only) or a 0-max
    `<task>.manual_adjustment` entry (library tasks), so totals match formgrader's. Answer cells not graded yet
    are listed under `manual_pending` ({"id", "notebook", "max_points"}).
    """
    checks = [dict(check) for check in result["checks"]]
    pending = []
    for notebook, cells in grade_cells.items():
        by_hand = manual_scores.get(notebook, {})
        entry = (outcome or {}).get("notebooks", {}).get(notebook, {})
        for grade_id, (max_score, _cell_type, is_manual) in cells.items():
            task = task_for_grade_id(grade_id)
            score = by_hand.get(grade_id)
            if is_manual:
                if score is not None:
                    checks.append(CheckResult(
                        id=task, task=task, notebook=notebook, max_points=max_score,
                        status="pass" if score >= max_score else "fail", points=score,
                        message=f"graded by hand: {score:g} of {max_score:g} points").to_dict())
                elif (entry.get("cells", {}).get(grade_id) or {}).get("auto_score", 0.0) is None:
                    pending.append({"id": task, "notebook": notebook, "max_points": max_score})
                continue
            if score is None:
                continue
            own = [check for check in checks if check["id"] == task]
            if own:
                own[0]["message"] = (own[0]["message"] + f" (score set by hand in formgrader: {score:g})").strip()
                own[0]["points"] = score
                continue
            trusted = sum(check["points"] for check in checks if check["task"] == task)
            checks.append(CheckResult(id=f"{task}.manual_adjustment", task=task, notebook=notebook,
                                      max_points=0.0, status="pass", points=round(score - trusted, 6),
                                      message=f"score of the test cell set by hand in formgrader: {score:g} "
                                              f"(trusted checks: {trusted:g})").to_dict())
    return {**result, "checks": checks, "manual_pending": pending}
