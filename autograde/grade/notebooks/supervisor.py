"""Autograde one student's notebooks: a scratch copy of the grading course, the nbgrader runner under limits, and
what it reported turned into per-cell verdicts.

The runner (`runner.py`) runs in its own process under the run's limits (address space, file size, a pids
cgroup), watched from here: a wall-clock limit for all notebooks of the student, and the scratch course's disk use
polled every NOTEBOOK_DISK_POLL_SECONDS. Its kernels run in the kernel sandbox (`kernel.py`), which sees only the
student's own autograded folder: not this scratch course (its gradebook, the source notebooks), not the grading
output, not other students. Scores and graded notebooks come back over a pipe, read after every process the
kernel left is gone; nothing is read from the scratch course afterwards.
"""
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbgrader import utils as nbgrader_utils

from autograde.grade.notebooks import kernel, verdicts
from autograde.grade.notebooks.course import grading_config
from autograde.grade.notebooks.runner import RESULT_FD_VARIABLE
from autograde.grade.sandbox import isolation, profiles
from autograde.grade.sandbox.process import Limits, SandboxedProcess
from autograde.nbgrader_adapter import config, gradebook, process
from autograde.nbgrader_adapter.layout import ASSIGNMENT, CourseLayout, sqlite_url
from autograde.paths import IGNORED_NAMES

NOTEBOOK_TIMEOUT_SECONDS = 900
RESULT_STREAM_MAX_BYTES = 512 * 2**20
NOTEBOOK_DISK_POLL_SECONDS = 0.5
KERNEL_TMP_BYTES = 256 * 2**20
KERNEL_MANAGER_CLASS = "autograde.grade.notebooks.kernel.SandboxedKernelManager"


@dataclasses.dataclass(frozen=True)
class NotebookLimits(Limits):
    """The limits of one student's nbgrader run (runner and kernels): memory, file size, processes and threads
    (the reference peaked at 24: nbgrader, the kernel, their ZMQ and IPython threads, bubblewrap), the wall clock for
    all notebooks and the disk the scratch course may hold."""

    memory_bytes: int = 4 * 2**30
    file_bytes: int = 512 * 2**20
    tasks: int = 256
    wall_seconds: float = NOTEBOOK_TIMEOUT_SECONDS
    disk_bytes: int = 2 * 2**30


def _copy_submission(student_dir, destination):
    """Copy the submission without symlinks, litter and its own `autograde/` (the course's bundle replaces it)."""
    def ignored(folder, names):
        skip = set(IGNORED_NAMES)
        if Path(folder) == student_dir:
            skip.add("autograde")
        return [name for name in names if name in skip or os.path.islink(os.path.join(folder, name))]

    shutil.copytree(student_dir, destination, ignore=ignored)


def write_scratch_course(scratch, course):
    """A private copy of the grading course in `scratch` (config, source, a copy of the skeleton gradebook, the
    kernel's IPython profile); returns its layout."""
    layout = CourseLayout(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    shutil.copy2(course.skeleton_db, scratch / "gradebook.db")
    shutil.copytree(course.layout.source_dir, layout.source_dir)
    options = grading_config(course, db_url=sqlite_url(scratch / "gradebook.db"))
    options["grading"]["kernel_manager_class"] = KERNEL_MANAGER_CLASS
    config.write_course_config(layout, **options)
    kernel.write_startup(scratch / "ipython")
    return layout


def _read_notebook(path):
    """The notebook at `path`, or the reason it cannot be graded (str)."""
    try:
        return nbformat.read(path, as_version=4)
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8 text"
    except Exception as error:  # nbformat raises many types for a corrupt file; each means "not a notebook"
        return f"{path.name} could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"


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


def _kernel_sandbox(layout, student, runtime_dir, hidden):
    """The kernel sandbox's bwrap prefix ([] where bubblewrap is not available)."""
    if not isolation.level().startswith("bwrap"):
        return []
    work_dir = layout.autograded_dir(student)
    work_dir.mkdir(parents=True, exist_ok=True)
    return profiles.kernel_prefix(work_dir=work_dir, runtime_dir=runtime_dir, ipython_dir=layout.root / "ipython",
                                  tmp_bytes=KERNEL_TMP_BYTES, environment={"COURSE_STATIC_WIDGETS": "1"},
                                  hidden=hidden)


def run_notebooks(layout, student, notebook_names, *, limits, hidden=()):
    """Autograde `notebook_names` in the scratch course with the runner under `limits`; returns {notebook:
    {"status": ok/error/timeout, "message", and when ok "autograded", "scores", "comments"}}."""
    # A short runtime folder: the kernel's IPC socket paths must fit in 107 bytes.
    runtime_dir = Path(tempfile.mkdtemp(prefix="ag-"))
    os.chmod(runtime_dir, 0o777)
    sandbox_file = kernel.write_sandbox_file(layout.root / "kernel-sandbox.json",
                                             prefix=_kernel_sandbox(layout, student, runtime_dir, hidden),
                                             runtime_dir=runtime_dir)
    read_fd, write_fd = os.pipe()
    environment = process.environment({
        RESULT_FD_VARIABLE: str(write_fd),
        kernel.SANDBOX_VARIABLE: str(sandbox_file),
        "IPYTHONDIR": str(layout.root / "ipython"),
        "JUPYTER_RUNTIME_DIR": str(runtime_dir),
        "COURSE_STATIC_WIDGETS": "1",  # nobody looks at a graded run; see course_lib/widgets.py
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
    })
    command = process.python_module_command("autograde.grade.notebooks.runner", layout.root, student, *notebook_names)
    reader = _ResultReader(os.fdopen(read_fd, "rb", buffering=0))
    over_disk = False
    try:
        with open(layout.root / "nbgrader.log", "wb") as log:
            try:
                run = SandboxedProcess(command, limits=limits, cwd=layout.root, env=environment, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, pass_fds=(write_fd,))
            finally:
                os.close(write_fd)
            reader.start()
            deadline = time.monotonic() + limits.wall_seconds
            try:
                while time.monotonic() < deadline:
                    try:
                        run.wait(timeout=min(NOTEBOOK_DISK_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
                        break
                    except subprocess.TimeoutExpired:
                        if _disk_usage(layout.root) > limits.disk_bytes:
                            over_disk = True
                            break
            finally:
                run.finish()
        reader.join(timeout=10)
    finally:
        shutil.rmtree(runtime_dir, ignore_errors=True)
    statuses = reader.by_notebook(notebook_names)
    for notebook in notebook_names:
        if notebook not in statuses and over_disk:
            statuses[notebook] = {"status": "error", "message": (
                f"grading stopped: the notebooks wrote more than {limits.disk_bytes / 2**20:g} MiB of files, "
                "before this notebook was done")}
        elif notebook not in statuses:
            statuses[notebook] = {"status": "timeout", "message": (
                f"grading stopped at the time limit of {limits.wall_seconds:g} s for all notebooks of a submission, "
                "before this notebook was done")}
    return statuses


def autograde_student(student_dir, *, student, course, scratch_dir, limits=NotebookLimits(), hidden=()):
    """Run nbgrader autograde for one student in a scratch copy of `course`; returns a JSON-able dict:

    {"student", "seconds", "found_notebooks": [file names],
     "notebooks": {notebook: {"status" (graded/missing/unreadable/timeout/error), "message",
                              "cells": {grade_id: {"auto_score", "max_score", "manual", "outcome", "message"}},
                              "comments": {grade_id: auto_comment}, "tampering": {grade_id: message},
                              "grade_cells": {grade_id: [max_score, cell_type, is_manual]}}},
     "autograded": {notebook: notebook json text}}

    hidden: folders to keep out of the kernel sandbox besides the project (the grading output, the submissions).
    """
    started = time.monotonic()
    layout = write_scratch_course(Path(scratch_dir).resolve() / "course", course)
    scratch_db = sqlite_url(layout.root / "gradebook.db")
    submitted = layout.submitted_dir(student)
    _copy_submission(Path(student_dir).resolve(), submitted)
    found = sorted(path.name for path in submitted.glob("*.ipynb"))
    notebooks, to_grade, recorded_cells, submitted_text = {}, [], {}, {}
    for notebook in course.notebooks:
        grade_max = gradebook.grade_cells(scratch_db, ASSIGNMENT, notebook)
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
        recorded_cells[notebook] = gradebook.source_cells(scratch_db, ASSIGNMENT, notebook)  # before any student code
        submitted_text[notebook] = path.read_text(encoding="utf-8")
        entry["tampering"] = verdicts.tampering_findings(parsed, recorded_cells[notebook], grade_max)
        to_grade.append(notebook)
    statuses = run_notebooks(layout, student, to_grade, limits=limits, hidden=hidden) if to_grade else {}
    autograded = {}
    for notebook in to_grade:
        entry = notebooks[notebook]
        run = statuses[notebook]
        if run["status"] != "ok" or not run.get("autograded"):
            entry["status"] = "error" if run["status"] == "ok" else run["status"]
            entry["message"] = run["message"] or "nbgrader produced no graded notebook"
            # The notebook as handed in (not executed), so that its written answers can still be graded by hand
            # in formgrader.
            autograded[notebook] = submitted_text[notebook]
            continue
        autograded[notebook] = run["autograded"]
        executed = nbformat.reads(autograded[notebook], as_version=4)
        scores, entry["comments"] = run.get("scores") or {}, run.get("comments") or {}
        for cell in executed.cells:
            if not nbgrader_utils.is_grade(cell):
                continue
            grade_id = cell.metadata.nbgrader["grade_id"]
            max_score, _, is_manual = entry["grade_cells"][grade_id]
            if is_manual:
                outcome, message = "manual", ""
            else:
                outcome, message = verdicts.cell_verdict(cell, recorded_cells[notebook][grade_id][0])
            entry["cells"][grade_id] = {"auto_score": scores.get(grade_id), "max_score": max_score,
                                        "manual": is_manual, "outcome": outcome, "message": message}
    for entry in notebooks.values():
        entry["grade_cells"] = {grade_id: list(values) for grade_id, values in entry["grade_cells"].items()}
    shutil.rmtree(layout.root, ignore_errors=True)
    return {"student": student, "seconds": round(time.monotonic() - started, 3), "found_notebooks": found,
            "notebooks": notebooks, "autograded": autograded}
