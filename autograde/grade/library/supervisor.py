"""Trusted library checks: run the student's course_lib in the sandbox, compare its arrays here.

The child (`probe_child`, started by `launch`) only ever sees the student's `course_lib` and a copy of the probe
code; the expected values stay in this process. A check that crashes, loops or exits costs only itself: the grader
starts a new child for the checks after it.
"""
import io
import os
import select
import signal
import time
import zipfile
from pathlib import Path

import numpy as np

from autograde.checks import compare
from autograde.checks.run import judge, result_for
from autograde.grade.library import probe_child
from autograde.grade.library.launch import ChildLimits, LibraryChild, prepare_library, prepare_probe_code

RESULT_STREAM_BYTES = 64 * 2**20
ARRAY_BYTES = 256 * 2**20
# How long a child whose result stream has closed gets to exit by itself before it is killed.
EXIT_GRACE_SECONDS = 5.0


def load_plain_arrays(payload):
    """The child's `np.savez` payload as {name: plain ndarray}; ValueError for anything but numeric arrays."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            if sum(member.file_size for member in archive.infolist()) > ARRAY_BYTES:
                raise ValueError(f"the outputs are larger than {ARRAY_BYTES // 2**20} MiB")
        with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
            arrays = {name.removesuffix(".npy"): archive[name] for name in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValueError(f"the outputs could not be read ({error})") from None
    for name, array in arrays.items():
        if type(array) is not np.ndarray or array.dtype.kind not in probe_child.NUMERIC_KINDS:
            raise ValueError(f"output {name!r} is not a plain numeric array")
    return arrays


def _nan_mismatch(got, expected):
    """A message when `got` has NaN or inf where `expected` is finite, whatever the check's own comparison does."""
    for name, want in expected.items():
        have = got.get(name)
        if have is None or have.dtype.kind not in "fc" or have.shape != want.shape:
            continue
        bad = ~np.isfinite(have) & np.isfinite(want)
        if bad.any():
            return f"{name} has {int(bad.sum())} NaN or infinite entries where finite values are expected"
    return None


def compare_outputs(check, header, payload, expected):
    """(status, message) of the check's outputs against `expected`, decided entirely in this process."""
    try:
        got = load_plain_arrays(payload)
    except ValueError as error:
        return "error", compare.message_for(check, str(error))
    result = judge(check, got, expected, [str(note) for note in header.get("warnings") or []])
    # A comparison that lets NaN or inf through where the reference is finite never passes (the check's own,
    # more specific message comes first when it fails).
    problem = _nan_mismatch(got, expected) if result.passed else None
    if problem:
        return "fail", compare.message_for(check, problem)
    return result.status, result.message


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def describe_exit(returncode, level, memory_bytes):
    """What an unexpected end of the child with `returncode` most likely means, in words for the student."""
    number = -returncode if returncode < 0 else None
    if number is None and level.startswith("bwrap") and returncode > 128:
        number = returncode - 128
    if number == signal.SIGXCPU:
        return "exceeded the CPU time limit"
    if number == signal.SIGXFSZ:
        return "wrote a file larger than the limit"
    if number == signal.SIGKILL:
        return f"was killed (SIGKILL), most likely over the memory limit of {memory_bytes / 2**30:g} GiB"
    if number is not None:
        return f"crashed the interpreter ({_signal_name(number)}, signal {number})"
    return f"ended the process with exit code {returncode} (os._exit or a crash)"


def describe_child_error(check, header, memory_bytes):
    """(status, message) for a child's error header (see probe_child._error_header)."""
    label = "hidden check: " if check is not None and check.hidden else ""
    if header.get("missing_module"):
        module_path = str(header["missing_module"]).replace(".", "/")
        return "missing", f"{label}{module_path}.py is missing from the submission"
    if header.get("exc_type") == "MemoryError":
        return "error", f"{label}exceeded the memory limit of {memory_bytes / 2**30:g} GiB (MemoryError)"
    return "error", str(header.get("message", "raised an exception"))


class _ChildRun:
    """The frames of one child run, read with a deadline per step (the import, then each check)."""

    def __init__(self, child, pending, *, timeout, total_deadline, import_timeout):
        self.child = child
        self.pending = list(pending)
        self.timeout = timeout
        self.import_timeout = import_timeout
        self.total_deadline = total_deadline
        self.outcomes = {}
        self.durations = {}
        self.current = None
        self.import_error = None
        self.imported = False
        self.ended = None

    def _expected_start(self):
        if not self.imported:
            return probe_child.IMPORT_STEP
        remaining = [check_id for check_id in self.pending if check_id not in self.outcomes]
        return remaining[0] if remaining else None

    def _handle(self, header, payload):
        event = header.get("event")
        check_id = header.get("check")
        if event == "start" and self.current is None and check_id == self._expected_start():
            self.current = check_id
            self.started = time.monotonic()
            return True
        if event == "done" and check_id == self.current and check_id is not None:
            self.current = None
            if check_id == probe_child.IMPORT_STEP:
                self.imported = True
                if header.get("status") != "ok":
                    self.import_error = header
            else:
                self.durations[check_id] = time.monotonic() - self.started
                self.outcomes[check_id] = (header, payload)
            return True
        return False

    def _step_timeout(self):
        return self.timeout if self.imported else self.import_timeout

    def read(self):
        """Read frames until the child ends, a step runs over time, or the stream is corrupt; sets `ended`."""
        buffer = bytearray()
        received = 0
        step_deadline = time.monotonic() + self._step_timeout()
        fd = self.child.result_stream.fileno()
        while True:
            deadline = min(step_deadline, self.total_deadline)
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                self.ended = "total" if self.total_deadline <= step_deadline else "timeout"
                return
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.ended = "exit"
                return
            received += len(chunk)
            if received > RESULT_STREAM_BYTES:
                self.ended = "corrupt"
                return
            buffer += chunk
            frames, rest, corrupt = probe_child.read_frames(buffer)
            buffer = bytearray(rest)
            for header, payload in frames:
                if not self._handle(header, payload):
                    self.ended = "corrupt"
                    return
                step_deadline = time.monotonic() + self._step_timeout()
            if corrupt:
                self.ended = "corrupt"
                return
            if self.import_error is not None:
                self.ended = "exit"
                return


def run_library_checks(student_dir, checks, expected, *, scratch_dir, timeout=10.0, total_timeout=None,
                       import_timeout=None, limits=ChildLimits(), hidden=(), reference=None):
    """Grade `checks` against the student's course_lib; returns (list[CheckResult] in `checks` order, log text).

    student_dir: the unpacked submission (holds `course_lib/`); expected: {check id: {name: array}};
    timeout: wall seconds for each check; import_timeout: wall seconds for importing course_lib (default
    max(60, 3 * timeout): a slow but finite import must not turn every check into a timeout);
    total_timeout: wall seconds for all; hidden: folders to keep out of the sandbox besides the project (the
    grading output, the submissions); reference: (folder holding a reference course_lib, tasks) for a re-run in
    which the student's code calls the reference versions of those tasks (see `inherit.py`).
    """
    checks = list(checks)
    if not checks:
        return [], ""
    by_id = {check.id: check for check in checks}
    scratch_dir = Path(scratch_dir)
    library_dir = scratch_dir / "library"
    if not prepare_library(student_dir, library_dir):
        return [result_for(check, "missing", "the submission has no course_lib/ folder "
                              "(with its __init__.py)") for check in checks], ""
    probes_dir = prepare_probe_code(scratch_dir / "probes")
    os.chmod(scratch_dir, 0o755)
    total_timeout = total_timeout if total_timeout is not None else max(60.0, 30 * timeout)
    import_timeout = import_timeout if import_timeout is not None else max(60.0, 3 * timeout)
    total_deadline = time.monotonic() + total_timeout
    results = {}
    logs = []
    while len(results) < len(checks):
        pending = [check.id for check in checks if check.id not in results]
        if time.monotonic() >= total_deadline:
            for check_id in pending:
                results[check_id] = result_for(by_id[check_id], "timeout",
                                                  f"not run: the library checks used up their {total_timeout:g} s")
            break
        child = LibraryChild(probes_dir=probes_dir, library_dir=library_dir, check_ids=pending, limits=limits,
                             hidden=hidden, reference=reference)
        run = _ChildRun(child, pending, timeout=timeout, total_deadline=total_deadline,
                        import_timeout=import_timeout)
        try:
            run.read()
        finally:
            returncode = child.finish(grace=EXIT_GRACE_SECONDS if run.ended == "exit" else 0.0)
        logs.append(child.output.text())
        for check_id, (header, payload) in run.outcomes.items():
            check = by_id[check_id]
            if header.get("status") == "ok":
                status, message = compare_outputs(check, header, payload, expected.get(check_id, {}))
            else:
                status, message = describe_child_error(check, header, limits.memory_bytes)
            results[check_id] = result_for(check, status, message, run.durations[check_id])
        if run.ended in ("timeout", "total"):
            limit = timeout if run.imported else import_timeout
            what = f"took longer than {limit:g} s" if run.ended == "timeout" else \
                f"ran past the total limit of {total_timeout:g} s"
            verdict = ("timeout", what + " (killed)")
        elif run.ended == "corrupt":
            verdict = ("error", "the check's result stream was corrupted (did the code write to file descriptors "
                                "it does not own?)")
        else:
            verdict = ("error", describe_exit(returncode, child.level, limits.memory_bytes))
        if not run.imported or run.import_error is not None:
            if run.import_error is not None:
                status, message = describe_child_error(None, run.import_error, limits.memory_bytes)
            else:
                status, message = verdict
            for check_id in pending:
                results.setdefault(check_id, result_for(by_id[check_id], status,
                                                           f"importing course_lib {message}"))
            break
        if run.current is not None:
            duration = time.monotonic() - run.started
            check = by_id[run.current]
            results[run.current] = result_for(check, verdict[0], compare.message_for(check, verdict[1]), duration)
        elif not run.outcomes:
            for check_id in pending:
                results[check_id] = result_for(by_id[check_id], "error", "the sandbox ended before running "
                                                  f"the check: {verdict[1]}")
    return [results[check.id] for check in checks], "\n".join(log for log in logs if log)

