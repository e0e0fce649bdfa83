"""The one way to start, limit and kill a process that runs (or hosts) student code.

`SandboxedProcess` starts a command in a new session, with rlimits and, where a pids cgroup can be written, in a
cgroup of its own capped at `Limits.tasks` processes and threads (`pids.PidsCap`). `kill()` SIGKILLs everything
that belongs to the run: every member of its cgroup (detached daemons included) and its process group.
`pids.kill_processes` is the primitive underneath, shared with the nbgrader runner's cleanup between notebooks.
"""
import dataclasses
import os
import resource
import subprocess

from autograde.grade.sandbox import pids
from autograde.grade.sandbox.pids import kill_processes


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed process (bytes and seconds); None leaves a limit as inherited."""

    memory_bytes: int = 3 * 2**30
    cpu_seconds: int = None
    file_bytes: int = 64 * 2**20
    open_files: int = None
    # Processes and threads together (a pids cgroup, see pids.py).
    tasks: int = 64


def _apply_limits(limits, cap):
    def prepare():
        if limits.memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        if limits.cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        if limits.file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        if limits.open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        cap.join()
    return prepare


class SandboxedProcess:
    """A running command under `limits`; a context manager that kills what is left of it on exit.

    popen_options: passed to subprocess.Popen (stdout, env, cwd, pass_fds, user, ...). The command itself holds the
    isolation prefix (bubblewrap) when there is one; this class adds the session, rlimits and the pids cap.
    """

    def __init__(self, argv, *, limits, **popen_options):
        self.cap = pids.PidsCap(limits.tasks)
        try:
            self.popen = subprocess.Popen(argv, start_new_session=True, preexec_fn=_apply_limits(limits, self.cap),
                                          **popen_options)
        except BaseException:
            self.cap.close()
            raise

    @property
    def pid(self):
        return self.popen.pid

    def members(self):
        """The pids of the run: its cgroup's members (where capped) and its process group."""
        found = set(self.cap.members())
        try:
            found.update(int(entry.name) for entry in os.scandir("/proc")
                         if entry.name.isdigit() and os.getpgid(int(entry.name)) == self.popen.pid)
        except OSError:
            pass
        return found

    def kill(self):
        """SIGKILL the whole run (what left the process group but stays in the cgroup included)."""
        kill_processes(self.members())
        kill_processes([self.popen.pid])

    def wait(self, timeout=None):
        return self.popen.wait(timeout=timeout)

    def finish(self, grace=0.0):
        """Wait up to `grace` seconds for the process to exit by itself (so its own exit code is kept), kill what is
        left of the run, reap it and remove its cgroup; returns the exit code."""
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        returncode = self.popen.wait()
        self.cap.close()
        return returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finish()
