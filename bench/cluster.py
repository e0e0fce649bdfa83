"""Grading on a Dask cluster: the head's serial seconds per student, and what they mean for a class of 300.

    python -m bench.cluster [--students 4] [--workers 2] [--synthetic 50] [--out bench-out/cluster]

1. A real cluster on this machine: one `dask scheduler` and WORKERS `dask worker` processes (127.0.0.1, one thread
   each), full-marks submissions made from a fresh release (`bench.grading.make_submissions`), graded with
   notebooks by `autograde.grade.grade(..., scheduler=...)` in a child process that times the head's own work:
   packing each submission, recording each result as it arrives (`ClassRecord.add`, the gradebook flushes), its
   whole CPU time while the students are graded (the Dask client's thread included), and the finish.
2. The class record alone: `ClassRecord.add`, `flush` and `refresh` for SYNTHETIC copies of one real result of
   run 1 under other names (their code left out, so the report's similarity search has nothing to compare).
3. The projection for 300 students on 8 and 32 workers: the head records while the workers grade, so a batch
   takes about prepare + the workers' rounds (ceil(300 / workers) x a student's seconds on a worker) + the
   finish, unless the head's serial work (packing, recording, the gradebook: 300 x its seconds per student) is
   longer than the rounds.

Head and workers run a snapshot of the project (`OUT/project`), so that an edit of the working tree during the run
cannot give them different course bundles. Figures go to `OUT/summary.json`.
"""
import argparse
import copy
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from autograde.paths import PROJECT_ROOT

DEFAULT_OUT = PROJECT_ROOT / "bench-out" / "cluster"
CLASS_SIZE = 300
PROJECTED_WORKERS = (8, 32)


def snapshot_project(destination):
    """Copy what a machine installs of the project (autograde, course_lib, notebooks, what `release` reads)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for folder in ("autograde", "course_lib", "notebooks"):
        shutil.copytree(PROJECT_ROOT / folder, destination / folder, ignore=ignore)
    (destination / "datasets").mkdir()
    shutil.copy2(PROJECT_ROOT / "datasets" / "get_datasets.py", destination / "datasets")
    shutil.copy2(PROJECT_ROOT / "pyproject.toml", destination)
    return destination


class Timer:
    """Wraps a function and adds up its calls and seconds (wall clock)."""

    def __init__(self, function):
        self.function, self.calls, self.seconds = function, 0, 0.0

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - started

    def figures(self):
        return {"calls": self.calls, "seconds": round(self.seconds, 3)}


def head_child(submissions, out, scheduler, report, sample):
    """Grade on the cluster from this process with the head's steps timed; write the figures to `report` (JSON)
    and one student's whole result to `sample` (JSON)."""
    from autograde.grade import grade, parallel, record
    from autograde.grade.cluster import head

    pack, add, flush, refresh = (Timer(head.pack), Timer(record.ClassRecord.add), Timer(record.ClassRecord.flush),
                                 Timer(record.ClassRecord.refresh))
    kept = []

    def add_and_keep(class_record, result):
        if not kept:
            kept.append(copy.deepcopy(result))
        return add(class_record, result)

    run_jobs, cpu = parallel.run_jobs, {}

    def timed_run_jobs(*args, **kwargs):
        started = time.process_time()
        try:
            return run_jobs(*args, **kwargs)
        finally:
            cpu["students"] = round(time.process_time() - started, 3)

    head.pack, parallel.run_jobs = pack, timed_run_jobs
    record.ClassRecord.add = add_and_keep
    record.ClassRecord.flush = lambda class_record: flush(class_record)
    record.ClassRecord.refresh = lambda class_record, **options: refresh(class_record, **options)
    batch = grade(submissions, out=out, scheduler=scheduler, show_progress=False)
    students = [{"student": result["student"], "points": sum(check["points"] for check in result["checks"]),
                 "grader_error": result["grader_error"], "worker_seconds": result["durations"].get("total"),
                 "worker": result.get("worker")} for result in batch.results]
    Path(report).write_text(json.dumps({
        "phases": batch.phases, "head_cpu_students_phase": cpu["students"], "pack": pack.figures(),
        "add": add.figures(), "flush": flush.figures(), "refresh": refresh.figures(), "students": students},
        indent=1))
    Path(sample).write_text(json.dumps(kept[0]))


def synthetic_child(sample, out, count, report):
    """Record `count` copies of the result in `sample` into a fresh class record `out`, timing add, flush,
    refresh and the report; write the figures to `report` (JSON)."""
    from autograde.grade import batch, record
    from autograde.grade.notebooks import course as grading_course
    from autograde.grade.report import write_class_report

    result = json.loads(Path(sample).read_text())
    out = Path(out)
    notebooks_dir, bundle_files, course_lib_dir = grading_course.project_sources(PROJECT_ROOT)
    course = grading_course.prepare_grading_course(out / "course", notebooks_dir=notebooks_dir,
                                                   bundle_files=bundle_files, course_lib_dir=course_lib_dir)
    class_record = record.ClassRecord(out, course, grading_course.course_cells(course))
    add, flush, report_timer = Timer(class_record.add), Timer(class_record.flush), Timer(write_class_report)
    for index in range(count):
        add({**copy.deepcopy(result), "student": f"synthetic{index:03d}", "code": {}})
        if (index + 1) % batch.FLUSH_EVERY == 0:
            flush()
    flush()
    started = time.perf_counter()
    class_record.refresh(write_report=lambda results: report_timer(out, notebooks=course.notebooks, results=results,
                                                                   boilerplate_files={}))
    refresh_seconds = time.perf_counter() - started
    sizes = {part: len(json.dumps(result.get(part) or {})) for part in ("autograded", "nbgrader_feedback", "outcome")}
    Path(report).write_text(json.dumps({
        "students": count, "add": add.figures(), "flush": flush.figures(), "report": report_timer.figures(),
        "refresh_without_report_seconds": round(refresh_seconds - report_timer.seconds, 3),
        "result_bytes": sizes}, indent=1))


def start_cluster(folder, workers, project):
    """(scheduler address, processes): a scheduler and `workers` workers on 127.0.0.1 running `project`."""
    dask = Path(sys.executable).with_name("dask")
    scheduler_file = folder / "scheduler.json"
    environment = {**os.environ, "PYTHONPATH": str(project), "AUTOGRADE_CACHE_DIR": str(folder / "worker-cache")}
    processes = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)]
    deadline = time.monotonic() + 60
    while not scheduler_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    for index in range(workers):
        log = open(folder / f"worker-{index}.log", "wb")
        processes.append(subprocess.Popen(
            [str(dask), "worker", "--scheduler-file", str(scheduler_file), "--nworkers", "1", "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--death-timeout", "60"], env=environment, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))
        log.close()
    from distributed import Client

    address = json.loads(scheduler_file.read_text())["address"]
    with Client(address, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def stop_cluster(processes):
    for process in reversed(processes):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def child(*arguments, project):
    """Run `python -m bench.cluster ARGUMENTS` with the snapshot `project` first on the path."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(PROJECT_ROOT)])}
    subprocess.run([sys.executable, "-m", "bench.cluster", *map(str, arguments)], env=environment, check=True)


def projection(head_run, synthetic, worker_seconds=None):
    """({figure: seconds per student}, {workers: seconds}) for CLASS_SIZE students: prepare, then the workers' rounds
    (or the head's serial work, if that is longer: it records while they grade), then the finish.
    worker_seconds: a student's grading time on a worker (default: the mean of run 1)."""
    count = len(head_run["students"])
    if worker_seconds is None:
        worker_seconds = statistics.mean(student["worker_seconds"] for student in head_run["students"])
    head_serial = ((head_run["pack"]["seconds"] + head_run["add"]["seconds"]) / count
                   + synthetic["flush"]["seconds"] / synthetic["students"])
    refresh = synthetic["refresh_without_report_seconds"] / synthetic["students"]
    report = synthetic["report"]["seconds"] / synthetic["students"]
    prepare = head_run["phases"]["prepare"]
    figures = {"worker_seconds_per_student": round(worker_seconds, 2),
               "head_serial_seconds_per_student": round(head_serial, 3),
               "refresh_seconds_per_student": round(refresh, 3), "report_seconds_per_student": round(report, 3),
               "prepare_seconds": prepare}
    projected = {}
    for workers in PROJECTED_WORKERS:
        students_phase = max(math.ceil(CLASS_SIZE / workers) * worker_seconds, CLASS_SIZE * head_serial)
        projected[workers] = round(prepare + students_phase + CLASS_SIZE * (refresh + report), 1)
    return figures, projected


def run(*, students, workers, synthetic, out):
    from autograde.release import release
    from bench.grading import make_submissions

    out = Path(out).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    project = snapshot_project(out / "project")
    print(f"cluster benchmark: a release and {students} full-marks submissions in {out}", flush=True)
    release_dir = release(out=out / "release", course_dir=out / "release-course", root=project)
    make_submissions(release_dir, out / "submissions", students, project)
    address, processes = start_cluster(out, workers, project)
    try:
        print(f"grading on {workers} Dask workers ({address})...", flush=True)
        started = time.monotonic()
        child("head-child", out / "submissions", out / "class", address, out / "head.json", out / "sample.json",
              project=project)
        wall = time.monotonic() - started
    finally:
        stop_cluster(processes)
    print(f"recording {synthetic} synthetic results...", flush=True)
    child("synthetic-child", out / "sample.json", out / "synthetic", synthetic, out / "synthetic.json",
          project=project)
    head_run = json.loads((out / "head.json").read_text())
    synthetic_run = json.loads((out / "synthetic.json").read_text())
    figures, projected = projection(head_run, synthetic_run)
    summary = {"machine": {"cores": os.cpu_count(), "load": os.getloadavg()}, "workers": workers,
               "students": students, "wall_seconds": round(wall, 1), "head": head_run, "synthetic": synthetic_run,
               "per_student": figures, "projected_seconds_for_300": projected}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    count = len(head_run["students"])
    print()
    print(f"run 1: {count} students on {workers} workers, {wall:.1f} s; phases {head_run['phases']}; "
          f"grader errors: {sum(bool(student['grader_error']) for student in head_run['students'])}")
    print(f"  head, per student: pack {head_run['pack']['seconds'] / count:.3f} s, add "
          f"{head_run['add']['seconds'] / count:.3f} s, gradebook flushes {head_run['flush']['seconds'] / count:.3f}"
          f" s; CPU of the head while the students are graded {head_run['head_cpu_students_phase'] / count:.3f} s")
    print(f"run 2: {synthetic} synthetic results: add {synthetic_run['add']['seconds'] / synthetic:.3f} s, flush "
          f"{synthetic_run['flush']['seconds'] / synthetic:.3f} s, refresh without the report "
          f"{figures['refresh_seconds_per_student']:.3f} s, report {figures['report_seconds_per_student']:.3f} s "
          "per student")
    print(f"per student on a worker: {figures['worker_seconds_per_student']:.1f} s; head serial (pack, add, "
          f"gradebook): {figures['head_serial_seconds_per_student']:.3f} s")
    for workers_count, seconds in projected.items():
        print(f"projected for {CLASS_SIZE} students on {workers_count} workers: {seconds / 60:.1f} min")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    head = commands.add_parser("head-child")
    for name in ("submissions", "out", "scheduler", "report", "sample"):
        head.add_argument(name)
    synthetic = commands.add_parser("synthetic-child")
    for name in ("sample", "out", "count", "report"):
        synthetic.add_argument(name)
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--synthetic", type=int, default=50)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.command == "head-child":
        head_child(args.submissions, args.out, args.scheduler, args.report, args.sample)
    elif args.command == "synthetic-child":
        synthetic_child(args.sample, args.out, int(args.count), args.report)
    else:
        run(students=args.students, workers=args.workers, synthetic=args.synthetic, out=args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
