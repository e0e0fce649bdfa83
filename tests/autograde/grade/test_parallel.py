"""Parallel grading: local worker processes and a Dask cluster give the same grades; failures stay per student."""
import os

from submissions import HONEST_CHECK, TARGET_CHECK, make_submission

from autograde.__main__ import main as autograde_main
from autograde.grade import grade, parallel


def explode_for_bob(student):
    if student == "bob":
        raise RuntimeError("grader bug")
    if student == "carl":
        os._exit(9)
    return {"student": student}


def test_a_failing_job_or_a_dying_worker_becomes_that_students_error_result():
    jobs = {name: {"student": name} for name in ("amy", "bob", "carl", "dan")}
    results = parallel.run_jobs(explode_for_bob, jobs, workers=2, show_progress=False,
                                on_failure=lambda student, message: {"student": student, "error": message})
    assert results["amy"] == {"student": "amy"} and results["dan"] == {"student": "dan"}
    assert "RuntimeError: grader bug" in results["bob"]["error"]
    assert "BrokenProcessPool" in results["carl"]["error"]


def _submissions(tmp_path):
    folder = tmp_path / "submissions"
    make_submission(folder, "amy")
    make_submission(folder, "bob", append={"layers/affine.py": "def relu_forward(x):\n    return x, x"})
    return folder


def test_local_workers_and_dask_cluster_give_identical_grades(tmp_path):
    from dask.distributed import LocalCluster

    submissions = _submissions(tmp_path)
    only = [HONEST_CHECK, TARGET_CHECK]
    grade(submissions, out=tmp_path / "local", workers=2, timeout=5, only=only, notebooks=False,
          show_progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        grade(submissions, out=tmp_path / "dask", scheduler=cluster.scheduler_address, timeout=5, only=only,
              notebooks=False, show_progress=False)
    local = (tmp_path / "local/grades.csv").read_text()
    assert local == (tmp_path / "dask/grades.csv").read_text()
    rows = dict(line.split(",", 1) for line in local.splitlines()[1:])
    assert rows["amy"].split(",")[-2] == rows["amy"].split(",")[-1]
    assert float(rows["bob"].split(",")[-2]) < float(rows["bob"].split(",")[-1])


def test_cli_grades_a_folder_and_regrading_gives_the_same_csv(tmp_path, capsys):
    submissions = _submissions(tmp_path)
    arguments = ["grade", str(submissions), "--workers", "1", "--timeout", "5", "--no-notebooks",
                 "--only", HONEST_CHECK, TARGET_CHECK]
    assert autograde_main(arguments + ["--out", str(tmp_path / "first")]) == 0
    assert autograde_main(arguments + ["--out", str(tmp_path / "second")]) == 0
    first = (tmp_path / "first/grades.csv").read_bytes()
    assert first == (tmp_path / "second/grades.csv").read_bytes()
    assert "sandbox isolation" in capsys.readouterr().out
    assert sorted(os.listdir(tmp_path / "first/results")) == ["amy.json", "bob.json"]
