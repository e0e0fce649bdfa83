"""Grade one student: the job a worker runs (a local process or a Dask worker), with data in and data out.

A job is a dict: `student`, the submission (`submission`: a `submissions.Submission` found on this machine, or
`archive`: the zip's bytes from `submissions.pack`), the grading options, the grading course (`course`: what `notebooks.course.GradingCourse.to_dict` gives, for
a worker that shares this machine's files, else built by the worker itself) and the grades given by hand so far
(`manual`). The result carries back everything the class record needs as data (see `results.student_result`):
the checks, the notebooks' outcome, the autograded notebooks, nbgrader's feedback pages and the student's code.

Whose fault a failure is: a submission that cannot be unpacked is the student's (`error`); anything that fails in
the grader itself is the grader's (`grader_error`), never reported as the student's.
"""
import dataclasses
import tempfile
import time
import traceback
from pathlib import Path

from autograde.checks import spec
from autograde.checks.expected import load_all_expected
from autograde.checks.result import CheckResult
from autograde.grade import merge
from autograde.grade.library import run_library_checks
from autograde.grade.library.inherit import inherit
from autograde.grade.notebooks import course as grading_course
from autograde.grade.notebooks import feedback as notebook_feedback
from autograde.grade.notebooks.supervisor import NotebookLimits, autograde_student
from autograde.grade.results import student_result
from autograde.grade.sandbox import isolation
from autograde.grade.similarity import student_code
from autograde.grade.submissions import UnpackError, unpack, unpack_bytes

DEFAULT_TIMEOUT = 10.0


def selected_checks(only=None):
    """The graded library checks (hidden ones included), or those whose task or check id is in `only`."""
    checks = spec.all_checks(hidden=True)
    if only:
        wanted = set(only)
        unknown = wanted - {check.task for check in checks} - {check.id for check in checks}
        if unknown:
            raise KeyError(f"unknown task or check {', '.join(sorted(unknown))}; tasks are {', '.join(spec.TASKS)}")
        checks = [check for check in checks if check.task in wanted or check.id in wanted]
    return checks


def course_items(course_cells, only=None):
    """The library checks and notebook cells every student is graded on, as zero-point CheckResults with `status`
    filled in later: the same maximum for everyone."""
    checks = [CheckResult(id=check.id, task=check.task, notebook=check.notebook, max_points=check.points,
                          status="error", hidden=check.hidden) for check in selected_checks(only)]
    return merge.merge_results(checks, None, course_cells if not only else {})


def failed_result(student, message, *, course_cells, only=None, status="error", grader_error=False):
    """Every graded item at 0 points with `status` and `message`: a submission that could not be graded."""
    checks = [dataclasses.replace(check, status=status, message=message, points=0.0)
              for check in course_items(course_cells, only)]
    return student_result(student, checks, isolation=isolation.describe(),
                          error="" if grader_error else message, grader_error=message if grader_error else "")


def _unpack(job, scratch, notes):
    if job.get("archive") is not None:
        return unpack_bytes(job["archive"], scratch / "unpacked")
    return unpack(job["submission"], scratch / "unpacked", notes=notes)


def grade_student(job):
    """Grade the submission of one job (see the module docstring); returns the student's result dict."""
    student, options = job["student"], job.get("options", {})
    course = grading_course.GradingCourse.from_dict(job["course"]) if job.get("course") else None
    course_cells = {notebook: {grade_id: tuple(values) for grade_id, values in cells.items()}
                    for notebook, cells in (job.get("course_cells") or {}).items()}
    hidden = tuple(job.get("hidden", ()))
    durations, started, notes = {}, time.monotonic(), []
    with tempfile.TemporaryDirectory(prefix="autograde-student-") as scratch:
        scratch = Path(scratch)
        try:
            student_dir = _unpack(job, scratch, notes)
        except UnpackError as error:
            return failed_result(student, f"the submission could not be unpacked: {error}",
                                 course_cells=course_cells, only=options.get("only"))
        durations["unpack"] = round(time.monotonic() - started, 3)
        step = time.monotonic()
        checks_to_run, expected = selected_checks(options.get("only")), load_all_expected()
        timeout = options.get("timeout", DEFAULT_TIMEOUT)
        library, log = run_library_checks(student_dir, checks_to_run, expected, scratch_dir=scratch / "library",
                                          timeout=timeout, hidden=hidden)
        durations["library_checks"] = round(time.monotonic() - step, 3)
        step = time.monotonic()
        library = inherit(library, checks_to_run, expected, student_dir=student_dir, scratch_dir=scratch / "inherit",
                          timeout=timeout, hidden=hidden, penalize=options.get("inherited") == "penalize")
        durations["inherited_reruns"] = round(time.monotonic() - step, 3)
        outcome, autograded, pages, grader_error = None, {}, {}, ""
        if course is not None:
            step = time.monotonic()
            try:
                outcome = autograde_student(student_dir, student=student, course=course,
                                            scratch_dir=scratch / "notebooks", hidden=hidden,
                                            limits=NotebookLimits(**options.get("notebook_limits", {})))
                autograded = outcome.pop("autograded")
            except Exception:  # the library points stand; the notebooks' failure is the grader's, said as such
                grader_error = "grading the notebooks failed:\n" + traceback.format_exc(limit=-3)
            durations["notebooks"] = round(time.monotonic() - step, 3)
        checks = merge.merge_results(library, outcome, course_cells if course is not None else {})
        result = student_result(student, checks, isolation=isolation.describe(), durations=durations, log=log,
                                grader_error=grader_error, outcome=outcome, autograded=autograded)
        result["notes"] = notes
        result["code"] = student_code(student_dir)
        if autograded:
            step = time.monotonic()
            manual = job.get("manual") or {}
            scores = merge.apply_manual_grades(result["checks"], manual.get("scores", {}), manual.get("comments", {}),
                                               course_cells)
            cell_scores, comments = merge.gradebook_scores(scores, course_cells, outcome)
            try:
                pages = notebook_feedback.nbgrader_feedback(
                    course, student, autograded=autograded, cell_scores=cell_scores, comments=comments,
                    manual_scores=manual.get("scores", {}), manual_comments=manual.get("comments", {}),
                    scratch_dir=scratch)
            except Exception as error:  # the grades stand; only nbgrader's own pages are missing, and say so
                result["notes"].append(f"nbgrader's feedback could not be made: {type(error).__name__}: {error}")
            durations["nbgrader_feedback"] = round(time.monotonic() - step, 3)
        result["nbgrader_feedback"] = pages
    durations["total"] = round(time.monotonic() - started, 3)
    result["durations"] = durations
    return result
