"""The text of a course's `nbgrader_config.py`: one writer for the release's course and the grading course."""
from autograde.nbgrader_adapter.layout import COURSE_ID

# A Python warning as the `warnings` module prints it: `path:line: SomeWarning: message` followed by the echoed
# source line. nbgrader removes a stderr output that matches, so a numpy RuntimeWarning in a correct test cell does
# not score it 0 (nbgrader scores any stderr output of a test cell as a failure).
WARNING_STDERR_PATTERN = r"(?m)^[^\n]*:\d+: \w*Warning: "
CELL_TIMEOUT_SECONDS = 120
KERNEL_NAME = "python3"


def course_config_text(*, root, db_url=None, course_id=COURSE_ID, grading=None):
    """The `nbgrader_config.py` of the course at `root`.

    db_url: the gradebook's SQLAlchemy URL (default: SQLite `gradebook.db` in the course folder, written relative
    to the config file so that the folder can move). grading: None for a course that only generates assignments
    (the release), else a dict with the grading settings: `assignment`, `cell_timeout`, `kernel_name`,
    `exclude_overwriting` (file names autograde must not replace with the instructor's),
    `feedback_preprocessors` (import paths) and `kernel_manager_class` (import path; default jupyter's).
    """
    lines = [
        '"""nbgrader settings of this course, written by `python -m autograde` (edits are overwritten)."""',
        "import os",
        "",
        "c = get_config()  # noqa: F821 (nbgrader provides get_config)",
        "course_root = os.path.dirname(os.path.abspath(__file__))",
        f"c.CourseDirectory.course_id = {course_id!r}",
        "c.CourseDirectory.root = course_root",
        ("c.CourseDirectory.db_url = " + (repr(db_url) if db_url else
                                          "'sqlite:///' + os.path.join(course_root, 'gradebook.db')")),
        'c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]',
    ]
    if grading is not None:
        lines += [
            f"c.Autograde.exclude_overwriting = {{{grading['assignment']!r}: "
            f"{list(grading.get('exclude_overwriting', ()))!r}}}",
            f"c.Execute.timeout = {int(grading.get('cell_timeout', CELL_TIMEOUT_SECONDS))}",
            f"c.Execute.kernel_name = {grading.get('kernel_name', KERNEL_NAME)!r}",
            "c.IgnorePattern.enabled = True",
            f"c.IgnorePattern.pattern = {WARNING_STDERR_PATTERN!r}",
            "c.OverwriteCells.add_missing_cells = True",
            f"c.GenerateFeedback.preprocessors = {list(grading.get('feedback_preprocessors', ()))!r}",
        ]
        if grading.get("kernel_manager_class"):
            lines.append(f"c.Execute.kernel_manager_class = {grading['kernel_manager_class']!r}")
    return "\n".join(lines) + "\n"


def write_course_config(layout, **options):
    """Write `course_config_text(root=layout.root, **options)` to the course's config file; returns its path."""
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.config_path.write_text(course_config_text(root=layout.root, **options), encoding="utf-8")
    return layout.config_path


def load_course_config(layout):
    """The traitlets Config of the course's `nbgrader_config.py` (what the nbgrader command would read)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(layout.config_path.name, path=str(layout.root)).load_config()
