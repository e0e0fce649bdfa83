"""The course's nbgrader_config.py: what nbgrader reads, for the release's course and the grading course."""
import re
import subprocess
import sys

from autograde.nbgrader_adapter import config
from autograde.nbgrader_adapter.layout import CourseLayout

GRADING = {"assignment": "assignment2", "cell_timeout": 77, "exclude_overwriting": ["course_lib/layers.py"],
           "feedback_preprocessors": ["autograde.grade.feedback.HideHiddenTestOutcomes",
                                      "nbgrader.preprocessors.ClearHiddenTests"],
           "kernel_manager_class": "autograde.grade.notebooks.kernel.SandboxedKernelManager"}


def test_grading_config_filters_warnings_keeps_course_lib_and_names_the_feedback_steps_and_kernel(tmp_path):
    layout = CourseLayout(tmp_path / "course")
    config.write_course_config(layout, db_url="sqlite:////x/gradebook.db", grading=GRADING)
    loaded = config.load_course_config(layout)
    assert loaded.Autograde.exclude_overwriting == {"assignment2": ["course_lib/layers.py"]}
    assert loaded.Execute.timeout == 77 and loaded.Execute.kernel_name == "python3"
    assert loaded.Execute.kernel_manager_class == GRADING["kernel_manager_class"]
    assert loaded.IgnorePattern.enabled is True
    assert loaded.IgnorePattern.pattern == config.WARNING_STDERR_PATTERN
    assert loaded.GenerateFeedback.preprocessors == GRADING["feedback_preprocessors"]
    assert loaded.CourseDirectory.db_url == "sqlite:////x/gradebook.db"
    assert loaded.CourseDirectory.root == str(layout.root)


def test_release_config_has_no_grading_settings_and_a_gradebook_that_moves_with_the_folder(tmp_path):
    layout = CourseLayout(tmp_path / "course")
    config.write_course_config(layout)
    moved = CourseLayout(tmp_path / "moved")
    layout.root.rename(moved.root)
    loaded = config.load_course_config(moved)
    assert loaded.CourseDirectory.db_url == f"sqlite:///{moved.root / 'gradebook.db'}"
    assert "Autograde" not in loaded and "Execute" not in loaded


def test_warning_pattern_matches_what_numpy_writes_to_stderr_and_not_an_error():
    warned = subprocess.run([sys.executable, "-c", "import numpy as np; np.log(np.zeros(1))"],
                            capture_output=True, text=True, check=True)
    assert "RuntimeWarning" in warned.stderr
    assert re.search(config.WARNING_STDERR_PATTERN, warned.stderr)
    assert not re.search(config.WARNING_STDERR_PATTERN, "Traceback: AssertionError: wrong\n")
