"""`python -m autograde grade`: autograde every submission in a folder, in parallel, tamper-resistant.

Per student (`grade_student`, run in a worker process or on a Dask worker): unpack into a scratch folder
(`unpack`) -> trusted library checks, the student's course_lib in a sandboxed child and the comparison here
(`library_checks`) -> the notebook half (`notebooks.grade_notebooks`: nbgrader autograde and the merge that marks
`tampered`). Per batch (`grade`): `notebooks.prepare_batch` before the workers start, `notebooks.finish_batch`
after they end (gradebook, manual grades, feedback, report; local workers record their own student and make
its nbgrader feedback right after grading it, and the finish does what they did not), then
`results/<student>.json` and `grades.csv`.

The notebook half is optional: when `autograde/grade/notebooks.py` is absent, only the library checks are graded.
Its contract (all keyword arguments; everything passed between processes is JSON-able):

- `prepare_batch(out_dir: Path, *, course_dir: Path) -> dict` (main process, once): the context for the workers.
- `grade_notebooks(student_dir: Path, *, student: str, library_results: list[CheckResult], context: dict,
  scratch_dir: Path, timeout: float) -> list[CheckResult]` (worker): the student's final check list, i.e.
  `library_results` (statuses turned to `tampered` where the notebook cell passed but the trusted checks did not)
  plus the notebook-only checks.
- `finish_batch(out_dir: Path, results: list[dict], *, context: dict) -> list[dict]` (main process, once): the
  final student results (e.g. with manual grades added), after writing the gradebook, feedback and report.
"""
import importlib
import tempfile
import time
import traceback
from pathlib import Path

from autograde.checks import spec
from autograde.checks.expected import load_all_expected
from autograde.grade import launch, library_checks, parallel, sandbox
from autograde.checks.result import CheckResult
from autograde.grade.results import student_result, write_grades_csv, write_student_json
from autograde.grade.unpack import UnpackError, find_submissions, unpack_submission

COURSE_DIR = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS_MODULE = "autograde.grade.notebooks"
DEFAULT_TIMEOUT = 10.0


def notebook_hooks():
    """The notebook half (`autograde.grade.notebooks`), or None when that module is not there."""
    try:
        return importlib.import_module(NOTEBOOKS_MODULE)
    except ModuleNotFoundError as error:
        if error.name == NOTEBOOKS_MODULE:
            return None
        raise


def selected_checks(only=None):
    """The graded checks (hidden ones included when present), or those whose task or id is in `only`."""
    checks = spec.all_checks()
    if only:
        wanted = set(only)
        unknown = wanted - {check.task for check in checks} - {check.id for check in checks}
        if unknown:
            raise KeyError(f"only: unknown task or check {', '.join(sorted(unknown))}; tasks are "
                           f"{', '.join(spec.TASKS)}")
        checks = [check for check in checks if check.task in wanted or check.id in wanted]
    return checks


def failed_result(student, message, *, only=None, status="error", isolation="", durations=None):
    """Every selected check at 0 points with `status` and `message`: a submission that could not be graded."""
    checks = [CheckResult(id=check.id, task=check.task, notebook=check.notebook, max_points=check.points,
                          status=status, message=message, hidden=check.hidden) for check in selected_checks(only)]
    return student_result(student, checks, isolation=isolation, durations=durations, error=message)


def grade_student(entry, *, student, timeout=DEFAULT_TIMEOUT, only=None, notebook_context=None):
    """Grade one submission (a folder or .zip at `entry`); returns the student's result as a JSON-able dict.

    timeout: wall seconds per library check; only: task or check ids to grade (default: all);
    notebook_context: what `notebooks.prepare_batch` returned (None: the notebook half is skipped).
    """
    durations = {}
    started = time.monotonic()
    level = sandbox.describe_isolation()
    with tempfile.TemporaryDirectory(prefix="autograde-student-") as scratch:
        scratch = Path(scratch)
        try:
            student_dir = unpack_submission(entry, scratch / "unpacked")
        except UnpackError as error:
            return failed_result(student, f"the submission could not be unpacked: {error}", only=only,
                                 isolation=level)
        durations["unpack"] = round(time.monotonic() - started, 3)
        expected = load_all_expected()
        step_started = time.monotonic()
        checks, log = library_checks.run_library_checks(student_dir, selected_checks(only), expected,
                                                        scratch_dir=scratch / "sandbox", timeout=timeout)
        durations["library_checks"] = round(time.monotonic() - step_started, 3)
        hooks = notebook_hooks() if notebook_context is not None else None
        error = ""
        if hooks is not None:
            step_started = time.monotonic()
            try:
                checks = hooks.grade_notebooks(student_dir, student=student, library_results=checks,
                                               context=notebook_context, scratch_dir=scratch / "notebooks",
                                               timeout=timeout)
            except Exception:  # the library points stand even when the notebook half fails
                error = "grading the notebooks failed:\n" + traceback.format_exc(limit=-3)
            durations["notebooks"] = round(time.monotonic() - step_started, 3)
    durations["total"] = round(time.monotonic() - started, 3)
    return student_result(student, checks, isolation=level, durations=durations, log=log, error=error)


def grade(submissions, *, out, workers=None, scheduler=None, timeout=DEFAULT_TIMEOUT, course_dir=COURSE_DIR,
          only=None, notebooks=True, show_progress=True, db_url=None):
    """Grade every folder or .zip in `submissions`; write `out/results/<id>.json` and `out/grades.csv`.

    workers: local processes (default: the machine's cores); scheduler: a Dask scheduler address that replaces
    the local pool; timeout: wall seconds per library check; course_dir: the instructor's course folder (source
    notebooks); only: task or check ids to grade; notebooks: run the notebook half when it is installed;
    db_url: the gradebook's SQLAlchemy URL (default: SQLite gradebook.db in `out/course`).
    Returns the student results (dicts), sorted by student id.
    """
    launch.skip_slow_imports()  # this process and its local workers; see autograde/grade/launch.py
    out = Path(out)
    entries = find_submissions(submissions)
    selected_checks(only)
    hooks = notebook_hooks() if notebooks else None
    context = hooks.prepare_batch(out, course_dir=Path(course_dir), db_url=db_url) if hooks is not None else None
    if context is not None:
        # Local workers share this machine's course folder: each records its student and makes the student's
        # nbgrader feedback as soon as it is graded. Dask workers may be elsewhere: the finish does it for them.
        context = {**context, "workers": workers or parallel.default_workers(), "publish_in_workers": not scheduler}
    jobs = {student: {"entry": str(entry), "student": student, "timeout": timeout, "only": only,
                      "notebook_context": context} for student, entry in entries.items()}

    def on_failure(student, message):
        return failed_result(student, message, only=only)

    by_student = parallel.run_jobs(grade_student, jobs, workers=workers, scheduler=scheduler,
                                   on_failure=on_failure, show_progress=show_progress,
                                   initializer=launch.skip_slow_imports)
    results = [by_student[student] for student in sorted(by_student)]
    if hooks is not None:
        results = sorted(hooks.finish_batch(out, results, context=context), key=lambda result: result["student"])
    for result in results:
        write_student_json(out, result)
    write_grades_csv(out, results)
    return results

