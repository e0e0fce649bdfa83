"""`python -m autograde release`: build the student release from the reference library and the source notebooks.

The release folder holds:

    course_lib/                 the stub library: every solution region replaced by a NotImplementedError
    <Notebook>.ipynb            the four notebooks, as nbgrader's generate_assignment writes them
    autograde/                  the student subset: __init__.py, __main__.py, check/, checks/__init__.py,
                                checks/spec.py, checks/public/, expected/public.npz
    environment.yml             python, pip and the runtime dependencies
    datasets/get_datasets.py    the CIFAR-10 download helper
    README.md                   for students

The steps run in this order: stub the library, collect the student files, generate the notebooks (nbgrader, in
the course directory), write the student files, scan for leaks. The release is built in a staging folder and
replaces `out` only when the scan finds nothing.
"""
import shutil
from pathlib import Path

from autograde.release import bundle, nbgrader_step
from autograde.nbgrader_adapter.layout import COURSE_ID
from autograde.nbgrader_adapter.process import NbgraderError
from autograde.paths import PROJECT_ROOT
from autograde.release.errors import LeakError, MarkerError, ReleaseError, StubCompileError
from autograde.release.scan import Leak, check_release, collect_secrets, scan_release
from autograde.release.strip import stub_tree, strip_source

__all__ = [
    "release",
    "strip_source",
    "stub_tree",
    "scan_release",
    "check_release",
    "collect_secrets",
    "Leak",
    "ReleaseError",
    "MarkerError",
    "StubCompileError",
    "NbgraderError",
    "LeakError",
]

# What a previous release folder holds; `release` replaces only a folder that has all of these.
RELEASE_LANDMARKS = ("course_lib", "autograde", "README.md")


def _check_destination(out, root):
    if out == root or out in root.parents:
        raise ReleaseError(f"--out {out} would replace the project at {root}; choose a folder of its own")
    if root in out.parents and out.relative_to(root).parts[0] in ("course_lib", "notebooks", "autograde", "tests"):
        raise ReleaseError(f"--out {out} lies inside the project's sources; choose a folder of its own")
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"--out {out} is a file; choose a folder")
    if out.exists() and any(out.iterdir()):
        if not all((out / landmark).exists() for landmark in RELEASE_LANDMARKS):
            raise ReleaseError(
                f"refusing to replace {out}: it exists and is not a previous release "
                f"(it lacks one of {', '.join(RELEASE_LANDMARKS)}); remove it or choose another --out"
            )


def release(*, out=None, course_dir=None, root=None, db_url=None, course_id=COURSE_ID,
            notebooks=True):
    """Build the student release of the project at `root` (default: this project) into `out`; return its path.

    - out: the release folder (default `release/` in the project); a previous release there is replaced.
    - course_dir: the nbgrader course directory (default `course/` in the project).
    - db_url: the gradebook's SQLAlchemy URL (default SQLite `gradebook.db` in the course directory).
    - notebooks: False skips the nbgrader step (a library-only release, e.g. while editing course_lib).

    Raises MarkerError / StubCompileError for bad solution markers, NbgraderError when nbgrader fails,
    LeakError when the scan finds solution material (the rejected build stays in a staging folder to inspect),
    ReleaseError for other problems.
    """
    root = Path(root).resolve() if root is not None else PROJECT_ROOT
    out = Path(out).resolve() if out is not None else root / "release"
    course_dir = Path(course_dir).resolve() if course_dir is not None else root / "course"
    _check_destination(out, root)
    staging = out.with_name(f".{out.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    stub_tree(root / "course_lib", staging / "course_lib", display_root=root)
    files = bundle.student_files(root)
    if notebooks:
        source_notebooks = sorted((root / "notebooks").glob("*.ipynb"))
        autograde_files = {path: content for path, content in files.items() if path.startswith("autograde/")}
        generated = nbgrader_step.generate_assignment(
            course_dir, source_notebooks, extra_files=autograde_files, course_id=course_id, db_url=db_url
        )
        nbgrader_step.copy_generated(generated, staging)
    bundle.write_files(files, staging)
    leaks = scan_release(staging, root=root)
    if leaks:
        raise LeakError(staging, leaks)

    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return out
