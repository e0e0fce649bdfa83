"""Grade many students at once: local worker processes, or a Dask distributed cluster (`cluster`).

Each job calls one picklable function with one job dict and gets back a plain JSON-able dict, so the same function
runs in a local process pool and on remote Dask workers (which get the job's data, not its paths: `cluster`). Each
result is handed to `on_result` as soon as it arrives. A job that raises, or a worker that dies, becomes that
student's result through `on_failure(student, message)` (a failure of the grader, never of the student); the batch
always completes.
"""
import concurrent.futures
import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool

from tqdm.auto import tqdm

from autograde.grade.cluster import run_on_cluster


def default_workers():
    return os.cpu_count() or 1


def _describe(error):
    return f"the grader failed on this submission: {type(error).__name__}: {error}"


def _run_pool(function, jobs, *, workers, on_failure, on_result, progress, final, initializer=None):
    """Run `jobs` in one process pool; returns the students whose job a broken pool lost (unless `final`)."""
    lost = []
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                                                initializer=initializer) as pool:
        futures = {pool.submit(function, job): student for student, job in jobs.items()}
        for future in concurrent.futures.as_completed(futures):
            student = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool as error:
                if not final:
                    lost.append(student)
                    continue
                result = on_failure(student, _describe(error))
            except Exception as error:  # any failure of one job is that student's result, never the batch's
                result = on_failure(student, _describe(error))
            on_result(result)
            progress.update(1)
    return lost


def _run_local(function, jobs, *, workers, on_failure, on_result, progress, initializer=None):
    # A worker that dies (killed, out of memory) breaks the whole pool and every job running in it. Those students
    # get one more try, each ALONE in a fresh one-worker pool, so that only the student whose own job kills its
    # worker again gets an error result, never a classmate who happened to share the pool.
    lost = _run_pool(function, jobs, workers=workers, on_failure=on_failure, on_result=on_result, progress=progress,
                     final=False, initializer=initializer)
    for student in lost:
        _run_pool(function, {student: jobs[student]}, workers=1, on_failure=on_failure, on_result=on_result,
                  progress=progress, final=True, initializer=initializer)


def run_jobs(function, jobs, *, workers=None, scheduler=None, on_failure, on_result, show_progress=True,
             initializer=None):
    """Run `function(job)` for each `{student: job}` in `jobs`, handing each result dict to `on_result`.

    workers: local processes (default: the machine's cores); scheduler: a Dask scheduler address
    (`tcp://host:8786`), which replaces the local pool when given: each job then also holds `bundle`, the course
    bundle identity (`cluster.run_on_cluster`); initializer: a picklable function each local worker process calls
    once when it starts.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers: {workers} must be at least 1")
    if not jobs:
        return
    with tqdm(total=len(jobs), desc="grading", unit="student", disable=not show_progress) as progress:
        if scheduler:
            run_on_cluster(function, jobs, scheduler=scheduler, on_failure=on_failure, on_result=on_result,
                           progress=progress)
        else:
            _run_local(function, jobs, workers=workers or default_workers(), on_failure=on_failure,
                       on_result=on_result, progress=progress, initializer=initializer)
