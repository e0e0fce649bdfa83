"""The course bundle's identity: a digest of everything a grade depends on, so that a worker on another machine
grades only with the same course as the head.

Parts (`PARTS`), each a SHA-256 over its files' relative paths and bytes (litter left out, `paths.is_ignored`):

- `autograde`: the grading package that runs in this process (grading code, checks, stored expected values);
- `student bundle`: the checks bundle the release ships and the notebooks import (`release.bundle`);
- `course_lib`: the reference library (its file names decide which files nbgrader keeps from the student);
- `notebooks`: the source notebooks (test cells, points, hidden tests);
- `runtime`: Python's major.minor, numpy's and nbgrader's versions, as text.

The identity is the digest of the parts; a mismatch names the parts that differ.
"""
import dataclasses
import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path

from autograde.paths import AUTOGRADE_DIR, PROJECT_ROOT, is_ignored
from autograde.release.bundle import student_autograde_files

PARTS = ("autograde", "student bundle", "course_lib", "notebooks", "runtime")
# Digits of a digest shown in messages: enough to tell versions apart, short enough to read.
SHOWN_DIGITS = 12


class CourseBundleMismatch(RuntimeError):
    """A worker's course bundle is not the job's: the worker refuses the job (the grader's failure, not the
    student's). `worker` names the worker that refused."""

    def __init__(self, message, worker=""):
        super().__init__(message, worker)
        self.message = message
        self.worker = worker

    def __str__(self):
        return self.message


def _digest_files(files):
    """SHA-256 hex of {relative path: bytes}, in path order."""
    digest = hashlib.sha256()
    for relative in sorted(files):
        digest.update(relative.encode() + b"\0" + files[relative] + b"\0")
    return digest.hexdigest()


def _tree_files(folder, pattern="**/*"):
    """{relative POSIX path: bytes} of the files under `folder` that match `pattern`, litter left out."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing; the course bundle needs it (install the project from its "
                                "checkout: pip install -e .)")
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.glob(pattern)
            if path.is_file() and not is_ignored(path.relative_to(folder))}


def _version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def runtime_description():
    """`python 3.11, numpy 2.4.0, nbgrader 0.9.6`: the versions a grade depends on besides the project."""
    return (f"python {sys.version_info.major}.{sys.version_info.minor}, numpy {_version('numpy')}, "
            f"nbgrader {_version('nbgrader')}")


@dataclasses.dataclass(frozen=True)
class BundleIdentity:
    """The identity of a course bundle: `digest` (SHA-256 hex) over `parts` ({part name: digest or text})."""

    digest: str
    parts: dict

    @classmethod
    def from_parts(cls, parts):
        text = "".join(f"{name}={parts[name]}\n" for name in PARTS)
        return cls(digest=hashlib.sha256(text.encode()).hexdigest(), parts=dict(parts))

    @property
    def short(self):
        return self.digest[:SHOWN_DIGITS]

    def to_dict(self):
        return {"digest": self.digest, "parts": dict(self.parts)}

    @classmethod
    def from_dict(cls, data):
        return cls(digest=data["digest"], parts=dict(data["parts"]))

    def differences(self, other):
        """What differs from `other`, one phrase per part: `course_lib`, `runtime (python 3.11, ... here; ...)`."""
        found = []
        for name in PARTS:
            mine, theirs = self.parts.get(name), other.parts.get(name)
            if mine == theirs:
                continue
            found.append(f"runtime ({mine} here, {theirs} in the job)" if name == "runtime" else name)
        return found


def bundle_identity(project_root=PROJECT_ROOT):
    """The BundleIdentity of the project at `project_root` graded by the autograde package of this process."""
    project_root = Path(project_root)
    parts = {
        "autograde": _digest_files(_tree_files(AUTOGRADE_DIR)),
        "student bundle": _digest_files(student_autograde_files(project_root)),
        "course_lib": _digest_files(_tree_files(project_root / "course_lib")),
        "notebooks": _digest_files(_tree_files(project_root / "notebooks", "*.ipynb")),
        "runtime": runtime_description(),
    }
    return BundleIdentity.from_parts(parts)


@functools.cache
def installed_identity():
    """The BundleIdentity of this machine's installed project, computed once per process: a worker grades with
    the code it imported, so it is restarted after the project is updated."""
    return bundle_identity(PROJECT_ROOT)


def refusal(mine, needed, worker):
    """The CourseBundleMismatch a worker with bundle `mine` raises for a job that needs `needed`."""
    differing = ", ".join(mine.differences(needed)) or "the digest"
    return CourseBundleMismatch(
        f"this worker ({worker}) has course bundle {mine.short}, the job needs {needed.short} (they differ in: "
        f"{differing}): install the same project version on every worker", worker)
