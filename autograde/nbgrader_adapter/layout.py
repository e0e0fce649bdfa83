"""Where an nbgrader course keeps its files. One course folder serves the release and one the grading:

    nbgrader_config.py                         written by `config.course_config_text`
    gradebook.db                               the gradebook (SQLite unless the config names another database)
    source/<assignment>/                       the source notebooks and the files they import
    release/<assignment>/                      what generate_assignment writes (solutions and hidden tests removed)
    submitted/<student>/<assignment>/          a submission, as `nbgrader collect` leaves it
    autograded/<student>/<assignment>/         what autograde writes; formgrader shows it
    feedback/<student>/<assignment>/           what generate_feedback writes
"""
import dataclasses
from pathlib import Path

ASSIGNMENT = "assignment2"
COURSE_ID = "numpy-nn-course"
CONFIG_NAME = "nbgrader_config.py"


def sqlite_url(path):
    """The SQLAlchemy URL of a SQLite database file."""
    return f"sqlite:///{Path(path).resolve()}"


@dataclasses.dataclass(frozen=True)
class CourseLayout:
    """The folders of one nbgrader course at `root`, for `assignment`."""

    root: Path
    assignment: str = ASSIGNMENT

    @property
    def config_path(self):
        return self.root / CONFIG_NAME

    @property
    def default_db_url(self):
        return sqlite_url(self.root / "gradebook.db")

    @property
    def source_dir(self):
        return self.root / "source" / self.assignment

    @property
    def release_dir(self):
        return self.root / "release" / self.assignment

    def submitted_dir(self, student):
        return self.root / "submitted" / student / self.assignment

    def autograded_dir(self, student):
        return self.root / "autograded" / student / self.assignment

    def feedback_dir(self, student):
        return self.root / "feedback" / student / self.assignment

    def autograded_students(self):
        """The students with an autograded folder, sorted."""
        folder = self.root / "autograded"
        return sorted(path.name for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []
