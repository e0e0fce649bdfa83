"""Sample submissions for the demo: a full-marks reference, the untouched release, typical bugs, a hostile one."""
import json
import shutil
import zipfile
from pathlib import Path

# Typical student bugs, each one edit of the reference: (file under course_lib, text to find, replacement, what
# a grader should see). The text must occur exactly once, so a change to the reference breaks the demo loudly.
BUGS = {
    "pool_overwrites_gradient": (
        "layers/pooling.py",
        "dx[:, :, top:top + pool_height, left:left + pool_width] += routed",
        "dx[:, :, top:top + pool_height, left:left + pool_width] = routed",
        "max-pool backward overwrites instead of accumulating: wrong where pooling windows overlap",
    ),
    "softmax_without_shift": (
        "layers/losses.py",
        "shifted = x - x.max(axis=1, keepdims=True)  # (N, C)",
        "shifted = x  # (N, C)",
        "softmax without subtracting the row maximum: overflows on large logits",
    ),
    "batchnorm_unbiased_variance": (
        "layers/batchnorm.py",
        "var = (x_centered**2).mean(axis=0)  # (D,)",
        "var = (x_centered**2).sum(axis=0) / (x.shape[0] - 1)  # (D,)",
        "batch norm with the corrected (N-1) variance instead of the uncorrected one",
    ),
}

# A submission that attacks the grader from its course_lib: it patches numpy and the checker at import time,
# looks for the reference library and the hidden expected values, writes outside its folder, and makes one
# function loop forever while ignoring SIGINT/SIGTERM. Its honest functions must keep their points.
HOSTILE_PREAMBLE = '''
import glob as _glob
import signal as _signal
import numpy as _np

def _lying_allclose(*args, **kwargs):
    return True

_np.allclose = _lying_allclose
_np.testing.assert_allclose = lambda *args, **kwargs: None
for _pattern in ("/*/*/autograde/expected/hidden.npz", "/*/*/*/autograde/expected/hidden.npz",
                 "/*/*/course_lib/layers/conv.py", "/*/*/*/course_lib/layers/conv.py"):
    try:
        _found = _glob.glob(_pattern)[:3]
    except OSError:
        _found = []
    if _found:
        print("hostile submission found", _found)
try:
    with open("/tmp/hostile-submission-was-here", "w") as _handle:
        _handle.write("pwned")
except OSError:
    pass
'''

HOSTILE_LOOP = (
    "layers/losses.py",
    "def svm_loss(x, y):",
    "def svm_loss(x, y):\n    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)\n"
    "    _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)\n    while True:\n        pass\n\n\ndef _unused_svm_loss(x, y):",
)


class DemoError(Exception):
    """The demo's inputs do not fit (e.g. a bug's text is no longer in the reference)."""


def _edit(course_lib, relative, old, new):
    path = course_lib / relative
    text = path.read_text()
    if text.count(old) != 1:
        raise DemoError(f"{path}: expected exactly one occurrence of {old!r} to plant a demo bug, "
                        f"found {text.count(old)}; update autograde/demo/submissions.py")
    path.write_text(text.replace(old, new))


def fill_solutions(student_notebook, source_notebook):
    """Copy the solution cells of a source notebook into a student notebook, matched by nbgrader grade_id."""
    source = json.loads(Path(source_notebook).read_text())
    answers = {cell["metadata"]["nbgrader"]["grade_id"]: cell["source"]
               for cell in source["cells"]
               if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}
    student = json.loads(Path(student_notebook).read_text())
    for cell in student["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id in answers:
            cell["source"] = answers[grade_id]
    Path(student_notebook).write_text(json.dumps(student, indent=1) + "\n")


def _copy_release(release_dir, dest):
    shutil.copytree(release_dir, dest, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))


def make_reference(release_dir, dest, project_root):
    """The release with the reference course_lib and the source notebooks' solutions filled in."""
    _copy_release(release_dir, dest)
    shutil.rmtree(dest / "course_lib")
    shutil.copytree(project_root / "course_lib", dest / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    for notebook in sorted(dest.glob("*.ipynb")):
        fill_solutions(notebook, project_root / "notebooks" / notebook.name)
    return dest


def make_submissions(release_dir, dest, project_root):
    """Write the demo's submissions into dest; return {student id: what it shows}."""
    release_dir, dest, project_root = Path(release_dir), Path(dest), Path(project_root)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shown = {}
    make_reference(release_dir, dest / "reference", project_root)
    shown["reference"] = "the reference solution: full marks"
    _copy_release(release_dir, dest / "untouched")
    shown["untouched"] = "the release as given: zero on every graded check"
    for name, (relative, old, new, description) in BUGS.items():
        make_reference(release_dir, dest / name, project_root)
        _edit(dest / name / "course_lib", relative, old, new)
        shown[name] = description
    hostile = make_reference(release_dir, dest / "hostile", project_root)
    init = hostile / "course_lib" / "layers" / "losses.py"
    init.write_text(HOSTILE_PREAMBLE + init.read_text())
    _edit(hostile / "course_lib", *HOSTILE_LOOP)
    shown["hostile"] = "patches numpy, hunts for hidden values, writes outside, loops forever in svm_loss"
    # One student hands in a .zip, as LMS downloads do (a single top-level folder inside).
    zipped = dest / "softmax_without_shift"
    with zipfile.ZipFile(dest / "softmax_without_shift.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(zipped.rglob("*")):
            archive.write(path, Path("softmax_without_shift") / path.relative_to(zipped))
    shutil.rmtree(zipped)
    shown["softmax_without_shift"] += " (handed in as a .zip)"
    return shown


# The student who hands in late: one entry of a Canvas "Download Submissions" zip, `<name>_LATE_<user id>_<attachment
# id>_<file>` (docs/grading.md), graded into the class record after everyone else.
LATE_CANVAS_NAME = "latestudent"
LATE_CANVAS_USER = "4242"


def make_copycat(dest, original):
    """A submission whose course_lib is `original`'s with its variables renamed: the similarity check flags it."""
    shutil.copytree(dest / original, dest / "copycat", ignore=shutil.ignore_patterns("__pycache__"))
    for path in (dest / "copycat" / "course_lib").rglob("*.py"):
        text = path.read_text()
        path.write_text(text.replace("num_examples", "count").replace("x_centered", "centred"))
    return (f"copies {original} with renamed variables: the report's similarity section flags the pair (it pairs the "
            "other samples too: they are all built from the reference solution)")


def make_late_canvas_download(release_dir, dest, project_root):
    """A Canvas bulk download (a .zip) holding one late student's submission, itself a .zip; returns its path."""
    staging = dest.parent / ".late-student"
    shutil.rmtree(staging, ignore_errors=True)
    make_reference(release_dir, staging / "work", project_root)
    _edit(staging / "work" / "course_lib", *BUGS["pool_overwrites_gradient"][:3])
    inner = staging / "assignment2.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((staging / "work").rglob("*")):
            archive.write(path, Path("assignment2") / path.relative_to(staging / "work"))
    download = dest / "canvas-late-download.zip"
    download.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, f"{LATE_CANVAS_NAME}_LATE_{LATE_CANVAS_USER}_900001_assignment2.zip")
    shutil.rmtree(staging)
    return download
