"""Grading throughput: `autograde grade` with 1 and 2 workers against stock `nbgrader autograde`, in one run.

    python -m bench.grading [--submissions 8] [--out bench-out/grading]
    python -m bench --only grading

One run builds a fresh release, makes N full-marks submissions from it (`autograde.demo.submissions.
make_reference`: the release with the reference course_lib and the notebooks' solutions filled in), and grades
those same submissions three ways, each in its own process, timed by wall clock and by the CPU time of that
process and everything it waited for (`resource.getrusage(RUSAGE_CHILDREN)`):

1. our `grade` with 1 worker (library checks in the sandbox, nbgrader autograde, gradebook, feedback, report);
2. our `grade` with 2 workers;
   both twice, in the order 1, 2, 2, 1 workers (ABBA: a slow drift of the shared VM's speed weighs on both sides
   alike), and each figure is the mean of its two runs;
3. stock nbgrader: a plain course directory (the source notebooks and the instructor's checks bundle they import
   in source/, `generate_assignment`, each submission as is in submitted/<student>/assignment2/), then one
   `nbgrader autograde assignment2` over every student, one after another as nbgrader does. It gets the same
   per-cell timeout and the same one BLAS thread per kernel as our grading, so the two differ only in pipeline.

It prints the targets of the grading issue (at most 60 s per submission with 1 worker, at least 1.8x from 1 to 2
workers end to end, faster than stock nbgrader with the default workers) with PASS or MISS, then where the time
goes: kernel start-up, notebook cells, the rest of nbgrader, the sandboxed library checks and the fixed costs of a
batch. A MISS is reported, not an error. The machine's load average is printed beside the figures: on a shared
machine a busy neighbour stretches wall times, CPU times much less.

`python -m bench.grading grade-child SUBMISSIONS OUT WORKERS COURSE_DIR REPORT` is the measured child process of
runs 1 and 2 (it times the batch phases of `autograde.grade.grade` and writes them to REPORT as JSON).
"""
import argparse
import dataclasses
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from autograde.nbgrader_adapter import process

# The measured grade-child process imports what `python -m autograde grade` imports, the same way: the CLI's
# grade() skips jsonschema's slow optional import before nbformat loads, and this module loads nbformat first.
process.skip_slow_imports()

import nbformat  # noqa: E402 (after the skip above)

from autograde.nbgrader_adapter import config  # noqa: E402
from autograde.nbgrader_adapter.layout import ASSIGNMENT, sqlite_url  # noqa: E402
from autograde.paths import PROJECT_ROOT  # noqa: E402

DEFAULT_OUT = PROJECT_ROOT / "bench-out" / "grading"
# A small class: with fewer students the fixed costs of a batch and one slow run of the host decide the speedup.
DEFAULT_SUBMISSIONS = 8

# The runs of our grade, in order: each worker count twice, in ABBA order (see run()).
WORKER_ORDER = (1, 2, 2, 1)

MAX_SECONDS_PER_SUBMISSION = 60.0
MIN_SPEEDUP = 1.8
# Our seconds per submission divided by stock nbgrader's: below 1 is faster.
MAX_RATIO_VS_STOCK = 1.0

# The grading kernels run with one BLAS thread (autograde.grade.notebooks); stock nbgrader gets the same.
# The kernel settings our grader uses, given to stock nbgrader too so that both run the same cells the same way.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "COURSE_STATIC_WIDGETS": "1"}



@dataclasses.dataclass
class Measurement:
    """One way of grading the batch: its wall and CPU seconds and what it graded.

    phases: seconds of the batch phases (prepare, students, finish) where known; per_submission: mean seconds
    per submission of the steps inside one student's grading (library_checks, sandboxed_code, notebooks,
    cells, ...); full_marks: students that earned every point; load: the 1-minute load average before and after.
    """

    label: str
    submissions: int
    wall_seconds: float
    cpu_seconds: float
    full_marks: int
    phases: dict = dataclasses.field(default_factory=dict)
    per_submission: dict = dataclasses.field(default_factory=dict)
    load: tuple = (0.0, 0.0)

    @property
    def seconds_per_submission(self):
        return self.wall_seconds / self.submissions

    @property
    def cpu_per_submission(self):
        return self.cpu_seconds / self.submissions


def mean_measurement(runs):
    """One Measurement from repeated runs of the same way of grading: the mean of every figure.

    The label names the runs' wall times; load is the (first before, last after); full_marks is the worst run's.
    """
    first = runs[0]
    for run in runs[1:]:
        if run.submissions != first.submissions:
            raise ValueError(f"{run.label}: graded {run.submissions} submissions, {first.label} graded "
                             f"{first.submissions}; average runs of the same batch only")

    def mean_of(dicts):
        keys = set().union(*dicts)
        return {key: statistics.fmean(d.get(key, 0.0) for d in dicts) for key in keys} if keys else {}

    walls = ", ".join(f"{run.wall_seconds:.1f}" for run in runs)
    return Measurement(
        label=first.label if len(runs) == 1 else f"{first.label} (mean of {len(runs)} runs: {walls} s)",
        submissions=first.submissions,
        wall_seconds=statistics.fmean(run.wall_seconds for run in runs),
        cpu_seconds=statistics.fmean(run.cpu_seconds for run in runs),
        full_marks=min(run.full_marks for run in runs),
        phases=mean_of([run.phases for run in runs]),
        per_submission=mean_of([run.per_submission for run in runs]),
        load=(runs[0].load[0], runs[-1].load[1]),
    )


def verdict(met):
    return "PASS" if met else "MISS"


def summarize(one_worker, two_workers, stock):
    """The targets' figures from the three measurements of the same batch: a dict of floats and verdicts.

    The speedup is end to end (the whole command); `phase_speedup` is that of the per-student phase alone, where
    both runs report it. The comparison with stock uses our default configuration (2 workers on 2 cores) and
    also gives the 1-worker ratio.
    """
    for measurement in (two_workers, stock):
        if measurement.submissions != one_worker.submissions:
            raise ValueError(f"{measurement.label}: graded {measurement.submissions} submissions, "
                             f"{one_worker.label} graded {one_worker.submissions}; compare the same batch")
    speedup = one_worker.wall_seconds / two_workers.wall_seconds
    students_one = one_worker.phases.get("students")
    students_two = two_workers.phases.get("students")
    phase_speedup = students_one / students_two if students_one and students_two else None
    ratio_one = one_worker.seconds_per_submission / stock.seconds_per_submission
    ratio_two = two_workers.seconds_per_submission / stock.seconds_per_submission
    return {
        "submissions": one_worker.submissions,
        "seconds_per_submission": one_worker.seconds_per_submission,
        "cpu_per_submission": one_worker.cpu_per_submission,
        "seconds_per_submission_verdict": verdict(one_worker.seconds_per_submission <= MAX_SECONDS_PER_SUBMISSION),
        "two_workers_seconds_per_submission": two_workers.seconds_per_submission,
        "speedup": speedup,
        "phase_speedup": phase_speedup,
        "speedup_verdict": verdict(speedup >= MIN_SPEEDUP),
        "stock_seconds_per_submission": stock.seconds_per_submission,
        "stock_cpu_per_submission": stock.cpu_per_submission,
        "ratio_one_worker": ratio_one,
        "ratio_two_workers": ratio_two,
        "ratio_verdict": verdict(ratio_two < MAX_RATIO_VS_STOCK),
    }


def format_table(summary):
    """The summary as the table `python -m bench` prints."""
    rows = [
        ("our grade, 1 worker: s per submission (wall)", f"{summary['seconds_per_submission']:.1f}",
         f"<= {MAX_SECONDS_PER_SUBMISSION:g}", summary["seconds_per_submission_verdict"]),
        ("  CPU s per submission (all processes)", f"{summary['cpu_per_submission']:.1f}", "", ""),
        ("our grade, 2 workers: s per submission (wall)", f"{summary['two_workers_seconds_per_submission']:.1f}",
         "", ""),
        ("speedup 1 -> 2 workers, end to end", f"{summary['speedup']:.2f}x", f">= {MIN_SPEEDUP:g}x",
         summary["speedup_verdict"]),
    ]
    if summary["phase_speedup"] is not None:
        rows.append(("  speedup of the per-student phase", f"{summary['phase_speedup']:.2f}x", "", ""))
    rows += [
        ("stock nbgrader autograde: s per submission (wall)", f"{summary['stock_seconds_per_submission']:.1f}",
         "", ""),
        ("  CPU s per submission (all processes)", f"{summary['stock_cpu_per_submission']:.1f}", "", ""),
        ("ours / stock, 2 workers (the default on 2 cores)", f"{summary['ratio_two_workers']:.2f}",
         f"< {MAX_RATIO_VS_STOCK:g}", summary["ratio_verdict"]),
        ("  ours / stock, 1 worker", f"{summary['ratio_one_worker']:.2f}", "", ""),
    ]
    header = f"{'measure':<52} {'value':>8} {'target':>8}  result"
    lines = [header, "-" * len(header)]
    lines += [f"{name:<52} {value:>8} {target:>8}  {result}".rstrip() for name, value, target, result in rows]
    return "\n".join(lines)


def format_breakdown(one_worker, stock, kernel_seconds, notebooks):
    """Where the time of one submission goes (1 worker), and stock nbgrader's split, as printed lines."""
    per = one_worker.per_submission
    nbgrader_rest = (per.get("notebooks", 0.0) - per.get("cells", 0.0) - per.get("between_cells", 0.0)
                     - per.get("between_notebooks", 0.0))
    sandbox_overhead = per.get("library_checks", 0.0) - per.get("sandboxed_code", 0.0)
    stock_rest = (stock.seconds_per_submission - stock.per_submission.get("cells", 0.0)
                  - stock.per_submission.get("between_cells", 0.0) - stock.per_submission.get("between_notebooks", 0.0))
    rows = [
        ("notebook cells executing", per.get("cells", 0.0), stock.per_submission.get("cells", 0.0)),
        ("waiting between cells (nbclient stalls show here)", per.get("between_cells", 0.0),
         stock.per_submission.get("between_cells", 0.0)),
        ("between notebooks: kernel restart, nbgrader per notebook", per.get("between_notebooks", 0.0),
         stock.per_submission.get("between_notebooks", 0.0)),
        ("nbgrader start-up, scratch course, first/last notebook", nbgrader_rest, stock_rest),
        ("library checks: the student's code (sandboxed)", per.get("sandboxed_code", 0.0), None),
        ("library checks: sandbox start-up, I/O, comparison", sandbox_overhead, None),
        ("unpack", per.get("unpack", 0.0), None),
        ("batch: prepare (generate_assignment), shared", one_worker.phases.get("prepare", 0.0)
         / one_worker.submissions, None),
        ("batch: finish (gradebook, feedback, report), shared", one_worker.phases.get("finish", 0.0)
         / one_worker.submissions, None),
    ]
    lines = [f"where the time goes, s per submission ({len(notebooks)} notebooks: {', '.join(notebooks)}; "
             f"a kernel start-up alone takes {kernel_seconds:.2f} s)",
             f"  {'step':<58} {'ours, 1 worker':>14} {'stock':>7}"]
    for name, ours, stock_seconds in rows:
        stock_text = f"{stock_seconds:7.1f}" if stock_seconds is not None else f"{'-':>7}"
        lines.append(f"  {name:<58} {ours:14.1f} {stock_text}")
    return "\n".join(lines)


def cpu_seconds_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_process_table(proc=Path("/proc")):
    """{pid: (parent pid, start time in clock ticks, CPU seconds used so far)} of every process in `proc`."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path(proc).iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        fields = text[text.rindex(")") + 2:].split()
        parent, user, system, started = int(fields[1]), int(fields[11]), int(fields[12]), int(fields[19])
        table[int(entry.name)] = (parent, started, (user + system) / ticks)
    return table


def descendants(table, roots):
    """The pids in `table` ({pid: (parent pid, ...)}) that are one of `roots` or descend from one of them."""
    children = {}
    for pid, (parent, *_) in table.items():
        children.setdefault(parent, []).append(pid)
    found, pending = set(), [pid for pid in roots if pid in table]
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(children.get(pid, ()))
    return found


class TreeCpuSampler(threading.Thread):
    """Polls /proc while a command runs and keeps the most CPU time seen for each process of its tree.

    RUSAGE_CHILDREN only counts processes that someone waited for; a kernel left to the init of a bubblewrap PID
    namespace is reaped by nobody who passes its time on. Polling sees those; it misses processes that live less
    than one interval, so the two are lower bounds and `run_timed` reports the larger.
    """

    def __init__(self, root_pid, interval=0.2):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.seen = {}
        self.stopping = threading.Event()

    def sample(self):
        table = read_process_table()
        tracked = {pid for pid, _ in self.seen}
        for pid in descendants(table, {self.root_pid} | tracked):
            _, started, cpu = table[pid]
            self.seen[(pid, started)] = max(self.seen.get((pid, started), 0.0), cpu)

    def run(self):
        while not self.stopping.wait(self.interval):
            self.sample()

    def stop(self):
        self.stopping.set()
        self.join()
        return sum(self.seen.values())


def run_timed(command, *, cwd, env):
    """Run `command`; returns (wall seconds, CPU seconds of it and all its descendants, load before/after).

    CPU is the larger of the waited-for descendants' (RUSAGE_CHILDREN) and the process tree's polled from /proc.
    Raises RuntimeError with its output when it fails.
    """
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds_of_children()
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeCpuSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.monotonic() - started
    sampled = sampler.stop()
    cpu = max(cpu_seconds_of_children() - cpu_before, sampled)
    if process.returncode != 0:
        raise RuntimeError(f"`{' '.join(map(str, command))}` failed (exit {process.returncode}):\n"
                           f"{stdout[-3000:]}{stderr[-3000:]}")
    return wall, cpu, (load_before, os.getloadavg()[0])


BURN_CPU = "import resource\nwhile resource.getrusage(resource.RUSAGE_SELF).ru_utime < {seconds}:\n    pass\n"


def parallel_ceiling(cpu_seconds=2.0):
    """The speedup two CPU-bound processes get right now from running side by side instead of one after the
    other: about 2 on an idle 2-core machine, less while other work shares it. The 1 -> 2 worker speedup of
    grading cannot beat it."""
    command = [sys.executable, "-c", BURN_CPU.format(seconds=cpu_seconds)]
    started = time.monotonic()
    for _ in range(2):
        subprocess.run(command, check=True)
    sequential = time.monotonic() - started
    started = time.monotonic()
    processes = [subprocess.Popen(command) for _ in range(2)]
    for process in processes:
        process.wait()
    return sequential / (time.monotonic() - started)


def cell_timings(notebook_path):
    """(started, finished) datetimes of each executed code cell of a notebook, in order (nbclient's metadata)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    timings = []
    for cell in notebook.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            timings.append((datetime.fromisoformat(timing["iopub.execute_input"]),
                            datetime.fromisoformat(timing["shell.execute_reply"])))
    return timings


def cell_seconds(notebook_path):
    """Seconds the kernel spent executing the code cells of an executed notebook."""
    return sum((finished - started).total_seconds() for started, finished in cell_timings(notebook_path))


def autograded_timing(autograded_root):
    """Seconds summed over every student's executed notebooks under `autograded_root` (<student>/assignment2/):

    cells: executing code cells; between_cells: from one cell's reply to the next cell's start within a notebook
    (normally milliseconds; a stall of nbclient shows here); between_notebooks: from one notebook's last cell to
    the next notebook's first cell of the same student (nbgrader's work on each notebook, the kernel shut down and
    the next one started).
    """
    cells = between_cells = between = 0.0
    for student_dir in sorted(Path(autograded_root).glob(f"*/{ASSIGNMENT}")):
        spans = []
        for path in sorted(student_dir.glob("*.ipynb")):
            timings = cell_timings(path)
            cells += sum((finished - started).total_seconds() for started, finished in timings)
            between_cells += sum(max(0.0, (following[0] - previous[1]).total_seconds())
                                 for previous, following in zip(timings, timings[1:]))
            if timings:
                spans.append((timings[0][0], timings[-1][1]))
        spans.sort()
        between += sum(max(0.0, (following[0] - previous[1]).total_seconds())
                       for previous, following in zip(spans, spans[1:]))
    return {"cells": cells, "between_cells": between_cells, "between_notebooks": between}


def kernel_startup_seconds(repeats=3):
    """Median seconds from starting a python3 kernel to its first reply (what each notebook's run pays once)."""
    from jupyter_client.manager import start_new_kernel

    durations = []
    for _ in range(repeats):
        started = time.monotonic()
        manager, client = start_new_kernel(kernel_name=config.KERNEL_NAME, env={**os.environ, **ONE_THREAD},
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client.execute_interactive("pass", timeout=60)
        durations.append(time.monotonic() - started)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return statistics.median(durations)


def make_submissions(release_dir, dest, count, project_root=PROJECT_ROOT):
    """`count` full-marks submissions `student01`, ... in `dest` made from the release; returns their folders."""
    from autograde.demo.submissions import make_reference

    if count < 1:
        raise ValueError(f"count: {count} submissions; grade at least 1")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    return [make_reference(Path(release_dir), dest / f"student{index:02d}", Path(project_root))
            for index in range(1, count + 1)]


def snapshot_instructor_files(project_root, dest):
    """Copy what grading reads from the instructor's course folder (notebooks/, autograde/, course_lib/) to `dest`.

    Both ways of grading read this copy, so an edit to the working tree during the run cannot make them grade
    different notebooks or checks. Returns `dest`, a course folder for `grade(course_dir=...)`.
    """
    project_root, dest = Path(project_root), Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    (dest / "notebooks").mkdir(parents=True)
    for notebook in sorted((project_root / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, dest / "notebooks" / notebook.name)
    for package in ("autograde", "course_lib"):
        shutil.copytree(project_root / package, dest / package, ignore=ignore)
    return dest


def instructor_bundle_files(bundle_root):
    """Relative paths of the instructor's checks bundle that stock nbgrader's kernel imports: autograde's package
    files, check/, checks/ (public and hidden) and expected/ (public and hidden values). Stock nbgrader runs the
    hidden checks inside the student's kernel; our grader never does."""
    package = Path(bundle_root) / "autograde"
    files = [package / name for name in ("__init__.py", "__main__.py", "text.py")]
    for folder in ("check", "checks", "expected"):
        files += [path for path in sorted((package / folder).rglob("*"))
                  if path.is_file() and "__pycache__" not in path.parts]
    return [path.relative_to(bundle_root) for path in files]


def stock_config_text(root, cell_timeout=config.CELL_TIMEOUT_SECONDS):
    """nbgrader_config.py of the stock course: the adapter's plain course (nbgrader's defaults) and the per-cell
    timeout our grading uses."""
    return (config.course_config_text(root=Path(root).resolve(), course_id="bench-stock")
            + f"c.Execute.timeout = {int(cell_timeout)}\n")


def write_stock_course(root, *, notebooks_dir, bundle_root, submissions,
                       cell_timeout=config.CELL_TIMEOUT_SECONDS):
    """A plain nbgrader course in `root` (replaced): config, source/assignment2/ with the source notebooks and the
    instructor's checks bundle (`autograde/` files the notebooks import, as the grading course has them, never
    course_lib), and each submission folder copied as is to submitted/<its name>/assignment2/.

    Returns the course root. `nbgrader generate_assignment` is not run here (`prepare_stock_course` runs it).
    """
    root = Path(root).resolve()
    notebooks = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"notebooks_dir {notebooks_dir} holds no .ipynb file; pass the source notebooks")
    if root.exists():
        shutil.rmtree(root)
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(stock_config_text(root, cell_timeout))
    for notebook in notebooks:
        shutil.copy2(notebook, source / notebook.name)
    for relative in instructor_bundle_files(bundle_root):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(bundle_root) / relative, source / relative)
    for submission in submissions:
        submission = Path(submission)
        shutil.copytree(submission, root / "submitted" / submission.name / ASSIGNMENT,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return root


def nbgrader_command(*arguments):
    return [sys.executable, "-m", "nbgrader", *arguments, "--log-level=WARN"]


def stock_scores(root, students):
    """{student: (score, max_score)} of the automatically graded cells, from the course's gradebook.

    Inline questions (graded by hand, no automatic score) are left out, as our grade's totals leave them out
    until someone grades them.
    """
    from nbgrader.api import Gradebook

    scores = {}
    with process.scripts_on_path(), Gradebook(sqlite_url(Path(root) / "gradebook.db")) as book:
        for student in students:
            grades = [grade for notebook in book.find_submission(ASSIGNMENT, student).notebooks
                      for grade in notebook.grades if grade.auto_score is not None]
            scores[student] = (sum(grade.auto_score for grade in grades), sum(grade.max_score for grade in grades))
    return scores


def measure_stock(root, submissions, *, notebooks_dir, bundle_root):
    """Set up the stock course (untimed), then time `nbgrader autograde assignment2` over every submission."""
    root = write_stock_course(root, notebooks_dir=notebooks_dir, bundle_root=bundle_root, submissions=submissions)
    environment = process.environment(ONE_THREAD)
    run_timed(nbgrader_command("generate_assignment", ASSIGNMENT, "--force"), cwd=root, env=environment)
    wall, cpu, load = run_timed(nbgrader_command("autograde", ASSIGNMENT), cwd=root, env=environment)
    students = [Path(submission).name for submission in submissions]
    scores = stock_scores(root, students)
    full_marks = sum(score >= max_score > 0 for score, max_score in scores.values())
    timing = autograded_timing(root / "autograded")
    per_submission = {step: seconds / len(submissions) for step, seconds in timing.items()}
    return Measurement(label="stock nbgrader", submissions=len(submissions), wall_seconds=wall, cpu_seconds=cpu,
                       full_marks=full_marks, per_submission=per_submission, load=load)


def grade_child(submissions, out, workers, course_dir, report):
    """Run `autograde.grade.grade` here; write {phases, results summary} to `report` (the phases are what grade
    itself measures: prepare, students, finish)."""
    from autograde.grade import grade
    from autograde.grade.results import total_points

    batch = grade(submissions, out=out, workers=workers, project_root=course_dir, show_progress=False)
    students = []
    for result in batch.results:
        points, max_points = total_points(result)
        pending = sum(check["max_points"] for check in result["checks"] if check["status"] == "pending")
        students.append({"student": result["student"], "points": points, "max_points": max_points - pending,
                         "durations": result["durations"], "error": result["error"] or result["grader_error"],
                         "sandboxed_code": sum(check["duration"] for check in result["checks"])})
    Path(report).write_text(json.dumps({"phases": batch.phases, "students": students}, indent=1))


def per_submission_means(students, timing):
    """Mean seconds per submission of each step, from the child's per-student records and the batch's
    `autograded_timing`."""
    count = len(students)
    means = {step: seconds / count for step, seconds in timing.items()}
    means["sandboxed_code"] = sum(student["sandboxed_code"] for student in students) / count
    for step in ("unpack", "library_checks", "notebooks", "total"):
        means[step] = sum(student["durations"].get(step, 0.0) for student in students) / count
    return means


def measure_ours(submissions_dir, out, workers, count, *, course_dir):
    """Time our `grade` with `workers` processes in a child process; returns its Measurement."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    report = out.with_name(out.name + "-report.json")
    command = [sys.executable, "-m", "bench.grading", "grade-child", str(submissions_dir), str(out), str(workers),
               str(course_dir), str(report)]
    wall, cpu, load = run_timed(command, cwd=PROJECT_ROOT, env=process.environment())
    child = json.loads(report.read_text())
    students = child["students"]
    if len(students) != count:
        raise RuntimeError(f"our grade returned {len(students)} students for {count} submissions in {out}")
    errors = [f"{student['student']}: {student['error']}" for student in students if student["error"]]
    if errors:
        print("our grade reported errors:\n" + "\n".join(errors), file=sys.stderr)
    full_marks = sum(student["points"] >= student["max_points"] > 0 for student in students)
    timing = autograded_timing(out / "course" / "autograded")
    label = f"our grade, {workers} worker{'s' if workers > 1 else ''}"
    return Measurement(label=label, submissions=count, wall_seconds=wall, cpu_seconds=cpu, full_marks=full_marks,
                       phases=child["phases"], per_submission=per_submission_means(students, timing), load=load)


def progress_line(measurement):
    return (f"{measurement.wall_seconds:.1f} s wall, {measurement.cpu_seconds:.1f} s CPU, "
            f"{measurement.full_marks}/{measurement.submissions} full marks")


def run(*, submissions=DEFAULT_SUBMISSIONS, out=DEFAULT_OUT, project_root=PROJECT_ROOT):
    """Build the release and the submissions, measure the three ways, print the table; returns the summary."""
    from autograde.release import release

    out = Path(out).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    print(f"grading benchmark: building a release and {submissions} full-marks submissions in {out}", flush=True)
    release_dir = release(out=out / "release", course_dir=out / "release-course", root=project_root)
    folders = make_submissions(release_dir, out / "submissions", submissions, project_root)
    instructor = snapshot_instructor_files(project_root, out / "instructor")
    notebooks = sorted(path.stem for path in (instructor / "notebooks").glob("*.ipynb"))
    kernel_seconds = kernel_startup_seconds()
    ceilings = [parallel_ceiling()]

    # 1, 2, 2, 1 workers (ABBA): a drift in the machine's speed during the run (other tenants of the host) then
    # weighs on both sides alike, and one unlucky run is averaged with a second.
    runs = {1: [], 2: []}
    for index, workers in enumerate(WORKER_ORDER):
        print(f"grading with our grade, {workers} worker(s), run {index + 1} of {len(WORKER_ORDER)}...", flush=True)
        run = measure_ours(out / "submissions", out / f"ours-{workers}-workers-{index + 1}", workers,
                           submissions, course_dir=instructor)
        runs[workers].append(run)
        print(f"  {progress_line(run)}", flush=True)
    ceilings.append(parallel_ceiling())
    print("grading with stock nbgrader autograde...", flush=True)
    stock = measure_stock(out / "stock-course", folders, notebooks_dir=instructor / "notebooks",
                          bundle_root=instructor)
    print(f"  {progress_line(stock)}", flush=True)
    one_worker, two_workers = mean_measurement(runs[1]), mean_measurement(runs[2])
    summary = summarize(one_worker, two_workers, stock)

    print()
    print(f"grading {submissions} full-marks submissions, {len(notebooks)} notebooks each, on {os.cpu_count()} "
          f"cores; 1-minute load average before/after each run: "
          + ", ".join(f"{m.label} {m.load[0]:.1f}/{m.load[1]:.1f}" for m in (one_worker, two_workers, stock)))
    print(format_table(summary))
    print(f"parallel ceiling of the machine (2 CPU-bound processes side by side vs one after the other): "
          f"{ceilings[0]:.2f}x before the first run of ours, {ceilings[1]:.2f}x after the last; the 1 -> 2 "
          f"worker speedup is {summary['speedup'] / max(ceilings):.0%} of the larger")
    halves = [one.wall_seconds / two.wall_seconds for one, two in zip(runs[1], runs[2])]
    print("speedup 1 -> 2 workers of each half of the ABBA order (runs 1/2, then 4/3): "
          + ", ".join(f"{half:.2f}x" for half in halves))
    print(f"full marks: ours {one_worker.full_marks}/{submissions} (1 worker), {two_workers.full_marks}/"
          f"{submissions} (2 workers); stock nbgrader {stock.full_marks}/{submissions}")
    if min(one_worker.full_marks, two_workers.full_marks, stock.full_marks) < submissions:
        print("WARNING: a full-marks submission lost points (a cell failed, or stock nbgrader scored a warning on "
              "stderr as a failure): check the autograded notebooks under " + str(out) + " before comparing times")
    print()
    print(format_breakdown(one_worker, stock, kernel_seconds, notebooks))
    record = {"summary": summary, "kernel_startup_seconds": kernel_seconds, "parallel_ceilings": ceilings,
              "notebooks": notebooks,
              "measurements": [dataclasses.asdict(m) for m in (one_worker, two_workers, stock)],
              "runs": [dataclasses.asdict(run) for workers in (1, 2) for run in runs[workers]]}
    (out / "summary.json").write_text(json.dumps(record, indent=1))
    print(f"details: {out / 'summary.json'}")
    return summary


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["grade-child"]:
        submissions, out, workers, course_dir, report = argv[1:]
        grade_child(Path(submissions), Path(out), int(workers), Path(course_dir), Path(report))
        return
    parser = argparse.ArgumentParser(prog="python -m bench.grading", description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=DEFAULT_SUBMISSIONS,
                        help="full-marks submissions to grade (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="scratch folder, replaced (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.submissions < 1:
        parser.error(f"--submissions: {args.submissions}; grade at least 1")
    run(submissions=args.submissions, out=args.out)


if __name__ == "__main__":
    main()
