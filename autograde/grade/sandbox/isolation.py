"""The strongest isolation this machine allows, chosen once per process and recorded in every result.

- `bwrap`: bubblewrap namespaces (no network, own PID namespace, only allowlisted folders visible, uid 65534 with
  no capabilities): the profiles are in `profiles.py`.
- `unshare-net`: (root without bubblewrap) a new network namespace, so no network; the file system is shared.
- `rlimits`: limits only.

`+nobody` in a level's name: the process also drops to the `nobody` user. `+pids` (see `describe`): runs are capped
by a pids cgroup. Every level adds rlimits and a session of its own (`process.SandboxedProcess`).
"""
import functools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from autograde.grade.sandbox import pids

NOBODY = "nobody"
# Set to 1 (CI does) to make every test that needs bubblewrap or a pids cgroup fail instead of skip when they are
# missing: a green run then proves the isolation it claims.
REQUIRE_VARIABLE = "AUTOGRADE_REQUIRE_ISOLATION"


def nobody_ids():
    """(uid, gid) of the `nobody` user, or None where there is none."""
    try:
        entry = pwd.getpwnam(NOBODY)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _works(prefix, *, user=None):
    """Whether `prefix` + this interpreter can run numpy (a new session, as sandboxed runs have)."""
    from autograde.grade.sandbox import profiles

    with tempfile.TemporaryDirectory(prefix="autograde-isolation-") as scratch:
        os.chmod(scratch, 0o755)
        command = prefix(Path(scratch)) + [profiles.interpreter(), "-I", "-S", "-c",
                                           "import sys; sys.path[:0] = sys.argv[1].split(':'); import numpy; "
                                           "print('ok')", ":".join(profiles.site_dirs())]
        kwargs = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
        try:
            completed = subprocess.run(command, capture_output=True, timeout=60, cwd="/", start_new_session=True,
                                       stdin=subprocess.DEVNULL, **kwargs)
        except (OSError, subprocess.SubprocessError):
            return False
    return completed.returncode == 0 and completed.stdout.strip() == b"ok"


@functools.cache
def level():
    """The strongest level that works here: `bwrap`, `unshare-net+nobody`, `unshare-net`, `rlimits+nobody` or
    `rlimits`."""
    from autograde.grade.sandbox import profiles

    is_root = os.geteuid() == 0
    nobody = nobody_ids()
    candidates = []
    if shutil.which("bwrap"):
        candidates.append(("bwrap", lambda scratch: profiles.probe_prefix(scratch), None))
    if is_root and shutil.which("unshare"):
        if nobody:
            candidates.append(("unshare-net+nobody", lambda scratch: ["unshare", "--net", "--"], nobody))
        candidates.append(("unshare-net", lambda scratch: ["unshare", "--net", "--"], None))
    if is_root and nobody:
        candidates.append(("rlimits+nobody", lambda scratch: [], nobody))
    for name, prefix, user in candidates:
        if _works(prefix, user=user):
            return name
    return "rlimits"


def describe():
    """What grading records: the isolation level, plus `+pids` when runs are capped by a pids cgroup."""
    return level() + ("+pids" if pids.available() else "")


def required():
    """Whether the environment demands full isolation (REQUIRE_VARIABLE=1): bubblewrap and a pids cgroup."""
    return os.environ.get(REQUIRE_VARIABLE, "").strip() == "1"

