"""Where the project's own files are: the one definition of the project root and of what every copy leaves out.

In the instructor's project, PROJECT_ROOT holds course_lib/, notebooks/ and autograde/; in a student release it is
the release folder (which holds the shipped subset of autograde/).
"""
from pathlib import Path

AUTOGRADE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = AUTOGRADE_DIR.parent
COURSE_LIB_DIR = PROJECT_ROOT / "course_lib"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

# Operating-system and editor litter, never copied, never graded, never shipped.
IGNORED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints", "__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini",
                           ".git"})
IGNORED_SUFFIXES = (".pyc", ".pyo")


def is_ignored(relative):
    """Whether a relative path (str or Path) is litter: any part in IGNORED_NAMES, an AppleDouble `._` file, or a
    compiled file."""
    parts = Path(relative).parts
    return (any(part in IGNORED_NAMES or part.startswith("._") for part in parts)
            or (bool(parts) and parts[-1].endswith(IGNORED_SUFFIXES)))
