"""Start the library probe child: the student's course_lib and the probe code in the sandbox, a result pipe back.

The child runs `python -I -S -B -c BOOTSTRAP PROBES LIBRARY SITES RESULT_FD CHECK_ID ...` (probe_child.py): no
site, no .pth files, no environment variables; sys.path is the probe code first (so a student's own `autograde/`
copy cannot stand in for it), then the student's course_lib folder, then the standard library and site-packages.
"""
import dataclasses
import os
import shutil
import subprocess
import threading
from pathlib import Path

from autograde.grade.library import probe_child
from autograde.grade.sandbox import isolation, profiles
from autograde.grade.sandbox.process import Limits, SandboxedProcess
from autograde.paths import AUTOGRADE_DIR

BOOTSTRAP = (
    "import sys; probes, library, sites = sys.argv[1], sys.argv[2], sys.argv[3]; "
    "sys.path[:] = [probes, library] + sys.path + [s for s in sites.split(':') if s]; "
    "import probe_child; sys.exit(probe_child.main(sys.argv[4:]))"
)
CHILD_ENVIRONMENT = {
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
class ChildLimits(Limits):
    """The library child's limits: those of every sandboxed process, CPU time and open files set, a private /tmp
    and the captured output capped."""

    cpu_seconds: int = 600
    open_files: int = 128
    tmp_bytes: int = 64 * 2**20
    output_bytes: int = 64 * 2**10


def make_readable(path):
    """Let another user (the sandbox's uid) read a folder tree the grader wrote."""
    for root, _, filenames in os.walk(path):
        os.chmod(root, 0o755)
        for name in filenames:
            os.chmod(os.path.join(root, name), 0o644)


def prepare_probe_code(destination):
    """Copy the probe code (`autograde/checks`, `autograde/text.py` and `probe_child.py`, never `autograde/expected`)
    to `destination`."""
    destination = Path(destination)
    package = destination / "autograde"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Probe code copied into the grading sandbox."""\n')
    shutil.copytree(AUTOGRADE_DIR / "checks", package / "checks",
                    ignore=lambda folder, names: [name for name in names
                                                  if name == "__pycache__" or name.endswith((".npz", ".pyc"))])
    shutil.copyfile(AUTOGRADE_DIR / "text.py", package / "text.py")
    shutil.copyfile(Path(probe_child.__file__), destination / "probe_child.py")
    make_readable(destination)
    return destination


def prepare_library(student_dir, destination):
    """Copy the student's `course_lib/` alone into `destination`; False when the submission has no package."""
    source = Path(student_dir) / "course_lib"
    if not (source / "__init__.py").is_file():
        return False
    shutil.copytree(source, Path(destination) / "course_lib")
    make_readable(destination)
    return True


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


class LibraryChild:
    """One running probe child for `check_ids`: `result_stream` is the grader's end of the result pipe, `output`
    the child's captured stdout and stderr; `finish()` ends the run (the one way: `SandboxedProcess`)."""

    def __init__(self, *, probes_dir, library_dir, check_ids, limits, hidden=(), reference=None):
        """reference: (folder holding a reference course_lib, tasks) for a re-run in which the student's library
        calls the reference versions of those tasks' functions (`inherit.py`)."""
        self.level = isolation.level()
        reference_dir = reference[0] if reference else None
        if self.level.startswith("bwrap"):
            prefix, probes, library, reference_inside = profiles.library_child_prefix(
                probes_dir=probes_dir, library_dir=library_dir, reference_dir=reference_dir,
                tmp_bytes=limits.tmp_bytes, hidden=hidden)
        else:
            prefix = ["unshare", "--net", "--"] if self.level.startswith("unshare-net") else []
            probes, library, reference_inside = str(probes_dir), str(library_dir), str(reference_dir)
        mode = ["--with-reference", reference_inside, ",".join(reference[1])] if reference else []
        read_fd, write_fd = os.pipe()
        argv = prefix + [profiles.interpreter(), "-I", "-S", "-B", "-c", BOOTSTRAP, probes, library,
                         ":".join(profiles.site_dirs()), str(write_fd), *mode, *check_ids]
        user = {}
        if self.level.endswith("+nobody"):
            uid, gid = isolation.nobody_ids()
            user = {"user": uid, "group": gid, "extra_groups": []}
        try:
            self.process = SandboxedProcess(argv, limits=limits, env=dict(CHILD_ENVIRONMENT), cwd="/",
                                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, pass_fds=(write_fd,), **user)
        finally:
            os.close(write_fd)
        self.result_stream = os.fdopen(read_fd, "rb", buffering=0)
        self.output = OutputCapture(self.process.popen.stdout, limits.output_bytes)
        self.output.start()

    def finish(self, grace=0.0):
        """End the run (waiting `grace` seconds for the child to exit by itself), close the pipes; returns the exit
        code."""
        returncode = self.process.finish(grace)
        self.output.join(timeout=5)
        self.result_stream.close()
        return returncode
