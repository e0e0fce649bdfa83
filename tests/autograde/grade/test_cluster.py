"""Grading on a real Dask cluster that shares no files with the head: `dask scheduler` and `dask worker` processes
on 127.0.0.1, each worker in its own mount namespace with a tmpfs over the folder that holds the submissions and the
grading output, and `python -m autograde grade` run with relative paths.

Head and workers run a snapshot of the project (PYTHONPATH), as a deployed version would be: the bundle identity
then cannot change under a test while the working tree is edited.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import nbformat
import pytest
from distributed import Client
from library_submissions import HONEST_CHECK, TARGET_CHECK, make_submission, replace_relu
from nbgrader.api import Gradebook

from autograde.grade.cluster import bundle, head, worker
from autograde.grade.notebooks import course as grading_course
from autograde.grade.notebooks.verdicts import student_source
from autograde.grade.submissions import Submission, unpack_bytes
from autograde.nbgrader_adapter.layout import ASSIGNMENT, sqlite_url
from autograde.paths import PROJECT_ROOT

DASK = Path(sys.executable).with_name("dask")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ONLY = ["--no-notebooks", "--only", HONEST_CHECK, TARGET_CHECK, "--timeout", "20"]
CONNECT_TIMEOUT = "5s"
SLOW_RELU = replace_relu("import time\ntime.sleep(8)\nreturn np.maximum(0, x), x")


def snapshot_project(destination):
    """A copy of the project's graded parts (what `pip install` of one version puts on a machine)."""
    destination.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for folder in ("autograde", "course_lib", "notebooks"):
        shutil.copytree(PROJECT_ROOT / folder, destination / folder, ignore=ignore)
    return destination


def change_one_check(project):
    """Give the public check of relu_forward another hint in the copy at `project`."""
    path = project / "autograde" / "checks" / "public" / "affine.py"
    text, count = re.subn(r'^HINT_RELU_FORWARD = "', 'HINT_RELU_FORWARD = "take the positive part: ',
                          path.read_text(), flags=re.MULTILINE)
    assert count == 1
    path.write_text(text)


def namespaces_work():
    """Whether this process may give a child a mount namespace of its own."""
    return os.geteuid() == 0 and shutil.which("unshare") and subprocess.run(
        ["unshare", "-m", "true"], capture_output=True).returncode == 0


class Cluster:
    """A `dask scheduler` and its `dask worker` processes (real CLI processes, each in its own session)."""

    def __init__(self, folder):
        self.folder = folder
        folder.mkdir(parents=True)
        self.scheduler_file = folder / "scheduler.json"
        self.processes = []
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", self.scheduler_file], "scheduler", {})
        deadline = time.monotonic() + 60
        while not self.scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.scheduler_file.read_text())["address"]
        self.client = Client(self.address, set_as_default=False)

    def _start(self, command, name, environment):
        log = open(self.folder / f"{name}.log", "ab")
        process = subprocess.Popen([str(part) for part in command], stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **environment}, cwd=self.folder, start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def add_worker(self, name, *, project, cache, hidden=None):
        """A worker running the project at `project`; with `hidden`, in its own mount namespace with a tmpfs over
        that folder, so that it cannot see anything in it."""
        command = [DASK, "worker", "--scheduler-file", self.scheduler_file, "--nworkers", "1", "--nthreads", "1",
                   "--host", "127.0.0.1", "--no-dashboard", "--name", name, "--death-timeout", "60"]
        if hidden is not None:
            command = ["unshare", "-m", "sh", "-c", 'mount -t tmpfs none "$0" && exec "$@"', hidden, *command]
        count = len(self.client.scheduler_info()["workers"])
        self._start(command, name, {"PYTHONPATH": str(project), worker.CACHE_VARIABLE: str(cache)})
        self.client.wait_for_workers(count + 1, timeout=120)

    def stop(self):
        self.client.close()
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def run_grade(cwd, *arguments, project, background=False, connect_timeout=CONNECT_TIMEOUT):
    """`python -m autograde grade ARGUMENTS` in `cwd` with the project at `project`; connect_timeout: Dask's
    `distributed.comm.timeouts.connect` (how long the head waits for the scheduler, or for a worker that has the
    course bundle)."""
    command = [sys.executable, "-m", "autograde", "grade", *arguments]
    environment = {**os.environ, "PYTHONPATH": str(project),
                   "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": connect_timeout}
    if background:
        return subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)


def graded(out):
    """{student: (checks without their durations, error, grader_error, notes)} of a class record."""
    found = {}
    for path in sorted((Path(out) / "results").glob("*.json")):
        result = json.loads(path.read_text())
        checks = [{key: value for key, value in check.items() if key != "duration"} for check in result["checks"]]
        found[result["student"]] = (checks, result["error"], result["grader_error"], result["notes"])
    return found


def results(out):
    return {path.stem: json.loads(path.read_text()) for path in (Path(out) / "results").glob("*.json")}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """(project, other): a snapshot of the project, and a copy of it with one check changed."""
    base = tmp_path_factory.mktemp("deployed")
    project = snapshot_project(base / "project")
    other = snapshot_project(base / "other")
    change_one_check(other)
    return project, other


@pytest.fixture(scope="module")
def blind_cluster(tmp_path_factory, deployed):
    """(cluster, classes, cache): a scheduler and two workers that cannot see `classes`, the folder of every
    submission and grading output of the tests that use it; `cache`: the workers' AUTOGRADE_CACHE_DIR."""
    if not namespaces_work():
        pytest.skip("a mount namespace per worker needs root and `unshare -m`")
    base = tmp_path_factory.mktemp("blind")
    classes = base / "classes"
    classes.mkdir()
    cache = base / "worker-cache"
    cluster = Cluster(base / "cluster")
    try:
        for name in ("worker-a", "worker-b"):
            cluster.add_worker(name, project=deployed[0], cache=cache, hidden=classes)
        yield cluster, classes, cache
    finally:
        cluster.stop()


@pytest.mark.slow
def test_workers_that_cannot_see_the_files_grade_relative_paths_as_local_workers_do(blind_cluster, deployed, bwrap):
    cluster, classes, _ = blind_cluster
    folder = classes / "relative"
    make_submission(folder / "subs", "amy")
    make_submission(folder / "subs", "bob", append=replace_relu("return x, x"))
    make_submission(folder / "subs" / "carl", "assignment2")
    (folder / "subs" / "carl" / "notes.txt").write_text("see you")
    (folder / "subs" / "dora.zip").write_bytes(b"not a zip")
    assert cluster.client.run(os.path.exists, str(folder / "subs")) == dict.fromkeys(
        cluster.client.scheduler_info()["workers"], False)

    on_cluster = run_grade(folder, "subs", "--out", "out-cluster", "--scheduler", cluster.address, *ONLY,
                           project=deployed[0])
    local = run_grade(folder, "subs", "--out", "out-local", "--workers", "2", *ONLY, project=deployed[0])

    assert on_cluster.returncode == 0, on_cluster.stderr
    assert local.returncode == 0, local.stderr
    assert (folder / "out-cluster/grades.csv").read_text() == (folder / "out-local/grades.csv").read_text()
    assert graded(folder / "out-cluster") == graded(folder / "out-local")
    rows = {line.split(",")[0]: line.split(",")[-2:]
            for line in (folder / "out-cluster/grades.csv").read_text().split()}
    assert (rows["amy"], rows["bob"], rows["carl"], rows["dora"]) == (["2", "2"], ["1", "2"], ["2", "2"], ["0", "2"])
    final = results(folder / "out-cluster")
    workers = set(cluster.client.scheduler_info()["workers"])
    assert {final[name]["worker"] for name in ("amy", "bob", "carl")} <= workers
    assert "could not be unpacked" in final["dora"]["error"] and not final["dora"]["grader_error"]
    assert any("notes.txt" in note for note in final["carl"]["notes"])


@pytest.mark.slow
def test_a_worker_killed_mid_job_has_its_student_graded_again_with_the_same_grade(blind_cluster, deployed, bwrap):
    cluster, classes, _ = blind_cluster
    folder = classes / "killed"
    make_submission(folder / "subs", "amy")
    make_submission(folder / "subs", "slow", append=SLOW_RELU)
    grading = run_grade(folder, "subs", "--out", "out", "--scheduler", cluster.address, *ONLY, project=deployed[0],
                        background=True)
    killed = None
    deadline = time.monotonic() + 180
    while killed is None and time.monotonic() < deadline and grading.poll() is None:
        for address, keys in cluster.client.processing().items():
            if any(str(key).startswith("grade-slow-") for key in keys):
                pid = cluster.client.run(os.getpid, workers=[address])[address]
                time.sleep(2)  # into the job: unpacked, the library sandbox running
                os.kill(pid, signal.SIGKILL)
                killed = address
        time.sleep(0.2)
    stdout, stderr = grading.communicate(timeout=300)

    assert killed is not None, stdout + stderr
    assert grading.returncode == 0, stderr
    final = results(folder / "out")
    slow = final["slow"]
    assert not slow["grader_error"] and slow["worker"] != killed
    assert [(check["id"], check["points"], check["status"]) for check in slow["checks"]] == [
        (check["id"], check["points"], check["status"]) for check in final["amy"]["checks"]]
    assert sum(check["points"] for check in slow["checks"]) == 2


@pytest.mark.slow
def test_a_job_that_fails_in_the_grader_is_tried_three_times_then_is_the_graders_failure(blind_cluster):
    cluster, classes, _ = blind_cluster
    make_submission(classes / "failing", "amy")
    identity = next(iter(cluster.client.run(lambda: bundle.installed_identity().to_dict()).values()))
    job = {"student": "amy", "submission": Submission(student="amy", container=str(classes / "failing"), root="amy"),
           "course": None, "bundle": identity}
    recorded = []

    # json.loads stands for a grader that raises on every worker: importable there, and it fails on a job dict.
    head.run_on_cluster(json.loads, {"amy": job}, scheduler=cluster.address, on_result=recorded.append,
                        on_failure=lambda student, message: {"student": student, "failure": message},
                        progress=types.SimpleNamespace(update=lambda count: None))

    assert len(recorded) == 1
    failure = recorded[0]["failure"]
    assert failure.startswith("the grader failed on this submission (3 attempts): TypeError: the JSON object must be")
    assert [line.split(":")[0] for line in failure.splitlines() if line.startswith("attempt ")] == [
        "attempt 1", "attempt 2", "attempt 3"]


@pytest.mark.slow
def test_notebook_points_and_nbgrader_feedback_come_back_from_a_worker_as_data(blind_cluster, deployed, bwrap):
    cluster, classes, cache = blind_cluster
    project = deployed[0]
    folder = classes / "notebooks"
    submission = folder / "subs" / "nora"
    shutil.copytree(project / "course_lib", submission / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    notebook = nbformat.read(project / "notebooks" / "Dropout.ipynb", as_version=4)
    for cell in notebook.cells:
        cell.source = student_source(cell.source)
    nbformat.write(notebook, submission / "Dropout.ipynb")

    grading = run_grade(folder, "subs", "--out", "out", "--scheduler", cluster.address, project=project)

    assert grading.returncode == 0, grading.stderr
    checks = results(folder / "out")["nora"]["checks"]
    dropout = [check for check in checks if check["notebook"] == "Dropout"]
    assert {check["status"] for check in dropout} == {"pass", "pending"}, dropout
    points = sum(check["points"] for check in dropout)
    assert points == sum(check["max_points"] for check in dropout if check["status"] == "pass") > 0
    assert [check for check in checks if check["notebook"] == "FullyConnectedNets" and check["status"] == "missing"]
    course = folder / "out" / "course"
    with Gradebook(sqlite_url(course / "gradebook.db")) as book:
        assert book.find_submission_notebook("Dropout", ASSIGNMENT, "nora").score == points
    autograded = nbformat.read(course / "autograded/nora" / ASSIGNMENT / "Dropout.ipynb", as_version=4)
    assert any(cell.get("execution_count") for cell in autograded.cells)
    assert "dropout" in (course / "feedback/nora" / ASSIGNMENT / "Dropout.html").read_text().lower()
    built = [json.loads(path.read_text()) for path in (cache / "courses").glob(f"*/{worker.READY_FILE}")]
    head_notebooks = (folder / "out" / "grades.csv").read_text().splitlines()[0].split(",")[3:-3]
    assert [entry["notebooks"] for entry in built] == [head_notebooks] and len(head_notebooks) == 4


@pytest.mark.slow
def test_a_worker_with_another_course_bundle_refuses_its_jobs_which_wait_for_a_worker_that_has_it(
        tmp_path, deployed, bwrap):
    project, other = deployed
    folder = tmp_path / "class"
    make_submission(folder / "subs", "amy")
    make_submission(folder / "subs", "bob", append=replace_relu("return x, x"))
    make_submission(folder / "subs", "slow", append=SLOW_RELU)
    for name in ("cara", "dan"):  # more students than jobs on the cluster at once: sent after the refusals
        make_submission(folder / "subs", name)
    cluster = Cluster(tmp_path / "cluster")
    stale_log = cluster.folder / "stale.log"
    try:
        cluster.add_worker("stale", project=other, cache=tmp_path / "cache")
        refused = run_grade(folder, "subs", "--out", "out-refused", "--scheduler", cluster.address, *ONLY,
                            project=project)
        refusals = stale_log.read_text().count("CourseBundleMismatch")
        held = run_grade(folder, "subs", "--out", "out-held", "--scheduler", cluster.address, *ONLY,
                         project=project, background=True, connect_timeout="120s")
        deadline = time.monotonic() + 120
        while stale_log.read_text().count("CourseBundleMismatch") == refusals and time.monotonic() < deadline:
            time.sleep(0.2)
        cluster.add_worker("current", project=project, cache=tmp_path / "cache")
        _, held_stderr = held.communicate(timeout=300)
    finally:
        cluster.stop()

    assert refused.returncode == 1
    assert "the grader failed on 5 student(s)" in refused.stderr
    for result in results(folder / "out-refused").values():
        assert result["error"] == "" and sum(check["points"] for check in result["checks"]) == 0
        assert re.search(r"this worker \(tcp://127\.0\.0\.1:\d+\) has course bundle [0-9a-f]{12}, the job needs "
                         r"[0-9a-f]{12} \(they differ in: autograde, student bundle\): install the same project "
                         r"version on every worker", result["grader_error"]), result["grader_error"]
    assert held.returncode == 0, held_stderr
    final = results(folder / "out-held")
    assert {name: sum(check["points"] for check in result["checks"]) for name, result in final.items()} == {
        "amy": 2, "bob": 1, "slow": 2, "cara": 2, "dan": 2}
    retried = [note for result in final.values() for note in result["notes"] if "graded on attempt 2" in note]
    assert retried and all("install the same project version on every worker" in note for note in retried)


@pytest.mark.slow
def test_a_scheduler_lost_mid_batch_fails_the_students_left_as_the_graders_fault(tmp_path, deployed, bwrap):
    project = deployed[0]
    folder = tmp_path / "class"
    for name in ("slow", "slower"):
        make_submission(folder / "subs", name, append=SLOW_RELU)
    cluster = Cluster(tmp_path / "cluster")
    try:
        cluster.add_worker("only", project=project, cache=tmp_path / "cache")
        grading = run_grade(folder, "subs", "--out", "out", "--scheduler", cluster.address, *ONLY, project=project,
                            background=True)
        deadline = time.monotonic() + 120
        while not any(cluster.client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        os.killpg(cluster.scheduler.pid, signal.SIGKILL)
        stdout, stderr = grading.communicate(timeout=300)
    finally:
        cluster.stop()

    assert grading.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr
    final = results(folder / "out")
    assert sorted(final) == ["slow", "slower"]
    for result in final.values():
        assert result["error"] == ""
        assert "lost the connection to the Dask scheduler" in result["grader_error"]
    assert (folder / "out" / "grades.csv").read_text().count("\n") == 3


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_an_unreachable_scheduler_stops_the_run_in_one_line_before_any_work(tmp_path, deployed):
    make_submission(tmp_path / "subs", "amy")
    grading = run_grade(tmp_path, "subs", "--out", "out", "--scheduler", f"tcp://127.0.0.1:{free_port()}",
                        project=deployed[0])

    assert grading.returncode == 2
    lines = grading.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("autograde grade: --scheduler: cannot reach a Dask scheduler")
    assert not (tmp_path / "out").exists()


def test_the_bundle_identity_follows_every_graded_part_and_names_what_differs(tmp_path):
    project = snapshot_project(tmp_path / "project")
    same = bundle.bundle_identity(project)
    assert bundle.bundle_identity(snapshot_project(tmp_path / "copy")) == same
    change_one_check(project)
    changed_check = bundle.bundle_identity(project)
    assert changed_check.digest != same.digest and same.differences(changed_check) == ["student bundle"]
    notebook = project / "notebooks" / "Dropout.ipynb"
    notebook.write_text(notebook.read_text().replace("dropout", "Dropout", 1))
    assert bundle.bundle_identity(project).differences(changed_check) == ["notebooks"]
    (project / "course_lib" / "__pycache__").mkdir(exist_ok=True)
    (project / "course_lib" / "__pycache__" / "x.pyc").write_bytes(b"litter")
    assert bundle.bundle_identity(project).parts["course_lib"] == same.parts["course_lib"]
    runtime = "python 3.12, numpy 2.3.0, nbgrader 0.9.6"
    other_runtime = bundle.BundleIdentity.from_parts({**same.parts, "runtime": runtime})
    assert same.differences(other_runtime) == [f"runtime ({same.parts['runtime']} here, {runtime} in the job)"]


def test_a_cluster_job_carries_the_submission_as_bytes_and_no_path_of_the_head(tmp_path):
    folder = make_submission(tmp_path / "subs", "amy", files={"Dropout.ipynb": "{}"})
    identity = bundle.bundle_identity().to_dict()
    course = {"root": str(tmp_path / "out" / "course"), "db_url": f"sqlite:///{tmp_path}/out/course/gradebook.db",
              "notebooks": ["Dropout"], "cell_timeout": 77}
    job = {"student": "amy", "submission": Submission(student="amy", container=str(tmp_path / "subs"), root="amy"),
           "course": course, "course_cells": {}, "manual": {"scores": {}, "comments": {}},
           "hidden": [str(tmp_path)], "bundle": identity, "options": {"timeout": 5, "only": None}}

    cluster_job = head.remote_job(job, notes=[])

    assert str(tmp_path) not in json.dumps({key: value for key, value in cluster_job.items() if key != "archive"})
    assert cluster_job["bundle"] == identity and cluster_job["notebook_grading"] == {"cell_timeout": 77}
    unpacked = unpack_bytes(cluster_job["archive"], tmp_path / "worker")
    assert sorted(path.relative_to(unpacked).as_posix() for path in unpacked.rglob("*.py")) == sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def test_a_worker_refuses_a_job_for_another_course_bundle_before_touching_it(tmp_path):
    needed = bundle.BundleIdentity.from_parts({**bundle.installed_identity().parts, "course_lib": "0" * 64})
    job = {"student": "amy", "archive": b"never opened", "bundle": needed.to_dict(), "notebook_grading": None}

    with pytest.raises(bundle.CourseBundleMismatch) as refused:
        worker.grade_on_worker(pytest.fail, job)

    assert str(refused.value) == (
        f"this worker ({socket.gethostname()}) has course bundle {bundle.installed_identity().short}, the job needs "
        f"{needed.short} (they differ in: course_lib): install the same project version on every worker")


def build_course(arguments):
    """In a process of its own: the worker-local course of a bundle, and the inode of its `bundle.json`."""
    identity, project, cache = arguments
    course = worker.local_course(identity, cell_timeout=30, project_root=project, cache_dir=cache)
    return str(course.root), os.stat(Path(course.root) / worker.READY_FILE).st_ino, course.notebooks


@pytest.mark.slow
def test_worker_processes_building_one_course_at_once_build_it_once(tmp_path):
    import concurrent.futures
    import multiprocessing

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "notebooks", project / "notebooks")
    shutil.copytree(FIXTURES / "course_lib", project / "course_lib")
    shutil.copytree(PROJECT_ROOT / "autograde", project / "autograde", ignore=shutil.ignore_patterns("__pycache__"))
    identity = bundle.bundle_identity(project)
    with concurrent.futures.ProcessPoolExecutor(3, mp_context=multiprocessing.get_context("fork")) as pool:
        built = list(pool.map(build_course, [(identity, project, tmp_path / "cache")] * 3))

    assert len(set(built)) == 1
    root, _, notebooks = built[0]
    assert notebooks == ("Fixture", "Second")
    course = grading_course.GradingCourse(root=Path(root), db_url="", notebooks=notebooks)
    assert set(grading_course.course_cells(course)) == {"Fixture", "Second"}
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [identity.digest, f"{identity.digest}.lock"]
