"""Student notebooks through nbgrader's own generate_assignment, in an nbgrader course directory.

The course directory (default `course/` at the project root; instructor-only, never in git) holds:

    nbgrader_config.py        course id, CourseDirectory.root (this folder), the gradebook URL
    gradebook.db              SQLite gradebook (default): notebooks, grade cells, checksums, the source of the
                              test cells with their hidden tests (so it never ships)
    source/assignment2/       the source notebooks and the student checks bundle they import
    release/assignment2/      what generate_assignment wrote: solutions and hidden tests removed, cells locked

generate_assignment copies every non-notebook file of source/ verbatim, solutions included, so the reference
course_lib never goes into source/: the release adds the stub course_lib itself.
"""
import contextlib
import os
import shutil
import sys
from pathlib import Path

from autograde.release.errors import NbgraderError, ReleaseError
from autograde.release.strip import is_ignored

ASSIGNMENT_ID = "assignment2"
COURSE_ID = "numpy-nn-course"
CONFIG_NAME = "nbgrader_config.py"

_CONFIG_TEMPLATE = '''\
"""nbgrader configuration of the course; `python -m autograde release` writes it (edits are overwritten)."""
import os

c = get_config()  # noqa: F821 - provided by nbgrader's configuration loader
course_root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = course_root
c.CourseDirectory.db_url = {db_url}
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
'''


def course_config(*, course_id=COURSE_ID, db_url=None):
    """The text of nbgrader_config.py: the gradebook is `sqlite:///<course dir>/gradebook.db` unless `db_url`
    (any SQLAlchemy URL) is given."""
    if db_url is None:
        db_url_expression = 'f"sqlite:///{os.path.join(course_root, \'gradebook.db\')}"'
    else:
        db_url_expression = repr(db_url)
    return _CONFIG_TEMPLATE.format(course_id=course_id, db_url=db_url_expression)


@contextlib.contextmanager
def interpreter_scripts_on_path():
    """Put this interpreter's scripts folder first on PATH while nbgrader runs.

    nbgrader's Gradebook runs the `alembic` command through PATH every time it opens a gradebook; when Python is
    started as `.venv/bin/python` without activating the environment, that command is not found.
    """
    saved = os.environ.get("PATH")
    scripts = str(Path(sys.executable).parent)
    os.environ["PATH"] = scripts + os.pathsep + saved if saved else scripts
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = saved


def load_course_config(course_dir):
    """The traitlets Config of the course directory's nbgrader_config.py (what the nbgrader command would read)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_NAME, path=str(course_dir)).load_config()


def prepare_source(course_dir, notebooks, extra_files):
    """Fill `course_dir`/source/assignment2 afresh with the notebooks and {relative path: bytes} extra files."""
    source = Path(course_dir) / "source" / ASSIGNMENT_ID
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copyfile(notebook, source / Path(notebook).name)
    for relative, content in sorted(extra_files.items()):
        target = source / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return source


def generate_assignment(course_dir, notebooks, *, extra_files=None, course_id=COURSE_ID, db_url=None):
    """Run nbgrader's generate_assignment on `notebooks` (+ `extra_files`, {relative path: bytes}) in the course
    directory `course_dir`; return the generated folder (`course_dir`/release/assignment2).

    Raises NbgraderError with nbgrader's log when it fails (e.g. a cell's nbgrader metadata is invalid).
    """
    from nbgrader.apps import NbGraderAPI

    notebooks = [Path(notebook) for notebook in notebooks]
    if not notebooks:
        raise ReleaseError("no source notebooks to release: notebooks/ holds no .ipynb file")
    course_dir = Path(course_dir).resolve()
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / CONFIG_NAME).write_text(course_config(course_id=course_id, db_url=db_url), encoding="utf-8")
    prepare_source(course_dir, notebooks, extra_files or {})
    generated = course_dir / "release" / ASSIGNMENT_ID
    if generated.exists():
        shutil.rmtree(generated)
    api = NbGraderAPI(config=load_course_config(course_dir))
    with interpreter_scripts_on_path():
        result = api.generate_assignment(ASSIGNMENT_ID, force=True, create=True)
    if not result["success"]:
        raise NbgraderError(
            f"nbgrader generate_assignment failed in {course_dir}:\n{result.get('log', '')}{result.get('error', '')}"
        )
    missing = [notebook.name for notebook in notebooks if not (generated / notebook.name).is_file()]
    if missing:
        raise NbgraderError(f"nbgrader generate_assignment did not write {', '.join(missing)} in {generated}:\n"
                            f"{result.get('log', '')}")
    return generated


def copy_generated(generated, destination):
    """Copy nbgrader's generated assignment folder into `destination`, leaving out caches and autosaves."""
    generated, destination = Path(generated), Path(destination)
    for path in sorted(generated.rglob("*")):
        relative = path.relative_to(generated)
        if path.is_dir() or is_ignored(relative):
            continue
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
