"""The grading course: the nbgrader course folder that keeps a class's gradebook, and each student's scratch copy.

`<out>/course/` persists across runs so that manual grades made in formgrader survive a re-grade:

    nbgrader_config.py        cell timeout, kernel, stderr filter, files autograde must not overwrite, feedback steps
    source/assignment2/       the source notebooks + the STUDENT-side checks bundle (the public checks the release
                              ships): the kernel never needs anything more, since the trusted grader decides the
                              points of the hidden checks outside it
    gradebook.db              the gradebook (SQLite unless `db_url` names another SQLAlchemy database)
    autograded/<student>/assignment2/*.ipynb   what formgrader shows and `generate_feedback` reads
    feedback/<student>/assignment2/*.html      nbgrader's own feedback (hidden tests removed)
    .autograde/skeleton.db    a gradebook holding only the assignment: each student is graded in a copy of it
    .autograde/gradebook.lock the writers' lock

Manual grading: `autograde formgrader OUT` (or `cd <out>/course && jupyter lab`, then Nbgrader > Formgrader).
"""
import dataclasses
import hashlib
import shutil
from pathlib import Path

from autograde.checks.spec import NOTEBOOKS
from autograde.nbgrader_adapter import config, gradebook, process
from autograde.nbgrader_adapter.layout import ASSIGNMENT, CourseLayout, sqlite_url
from autograde.release.bundle import student_autograde_files
from autograde.release.strip import stub_tree

# HideHiddenTestOutcomes must see the hidden-test markers, so it runs before ClearHiddenTests removes them.
FEEDBACK_PREPROCESSORS = (
    "autograde.grade.feedback.HideHiddenTestOutcomes",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
)


@dataclasses.dataclass(frozen=True)
class GradingCourse:
    """The persistent grading course: its folders, its gradebook and the notebooks of the assignment."""

    root: Path
    db_url: str
    notebooks: tuple
    cell_timeout: int = config.CELL_TIMEOUT_SECONDS

    @property
    def layout(self):
        return CourseLayout(Path(self.root))

    @property
    def state_dir(self):
        return Path(self.root) / ".autograde"

    @property
    def skeleton_db(self):
        return self.state_dir / "skeleton.db"

    @property
    def starter_dir(self):
        """What the student release starts from: the generated notebooks and the stub course_lib."""
        return self.state_dir / "starter"

    @property
    def lock_path(self):
        return self.state_dir / "gradebook.lock"

    def to_dict(self):
        return {"root": str(self.root), "db_url": self.db_url, "notebooks": list(self.notebooks),
                "cell_timeout": self.cell_timeout}

    @classmethod
    def from_record(cls, root):
        """The grading course already prepared in `root` (its config names the gradebook; its source, the
        notebooks)."""
        layout = CourseLayout(Path(root).resolve())
        db_url = config.load_course_config(layout).CourseDirectory.db_url
        order = {name: index for index, name in enumerate(NOTEBOOKS)}
        names = sorted((path.stem for path in layout.source_dir.glob("*.ipynb")),
                       key=lambda name: (order.get(name, len(order)), name))
        timeout = config.load_course_config(layout).Execute.timeout
        return cls(root=layout.root, db_url=db_url, notebooks=tuple(names), cell_timeout=int(timeout))

    @classmethod
    def from_dict(cls, data):
        return cls(root=Path(data["root"]), db_url=data["db_url"], notebooks=tuple(data["notebooks"]),
                   cell_timeout=data["cell_timeout"])


def course_lib_files(course_lib_dir):
    """Relative paths `course_lib/...` of a course_lib tree (for `Autograde.exclude_overwriting`)."""
    course_lib_dir = Path(course_lib_dir)
    return sorted(str(Path("course_lib") / path.relative_to(course_lib_dir))
                  for path in course_lib_dir.rglob("*.py") if "__pycache__" not in path.parts)


def grading_config(course, *, exclude_overwriting=(), db_url=None):
    """The keyword arguments of `config.write_course_config` for a grading course (persistent or scratch)."""
    return {"db_url": db_url or course.db_url,
            "grading": {"assignment": ASSIGNMENT, "cell_timeout": course.cell_timeout,
                        "exclude_overwriting": list(exclude_overwriting),
                        "feedback_preprocessors": list(FEEDBACK_PREPROCESSORS)}}


def project_sources(project_root):
    """(notebooks_dir, bundle_files, course_lib_dir) of the instructor's project: the source notebooks, the student
    bundle the release ships ({relative path: bytes}) and the reference course_lib."""
    project_root = Path(project_root)
    return project_root / "notebooks", student_autograde_files(project_root), project_root / "course_lib"


def _fingerprint(files):
    digest = hashlib.sha256()
    for relative in sorted(files):
        digest.update(relative.encode() + b"\0" + files[relative] + b"\0")
    return digest.hexdigest()


def prepare_grading_course(root, *, notebooks_dir, bundle_files, course_lib_dir, db_url=None,
                           cell_timeout=config.CELL_TIMEOUT_SECONDS):
    """Create or refresh the grading course in `root` and return it.

    notebooks_dir: the SOURCE notebooks; bundle_files: {relative path: bytes} of the student-side checks bundle the
    notebooks import (`project_sources`); course_lib_dir: the reference course_lib (its file names go into
    `Autograde.exclude_overwriting`); db_url: SQLAlchemy URL of the gradebook (default `sqlite:///<root>/gradebook.db`).
    generate_assignment runs (into the gradebook and into the students' skeleton gradebook) only when the source
    changed, so re-running keeps every submission and manual grade.
    """
    layout = CourseLayout(Path(root).resolve())
    notebooks = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{notebooks_dir} holds no .ipynb file; the grading course needs the source notebooks")
    files = {notebook.name: notebook.read_bytes() for notebook in notebooks}
    files.update(bundle_files)
    names = [Path(name).stem for name in files if name.endswith(".ipynb") and "/" not in name]
    # The assignment's order (the order students work in), any other notebook after those.
    order = {name: index for index, name in enumerate(NOTEBOOKS)}
    course = GradingCourse(root=layout.root, db_url=db_url or layout.default_db_url,
                           notebooks=tuple(sorted(names, key=lambda name: (order.get(name, len(order)), name))),
                           cell_timeout=cell_timeout)
    config.write_course_config(layout, **grading_config(
        course, exclude_overwriting=course_lib_files(course_lib_dir)))
    course.state_dir.mkdir(parents=True, exist_ok=True)
    fingerprint_file = course.state_dir / "source.sha256"
    fingerprint = _fingerprint(files)
    if (fingerprint_file.is_file() and fingerprint_file.read_text() == fingerprint and course.skeleton_db.is_file()
            and layout.source_dir.is_dir() and course.starter_dir.is_dir()):
        return course
    shutil.rmtree(layout.source_dir, ignore_errors=True)
    for relative, content in files.items():
        target = layout.source_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    course.skeleton_db.unlink(missing_ok=True)
    gradebook.create_gradebook(sqlite_url(course.skeleton_db))
    process.generate_assignment(layout, db_url=sqlite_url(course.skeleton_db))
    default_db = layout.root / "gradebook.db"
    if course.db_url == sqlite_url(default_db) and not default_db.exists():
        # A new gradebook is the skeleton itself; copying it saves a second generate_assignment.
        shutil.copy2(course.skeleton_db, default_db)
    else:
        gradebook.create_gradebook(course.db_url)
        process.generate_assignment(layout)
    # generate_assignment also writes release/, which is not the student release (`autograde release` builds that):
    # its notebooks, with the stub course_lib, are kept out of sight as the starter code (what the similarity check
    # leaves out) and the folder removed to avoid mistakes.
    shutil.rmtree(course.starter_dir, ignore_errors=True)
    course.starter_dir.mkdir(parents=True)
    for notebook in layout.release_dir.glob("*.ipynb"):
        shutil.copy2(notebook, course.starter_dir / notebook.name)
    stub_tree(course_lib_dir, course.starter_dir / "course_lib")
    shutil.rmtree(layout.root / "release", ignore_errors=True)
    fingerprint_file.write_text(fingerprint)
    return course


def course_cells(course):
    """{notebook: {grade_id: (max_score, cell_type, is_manual)}} of every graded cell, in notebook cell order, from
    the course's skeleton gradebook (what every student is graded on)."""
    url = sqlite_url(course.skeleton_db)
    return {notebook: gradebook.grade_cells(url, ASSIGNMENT, notebook) for notebook in course.notebooks}
