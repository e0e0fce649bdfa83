"""The head's side of grading on a Dask cluster: check the scheduler, turn each job into data, keep a bounded
number of jobs on the cluster, and retry what fails through no fault of the student.

Retry policy: each student's job is tried at most ATTEMPTS times. Tried again: a job that raised in the grader,
a KilledWorker (Dask has already re-run the job on another worker `distributed.scheduler.allowed-failures` times,
3 by default, when the worker running it died), a worker that refused the job's course bundle, a job cancelled
because the connection to the scheduler was lost (once the client has reconnected) and a submission this machine
could not pack (an OSError: a full disk). After a refusal, jobs go only to workers that have not refused; while
there are none (a stale worker alone, or the others restarting), they are held for
`distributed.comm.timeouts.connect`; a job held for workers that have all left (a restarted worker has a new
address) is sent again, which is not a failed attempt. When the attempts are used up, when no worker with the
course bundle has come within that time, or when the scheduler stays unreachable for as long, the student's
result is the grader's failure (`grader_error`, with every attempt's reason) and the batch goes on to its end. A
result graded on a later attempt says so in its notes.
"""
import asyncio
import collections
import contextlib
import logging
import time
import traceback
import uuid

from autograde.grade.cluster.bundle import CourseBundleMismatch
from autograde.grade.cluster.worker import grade_on_worker
from autograde.grade.submissions import UnpackError, pack
from autograde.grade.submissions.safe_unzip import MAX_TOTAL_BYTES

ATTEMPTS = 3
# Jobs on the cluster at once, per worker thread (at least MIN_IN_FLIGHT): enough to keep every worker busy while
# results travel back, few enough that the scheduler never holds a whole class's submissions in memory.
IN_FLIGHT_PER_THREAD = 2
MIN_IN_FLIGHT = 4
# Keys of a job (see `student`) that name files of the head; a cluster job carries data instead.
HEAD_PATH_KEYS = ("submission", "course", "hidden")
# The longest the head waits for a result before it looks for jobs restricted to workers that have left.
STRANDED_CHECK_SECONDS = 10
# Loggers of Dask's client side (Dask's default configuration shows INFO lines of `distributed`).
CLIENT_LOGGERS = ("distributed", "distributed.batched", "distributed.client", "distributed.comm", "distributed.core")


def connect_timeout():
    """Seconds the client waits for the scheduler (Dask's `distributed.comm.timeouts.connect`, 30 s unless set)."""
    import dask
    import distributed  # noqa: F401 (loads Dask's `distributed` configuration)
    from dask.utils import parse_timedelta

    return parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds")


async def _scheduler_identity(address, timeout):
    from distributed.comm import connect
    from distributed.security import Security

    comm = await connect(address, timeout=timeout, **Security().get_connection_args("client"))
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        await comm.close()


def scheduler_problem(address):
    """"" when a Dask scheduler answers at `address`, else one line that says what is wrong and what to do."""
    timeout = connect_timeout()
    try:
        identity = asyncio.run(_scheduler_identity(address, timeout))
    except Exception as error:  # OSError, ValueError, a comm error: each means "no scheduler to grade on"
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return (f"cannot reach a Dask scheduler at {address} ({reason}); start one (`dask scheduler`), check the "
                f"address and that this machine may connect to it (waited {timeout:g} s: "
                "distributed.comm.timeouts.connect)")
    if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
        kind = identity.get("type", "something else") if isinstance(identity, dict) else "something else"
        return f"{address} is a Dask {kind}, not a scheduler; give the scheduler's address (tcp://host:8786)"
    return ""


def remote_job(job, *, notes):
    """The cluster form of a local job that also holds `bundle` (see the package docstring): the submission as
    zip bytes, the course as the bundle identity and the cell timeout, no path of this machine. Notes made while
    packing are appended to `notes`. Raises UnpackError when the submission cannot be packed."""
    if not job.get("bundle"):
        raise ValueError(f"the job of {job['student']} has no `bundle`: a cluster job needs the course bundle's "
                         "identity (cluster.bundle_identity(project_root).to_dict())")
    course = job.get("course")
    data = {key: value for key, value in job.items() if key not in HEAD_PATH_KEYS}
    return {**data, "archive": pack(job["submission"], notes=notes),
            "notebook_grading": {"cell_timeout": course["cell_timeout"]} if course else None}


def _set_client_log_level(level):
    for name in CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(level)


@contextlib.contextmanager
def _client_logs_restored():
    """Put the log levels of Dask's client back as they were after the block."""
    loggers = [logging.getLogger(name) for name in CLIENT_LOGGERS]
    levels = [logger.level for logger in loggers]
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _reason(error):
    """One line naming a failure, then the last frames of its traceback when it is the grader's own error."""
    line = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
    if type(error).__module__.startswith(("distributed", "autograde.grade.cluster")):
        return line
    frames = "".join(traceback.format_exception(error, limit=-3)[1:-1])
    return line + ("\n" + frames.rstrip() if frames else "")


class _ClusterRun:
    """One batch on one Dask client: jobs waiting, jobs on the cluster, attempts and the workers that refused."""

    def __init__(self, client, function, jobs, *, address, on_failure, on_result, progress):
        self.client, self.function, self.jobs = client, function, jobs
        self.address, self.on_failure, self.on_result, self.progress = address, on_failure, on_result, progress
        self.waiting = collections.deque(jobs)
        self.in_flight = {}  # future -> student
        self.restricted = {}  # future -> the workers it may run on (once a worker has refused)
        self.failures = collections.defaultdict(list)  # student -> reasons of failed attempts
        self.pack_notes = {}
        self.refusing, self.refusal = set(), ""
        self.all_refused_since = None  # since when every worker there is has refused (the jobs are held)
        self.lost = ""

    def _workers(self):
        return self.client.scheduler_info()["workers"]

    def _limit(self):
        threads = sum(worker.get("nthreads", 1) for worker in self._workers().values())
        return max(MIN_IN_FLIGHT, IN_FLIGHT_PER_THREAD * threads)

    def _allowed_workers(self):
        """None (any worker: none has refused), else the workers that have not refused ([]: none of those now)."""
        return sorted(set(self._workers()) - self.refusing) if self.refusing else None

    def _finish(self, result):
        self.on_result(result)
        self.progress.update(1)

    def _give_up(self, student):
        reasons = self.failures[student]
        attempts = "".join(f"\nattempt {number}: {reason}" for number, reason in enumerate(reasons, 1))
        self._finish(self.on_failure(student, f"the grader failed on this submission ({len(reasons)} attempt"
                                              f"{'s' if len(reasons) != 1 else ''}): {reasons[-1].splitlines()[0]}"
                                              f"{attempts}"))

    def _failed(self, student, reason):
        """One attempt failed through no fault of the student: try again while attempts are left."""
        self.failures[student].append(reason)
        if len(self.failures[student]) < ATTEMPTS and not self.lost:
            self.waiting.appendleft(student)
        else:
            self._give_up(student)

    def _submit(self, student, workers):
        job = self.jobs[student]
        notes = []
        try:
            cluster_job = remote_job(job, notes=notes)
        except UnpackError:
            # grade_student, here, reports why the submission cannot be unpacked: the student's error, exactly as
            # local workers report it.
            self._finish(self.function(job))
            return
        except OSError as error:  # this machine could not pack it (a full disk): the grader's failure
            self._failed(student, f"the head could not pack the submission: {_reason(error)}")
            return
        self.pack_notes[student] = notes
        key = f"grade-{student}-{len(self.failures[student]) + 1}-{uuid.uuid4().hex[:8]}"
        # A strict restriction: with a loose one, Dask's work stealing hands the job to an idle worker, and the
        # worker that refuses at once is the idle one.
        future = self.client.submit(grade_on_worker, self.function, cluster_job, key=key, pure=False,
                                    workers=workers, allow_other_workers=False)
        self.in_flight[future] = student
        if workers is not None:
            self.restricted[future] = set(workers)

    def _fill(self):
        """Send waiting jobs while there is room. While every worker there is has refused (a stale worker alone,
        or the others restarting), hold them for up to `connect_timeout()`, then give them up."""
        while self.waiting and not self.lost and len(self.in_flight) < self._limit():
            workers = self._allowed_workers()
            if workers == []:
                self.all_refused_since = self.all_refused_since or time.monotonic()
                if time.monotonic() - self.all_refused_since < connect_timeout():
                    return
                student = self.waiting.popleft()
                self.failures[student].append(f"no worker with the job's course bundle joined within "
                                              f"{connect_timeout():g} s; the last refusal: {self.refusal}")
                self._give_up(student)
                continue
            self.all_refused_since = None
            self._submit(self.waiting.popleft(), workers)

    def _send_again_if_stranded(self):
        """A job restricted to workers that have all left (a restarted worker comes back with a new address) would
        wait for them forever: send it again, to the workers there are now; not a failed attempt."""
        present = set(self._workers())
        for future, workers in list(self.restricted.items()):
            if not workers & present:
                self.waiting.appendleft(self.in_flight.pop(future))
                del self.restricted[future]
                future.cancel()

    def _reconnected(self):
        """Whether the client is connected to the scheduler again, waiting while it tries to reconnect. The
        client's own log of a failed reconnection (tracebacks) stays silent: every student's result says it."""
        _set_client_log_level(logging.CRITICAL)
        deadline = time.monotonic() + connect_timeout() + 5
        while self.client.status == "connecting" and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.client.status != "running":
            return False
        _set_client_log_level(logging.WARNING)
        return True

    def _collect(self, future):
        student = self.in_flight.pop(future)
        self.restricted.pop(future, None)
        if future.status == "cancelled":
            reason = f"the job was cancelled: the connection to the Dask scheduler at {self.address} was lost"
            if not self._reconnected():
                self.lost = (f"lost the connection to the Dask scheduler at {self.address} and could not reconnect "
                             f"within {connect_timeout():g} s; grade this student again once the scheduler runs")
                reason = self.lost
        else:
            try:
                result = future.result()
            except CourseBundleMismatch as error:
                self.refusing.add(error.worker)
                reason = self.refusal = str(error)
            except Exception as error:  # KilledWorker or the grader's own failure on that worker: retried
                reason = _reason(error)
            else:
                earlier = self.failures.get(student)
                result["notes"] = self.pack_notes.pop(student, []) + result.get("notes", [])
                if earlier:
                    result["notes"].append(f"graded on attempt {len(earlier) + 1}; the earlier attempts failed "
                                           f"through no fault of the student: {' | '.join(earlier)}")
                future.release()
                self._finish(result)
                return
        future.release()
        self._failed(student, reason)

    def run(self):
        from distributed import TimeoutError as WaitTimeout
        from distributed import wait
        from distributed.client import FuturesCancelledError

        self._fill()
        while (self.in_flight or self.waiting) and not self.lost:
            # While jobs are held, look again every second; else wake at least every STRANDED_CHECK_SECONDS.
            timeout = 1 if self.all_refused_since else STRANDED_CHECK_SECONDS
            done = []
            if self.in_flight:
                try:
                    with self.client.as_current():
                        done, _ = wait(list(self.in_flight), timeout=timeout, return_when="FIRST_COMPLETED")
                except WaitTimeout:
                    pass
                except FuturesCancelledError:  # the connection to the scheduler was lost: see _collect
                    done = [future for future in self.in_flight if future.status == "cancelled"]
            else:
                time.sleep(timeout)
            for future in done:
                self._collect(future)
                if self.lost:
                    break
            if not self.lost:
                self._send_again_if_stranded()
            self._fill()
        for student in [*self.in_flight.values(), *self.waiting]:
            self.failures[student].append(self.lost)
            self._give_up(student)


def run_on_cluster(function, jobs, *, scheduler, on_failure, on_result, progress):
    """Grade `jobs` ({student: job with `bundle`}) with `function` on the Dask cluster whose scheduler is at
    `scheduler`; hand each result to `on_result` as it arrives, and so each persistent failure, made by
    `on_failure(student, message)` (the grader's); `progress.update(1)` per student."""
    import dask
    from distributed import Client

    # A submission may be as large as the unpacking limit; Dask would warn about a "large graph" past 10 MB.
    with _client_logs_restored(), \
            dask.config.set({"distributed.admin.large-graph-warning-threshold": MAX_TOTAL_BYTES}), \
            Client(scheduler, set_as_default=False) as client:
        _set_client_log_level(logging.WARNING)  # not Dask's INFO lines: what matters is in each result
        _ClusterRun(client, function, jobs, address=scheduler, on_failure=on_failure,
                    on_result=on_result, progress=progress).run()
