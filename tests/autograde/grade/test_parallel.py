"""Parallel grading: local worker processes and a Dask cluster give the same grades; a failure stays one student's,
and is the grader's."""
import os

from library_submissions import HONEST_CHECK, TARGET_CHECK, make_submission

from autograde.grade import grade, parallel


def explode_for_bob(job):
    if job["student"] == "bob":
        raise RuntimeError("grader bug")
    if job["student"] == "carl":
        os._exit(9)
    return {"student": job["student"], "pid": os.getpid()}


def test_a_failing_job_or_a_dying_worker_becomes_that_students_failure_and_classmates_are_graded():
    jobs = {name: {"student": name} for name in ("amy", "bob", "carl", "dan", "eve")}
    results = {}
    parallel.run_jobs(explode_for_bob, jobs, workers=2, show_progress=False,
                      on_failure=lambda student, message: {"student": student, "failure": message},
                      on_result=lambda result: results.setdefault(result["student"], result))
    assert sorted(results) == ["amy", "bob", "carl", "dan", "eve"]
    assert {name for name, result in results.items() if "failure" not in result} == {"amy", "dan", "eve"}
    assert "RuntimeError: grader bug" in results["bob"]["failure"]
    assert "BrokenProcessPool" in results["carl"]["failure"]
    assert results["bob"]["failure"].startswith("the grader failed on this submission")


def test_no_jobs_run_nothing_and_a_bad_worker_count_is_refused():
    parallel.run_jobs(explode_for_bob, {}, on_failure=None, on_result=None, show_progress=False)
    try:
        parallel.run_jobs(explode_for_bob, {"amy": {"student": "amy"}}, workers=0, on_failure=None,
                          on_result=None, show_progress=False)
    except ValueError as error:
        assert "workers: 0" in str(error)
    else:
        raise AssertionError("workers=0 was accepted")


def _submissions(tmp_path):
    folder = tmp_path / "submissions"
    make_submission(folder, "amy")
    make_submission(folder, "bob", append={"layers/affine.py": "def relu_forward(x):\n    return x, x"})
    return folder


def verdicts(batch):
    return [[(check["id"], check["status"], check["points"], check["message"]) for check in result["checks"]]
            for result in batch.results]


def test_local_workers_and_dask_cluster_give_identical_grades(tmp_path):
    from dask.distributed import LocalCluster

    submissions = _submissions(tmp_path)
    only = [HONEST_CHECK, TARGET_CHECK]
    local = grade(submissions, out=tmp_path / "local", workers=2, timeout=5, only=only, notebooks=False,
                  show_progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = grade(submissions, out=tmp_path / "dask", scheduler=cluster.scheduler_address, timeout=5,
                       only=only, notebooks=False, show_progress=False)
    csv = (tmp_path / "local/grades.csv").read_text()
    assert csv == (tmp_path / "dask/grades.csv").read_text()
    assert verdicts(local) == verdicts(remote)
    rows = {line.split(",")[0]: line.split(",") for line in csv.splitlines()[1:]}
    assert rows["amy"][-2] == rows["amy"][-1] == "2"
    assert (rows["bob"][-2], rows["bob"][-1]) == ("1", "2")
