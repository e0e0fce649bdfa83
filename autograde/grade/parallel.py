"""Grade many students at once: local worker processes, or a Dask distributed cluster.

Each job calls one picklable function for one student and gets back a plain JSON-able dict, so the same function
runs in a local process pool and on remote Dask workers. A job that raises, or a worker that dies, becomes that
student's error result (`on_failure(student, message)`); the batch always completes.
"""
import concurrent.futures
import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool

from tqdm.auto import tqdm


def default_workers():
    return os.cpu_count() or 1


def _describe(error):
    return f"the grader failed on this submission: {type(error).__name__}: {error}"


def _run_pool(function, jobs, *, workers, on_failure, progress, results, final,
              initializer=None):
    """Run `jobs` in one process pool; a job lost to a broken pool is left out of `results` unless `final`."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                                                initializer=initializer) as pool:
        futures = {pool.submit(function, **kwargs): student for student, kwargs in jobs.items()}
        for future in concurrent.futures.as_completed(futures):
            student = futures[future]
            try:
                results[student] = future.result()
            except BrokenProcessPool as error:
                if not final:
                    continue
                results[student] = on_failure(student, _describe(error))
            except Exception as error:  # any failure of one job is that student's result, never the batch's
                results[student] = on_failure(student, _describe(error))
            progress.update(1)


def _run_local(function, jobs, *, workers, on_failure, progress, initializer=None):
    results = {}
    # A worker that dies (killed, out of memory) breaks the whole pool and every job running in it. Those students
    # get one more try, each ALONE in a fresh one-worker pool, so that only the student whose own job kills its
    # worker again gets an error result, never a classmate who happened to share the pool.
    _run_pool(function, jobs, workers=workers, on_failure=on_failure, progress=progress, results=results,
              final=False, initializer=initializer)
    for student, kwargs in jobs.items():
        if student not in results:
            _run_pool(function, {student: kwargs}, workers=1, on_failure=on_failure, progress=progress,
                      results=results, final=True, initializer=initializer)
    return results


def _run_dask(function, jobs, *, scheduler, on_failure, progress):
    from dask.distributed import Client, as_completed

    results = {}
    with Client(scheduler) as client:
        futures = {client.submit(function, pure=False, **kwargs): student for student, kwargs in jobs.items()}
        for future in as_completed(futures):
            student = futures[future]
            try:
                results[student] = future.result()
            except Exception as error:  # a KilledWorker or a job's exception is that student's result
                results[student] = on_failure(student, _describe(error))
            progress.update(1)
    return results


def run_jobs(function, jobs, *, workers=None, scheduler=None, on_failure, show_progress=True,
             initializer=None):
    """Run `function(**kwargs)` for each `{student: kwargs}` in `jobs`; returns `{student: result dict}`.

    workers: local processes (default: the machine's cores); scheduler: a Dask scheduler address
    (`tcp://host:8786`), which replaces the local pool when given; initializer: a picklable function each local
    worker process calls once when it starts.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers: {workers} must be at least 1")
    with tqdm(total=len(jobs), desc="grading", unit="student", disable=not show_progress) as progress:
        if scheduler:
            return _run_dask(function, jobs, scheduler=scheduler, on_failure=on_failure, progress=progress)
        return _run_local(function, jobs, workers=workers or default_workers(), on_failure=on_failure,
                          progress=progress, initializer=initializer)
