"""The nbgrader course directory that grading keeps, and the sync of grades into its gradebook.

`<out>/course/` persists across runs so that manual grades made in formgrader survive a re-grade:

    nbgrader_config.py        execution timeout, kernel, stderr filter, files autograde must not overwrite
    source/assignment2/       the source notebooks + the instructor's checks bundle (`autograde/`), never course_lib
    gradebook.db              the gradebook (SQLite unless `db_url` names another SQLAlchemy database)
    autograded/<student>/assignment2/*.ipynb   what formgrader shows and `generate_feedback` reads
    feedback/<student>/assignment2/*.html      nbgrader's own feedback (hidden tests removed)
    .autograde/skeleton.db    a gradebook holding only the assignment: each worker grades in a copy of it

Scores are written with `record_student`, which sets `auto_score` and never touches `manual_score`: by each local
worker right after it grades a student, one worker at a time (`writer_lock`: SQLite takes one writer at a time),
or by the grading process at the end of the batch for the students no worker recorded (Dask workers).

Manual grading: `cd <out>/course && jupyter lab` (or `jupyter server`), then open the "Formgrader" entry of the
Nbgrader menu (or `/formgrader` under the server URL): nbgrader's server extension reads `nbgrader_config.py` and
the gradebook of this folder.
"""
import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograde.grade import launch

ASSIGNMENT = "assignment2"

# What the graded notebooks import from the instructor's checks bundle. Everything else of the `autograde`
# package (grade, release, demo) stays out of the course directory.
BUNDLE_FILES = ("__init__.py", "__main__.py")
BUNDLE_FOLDERS = ("check", "checks", "expected")

CELL_TIMEOUT_SECONDS = 120
KERNEL_NAME = "python3"

# A Python warning as the `warnings` module prints it: `path:line: SomeWarning: message` followed by the
# echoed source line. nbgrader removes a stderr output that matches, so a numpy RuntimeWarning in a correct
# test cell does not score it 0 (nbgrader scores any stderr as a failure).
WARNING_STDERR_PATTERN = r"(?m)^[^\n]*:\d+: \w*Warning: "

# HideHiddenTestOutcomes must see the hidden-test markers, so it runs before ClearHiddenTests removes them.
FEEDBACK_PREPROCESSORS = (
    "autograde.grade.feedback.HideHiddenTestOutcomes",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
)


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message holds its output."""


@dataclass(frozen=True)
class GradingCourse:
    """The persistent grading course: where it is, its gradebook and the notebooks of the assignment."""

    root: Path
    db_url: str
    notebooks: tuple
    cell_timeout: int = CELL_TIMEOUT_SECONDS

    @property
    def skeleton_db(self):
        return self.root / ".autograde" / "skeleton.db"

    @property
    def source_dir(self):
        return self.root / "source" / ASSIGNMENT

    def autograded_dir(self, student):
        return self.root / "autograded" / student / ASSIGNMENT


def sqlite_url(path):
    return f"sqlite:///{Path(path).resolve()}"


def instructor_bundle_files(bundle_root):
    """Relative paths (under `bundle_root`) of the checks bundle the notebooks import: `autograde/__init__.py`,
    `autograde/check/`, `autograde/checks/` (spec, public, hidden), `autograde/expected/`."""
    package = Path(bundle_root) / "autograde"
    if not package.is_dir():
        raise FileNotFoundError(f"bundle_root {bundle_root} holds no autograde/ package; pass the folder that "
                                "contains the instructor's autograde/ (the repository root)")
    files = [package / name for name in BUNDLE_FILES if (package / name).is_file()]
    for folder in BUNDLE_FOLDERS:
        for path in sorted((package / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path)
    return [path.relative_to(bundle_root) for path in files]


def course_lib_files(course_lib_dir):
    """Relative paths `course_lib/...` of a course_lib tree (for `Autograde.exclude_overwriting`)."""
    course_lib_dir = Path(course_lib_dir)
    return sorted(str(Path("course_lib") / path.relative_to(course_lib_dir))
                  for path in course_lib_dir.rglob("*.py") if "__pycache__" not in path.parts)


def nbgrader_config_text(*, db_url, cell_timeout=CELL_TIMEOUT_SECONDS, exclude_overwriting=()):
    """The `nbgrader_config.py` of a grading course (persistent or a worker's scratch copy)."""
    lines = [
        '"""nbgrader settings of the grading course, written by `python -m autograde grade`."""',
        "c = get_config()  # noqa: F821 (nbgrader provides get_config)",
        f"c.CourseDirectory.db_url = {db_url!r}",
        # The student's course_lib is never in source/, so autograde cannot replace it; naming its files here
        # keeps it that way if someone adds a course_lib to source/ by hand.
        f"c.Autograde.exclude_overwriting = {{{ASSIGNMENT!r}: {list(exclude_overwriting)!r}}}",
        f"c.Execute.timeout = {int(cell_timeout)}",
        f"c.Execute.kernel_name = {KERNEL_NAME!r}",
        "c.IgnorePattern.enabled = True",
        f"c.IgnorePattern.pattern = {WARNING_STDERR_PATTERN!r}",
        "c.OverwriteCells.add_missing_cells = True",
        f"c.GenerateFeedback.preprocessors = {list(FEEDBACK_PREPROCESSORS)!r}",
    ]
    return "\n".join(lines) + "\n"


def nbgrader_environment(extra=None):
    """The environment for an nbgrader process: nbgrader runs `alembic` from PATH when it creates a gradebook,
    so the interpreter's own bin folder (the venv's) goes first even when the venv is not activated."""
    environment = dict(os.environ)
    environment["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")])
    environment.update(extra or {})
    return environment


def nbgrader_converter(converter_class, course_root, *, student, notebook=None):
    """An nbgrader converter (Autograde, GenerateFeedback) for one student of the course at `course_root`, set up
    as the nbgrader command would be from the course's `nbgrader_config.py`, with `--force`, to run in THIS process.

    notebook: only that notebook (default: all of the student's).
    """
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    coursedir = CourseDirectory(config=config, root=str(course_root))
    coursedir.assignment_id, coursedir.student_id = ASSIGNMENT, student
    if notebook is not None:
        coursedir.notebook_id = notebook
    converter = converter_class(coursedir=coursedir, config=config)
    converter.force = True
    return converter


def run_nbgrader(arguments, *, cwd, timeout=None):
    """Run `python -m nbgrader ARGUMENTS` in `cwd` (through `launch`, which skips a slow optional import); raise
    NbgraderError with its output when it fails."""
    command = launch.python_module_command("nbgrader", *arguments, "--log-level=WARN")
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                               env=nbgrader_environment())
    if completed.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(arguments)}` failed in {cwd} (exit {completed.returncode}):\n"
                            f"{completed.stdout[-4000:]}{completed.stderr[-4000:]}")
    return completed


def create_gradebook(db_url):
    """Create nbgrader's gradebook schema in an empty database at `db_url` (nothing happens if it has tables).

    nbgrader's `Gradebook` does the same on first use, but it learns the schema version by running `alembic heads`
    in a subprocess, a second Python start that takes 3-4 s here. This asks alembic in this process instead, from
    nbgrader's own migration scripts, and writes the same tables and the same `alembic_version` row.
    """
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from nbgrader.dbutil import ALEMBIC_DIR
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()


def _source_fingerprint(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stage_source(staging, notebook_paths, bundle_root):
    staging.mkdir(parents=True)
    for notebook in notebook_paths:
        shutil.copy2(notebook, staging / notebook.name)
    for relative in instructor_bundle_files(bundle_root):
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(bundle_root) / relative, staging / relative)


def prepare_grading_course(root, *, notebooks_dir, bundle_root, db_url=None, course_lib_dir=None,
                           cell_timeout=CELL_TIMEOUT_SECONDS):
    """Create or refresh the grading course in `root` and return it.

    notebooks_dir: folder of the SOURCE notebooks (`*.ipynb`, solutions and hidden tests in).
    bundle_root: folder holding the instructor's `autograde/` package (the checks bundle is copied from it).
    db_url: SQLAlchemy URL of the gradebook; default `sqlite:///<root>/gradebook.db`.
    course_lib_dir: the reference course_lib, whose file names go into `Autograde.exclude_overwriting`.

    `generate_assignment` runs (into the gradebook and into the workers' skeleton gradebook) only when the
    source changed, so re-running keeps every submission and manual grade.
    """
    root = Path(root).resolve()
    notebook_paths = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if not notebook_paths:
        raise FileNotFoundError(f"notebooks_dir {notebooks_dir} holds no .ipynb file; pass the folder of the "
                                "source notebooks")
    course = GradingCourse(root=root, db_url=db_url or sqlite_url(root / "gradebook.db"),
                           notebooks=tuple(path.stem for path in notebook_paths), cell_timeout=cell_timeout)
    exclude = course_lib_files(course_lib_dir) if course_lib_dir else []
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(nbgrader_config_text(
        db_url=course.db_url, cell_timeout=cell_timeout, exclude_overwriting=exclude))

    staging = root / ".autograde" / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    _stage_source(staging, notebook_paths, bundle_root)
    fingerprint_file = root / ".autograde" / "source.sha256"
    fingerprint = _source_fingerprint(staging)
    up_to_date = (fingerprint_file.is_file() and fingerprint_file.read_text() == fingerprint
                  and course.skeleton_db.is_file() and course.source_dir.is_dir())
    if up_to_date:
        shutil.rmtree(staging)
        return course
    shutil.rmtree(course.source_dir, ignore_errors=True)
    course.source_dir.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(course.source_dir)
    course.skeleton_db.unlink(missing_ok=True)
    create_gradebook(sqlite_url(course.skeleton_db))
    run_nbgrader(["generate_assignment", ASSIGNMENT, "--force", f"--db={sqlite_url(course.skeleton_db)}"], cwd=root)
    default_db = root / "gradebook.db"
    if course.db_url == sqlite_url(default_db) and not default_db.exists():
        # A new gradebook is the skeleton itself; copying it saves an nbgrader start (seconds of CPU).
        shutil.copy2(course.skeleton_db, default_db)
    else:
        create_gradebook(course.db_url)
        run_nbgrader(["generate_assignment", ASSIGNMENT, "--force", f"--db={course.db_url}"], cwd=root)
    # generate_assignment also writes release/, a copy of source/ with the hidden checks bundle in it: that is
    # not the student release (`python -m autograde release` builds that), so it is removed to avoid mistakes.
    shutil.rmtree(root / "release", ignore_errors=True)
    fingerprint_file.write_text(fingerprint)
    return course


@contextlib.contextmanager
def writer_lock(course):
    """Hold the course's gradebook writer lock (an exclusive `flock` on `.autograde/gradebook.lock`).

    Local grading workers record their student as soon as they are done; the lock keeps their writes one at a time
    (SQLite takes one writer at a time, and a busy database would otherwise fail a write after its 5 s wait).
    """
    path = Path(course.root) / ".autograde" / "gradebook.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _set_auto_score(grade, auto_score):
    grade.auto_score = auto_score
    # nbgrader's own rule (SaveAutoGrades): a cell needs a look by hand when it has no automatic score or a
    # grader already scored it by hand.
    grade.needs_manual_grade = grade.manual_score is not None or auto_score is None


def record_student(course, student, cell_scores, auto_comments=None):
    """Write one student's automatic scores into the persistent gradebook.

    cell_scores: {notebook: {grade_id: auto_score or None}}; None means "needs grading by hand".
    auto_comments: {notebook: {grade_id: text or None}} for solution cells ("No response." when unanswered).
    Creates the student and the submission when missing; never changes `manual_score`.
    """
    auto_comments = auto_comments or {}
    with Gradebook(course.db_url) as gradebook, warnings.catch_warnings():
        # nbgrader's update_or_create_submission trips SQLAlchemy's autoflush warnings; they are harmless.
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(ASSIGNMENT, student)
        for notebook, scores in cell_scores.items():
            for grade_id, auto_score in scores.items():
                try:
                    grade = gradebook.find_grade(grade_id, notebook, ASSIGNMENT, student)
                except MissingEntry:
                    raise KeyError(f"grade cell {grade_id!r} of notebook {notebook!r} is not in the gradebook "
                                   f"{course.db_url}; regenerate the course") from None
                _set_auto_score(grade, auto_score)
            for grade_id, comment_text in auto_comments.get(notebook, {}).items():
                gradebook.find_comment(grade_id, notebook, ASSIGNMENT, student).auto_comment = comment_text
        gradebook.db.commit()


def manual_scores(course, student):
    """{notebook: {grade_id: manual_score}} of the scores a grader entered by hand for `student`."""
    scores = {}
    with Gradebook(course.db_url) as gradebook:
        try:
            submission = gradebook.find_submission(ASSIGNMENT, student)
        except MissingEntry:
            return scores
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is not None:
                    scores.setdefault(notebook.name, {})[grade.name] = grade.manual_score
    return scores


def source_cells(db_url, notebook):
    """{grade_id: (source, checksum, cell_type, locked)} of the cells nbgrader recorded for `notebook`."""
    with Gradebook(db_url) as gradebook:
        recorded = gradebook.find_notebook(notebook, ASSIGNMENT)
        return {cell.name: (cell.source, cell.checksum, cell.cell_type, cell.locked)
                for cell in recorded.source_cells}


def grade_cells(db_url, notebook):
    """{grade_id: (max_score, cell_type, is_manual)} of the graded cells of `notebook` in the gradebook."""
    with Gradebook(db_url) as gradebook:
        recorded = gradebook.find_notebook(notebook, ASSIGNMENT)
        solution_ids = {cell.name for cell in recorded.solution_cells}
        return {cell.name: (float(cell.max_score), cell.cell_type, cell.name in solution_ids)
                for cell in recorded.grade_cells}


def copy_autograded_notebooks(course, student, notebooks_json):
    """Write the autograded notebooks {notebook: json text} to `<course>/autograded/<student>/assignment2/`.

    Only notebooks: `generate_feedback` copies every other file of that folder into the feedback that students
    receive, and the instructor's checks bundle (hidden checks) must never reach them.
    """
    target = course.autograded_dir(student)
    shutil.rmtree(target, ignore_errors=True)
    if not notebooks_json:
        return
    target.mkdir(parents=True)
    for notebook, text in notebooks_json.items():
        (target / f"{notebook}.ipynb").write_text(text, encoding="utf-8")
