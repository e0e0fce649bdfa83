"""Run checks in a child process with a wall-clock limit per check (what `python -m autograde check` does).

A check that loops, even one that ignores Ctrl-C, is killed when its time is up and reported as a timeout; a check
that ends the process (sys.exit, os._exit, a crash) is reported as an error. Either way a new child runs the checks
after it. The child loads course_lib from the given folder and sends each CheckResult as a plain dict over a pipe.
"""
import multiprocessing
import time

from autograde.check.runner import run_checks
from autograde.checks import load, spec
from autograde.checks.compare import message_for
from autograde.checks.result import CheckResult
from autograde.checks.run import result_for

_ENDED = object()


def _child(root, check_ids, hidden, connection):
    lib = load.load_lib(root)
    checks = {check.id: check for check in spec.all_checks(hidden=hidden)}
    connection.send(("ready", None))
    for check_id in check_ids:
        connection.send(("start", check_id))
        connection.send(("done", run_checks([checks[check_id]], lib)[0].to_dict()))


def _next_message(receiver, seconds):
    """The child's next message; None when none came within `seconds`, _ENDED when the child is gone."""
    try:
        if not receiver.poll(seconds):
            return None
        return receiver.recv()
    except (EOFError, OSError):
        return _ENDED


def _ended(process):
    process.join(5)
    return f"ended the Python process (exit code {process.exitcode}: sys.exit, os._exit or a crash)"


def _run_child(checks, root, timeout, hidden, on_result):
    """Run `checks` in one child until they are done or one of them times out or ends the child; returns the
    results of the checks it finished (the one that timed out or ended the child included)."""
    context = multiprocessing.get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(str(root), [check.id for check in checks], hidden, sender),
                              daemon=True)
    process.start()
    sender.close()
    results = []

    def report(result):
        results.append(result)
        on_result(result)

    try:
        message = _next_message(receiver, timeout)
        if message is None or message is _ENDED:
            problem = (f"importing course_lib did not finish within {timeout:g} s" if message is None
                       else f"importing course_lib {_ended(process)}")
            for check in checks:
                report(result_for(check, "timeout" if message is None else "error", message_for(check, problem)))
            return results
        for check in checks:
            _next_message(receiver, timeout)
            started = time.perf_counter()
            message = _next_message(receiver, timeout)
            if message is None:
                report(result_for(check, "timeout", message_for(
                    check, f"did not finish within {timeout:g} s and was stopped (a loop that never ends?)"),
                    time.perf_counter() - started))
                return results
            if message is _ENDED:
                report(result_for(check, "error", message_for(check, _ended(process)), time.perf_counter() - started))
                return results
            report(CheckResult.from_dict(message[1]))
        return results
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()


def run_with_time_limit(checks, root, *, timeout, hidden, on_result=lambda result: None):
    """Run `checks` against the course_lib folder `root`, each within `timeout` seconds of wall-clock time, in child
    processes; call on_result(result) as each one finishes and return every CheckResult in order."""
    results = []
    while len(results) < len(checks):
        results += _run_child(checks[len(results):], root, timeout, hidden, on_result)
    return results
