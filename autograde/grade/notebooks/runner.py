"""The nbgrader runner: the program of the process that autogrades one student's notebooks.

Started by the supervisor as `python -c LAUNCHER autograde.grade.notebooks.runner SCRATCH STUDENT NOTEBOOK ...` in
the student's scratch course, under the run's limits; the student's kernels are its children, each in the kernel
sandbox (`kernel.SandboxedKernelManager`). It imports nbgrader and this package's adapter only.

For each notebook it runs nbgrader's Autograde converter in THIS process (one nbgrader import for all notebooks; a
notebook that fails costs only itself, where `nbgrader autograde` would drop every notebook of the student), with
nbgrader's Execute step replaced by `replay.ReplayingExecute` (a cell that hangs or kills the kernel costs only
the cells that need it). Right after the kernel's execution every process the student's code left is
killed (`StopStudentProcesses`), then nbgrader saves the scores; the runner reads them and the graded notebook and
writes one JSON line per notebook to the file descriptor in RESULT_FD_VARIABLE:

    {"notebook", "status": ok/error/timeout, "message", and when ok: "autograded" (notebook JSON text),
     "scores" {grade_id: auto_score}, "comments" {grade_id: auto_comment}}

That pipe is inherited by no kernel, so a later notebook's code cannot rewrite an earlier notebook's grades.
"""
import io
import json
import logging
import os
import re
import sys
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from autograde.grade.notebooks.replay import ReplayingExecute
from autograde.grade.sandbox import pids
from autograde.nbgrader_adapter import gradebook, process
from autograde.nbgrader_adapter.layout import ASSIGNMENT, CourseLayout, sqlite_url
from autograde.text import strip_ansi, trim

RESULT_FD_VARIABLE = "AUTOGRADE_RESULT_FD"
MESSAGE_CHARACTERS = 600


def _descendants(root_pid):
    """The pids of every process below `root_pid` (by parent links in /proc)."""
    children = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, frontier = [], [root_pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return found


def stop_student_processes():
    """SIGKILL every process the student's kernel left: this runner's descendants (a sandboxed kernel's whole PID
    namespace dies with its bubblewrap process) and the other members of the run's pids cgroup (detached daemons)."""
    own = os.getpid()
    victims = set(_descendants(own)) | set(pids.run_members() or [])
    victims.discard(own)
    pids.kill_processes(victims)


class StopStudentProcesses(Preprocessor):
    """Runs right after nbgrader's Execute: nothing the student's kernel started may outlive the execution and
    touch the scores or the graded notebook that nbgrader writes next."""

    def preprocess(self, nb, resources):
        stop_student_processes()
        return nb, resources


def describe_failure(log_text):
    """(status, sentence) for the instructor and student about why nbgrader could not grade a notebook."""
    if "DeadKernelError" in log_text or "Kernel died" in log_text:
        return "error", ("the kernel died while running this notebook: a cell ended the Python process (os._exit, "
                         "a crash or running out of memory)")
    if "CellTimeoutError" in log_text or "UnresponsiveKernelError" in log_text:
        return "timeout", ("a cell ran past the time limit per cell and did not stop when interrupted, so the "
                           "notebook could not be graded")
    lines = [line.strip() for line in strip_ansi(log_text).splitlines()
             if re.match(r"^[\w.]+(Error|Exception)\b", line.strip())]
    return "error", trim("nbgrader could not grade this notebook: " + (lines[-1] if lines else "see the log"),
                         MESSAGE_CHARACTERS)


def autograde_notebook(layout, student, notebook):
    """Autograde one notebook in this process; returns its result dict (see the module docstring)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    converter = process.converter(Autograde, layout, student=student, notebook=notebook)
    steps = [ReplayingExecute if step is Execute else step for step in converter.autograde_preprocessors]
    steps.insert(steps.index(ReplayingExecute) + 1 if ReplayingExecute in steps else 0, StopStudentProcesses)
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
        stop_student_processes()
    if result["status"] == "ok":
        path = layout.autograded_dir(student) / f"{notebook}.ipynb"
        result["autograded"] = path.read_text(encoding="utf-8") if path.is_file() else None
        result["scores"], result["comments"] = gradebook.auto_grades(
            sqlite_url(layout.root / "gradebook.db"), ASSIGNMENT, student, notebook)
    return result


def main(arguments):
    """arguments: SCRATCH STUDENT NOTEBOOK ...; the results go to the descriptor in RESULT_FD_VARIABLE."""
    scratch, student, notebooks = Path(arguments[0]), arguments[1], arguments[2:]
    layout = CourseLayout(scratch)
    with os.fdopen(int(os.environ[RESULT_FD_VARIABLE]), "w", encoding="utf-8") as channel:
        for notebook in notebooks:
            channel.write(json.dumps(autograde_notebook(layout, student, notebook)) + "\n")
            channel.flush()
    return 0


if __name__ == "__main__":
    process.skip_slow_imports()
    sys.exit(main(sys.argv[1:]))
