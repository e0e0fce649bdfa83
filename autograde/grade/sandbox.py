"""Start the student's code in a separate, resource-limited, isolated process.

The strongest isolation this machine allows is chosen once per grading process (`isolation()`):

- `bwrap`: bubblewrap namespaces. The child sees only the Python installation, the site-packages (read-only, at
  a neutral path), the student's `course_lib` copy, the probe code, `/usr` and `/lib`, a fresh `/proc` and `/dev`
  and a size-capped private `/tmp`; no network, no other processes, uid 65534 with no capabilities. The repository,
  the course folder, the expected values and the host's `/tmp` do not exist inside.
- `unshare-net`: (root without bubblewrap) a new network namespace, so no network; the file system is shared.
- `rlimits`: limits only.

Every level adds rlimits (address space, CPU time, file size, open files, no core dumps), a new session so the
whole process group can be killed, and a drop to the `nobody` user where the interpreter is reachable by it
(`+nobody` in the level's name). Where a pids cgroup can be written (`pids.available()`), each child also runs in
its own cgroup capped at `Limits.tasks` processes and threads, so a fork bomb stops there.
"""
import dataclasses
import functools
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path

from autograde.grade import pids

NOBODY = "nobody"
# The notebook kernel's private /tmp is memory (tmpfs): capped, so that a cell filling it cannot fill the RAM.
KERNEL_TMP_BYTES = 256 * 2**20
SANDBOX_ROOT = "/sandbox"
# The project root: the notebook run imports the grader's own code (autograde) from it.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

CHILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    # One BLAS thread per child: reproducible sums and a fair share of the cores for parallel workers.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed child (bytes and seconds)."""

    memory_bytes: int = 3 * 2**30
    cpu_seconds: int = 600
    file_bytes: int = 64 * 2**20
    open_files: int = 128
    tmp_bytes: int = 64 * 2**20
    output_bytes: int = 64 * 2**10
    # Processes and threads together (a pids cgroup, see autograde/grade/pids.py); the reference peaked at 6.
    tasks: int = 64


def _site_packages():
    paths = []
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path not in paths and Path(path).is_dir():
            paths.append(path)
    return paths


def _interpreter():
    """The base interpreter (not a venv launcher), so that `-I -S` sees no .pth files and no editable finders."""
    return getattr(sys, "_base_executable", None) or sys.executable


@dataclasses.dataclass(frozen=True)
class ChildPaths:
    """Where the child sees its inputs: probe code folder, library root (holds course_lib) and site-packages."""

    probes: str
    library_root: str
    site_packages: tuple


def _bwrap_prefix(probes_dir, library_dir, limits):
    prefix = [
        "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", "65534", "--gid", "65534",
        "--ro-bind", sys.base_prefix, sys.base_prefix,
        "--proc", "/proc", "--dev", "/dev", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp", "--chdir", "/tmp",
    ]
    for system_dir in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache"):
        prefix += ["--ro-bind-try", system_dir, system_dir]
    inside_sites = []
    for index, path in enumerate(_site_packages()):
        if Path(path).is_relative_to(sys.base_prefix):
            inside_sites.append(path)
            continue
        inside = f"{SANDBOX_ROOT}/site-packages/{index}"
        prefix += ["--ro-bind", path, inside]
        inside_sites.append(inside)
    prefix += ["--ro-bind", str(probes_dir), f"{SANDBOX_ROOT}/probes",
               "--ro-bind", str(library_dir), f"{SANDBOX_ROOT}/library"]
    return prefix, ChildPaths(f"{SANDBOX_ROOT}/probes", f"{SANDBOX_ROOT}/library", tuple(inside_sites))


def kernel_sandbox_prefix(writable_dir, *, hidden_dirs=()):
    """Command prefix that runs nbgrader and the student's notebook kernel with the whole filesystem read-only
    except `writable_dir` (the student's private scratch course), /tmp emptied, `hidden_dirs` (e.g. the grading
    output with other students' results and the gradebook) replaced by empty folders, and no network (loopback
    only, which the kernel's ZMQ sockets need). [] when bubblewrap is not available: the caller then relies on
    rlimits and a separate session alone, and records the weaker isolation.
    """
    if not isolation().startswith("bwrap"):
        return []
    writable_dir = str(Path(writable_dir).resolve())
    prefix = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
              "--size", str(KERNEL_TMP_BYTES), "--tmpfs", "/tmp",
              "--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session"]
    # What the run itself needs stays visible (read-only) when it lives under /tmp, as in a CI clone there.
    needed = {Path(sys.prefix), Path(sys.base_prefix), PROJECT_ROOT, *map(Path, _site_packages())}
    for path in sorted(str(path.resolve()) for path in needed):
        if Path(path).is_relative_to("/tmp") and Path(path).exists():
            prefix += ["--ro-bind", path, path]
    for hidden in hidden_dirs:
        hidden = Path(hidden).resolve()
        if hidden.is_dir() and not Path(writable_dir).is_relative_to(hidden):
            prefix += ["--tmpfs", str(hidden)]
    return prefix + ["--bind", writable_dir, writable_dir, "--chdir", writable_dir]


def _command(level, probes_dir, library_dir, limits):
    if level.startswith("bwrap"):
        prefix, paths = _bwrap_prefix(probes_dir, library_dir, limits)
    else:
        prefix = ["unshare", "--net", "--"] if level.startswith("unshare-net") else []
        paths = ChildPaths(str(probes_dir), str(library_dir), tuple(_site_packages()))
    return prefix, paths


def _set_limits(limits):
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# The bootstrap the child runs: sys.path is set explicitly (no site, no .pth, no environment variables), the probe
# code first so a student's own `autograde/` copy cannot stand in for it, then the student's course_lib, then the
# standard library and site-packages.
BOOTSTRAP = (
    "import sys; probes, library, sites = sys.argv[1], sys.argv[2], sys.argv[3]; "
    "sys.path[:] = [probes, library] + sys.path + [s for s in sites.split(':') if s]; "
    "import probe_child; sys.exit(probe_child.main(sys.argv[4:]))"
)


def _python_argv(paths, child_args):
    return [_interpreter(), "-I", "-S", "-B", "-c", BOOTSTRAP, paths.probes, paths.library_root,
            ":".join(paths.site_packages), *child_args]


def _nobody_ids():
    try:
        entry = pwd.getpwnam(NOBODY)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _prepare_child(limits, cap):
    _set_limits(limits)
    if cap is not None:
        cap.join()


def _popen_kwargs(level, limits, cap=None):
    kwargs = {"env": dict(CHILD_ENV), "start_new_session": True,
              "preexec_fn": functools.partial(_prepare_child, limits, cap), "stdin": subprocess.DEVNULL, "cwd": "/"}
    if level.endswith("+nobody"):
        uid, gid = _nobody_ids()
        kwargs.update(user=uid, group=gid, extra_groups=[])
    return kwargs


def make_readable(path):
    """Let another user (the sandbox's `nobody`) read a folder tree the grader wrote."""
    for root, dirnames, filenames in os.walk(path):
        os.chmod(root, 0o755)
        for name in filenames:
            os.chmod(os.path.join(root, name), 0o644)


def _probe(level, scratch):
    probes = Path(scratch) / "probes"
    library = Path(scratch) / "library"
    probes.mkdir(exist_ok=True)
    library.mkdir(exist_ok=True)
    (probes / "probe_child.py").write_text("import sys\n\ndef main(args):\n    import numpy\n    print('ok')\n"
                                          "    return 0\n")
    make_readable(scratch)
    os.chmod(scratch, 0o755)
    prefix, paths = _command(level, probes, library, Limits())
    try:
        completed = subprocess.run(prefix + _python_argv(paths, []), capture_output=True, timeout=60,
                                   **{key: value for key, value in _popen_kwargs(level, Limits()).items()
                                      if key != "stdin"})
    except (OSError, subprocess.SubprocessError):
        return False
    return completed.returncode == 0 and completed.stdout.strip() == b"ok"


@functools.cache
def isolation():
    """The strongest isolation level that works here: `bwrap`, `unshare-net+nobody`, `unshare-net`, ..."""
    is_root = os.geteuid() == 0
    candidates = []
    if shutil.which("bwrap"):
        candidates.append("bwrap")
    if is_root and shutil.which("unshare"):
        candidates += ["unshare-net+nobody", "unshare-net"]
    if is_root and _nobody_ids():
        candidates.append("rlimits+nobody")
    with tempfile.TemporaryDirectory(prefix="autograde-probe-") as scratch:
        for level in candidates:
            if _probe(level, scratch):
                return level
    return "rlimits"


def describe_isolation():
    """What grading records: the isolation level, plus `+pids` when runs are capped by a pids cgroup."""
    return isolation() + ("+pids" if pids.available() else "")


class OutputCapture(threading.Thread):
    """Drains a pipe into memory, keeping the first `limit` bytes and counting the rest (never blocks the child)."""

    def __init__(self, stream, limit):
        super().__init__(daemon=True)
        self.stream = stream
        self.limit = limit
        self.kept = bytearray()
        self.total = 0

    def run(self):
        while chunk := self.stream.read1(1 << 16):
            self.total += len(chunk)
            room = self.limit - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
        self.stream.close()

    def text(self):
        text = self.kept.decode("utf-8", errors="replace")
        if self.total > len(self.kept):
            text += f"\n[... {self.total - len(self.kept)} more bytes of output dropped]\n"
        return text


class SandboxedChild:
    """One running child: `python -I -S -B` under the chosen isolation, with `result_fd` open for writing.

    `result_stream` is the grader's end of the result channel; stdout and stderr are captured together into
    `output` (first `limits.output_bytes` kept). `kill()` kills the whole process group with SIGKILL.
    """

    def __init__(self, *, probes_dir, library_dir, child_args, limits, level=None):
        self.level = level or isolation()
        prefix, paths = _command(self.level, probes_dir, library_dir, limits)
        read_fd, write_fd = os.pipe()
        argv = prefix + _python_argv(paths, [str(write_fd), *child_args])
        self.cap = pids.PidsCap(limits.tasks)
        try:
            self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                            pass_fds=(write_fd,), **_popen_kwargs(self.level, limits, self.cap))
        except BaseException:
            self.cap.close()
            raise
        finally:
            os.close(write_fd)
        self.result_stream = os.fdopen(read_fd, "rb", buffering=0)
        self.output = OutputCapture(self.process.stdout, limits.output_bytes)
        self.output.start()

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def finish(self, grace=0.0):
        """Wait up to `grace` seconds for the child to exit by itself (so its own exit code is kept), kill what is
        left of its process group, reap it and close the pipes; returns the exit code."""
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        returncode = self.process.wait()
        self.cap.close()  # kills whatever left the process group (setsid) and is still counted in the cgroup
        self.output.join(timeout=5)
        self.result_stream.close()
        return returncode
