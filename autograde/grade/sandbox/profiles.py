"""The bubblewrap profiles: what student code sees while it is graded.

Both profiles are allowlists. Student code sees the system's shared libraries and binaries, the Python
installation and its site-packages (read-only, with any installed copy of `course_lib` or `autograde` hidden:
the project may be installed in site-packages), a fresh /proc (its own PID namespace), a minimal read-only /dev,
a private size-capped /tmp and /dev/shm (everything else but a profile's own folders is read-only, so that a
file written into the sandbox cannot fill the memory), no network, uid 65534 without capabilities, and:

- the library probe child (`library_child_prefix`): a copy of the student's `course_lib` and a copy of the probe
  code (the check registry and probes, never expected values), read-only;
- the notebook kernel (`kernel_prefix`): the student's own autograded folder (read-write: notebooks write files)
  and the kernel's runtime folder (its connection file and IPC sockets), plus a read-only IPython profile.

Nothing else exists inside: not the project (`PROJECT_ROOT`), the grading course, the gradebook, the source
notebooks, the hidden checks or values, other students' files, or the host's /tmp. `hidden_paths()` lists what
must never be visible; `masks_for` hides any of it that lies inside a folder a profile binds.
"""
import sys
import sysconfig
from pathlib import Path

from autograde.paths import PROJECT_ROOT

# Folders and files of the host system a Python process needs: libraries, binaries, the dynamic linker's cache,
# fonts (matplotlib asks fontconfig, which writes an error to stderr without its configuration).
SYSTEM_PATHS = ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/etc/fonts", "/etc/localtime")
# Installed packages that must never be importable or readable by student code.
HIDDEN_PACKAGES = ("course_lib", "autograde")
SANDBOX_ROOT = "/sandbox"
UID = "65534"
# After every mount: bubblewrap's own root and /dev are tmpfs folders that the sandbox's user owns, with no size
# cap; read-only, they cannot be filled (only the capped /tmp and /dev/shm and a profile's own folders take writes).
READ_ONLY_ROOT = ("--remount-ro", "/dev", "--remount-ro", "/")

KERNEL_ENVIRONMENT = {
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "USER": "student",
    # One BLAS thread per process: reproducible sums and a fair share of the cores for parallel workers.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "MPLCONFIGDIR": "/tmp/matplotlib",
}


def interpreter():
    """The base interpreter (not a venv launcher), so that `-I -S` sees no .pth files and no editable finders."""
    return getattr(sys, "_base_executable", None) or sys.executable


def site_dirs():
    """The site-packages folders of this interpreter (the venv's and the base installation's), existing ones."""
    found = []
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path not in found and Path(path).is_dir():
            found.append(path)
    return found


def hidden_paths(extra=()):
    """Folders student code must never see: the project and `extra` (the grading output, the submissions)."""
    return [Path(path).resolve() for path in (PROJECT_ROOT, *extra)]


def masks_for(bound, hidden):
    """bwrap arguments that hide, inside the bound folder `bound`, every installed course_lib/autograde package and
    every folder of `hidden` that lies within it (a tmpfs mounted over it)."""
    bound = Path(bound)
    arguments = []
    for package in HIDDEN_PACKAGES:
        for site in site_dirs():
            candidate = Path(site) / package
            if candidate.is_dir() and candidate.is_relative_to(bound):
                arguments += ["--tmpfs", str(candidate)]
    for secret in hidden:
        if secret.is_relative_to(bound) and secret != bound:
            arguments += ["--tmpfs", str(secret)]
    return arguments


def _system_arguments(tmp_bytes, hidden):
    """/proc, /dev, a capped /tmp and /dev/shm and the system folders, with anything hidden inside them masked
    (before the interpreter's own binds, which may lie inside a masked folder and must stay visible)."""
    arguments = ["--proc", "/proc", "--dev", "/dev", "--size", str(tmp_bytes), "--tmpfs", "/dev/shm",
                 "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    for path in SYSTEM_PATHS:
        arguments += ["--ro-bind-try", path, path]
    for path in SYSTEM_PATHS:
        arguments += masks_for(path, hidden)
    return arguments


def _interpreter_arguments(hidden):
    """Read-only binds of the Python installation and the venv at their own paths, with the masks, and the
    interpreter's site-packages that lie elsewhere."""
    arguments = []
    roots = sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}, key=lambda path: len(path.parts))
    sites = [Path(site).resolve() for site in site_dirs()]
    for root in roots + [site for site in sites if not any(site.is_relative_to(root) for root in roots)]:
        arguments += ["--ro-bind", str(root), str(root)]
        arguments += masks_for(root, [secret for secret in hidden if not root.is_relative_to(secret)])
    return arguments


def probe_prefix(scratch):
    """The bwrap profile of the isolation probe (`isolation.level`): the interpreter and nothing else."""
    return ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", UID, "--gid", UID,
            *_system_arguments(16 * 2**20, hidden_paths()), *_interpreter_arguments(hidden_paths()), *READ_ONLY_ROOT,
            "--chdir", "/tmp"]


def library_child_prefix(*, probes_dir, library_dir, tmp_bytes, reference_dir=None, hidden=()):
    """(prefix, probes path inside, library path inside, reference path inside) of the library probe child: the
    probe code and the student's course_lib copy at fixed paths under /sandbox, read-only; in a re-run for inherited
    failures also `reference_dir` (a reference course_lib with the re-run task's own code stubbed)."""
    hidden = hidden_paths(hidden)
    reference = ["--ro-bind", str(reference_dir), f"{SANDBOX_ROOT}/reference"] if reference_dir is not None else []
    prefix = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", UID, "--gid", UID,
              *_system_arguments(tmp_bytes, hidden), *_interpreter_arguments(hidden),
              "--ro-bind", str(probes_dir), f"{SANDBOX_ROOT}/probes",
              "--ro-bind", str(library_dir), f"{SANDBOX_ROOT}/library", *reference, *READ_ONLY_ROOT,
              "--chdir", "/tmp"]
    return prefix, f"{SANDBOX_ROOT}/probes", f"{SANDBOX_ROOT}/library", f"{SANDBOX_ROOT}/reference"


def kernel_prefix(*, work_dir, runtime_dir, ipython_dir, tmp_bytes, environment=None, hidden=()):
    """The bwrap profile of a notebook kernel: `work_dir` (the student's autograded folder, the kernel's working
    folder) and `runtime_dir` (connection file, IPC sockets) read-write, `ipython_dir` read-only, a clean
    environment (KERNEL_ENVIRONMENT plus `environment`)."""
    hidden = hidden_paths(hidden)
    prefix = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", UID, "--gid", UID,
              *_system_arguments(tmp_bytes, hidden), *_interpreter_arguments(hidden),
              "--bind", str(work_dir), str(work_dir), "--bind", str(runtime_dir), str(runtime_dir),
              "--ro-bind", str(ipython_dir), str(ipython_dir), *READ_ONLY_ROOT, "--chdir", str(work_dir),
              "--clearenv"]
    for name, value in {**KERNEL_ENVIRONMENT, "IPYTHONDIR": str(ipython_dir), **(environment or {})}.items():
        prefix += ["--setenv", name, value]
    return prefix
