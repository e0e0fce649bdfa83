"""What a Dask worker runs for one student: check the job's course bundle against its own installed project, find
or build its own grading course, and grade with the job's data only.

The worker-local grading course is built once per bundle identity from the worker's installed project
(`notebooks.course.prepare_grading_course`: the source notebooks, the student bundle, nbgrader's
generate_assignment) in `course_cache_dir()/<identity>/`. Several worker processes of one machine may ask for it
at once: one builds it under a file lock while the others wait, and a course counts as built only once its
`bundle.json` exists (written last, atomically), so a build that died half-way is started again.
"""
import dataclasses
import fcntl
import json
import os
import shutil
import socket
from pathlib import Path

from autograde.grade.cluster.bundle import BundleIdentity, installed_identity, refusal
from autograde.grade.notebooks import course as grading_course
from autograde.nbgrader_adapter.layout import sqlite_url
from autograde.paths import PROJECT_ROOT

# Where a worker keeps its grading courses (default: $XDG_CACHE_HOME/autograde or ~/.cache/autograde).
CACHE_VARIABLE = "AUTOGRADE_CACHE_DIR"
READY_FILE = "bundle.json"


def course_cache_dir():
    """The folder that holds this machine's worker-local grading courses, one per bundle identity."""
    configured = os.environ.get(CACHE_VARIABLE, "").strip()
    if configured:
        return Path(configured).resolve() / "courses"
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base).resolve() / "autograde" / "courses"


def _build(root, identity, project_root):
    shutil.rmtree(root, ignore_errors=True)
    notebooks_dir, bundle_files, course_lib_dir = grading_course.project_sources(project_root)
    course = grading_course.prepare_grading_course(root, notebooks_dir=notebooks_dir, bundle_files=bundle_files,
                                                   course_lib_dir=course_lib_dir)
    ready = root / READY_FILE
    partial = ready.with_name(ready.name + ".partial")
    partial.write_text(json.dumps({"identity": identity.to_dict(), "notebooks": list(course.notebooks)}, indent=1))
    os.replace(partial, ready)


def local_course(identity, *, cell_timeout, project_root=PROJECT_ROOT, cache_dir=None):
    """The GradingCourse of bundle `identity` on this machine, built from the project at `project_root` the first
    time (under a lock shared by every process of the machine); `cell_timeout`: the job's seconds per cell."""
    cache_dir = Path(cache_dir) if cache_dir is not None else course_cache_dir()
    root = cache_dir / identity.digest
    ready = root / READY_FILE
    if not ready.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with open(cache_dir / f"{identity.digest}.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not ready.is_file():
                    _build(root, identity, project_root)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    notebooks = json.loads(ready.read_text())["notebooks"]
    course = grading_course.GradingCourse(root=root.resolve(), db_url=sqlite_url(root / "gradebook.db"),
                                          notebooks=tuple(notebooks))
    return dataclasses.replace(course, cell_timeout=cell_timeout)


def worker_name():
    """This worker's address (`tcp://10.0.0.7:40313`) inside a Dask task, else the host name."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return socket.gethostname()


def grade_on_worker(function, job):
    """Run `function` (`student.grade_student`) for a cluster job (`head.remote_job`) on this worker; returns its
    result dict with `worker` (who graded it). Raises CourseBundleMismatch when this worker's installed project is
    not the job's course bundle."""
    needed = BundleIdentity.from_dict(job["bundle"])
    mine = installed_identity()
    if mine.digest != needed.digest:
        raise refusal(mine, needed, worker_name())
    notebook_grading = job.get("notebook_grading")
    course = (local_course(mine, cell_timeout=notebook_grading["cell_timeout"]).to_dict()
              if notebook_grading else None)
    local_job = {key: value for key, value in job.items() if key not in ("bundle", "notebook_grading")}
    result = function({**local_job, "course": course, "hidden": [str(course_cache_dir())]})
    result["worker"] = worker_name()
    return result
