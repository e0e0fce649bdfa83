"""The notebook half of grading: nbgrader autograde of one student in a private scratch course.

The grading pipeline (`autograde.grade`) calls three hooks:

- `prepare_batch(out_dir, *, course_dir)` (main process, once): creates or refreshes the persistent grading
  course `<out_dir>/course` (`gradebook.prepare_grading_course`) and returns the JSON-able context for workers.
- `grade_notebooks(student_dir, *, student, library_results, context, scratch_dir, timeout)` (worker, picklable):
  copies the course skeleton (config, source, a copy of the skeleton gradebook) into `scratch_dir`, places the
  submission in `submitted/<student>/assignment2/` without its `autograde/` folder (the instructor's bundle from
  source/ replaces it), runs `nbgrader autograde` there under a wall-clock limit, an address-space limit and a
  kernel that imports `course_lib` and `autograde` only from the submission; then merges nbgrader's cell scores
  with the trusted library results (`merge.merge_results`). The cell scores go to
  `<course>/.autograde/pending/<student>.json`. A local worker (context "publish_in_workers") then records its
  student in the persistent gradebook, one worker at a time under `gradebook.writer_lock`, and makes the
  student's nbgrader feedback in its own process (`publish_student`).
- `finish_batch(out_dir, results, *, context)` (main process, once): records the students no worker recorded
  (auto scores only; manual grades are kept and added to the results), writes the per-student feedback pages,
  nbgrader's own feedback where no worker made it, and `report.html`.
"""
import io
import json
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import nbformat
from nbgrader import utils as nbgrader_utils
from nbconvert.preprocessors import Preprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests

from autograde.grade import feedback, gradebook, launch, merge, pids, report, sandbox
from autograde.grade.gradebook import ASSIGNMENT

NOTEBOOK_TIMEOUT_SECONDS = 900
MEMORY_LIMIT_BYTES = 4 * 2**30
# Processes and threads of one student's nbgrader run and its kernels (autograde/grade/pids.py): the reference
# submission's run peaked at 24 (nbgrader, the kernel, their ZMQ and IPython threads, bubblewrap).
NOTEBOOK_RUN_TASKS = 256
# Disk: no single file over NOTEBOOK_FILE_BYTES (RLIMIT_FSIZE), and the run is stopped once its scratch course holds
# more than NOTEBOOK_DISK_BYTES (checked every NOTEBOOK_DISK_POLL_SECONDS); the sandbox's /tmp is a capped tmpfs.
NOTEBOOK_FILE_BYTES = 512 * 2**20
NOTEBOOK_DISK_BYTES = 2 * 2**30
NOTEBOOK_DISK_POLL_SECONDS = 0.5
MESSAGE_CHARACTERS = 600
# Autograded notebooks larger than this (outputs included) get their nbgrader feedback from the batch's finish, in
# a separate process, rather than in the grading worker.
FEEDBACK_IN_WORKER_MAX_BYTES = 20 * 2**20
RUN_MARKER_VARIABLE = "AUTOGRADE_NOTEBOOK_RUN"
# Set by the grader for its nbgrader runner: the pipe to report on, and whether the run has its own PID namespace.
RESULT_FD_VARIABLE = "AUTOGRADE_RESULT_FD"
PRIVATE_PIDS_VARIABLE = "AUTOGRADE_PRIVATE_PIDS"
RESULT_STREAM_MAX_BYTES = 512 * 2**20
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")

# Runs at the start of every grading kernel (IPython profile startup file). Without it, a submission whose
# course_lib (or autograde bundle) is missing would import the instructor's copy installed in the environment.
KERNEL_STARTUP = '''"""Grading kernel: course_lib and autograde are imported from the submission folder only."""
import importlib.machinery
import os
import sys

_SUBMISSION_DIR = os.getcwd()


class _SubmissionOnlyFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in ("course_lib", "autograde"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, [_SUBMISSION_DIR])
        if spec is None:
            raise ModuleNotFoundError(f"{name} is not in the submitted folder", name=name)
        return spec


sys.meta_path.insert(0, _SubmissionOnlyFinder)
'''


def prepare_batch(out_dir, *, course_dir, db_url=None, cell_timeout=gradebook.CELL_TIMEOUT_SECONDS,
                  notebook_timeout=NOTEBOOK_TIMEOUT_SECONDS, memory_limit_bytes=MEMORY_LIMIT_BYTES):
    """Create or refresh `<out_dir>/course` from the instructor's `course_dir` (source notebooks in
    `course_dir/notebooks`, checks bundle in `course_dir/autograde`); returns the workers' context (a dict).

    db_url: SQLAlchemy URL of the gradebook (default SQLite `<out_dir>/course/gradebook.db`);
    cell_timeout: seconds per notebook cell; notebook_timeout: wall seconds for all notebooks of one student;
    memory_limit_bytes: address-space limit of nbgrader and the student's kernel.
    """
    course_dir = Path(course_dir)
    course = gradebook.prepare_grading_course(
        Path(out_dir) / "course", notebooks_dir=course_dir / "notebooks", bundle_root=course_dir,
        db_url=db_url, course_lib_dir=course_dir / "course_lib", cell_timeout=cell_timeout)
    return {
        "course_root": str(course.root),
        "db_url": course.db_url,
        "notebooks": list(course.notebooks),
        "cell_timeout": cell_timeout,
        "notebook_timeout": notebook_timeout,
        "memory_limit_bytes": memory_limit_bytes,
    }


def course_from_context(context):
    return gradebook.GradingCourse(root=Path(context["course_root"]), db_url=context["db_url"],
                                   notebooks=tuple(context["notebooks"]), cell_timeout=context["cell_timeout"])


def pending_path(course, student):
    return course.root / ".autograde" / "pending" / f"{student}.json"


def grade_notebooks(student_dir, *, student, library_results, context, scratch_dir, timeout=None):
    """Autograde the notebooks of one unpacked submission and merge them with the trusted library results.

    student_dir: the unpacked submission (notebooks, course_lib, maybe a copy of autograde/);
    library_results: the trusted `CheckResult`s of the library checks; context: what `prepare_batch` returned;
    scratch_dir: a private folder for the scratch course; timeout: the per-library-check timeout of the caller
    (unused: the notebooks run under `context["notebook_timeout"]`).
    Returns the student's final list of `CheckResult`s.
    """
    course = course_from_context(context)
    outcome = autograde_student(Path(student_dir), student=student, course=course, scratch_dir=Path(scratch_dir),
                                notebook_timeout=context["notebook_timeout"],
                                memory_limit_bytes=context["memory_limit_bytes"])
    autograded = outcome.pop("autograded")
    gradebook.copy_autograded_notebooks(course, student, autograded)
    checks = merge.merge_results(library_results, outcome)
    if context.get("publish_in_workers"):
        outcome["published"] = publish_student(course, student, outcome, checks)
    pending = pending_path(course, student)
    pending.parent.mkdir(parents=True, exist_ok=True)
    pending.write_text(json.dumps(outcome), encoding="utf-8")
    return checks


def publish_student(course, student, outcome, checks):
    """Record one student's scores in the persistent gradebook (under the writer lock) and make nbgrader's feedback
    for them, in the worker right after grading, so that this work runs in parallel like the grading itself.

    checks: the student's merged `CheckResult`s. Returns {"recorded": bool, "feedback": bool, "message": why not}:
    `finish_batch` records the student or makes the feedback itself for whatever was not done here.
    """
    published = {"recorded": False, "feedback": False, "message": ""}
    cell_scores, comments = merge.gradebook_scores(outcome, [check.to_dict() for check in checks])
    try:
        with gradebook.writer_lock(course):
            gradebook.record_student(course, student, cell_scores, comments)
        published["recorded"] = True
        autograded = course.autograded_dir(student)
        size = sum(path.stat().st_size for path in autograded.glob("*.ipynb")) if autograded.is_dir() else 0
        if size > FEEDBACK_IN_WORKER_MAX_BYTES:
            # Huge outputs: exporting them here could take the worker's memory, and this student's job with it.
            # The finish exports them in a separate nbgrader process, where a failure costs only the HTML.
            published["message"] = f"autograded notebooks of {size} bytes: nbgrader feedback left to the finish"
            return published
        if size:
            feedback.generate_nbgrader_feedback_here(course, student)
        published["feedback"] = True
    except Exception as error:  # the batch's finish does it again; the grades are not affected
        published["message"] = f"{type(error).__name__}: {error}"
    return published


def _copy_submission(student_dir, destination):
    """Copy the submission without symlinks, caches and its own `autograde/` (the instructor's replaces it)."""
    def ignored(folder, names):
        skip = {"__pycache__", ".ipynb_checkpoints"}
        if Path(folder) == student_dir:
            skip.add("autograde")
        return [name for name in names if name in skip or os.path.islink(os.path.join(folder, name))]

    shutil.copytree(student_dir, destination, ignore=ignored)


def _write_scratch_course(scratch, course):
    scratch.mkdir(parents=True, exist_ok=True)
    scratch_db = gradebook.sqlite_url(scratch / "gradebook.db")
    shutil.copy2(course.skeleton_db, scratch / "gradebook.db")
    shutil.copytree(course.source_dir, scratch / "source" / ASSIGNMENT)
    (scratch / "nbgrader_config.py").write_text(gradebook.nbgrader_config_text(
        db_url=scratch_db, cell_timeout=course.cell_timeout))
    startup = scratch / "ipython" / "profile_default" / "startup" / "00-submission-only.py"
    startup.parent.mkdir(parents=True)
    startup.write_text(KERNEL_STARTUP)
    return scratch_db


def _read_notebook(path):
    """The notebook at `path`, or the reason it cannot be graded (str)."""
    try:
        return nbformat.read(path, as_version=4)
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8 text"
    except Exception as error:  # nbformat raises many types for a corrupt file; each means "not a notebook"
        return f"{path.name} could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"


def hidden_lines(source, delimiters=("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")):
    """1-based line numbers of `source` inside (and on) hidden-test delimiters."""
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if delimiters[0] in line:
            inside = True
        if inside:
            lines.add(number)
        if delimiters[1] in line:
            inside = False
    return lines


def _student_source(instructor_source):
    """What a grade cell's source is in the released notebook: the instructor's without its hidden tests."""
    cell = nbformat.v4.new_code_cell(instructor_source)
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


def tampering_findings(notebook, recorded_cells, grade_max):
    """Messages for the graded cells a submitted notebook changed: deleted, edited, points raised, type changed.

    recorded_cells: `gradebook.source_cells`; grade_max: {grade_id: (max_score, cell_type, is_manual)}.
    nbgrader restores these cells itself; the findings only tell the instructor.
    """
    submitted = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            submitted[grade_id] = cell
    findings = {}
    for grade_id, (max_score, cell_type, is_manual) in grade_max.items():
        if is_manual:
            continue
        cell = submitted.get(grade_id)
        if cell is None:
            findings[grade_id] = "the test cell was deleted from the submission (nbgrader put it back and ran it)"
            continue
        problems = []
        metadata = cell.metadata.get("nbgrader", {})
        if not metadata.get("grade", False):
            problems.append("its 'grade' flag was removed")
        try:
            points = float(metadata.get("points", 0))
        except (TypeError, ValueError):
            points = float("nan")
        if points != max_score:
            problems.append(f"its points were changed from {max_score:g} to {metadata.get('points')!r} "
                            "(the gradebook's points count)")
        if cell.cell_type != cell_type:
            problems.append(f"its type was changed to {cell.cell_type}")
        if cell.source.strip() != _student_source(recorded_cells[grade_id][0]).strip():
            problems.append("its code was edited")
        if problems:
            findings[grade_id] = ("the test cell was tampered with: " + "; ".join(problems)
                                  + " (nbgrader restored the instructor's cell and graded that)")
    return findings


def _kill_run(marker):
    """SIGKILL every process of this grading run (nbgrader, its kernel, their children): they carry `marker`."""
    needle = f"{RUN_MARKER_VARIABLE}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environment.split(b"\0"):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except ProcessLookupError:
                pass


def _limit_memory(memory_limit_bytes, cap=None):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (NOTEBOOK_FILE_BYTES, NOTEBOOK_FILE_BYTES))
        if cap is not None:
            cap.join()
    return apply


def _stop_student_processes():
    """SIGKILL every process the student's code left running, except this runner (and bubblewrap's pid 1).

    Inside the kernel sandbox's private PID namespace, that is every other process there. Elsewhere it is every
    other member of this run's pids cgroup, else every process that carries this run's marker variable.
    """
    own = os.getpid()
    if os.environ.get(PRIVATE_PIDS_VARIABLE) == "1" and _read_text("/proc/1/comm").strip() == "bwrap":
        victims = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
        victims = [pid for pid in victims if pid not in (1, own)]
    else:
        victims = pids.run_members()
        if victims is None:
            _kill_run(os.environ.get(RUN_MARKER_VARIABLE, ""))
            return
        victims = [pid for pid in victims if pid != own]
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _read_text(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


class StopStudentProcesses(Preprocessor):
    """Runs right after nbgrader's Execute: nothing the student's kernel started may outlive the execution and
    touch the scores or the graded notebook that nbgrader writes next."""

    def preprocess(self, nb, resources):
        _stop_student_processes()
        return nb, resources


def _autograde_here(scratch, student, notebook_names, result_fd=None):
    """Run nbgrader's Autograde converter for each notebook in THIS process (the grading subprocess): one
    nbgrader import for all notebooks, and a notebook that fails (a kernel that died, a cell that hangs) costs only
    itself, where `nbgrader autograde` would drop every notebook of the student.

    Each notebook's result (status, scores, comments, graded notebook) goes to `result_fd` as one JSON line as
    soon as it is known, so a run killed on its deadline still reports the others. It is read from the scratch
    course only after every process of the student's kernel is gone, and it travels over a pipe that no kernel
    inherits, so a later notebook's code cannot rewrite an earlier notebook's grades.
    """
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    channel = os.fdopen(result_fd, "w", encoding="utf-8") if result_fd is not None else None
    scratch_db = gradebook.sqlite_url(scratch / "gradebook.db")
    autograded_dir = scratch / "autograded" / student / ASSIGNMENT
    for notebook in notebook_names:
        converter = gradebook.nbgrader_converter(Autograde, scratch, student=student, notebook=notebook)
        steps = list(converter.autograde_preprocessors)
        steps.insert(steps.index(Execute) + 1 if Execute in steps else 0, StopStudentProcesses)
        converter.autograde_preprocessors = steps
        log = io.StringIO()
        handler = logging.StreamHandler(log)
        logging.getLogger().addHandler(handler)
        result = {"notebook": notebook, "status": "ok", "message": ""}
        try:
            converter.start()
        except Exception as error:  # any failure is this notebook's verdict; the next notebook still runs
            result["status"], result["message"] = describe_failure(f"{log.getvalue()}\n{error}")
        finally:
            logging.getLogger().removeHandler(handler)
            _stop_student_processes()
        if result["status"] == "ok":
            path = autograded_dir / f"{notebook}.ipynb"
            result["autograded"] = path.read_text(encoding="utf-8") if path.is_file() else None
            result["scores"], result["comments"] = _read_scores(scratch_db, student, notebook)
        if channel is not None:
            channel.write(json.dumps(result) + "\n")
            channel.flush()


def describe_failure(log_text):
    """(status, sentence) for the instructor and student about why nbgrader could not grade a notebook."""
    if "DeadKernelError" in log_text or "Kernel died" in log_text:
        return "error", ("the kernel died while running this notebook: a cell ended the Python process (os._exit, "
                         "a crash or running out of memory)")
    if "CellTimeoutError" in log_text or "UnresponsiveKernelError" in log_text:
        return "timeout", ("a cell ran past the time limit per cell and did not stop when interrupted, so the "
                           "notebook could not be graded")
    lines = [line.strip() for line in _clean(log_text).splitlines()
             if re.match(r"^[\w.]+(Error|Exception)\b", line.strip())]
    return "error", _trim("nbgrader could not grade this notebook: " + (lines[-1] if lines else "see the log"))


def _disk_usage(folder):
    """Bytes of disk that the files under `folder` occupy (links not followed)."""
    total = 0
    for root, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def _run_autograde(scratch, student, notebook_names, *, timeout, memory_limit_bytes, hidden_dirs=(),
                   disk_limit_bytes=NOTEBOOK_DISK_BYTES):
    """Autograde `notebook_names` in the scratch course in a subprocess with a deadline and a memory limit;
    returns {notebook: {"status": ok/error/timeout, "message", and when ok "autograded", "scores", "comments"}}."""
    marker = uuid.uuid4().hex
    prefix = sandbox.kernel_sandbox_prefix(scratch, hidden_dirs=hidden_dirs)
    read_fd, write_fd = os.pipe()
    environment = gradebook.nbgrader_environment({
        RUN_MARKER_VARIABLE: marker,
        PRIVATE_PIDS_VARIABLE: "1" if prefix else "0",
        RESULT_FD_VARIABLE: str(write_fd),
        "IPYTHONDIR": str(scratch / "ipython"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "OPENBLAS_NUM_THREADS": "1",
        "COURSE_STATIC_WIDGETS": "1",  # nobody looks at a graded run; see course_lib/widgets.py
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
    })
    command = prefix + launch.python_module_command("autograde.grade.notebooks", scratch, student, *notebook_names)
    results = _ResultReader(os.fdopen(read_fd, "rb", buffering=0))
    with open(scratch / "nbgrader.log", "wb") as log, pids.PidsCap(NOTEBOOK_RUN_TASKS) as cap:
        try:
            process = subprocess.Popen(command, cwd=scratch, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True, pass_fds=(write_fd,),
                                       preexec_fn=_limit_memory(memory_limit_bytes, cap))
        finally:
            os.close(write_fd)
        results.start()
        deadline = time.monotonic() + timeout
        over_disk = False
        try:
            while time.monotonic() < deadline:
                try:
                    process.wait(timeout=min(NOTEBOOK_DISK_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
                    break
                except subprocess.TimeoutExpired:
                    if _disk_usage(scratch) > disk_limit_bytes:
                        over_disk = True
                        break
        finally:
            _kill_run(marker)
            cap.kill()  # everything in the run's cgroup, whatever it did to its environment
            process.wait()
    results.join(timeout=10)
    statuses = results.by_notebook(notebook_names)
    for notebook in notebook_names:
        if notebook not in statuses and over_disk:
            statuses[notebook] = {"status": "error", "message": (
                f"grading stopped: the notebooks wrote more than {disk_limit_bytes / 2**20:g} MiB of files, "
                "before this notebook was done")}
        elif notebook not in statuses:
            statuses[notebook] = {"status": "timeout", "message": (
                f"grading stopped at the time limit of {timeout:g} s for all notebooks of a submission, before "
                "this notebook was done")}
    return statuses


class _ResultReader(threading.Thread):
    """Reads the runner's JSON lines while it runs (a graded notebook is larger than a pipe's buffer)."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.data = bytearray()

    def run(self):
        with self.stream:
            while chunk := self.stream.read(1 << 20):
                if len(self.data) < RESULT_STREAM_MAX_BYTES:
                    self.data += chunk

    def by_notebook(self, notebook_names):
        results = {}
        for line in bytes(self.data).split(b"\n"):
            try:
                result = json.loads(line)
            except ValueError:
                continue  # the last line of a run killed mid-write, or an oversized stream cut short
            if isinstance(result, dict) and result.get("notebook") in notebook_names:
                results[result.pop("notebook")] = result
        return results


def _clean(text):
    return ANSI_ESCAPE.sub("", text)


def _trim(text, limit=MESSAGE_CHARACTERS):
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " [...]"


def cell_verdict(cell, instructor_source):
    """(outcome, message) of an executed autograder test cell: pass, fail (an assertion), timeout or error.

    A failure raised on a hidden-test line says only that a hidden test failed: never its code or values.
    """
    score, max_score = nbgrader_utils.determine_grade(cell)
    if score is not None and score >= max_score:
        return "pass", ""
    hidden = hidden_lines(instructor_source)
    offset = cell.source.find(instructor_source)
    offset = cell.source[:offset].count("\n") if offset > 0 else 0
    for output in cell.outputs:
        if output.output_type == "error":
            match = CELL_LINE.search(_clean("\n".join(output.get("traceback", []))))
            if output.ename == "CellTimeoutError":
                return "timeout", "the cell did not finish within the time limit per cell"
            if match and int(match.group(1)) - offset in hidden:
                return ("fail" if output.ename == "AssertionError" else "error",
                        f"a hidden test of this cell failed ({output.ename})")
            if hidden and not match:
                return "error", f"the cell failed ({output.ename})"
            outcome = "fail" if output.ename == "AssertionError" else "error"
            return outcome, _trim(f"{output.ename}: {_clean(str(output.evalue))}")
        if output.output_type == "stream" and output.name == "stderr":
            return "error", _trim("the cell wrote to stderr, which nbgrader scores 0: " + _clean(output.text))
    return "fail", f"the cell earned {score:g} of {max_score:g} points"


def _read_scores(scratch_db, student, notebook):
    """{grade_id: auto_score} and {grade_id: auto_comment} that nbgrader recorded for one notebook."""
    with Gradebook(scratch_db) as book:
        try:
            submitted = book.find_submission_notebook(notebook, ASSIGNMENT, student)
        except MissingEntry:
            return {}, {}
        scores = {grade.name: grade.auto_score for grade in submitted.grades}
        comments = {comment.name: comment.auto_comment for comment in submitted.comments}
    return scores, comments


def autograde_student(student_dir, *, student, course, scratch_dir, notebook_timeout=NOTEBOOK_TIMEOUT_SECONDS,
                      memory_limit_bytes=MEMORY_LIMIT_BYTES, disk_limit_bytes=NOTEBOOK_DISK_BYTES):
    """Run nbgrader autograde for one student in a scratch copy of `course`; returns a JSON-able dict:

    {"student", "seconds", "found_notebooks": [file names],
     "notebooks": {notebook: {"status" (graded/missing/unreadable/timeout/error), "message",
                              "cells": {grade_id: {"auto_score", "max_score", "manual", "outcome", "message"}},
                              "comments": {grade_id: auto_comment}, "tampering": {grade_id: message}}},
     "autograded": {notebook: notebook json text}}
    """
    started = time.monotonic()
    scratch = Path(scratch_dir).resolve() / "course"
    scratch_db = _write_scratch_course(scratch, course)
    submitted = scratch / "submitted" / student / ASSIGNMENT
    _copy_submission(Path(student_dir).resolve(), submitted)
    found = sorted(path.name for path in submitted.glob("*.ipynb"))
    notebooks, to_grade, recorded_cells = {}, [], {}
    for notebook in course.notebooks:
        grade_max = gradebook.grade_cells(scratch_db, notebook)
        entry = {"status": "graded", "message": "", "cells": {}, "comments": {}, "tampering": {},
                 "grade_cells": grade_max}
        notebooks[notebook] = entry
        path = submitted / f"{notebook}.ipynb"
        if not path.is_file():
            entry["status"] = "missing"
            entry["message"] = (f"{notebook}.ipynb was not found in the submission; found: "
                                f"{', '.join(found) or 'no notebook'}")
            continue
        parsed = _read_notebook(path)
        if isinstance(parsed, str):
            entry["status"], entry["message"] = "unreadable", parsed
            path.unlink()
            continue
        recorded_cells[notebook] = gradebook.source_cells(scratch_db, notebook)  # before any student code runs
        entry["tampering"] = tampering_findings(parsed, recorded_cells[notebook], grade_max)
        to_grade.append(notebook)

    statuses = {}
    if to_grade:
        # The grading output (the persistent gradebook, other students' results) is hidden from the student's kernel.
        statuses = _run_autograde(scratch, student, to_grade, timeout=notebook_timeout,
                                  memory_limit_bytes=memory_limit_bytes, hidden_dirs=(course.root.parent,),
                                  disk_limit_bytes=disk_limit_bytes)
    autograded = {}
    for notebook in to_grade:
        entry = notebooks[notebook]
        # What the runner reported (see _autograde_here), never the scratch files the student's code could reach.
        run = statuses[notebook]
        if run["status"] != "ok" or not run.get("autograded"):
            entry["status"] = "error" if run["status"] == "ok" else run["status"]
            entry["message"] = run["message"] or "nbgrader produced no graded notebook"
            continue
        autograded[notebook] = run["autograded"]
        executed = nbformat.reads(autograded[notebook], as_version=4)
        scores, entry["comments"] = run.get("scores") or {}, run.get("comments") or {}
        recorded = recorded_cells[notebook]
        for cell in executed.cells:
            if not nbgrader_utils.is_grade(cell):
                continue
            grade_id = cell.metadata.nbgrader["grade_id"]
            max_score, _, is_manual = entry["grade_cells"][grade_id]
            if is_manual:
                outcome, cell_message = "manual", ""
            else:
                outcome, cell_message = cell_verdict(cell, recorded[grade_id][0])
            entry["cells"][grade_id] = {"auto_score": scores.get(grade_id), "max_score": max_score,
                                        "manual": is_manual, "outcome": outcome, "message": cell_message}
    for entry in notebooks.values():
        entry["grade_cells"] = {grade_id: list(values) for grade_id, values in entry["grade_cells"].items()}
    shutil.rmtree(scratch, ignore_errors=True)
    return {"student": student, "seconds": round(time.monotonic() - started, 3), "found_notebooks": found,
            "notebooks": notebooks, "autograded": autograded}


def finish_batch(out_dir, results, *, context):
    """Record the students that no worker recorded, add manual grades to every result, write
    `feedback/<student>/<Notebook>.html`, nbgrader's feedback where no worker made it, and `report.html`.

    results: the student result dicts of the batch. Returns them with graded manual cells added.
    """
    out_dir = Path(out_dir)
    if context is None:
        return results
    course = course_from_context(context)
    grade_cells = {notebook: gradebook.grade_cells(course.db_url, notebook) for notebook in course.notebooks}
    finished, feedback_needed = [], []
    for result in sorted(results, key=lambda result: result["student"]):
        student = result["student"]
        pending = pending_path(course, student)
        outcome = json.loads(pending.read_text(encoding="utf-8")) if pending.is_file() else None
        if outcome is not None:
            published = outcome.get("published") or {}
            if not published.get("recorded"):
                cell_scores, comments = merge.gradebook_scores(outcome, result["checks"])
                gradebook.record_student(course, student, cell_scores, comments)
            if not published.get("feedback"):
                feedback_needed.append(student)
            pending.unlink()
        result = merge.add_manual_grades(result, outcome, gradebook.manual_scores(course, student), grade_cells)
        feedback.write_student_feedback(out_dir / "feedback" / student, result, notebooks=course.notebooks)
        finished.append(result)
    try:
        if feedback_needed:
            feedback.generate_nbgrader_feedback(course, students=feedback_needed, workers=context.get("workers", 1))
    except gradebook.NbgraderError as error:
        # The grades and our feedback pages stand; nbgrader's own feedback can be made again by hand.
        print(f"nbgrader generate_feedback failed; run it in {course.root} to retry:\n{error}", file=sys.stderr)
    report.write_report(out_dir / "report.html", finished, notebooks=course.notebooks)
    return finished


if __name__ == "__main__":
    _autograde_here(Path(sys.argv[1]), sys.argv[2], sys.argv[3:], result_fd=int(os.environ[RESULT_FD_VARIABLE]))
