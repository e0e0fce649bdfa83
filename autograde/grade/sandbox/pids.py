"""Cap how many processes and threads a sandboxed run may have, with the kernel's pids cgroup controller.

rlimits cannot do it here: the sandbox's uid 65534 is root outside bubblewrap's user namespace, and the kernel
does not apply RLIMIT_NPROC to root. Without a cap, a fork bomb in one student's code fills the machine's process
table until its time limit, and other students' checks running beside it fail to start their own processes.

Each capped run gets its own cgroup below this process's, `autograde-<pid>/run-<pid>-<n>`, with `pids.max` set; the
child joins it between fork and exec (`PidsCap.join`, from a preexec_fn), so everything it starts is counted.
Both cgroup v1 (a hierarchy mounted with the `pids` controller) and cgroup v2 (where this process's cgroup lets
its children use `pids`) are found in /proc/self/mounts and /proc/self/cgroup. Where neither can be written
(not root, a read-only /sys/fs/cgroup), `available()` is False and runs go uncapped; grading records it.
"""
import functools
import itertools
import multiprocessing.util
import os
import signal
import time
from pathlib import Path

_counter = itertools.count()


def _mounts():
    with open("/proc/self/mounts") as mounts:
        return [line.split() for line in mounts]


def _own_cgroups():
    """{controller or "" (cgroup v2): path of this process's cgroup in that hierarchy}."""
    owned = {}
    with open("/proc/self/cgroup") as cgroups:
        for line in cgroups:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                owned[controller] = path
    return owned


def _own_folders():
    """This process's cgroup folder in each mounted hierarchy that can count pids (v1 `pids`, or v2)."""
    owned = _own_cgroups()
    found = []
    for fields in _mounts():
        if len(fields) < 4:
            continue
        mount_point, kind, options = fields[1], fields[2], fields[3].split(",")
        if kind == "cgroup" and "pids" in options and "pids" in owned:
            found.append(Path(mount_point) / owned["pids"].lstrip("/"))
        elif kind == "cgroup2" and "" in owned:
            found.append(Path(mount_point) / owned[""].lstrip("/"))
    return found


def _candidates():
    """Folders under which a cgroup with a pids.max would be created, the likeliest first."""
    found = []
    for own in _own_folders():
        controllers = own / "cgroup.controllers"  # cgroup v2 only: pids must be available to this cgroup
        if not controllers.is_file() or "pids" in controllers.read_text().split():
            found.append(own)
    return found


def run_members():
    """Pids in the capped run's cgroup that this process joined (`PidsCap.join`), or None when it is in none."""
    try:
        folders = _own_folders()
    except OSError:
        return None
    for folder in folders:
        if folder.name.startswith("run-") and folder.parent.name.startswith("autograde-"):
            try:
                return [int(pid) for pid in (folder / "cgroup.procs").read_text().split()]
            except OSError:
                continue
    return None


def _make_base(parent):
    base = parent / f"autograde-{os.getpid()}"
    try:
        base.mkdir(exist_ok=True)
        # cgroup v1: every folder of a pids hierarchy has pids.max. cgroup v2 (it has cgroup.type): the controller
        # must be enabled for `base` (by its parent) and for the children of `base`.
        if (base / "cgroup.type").exists():
            if not (base / "pids.max").exists():
                try:
                    (parent / "cgroup.subtree_control").write_text("+pids")
                except OSError:
                    pass  # allowed only where the parent holds no process itself (or is the root cgroup)
            (base / "cgroup.subtree_control").write_text("+pids")
        probe = base / "probe"
        probe.mkdir(exist_ok=True)
        try:
            if not (probe / "pids.max").is_file():  # the kernel makes it in a real cgroup; a plain folder has none
                raise OSError(f"{probe} is not a cgroup with the pids controller")
            (probe / "pids.max").write_text("8")
        finally:
            _remove(probe, wait=0.0)
    except OSError:
        _remove(base)
        return None
    # Removed when this process exits (atexit in the main process, the exit of a multiprocessing worker). Workers
    # forked after _base() ran share the parent's folder and do not register it again.
    multiprocessing.util.Finalize(None, _remove, args=(base,), exitpriority=0)
    return base


@functools.cache
def _base():
    """This process's folder of capped runs, or None when no pids controller can be written here."""
    try:
        candidates = _candidates()
    except OSError:
        return None
    for parent in candidates:
        base = _make_base(parent)
        if base is not None:
            return base
    return None


def available():
    """Whether runs can be capped here (root, and a writable pids controller)."""
    return _base() is not None


def _remove(path, wait=2.0):
    """Remove a cgroup folder: kill what is still in it, then rmdir, retrying while killed tasks exit."""
    deadline = time.monotonic() + wait
    while True:
        try:
            for child in Path(path).iterdir():
                if child.is_dir():
                    _remove(child, wait=max(0.0, deadline - time.monotonic()))
            Path(path).rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError:
            _kill_members(path)
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)


def kill_processes(pids_to_kill):
    """SIGKILL each pid that still exists: the one way a run's processes are killed (pids that are gone or not ours
    are skipped)."""
    for pid in pids_to_kill:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def _members(path):
    try:
        return [int(pid) for pid in Path(path, "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _kill_members(path):
    kill_processes(_members(path))


class PidsCap:
    """A cgroup holding at most `max_tasks` processes and threads, for one run; a context manager.

    Usage: `with PidsCap(64) as cap: Popen(..., preexec_fn=cap.join)`. Leaving the block kills whatever is still
    in the cgroup and removes it (`sandbox.process.SandboxedProcess` does this for every sandboxed run). Where `available()` is False, join() does nothing.
    """

    def __init__(self, max_tasks):
        self.max_tasks = max_tasks
        self.path = None
        base = _base()
        if base is None:
            return
        path = base / f"run-{os.getpid()}-{next(_counter)}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(max_tasks))
        except OSError:
            _remove(path)
            return
        self.path = path
        self._procs = str(path / "cgroup.procs")

    def join(self):
        """Move the calling process into the cgroup: call it in the child between fork and exec. A failure leaves
        the run uncapped rather than not started."""
        if self.path is None:
            return
        try:
            descriptor = os.open(self._procs, os.O_WRONLY)
            try:
                os.write(descriptor, str(os.getpid()).encode())
            finally:
                os.close(descriptor)
        except OSError:
            pass

    def members(self):
        """The pids in the cgroup (the run's own and whatever it started, detached or not); [] when uncapped."""
        return _members(self.path) if self.path is not None else []

    def close(self):
        if self.path is not None:
            _remove(self.path)
            self.path = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
