"""Submissions for the library grading tests: copies of the reference course_lib, broken on purpose.

A module of its own (not conftest.py) so that test modules can import it by a name no other folder uses."""
import shutil
import textwrap
from pathlib import Path

from autograde.checks import spec

REPO = Path(__file__).resolve().parents[3]
REFERENCE_LIB = REPO / "course_lib"
HONEST_CHECK = "layers.affine_forward.notebook_case"
TARGET_CHECK = "layers.relu_forward.notebook_case"
LATER_CHECK = "layers.softmax_loss.notebook_case"


def make_submission(parent, name, *, append=None, files=None, remove=()):
    """A student folder `parent/name` with the reference course_lib, then changed.

    append: {course_lib-relative path: code appended to that module} (redefining a function there replaces it);
    files: {submission-relative path: text or bytes} written as is; remove: submission-relative paths deleted.
    """
    folder = Path(parent) / name
    shutil.copytree(REFERENCE_LIB, folder / "course_lib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for relative, code in (append or {}).items():
        with open(folder / "course_lib" / relative, "a", encoding="utf-8") as stream:
            stream.write("\n\n" + textwrap.dedent(code))
    for relative, content in (files or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    for relative in remove:
        target = folder / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return folder


def checks_by_id(*check_ids):
    registry = {check.id: check for check in spec.all_checks()}
    return [registry[check_id] for check_id in check_ids]


def replace_relu(body):
    """`append` that replaces `relu_forward` (in course_lib/layers/affine.py) with a function running `body`."""
    return {"layers/affine.py": "def relu_forward(x):\n" + "\n".join("    " + line for line in body.splitlines())}
