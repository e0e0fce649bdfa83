"""The grading kernel: a Jupyter kernel started inside the kernel sandbox, talking to nbgrader over IPC sockets.

nbgrader's Execute step starts kernels with `SandboxedKernelManager` (named in the scratch course's config). It
reads the sandbox it must use from the JSON file named by SANDBOX_VARIABLE (written by the supervisor):
`{"prefix": [bwrap arguments], "runtime_dir": folder}`. The connection file and the kernel's IPC sockets live in
that runtime folder, the only place both sides see; the kernel has no network at all. Where bubblewrap is missing
the prefix is empty and the kernel runs as an ordinary process (the weaker isolation is recorded).

The startup file (STARTUP_CODE) makes the kernel import `course_lib` and `autograde` from the submission only:
without it, a submission whose course_lib is missing could import an installed copy.
"""
import json
import os
import uuid

from jupyter_client.manager import AsyncKernelManager

SANDBOX_VARIABLE = "AUTOGRADE_KERNEL_SANDBOX"

STARTUP_CODE = '''"""Grading kernel: course_lib and autograde are imported from the submission folder only."""
import importlib.machinery
import os
import sys

_SUBMISSION_DIR = os.getcwd()


class _SubmissionOnlyFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in ("course_lib", "autograde"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, [_SUBMISSION_DIR])
        if spec is None:
            raise ModuleNotFoundError(f"{name} is not in the submitted folder", name=name)
        return spec


sys.meta_path.insert(0, _SubmissionOnlyFinder)
'''


def write_startup(ipython_dir):
    """Write the startup file into the IPython profile folder `ipython_dir`; returns the folder."""
    startup = ipython_dir / "profile_default" / "startup" / "00-submission-only.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(STARTUP_CODE, encoding="utf-8")
    return ipython_dir


def write_sandbox_file(path, *, prefix, runtime_dir):
    """Write the sandbox description SandboxedKernelManager reads; returns `path`."""
    path.write_text(json.dumps({"prefix": list(prefix), "runtime_dir": str(runtime_dir)}), encoding="utf-8")
    return path


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under the grading sandbox and connect over IPC in its runtime folder."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with open(os.environ[SANDBOX_VARIABLE], encoding="utf-8") as stream:
            sandbox = json.load(stream)
        self._prefix = list(sandbox["prefix"])
        self._runtime_dir = sandbox["runtime_dir"]
        self.transport = "ipc"
        # Unix socket paths are limited to 107 bytes: a short name in the (short) runtime folder.
        self.ip = os.path.join(self._runtime_dir, uuid.uuid4().hex[:8])

    def write_connection_file(self, **kwargs):
        if os.path.dirname(self.connection_file or "") != self._runtime_dir:
            self.connection_file = os.path.join(self._runtime_dir, f"kernel-{uuid.uuid4().hex[:8]}.json")
        result = super().write_connection_file(**kwargs)
        os.chmod(self.connection_file, 0o644)  # the kernel runs as another uid
        return result

    def format_kernel_cmd(self, extra_arguments=None):
        return self._prefix + super().format_kernel_cmd(extra_arguments)
