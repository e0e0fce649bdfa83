"""How nbgrader runs: its environment, a subprocess or a converter in this process, and its one error type.

Every process that imports nbformat imports jsonschema, and jsonschema imports `rfc3987_syntax` when it is
installed (jupyter-events asks for `jsonschema[format-nongpl]`). That package builds some 40 lark parsers at import
time, about 2 s of CPU here, and serves only jsonschema's "iri"/"uri" format checks, which no grading step runs
(nbformat validates notebooks without them; the gradebook does not use jsonschema). The grading processes mark it
absent (`skip_slow_imports`), which jsonschema treats as "not installed". The Jupyter server started by hand
(formgrader) keeps every check.
"""
import contextlib
import os
import subprocess
import sys
from pathlib import Path

from autograde.nbgrader_adapter.config import load_course_config

SKIPPED_MODULES = ("rfc3987_syntax",)

# `python -c LAUNCHER MODULE ARGS...` runs MODULE as `python -m MODULE ARGS...` would, after marking the skipped
# modules absent (skip_slow_imports inlined: the package is not imported yet in that process).
LAUNCHER = (
    "import runpy, sys\n"
    "for name in {skipped!r}:\n"
    "    sys.modules.setdefault(name, None)\n"
    "module = sys.argv[1]\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
)


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message says which, where, and holds nbgrader's own output."""


def skip_slow_imports():
    """Mark SKIPPED_MODULES absent in THIS process (no effect on a module imported already). Grading processes call
    it before they import nbformat."""
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)


def python_module_command(module, *arguments):
    """The argv that runs `python -m module arguments...` with this interpreter and SKIPPED_MODULES left out."""
    return [sys.executable, "-c", LAUNCHER.format(skipped=SKIPPED_MODULES), module, *map(str, arguments)]


def scripts_dir():
    """The folder of this interpreter's console scripts (the venv's bin)."""
    return str(Path(sys.executable).parent)


def environment(extra=None):
    """The environment for an nbgrader process: nbgrader runs `alembic` and `jupyter` through PATH, so this
    interpreter's scripts folder goes first even when the venv is not activated."""
    result = dict(os.environ)
    result["PATH"] = os.pathsep.join([scripts_dir(), result.get("PATH", "")])
    result.update(extra or {})
    return result


@contextlib.contextmanager
def scripts_on_path():
    """Put this interpreter's scripts folder first on PATH of THIS process while nbgrader runs in it."""
    saved = os.environ.get("PATH")
    os.environ["PATH"] = os.pathsep.join([scripts_dir(), saved or ""])
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = saved


def run_nbgrader(arguments, *, layout, timeout=None):
    """Run `nbgrader ARGUMENTS` in a subprocess in the course folder; raise NbgraderError with its output when it
    fails. Returns the completed process."""
    command = python_module_command("nbgrader", *arguments, "--log-level=WARN")
    completed = subprocess.run(command, cwd=layout.root, capture_output=True, text=True, timeout=timeout,
                               env=environment())
    if completed.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(arguments)}` failed in {layout.root} (exit {completed.returncode}):\n"
                            f"{completed.stdout[-4000:]}{completed.stderr[-4000:]}")
    return completed


def converter(converter_class, layout, *, student=None, notebook=None, db_url=None):
    """An nbgrader converter (GenerateAssignment, Autograde, GenerateFeedback) for the course, set up as the nbgrader
    command would be from the course's `nbgrader_config.py`, with `--force`, to run in THIS process.

    student: one student (default: every student); notebook: one notebook (default: all); db_url: another
    gradebook than the config's.
    """
    from nbgrader.coursedir import CourseDirectory

    config = load_course_config(layout)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    coursedir = CourseDirectory(config=config, root=str(layout.root))
    coursedir.assignment_id = layout.assignment
    if student is not None:
        coursedir.student_id = student
    if notebook is not None:
        coursedir.notebook_id = notebook
    instance = converter_class(coursedir=coursedir, config=config)
    instance.force = True
    return instance


def generate_assignment(layout, *, db_url=None):
    """nbgrader's generate_assignment for the course's assignment, in this process: it records the notebooks and
    cells in the gradebook (the config's, or `db_url`) and writes `release/<assignment>/`. Raises NbgraderError
    when it fails."""
    from nbgrader.converters import GenerateAssignment

    instance = converter(GenerateAssignment, layout, db_url=db_url)
    instance.create_assignment = True
    try:
        with scripts_on_path():
            instance.start()
    except Exception as error:  # nbgrader raises NbGraderException and others for invalid cells and files
        raise NbgraderError(f"nbgrader generate_assignment failed in {layout.root}: {type(error).__name__}: "
                            f"{error}") from error
    return layout.release_dir


def generate_feedback_here(layout, student):
    """nbgrader's generate_feedback for one student in THIS process (a grading worker with nbgrader imported
    already: no second Python start). Raises NbgraderError when a notebook fails to convert."""
    from nbgrader.converters import GenerateFeedback

    try:
        converter(GenerateFeedback, layout, student=student).start()
    except Exception as error:  # nbconvert and nbgrader raise many types; each means "no feedback for this one"
        raise NbgraderError(f"nbgrader generate_feedback failed for {student} in {layout.root}: "
                            f"{type(error).__name__}: {error}") from error


def generate_feedback(layout, students, *, workers=1):
    """nbgrader's generate_feedback for `students`, in up to `workers` nbgrader processes side by side (each
    excludes everyone else; the gradebook is only read). Raises NbgraderError when one fails."""
    import concurrent.futures

    everyone = set(layout.autograded_students())
    students = sorted(set(students) & everyone)
    if not students:
        return
    groups = [students[index::workers] for index in range(min(max(1, workers), len(students)))]

    def run_group(group):
        arguments = ["generate_feedback", layout.assignment, "--force"]
        excluded = sorted(everyone - set(group))
        if excluded:
            arguments.append(f"--CourseDirectory.student_id_exclude={','.join(excluded)}")
        run_nbgrader(arguments, layout=layout)

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(groups)) as pool:
        for finished in [pool.submit(run_group, group) for group in groups]:
            finished.result()
