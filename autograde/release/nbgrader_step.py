"""Student notebooks through nbgrader's own generate_assignment, in an nbgrader course directory.

The course directory (default `course/` at the project root; instructor-only, never in git) holds the
`nbgrader_config.py`, the gradebook (the test cells with their hidden tests, so it never ships), `source/assignment2/`
(the source notebooks and the student checks bundle they import) and `release/assignment2/` (what
generate_assignment wrote: solutions and hidden tests removed, cells locked). See `autograde.nbgrader_adapter.layout`.

generate_assignment copies every non-notebook file of source/ verbatim, solutions included, so the reference
course_lib never goes into source/: the release adds the stub course_lib itself.
"""
import shutil
from pathlib import Path

from autograde.nbgrader_adapter import config, gradebook, process
from autograde.nbgrader_adapter.layout import COURSE_ID, CourseLayout
from autograde.paths import is_ignored
from autograde.release.errors import ReleaseError


def prepare_source(layout, notebooks, extra_files):
    """Fill the course's source/assignment2 afresh with the notebooks and {relative path: bytes} extra files."""
    source = layout.source_dir
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

    Raises NbgraderError with nbgrader's message when it fails (e.g. a cell's nbgrader metadata is invalid).
    """
    notebooks = [Path(notebook) for notebook in notebooks]
    if not notebooks:
        raise ReleaseError("no source notebooks to release: notebooks/ holds no .ipynb file")
    layout = CourseLayout(Path(course_dir).resolve())
    config.write_course_config(layout, db_url=db_url, course_id=course_id)
    gradebook.create_gradebook(db_url or layout.default_db_url)
    prepare_source(layout, notebooks, extra_files or {})
    if layout.release_dir.exists():
        shutil.rmtree(layout.release_dir)
    generated = process.generate_assignment(layout)
    missing = [notebook.name for notebook in notebooks if not (generated / notebook.name).is_file()]
    if missing:
        raise process.NbgraderError(f"nbgrader generate_assignment did not write {', '.join(missing)} in "
                                    f"{generated}")
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
