"""Grade a batch of submissions into the class record: the head of `python -m autograde grade`.

The steps, in this order: check every argument (`GradeOptions.check`, before any work), find the submissions,
lock the class record, prepare the grading course, run one job per student on the workers (`student.grade_student`)
recording each result as it arrives (`record.ClassRecord.add`, the gradebook in batched transactions), then rebuild
the whole class's grades.csv, feedback pages and report from the record (`ClassRecord.refresh`).
"""
import dataclasses
import time
from pathlib import Path

from autograde.grade import cluster, parallel, record, student
from autograde.grade.notebooks import course as grading_course
from autograde.grade.report import write_class_report
from autograde.grade.similarity import student_code
from autograde.grade.submissions import discover
from autograde.grade.submissions.roster import Roster
from autograde.nbgrader_adapter.layout import ASSIGNMENT
from autograde.nbgrader_adapter import process
from autograde.nbgrader_adapter.process import skip_slow_imports
from autograde.paths import PROJECT_ROOT

# Students recorded in the gradebook per transaction while a batch runs.
FLUSH_EVERY = 25


class GradeOptionError(ValueError):
    """A grading option is wrong; the message says which and what to do."""


@dataclasses.dataclass(frozen=True)
class Batch:
    """What `grade` did: how it read SUBMISSIONS (`discovery`: layout, description, notes), the graded students'
    final results (sorted), the whole class's, and the seconds of each phase (prepare, students, finish)."""

    discovery: object
    results: list
    class_results: list
    phases: dict


def check_options(*, workers, timeout, only, inherited="keep", known_solutions=None):
    """Raise GradeOptionError for a bad option, before any work is done."""
    if inherited not in ("keep", "penalize"):
        raise GradeOptionError(f"--inherited {inherited}: say 'keep' or 'penalize'")
    if known_solutions is not None and not Path(known_solutions).is_dir():
        raise GradeOptionError(f"--known-solutions {known_solutions}: not a folder; pass the folder of known "
                               "solutions (a folder of code, or a .py file, each)")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise GradeOptionError(f"--workers {workers}: give a whole number of grading processes, at least 1")
    if not timeout or timeout <= 0:
        raise GradeOptionError(f"--timeout {timeout}: give the seconds each library check may take, more than 0")
    if only:
        try:
            student.selected_checks(only)
        except KeyError as error:
            raise GradeOptionError(f"--only: {error.args[0]}") from None


def grade(submissions, *, out, workers=None, scheduler=None, timeout=student.DEFAULT_TIMEOUT,
          project_root=PROJECT_ROOT, only=None, notebooks=True, show_progress=True, db_url=None,
          assignment=ASSIGNMENT, roster=None, on_discovery=None, known_solutions=None, inherited="keep"):
    """Grade every submission in `submissions` into the class record `out`; returns a Batch.

    workers: local processes (default: the machine's cores); scheduler: a Dask scheduler address that replaces the
    local pool; timeout: wall seconds per library check; project_root: the instructor's project (source notebooks,
    course_lib, checks); only: task or check ids to grade (the notebooks are skipped); notebooks: False grades the
    library checks only; db_url: the gradebook's SQLAlchemy URL (default: SQLite gradebook.db in `out/course`);
    assignment: the assignment's folder name where a student's folder holds several (nbgrader's layouts);
    roster: a `Roster` to merge into the class's (names, emails, LMS ids); on_discovery: called with the Discovery
    before any grading (the CLI announces it); known_solutions: a folder of known public solutions (a folder of
    code, or a .py file, each) the similarity check compares every student with; inherited: "keep" (a check that fails only
    because a function it calls is wrong keeps its points) or "penalize".
    Raises GradeOptionError and SubmissionsError (bad input, before any work) and record.RecordBusyError.
    """
    check_options(workers=workers, timeout=timeout, only=only, inherited=inherited, known_solutions=known_solutions)
    if scheduler and (problem := cluster.scheduler_problem(scheduler)):
        raise GradeOptionError(f"--scheduler: {problem}")
    discovery = discover(submissions, assignment=assignment)
    if on_discovery is not None:
        on_discovery(discovery)
    skip_slow_imports()  # this process and its local workers (the initializer below)
    out = Path(out)
    started = time.monotonic()
    with record.locked(out):
        grading_notebooks = notebooks and not only
        course = None
        if grading_notebooks:
            notebooks_dir, bundle_files, course_lib_dir = grading_course.project_sources(project_root)
            course = grading_course.prepare_grading_course(out / "course", notebooks_dir=notebooks_dir,
                                                           bundle_files=bundle_files, course_lib_dir=course_lib_dir,
                                                           db_url=db_url)
        elif (out / "course" / "nbgrader_config.py").is_file():
            # A partial run into a graded class: the class's course still holds its hand grades and notebooks.
            course = grading_course.GradingCourse.from_record(out / "course")
        course_cells = grading_course.course_cells(course) if course is not None else {}
        class_record = record.ClassRecord(out, course, course_cells)
        prepared = time.monotonic()
        cells_data = {notebook: {grade_id: list(values) for grade_id, values in cells.items()}
                      for notebook, cells in course_cells.items()}
        class_roster = Roster.load(out)
        class_roster.merge(discovery.submissions)
        if roster is not None:
            class_roster.update(roster)
        class_roster.save(out)
        hidden = [str(Path(out).resolve()), str(Path(submissions).resolve())]
        bundle = cluster.bundle_identity(project_root).to_dict() if scheduler else None  # what a worker must have
        by_hand = class_record.manual([entry.student for entry in discovery.submissions])
        jobs = {entry.student: {"student": entry.student, "submission": entry,
                                "course": course.to_dict() if grading_notebooks else None, "course_cells": cells_data,
                                "manual": by_hand[entry.student], "hidden": hidden, "bundle": bundle,
                                "options": {"timeout": timeout, "only": only, "inherited": inherited}}
                for entry in discovery.submissions}
        graded = []

        def on_result(result):
            class_record.add(result, partial=not grading_notebooks)
            graded.append(result["student"])
            if len(graded) % FLUSH_EVERY == 0:
                class_record.flush()

        def on_failure(name, message):
            return student.failed_result(name, message, course_cells=course_cells, only=only, grader_error=True)

        parallel.run_jobs(student.grade_student, jobs, workers=workers, scheduler=scheduler, on_failure=on_failure,
                          on_result=on_result, show_progress=show_progress, initializer=skip_slow_imports)
        students_done = time.monotonic()
        finals = class_record.refresh(write_report=lambda results: write_class_report(
            out, notebooks=course.notebooks if course is not None else (), results=results, known_root=known_solutions,
            boilerplate_files=student_code(course.starter_dir) if course is not None else {}))
    finished = time.monotonic()
    batch_results = [result for result in finals if result["student"] in set(graded)]
    return Batch(discovery=discovery, results=batch_results, class_results=finals,
                 phases={"prepare": round(prepared - started, 3), "students": round(students_done - prepared, 3),
                         "finish": round(finished - students_done, 3)})


def refresh(out, *, workers=None, known_solutions=None):
    """Rebuild the class record `out` from its gradebook without grading anyone again: after grading by hand in
    formgrader, the hand grades and comments reach every student's results, feedback pages (nbgrader's included),
    grades.csv and the report. Returns the whole class's final results."""
    out = Path(out)
    if not (out / "course" / "nbgrader_config.py").is_file():
        raise GradeOptionError(f"{out} holds no graded class (no course/nbgrader_config.py); grade it first")
    skip_slow_imports()
    with record.locked(out):
        course = grading_course.GradingCourse.from_record(out / "course")
        course_cells = grading_course.course_cells(course)
        class_record = record.ClassRecord(out, course, course_cells)
        finals = class_record.refresh(write_report=lambda results: write_class_report(
            out, notebooks=course.notebooks, results=results, known_root=known_solutions,
            boilerplate_files=student_code(course.starter_dir)))
        process.generate_feedback(course.layout, [result["student"] for result in finals],
                                  workers=workers or parallel.default_workers())
    return finals
