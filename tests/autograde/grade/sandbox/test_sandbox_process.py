"""SandboxedProcess: the one way to start, limit and kill a run; nothing of a killed run survives it."""
import subprocess
import sys
import time

from autograde.grade.sandbox import pids
from autograde.grade.sandbox.process import Limits, SandboxedProcess

# A child that leaves a daemon behind (a new session: outside the run's process group), prints its pid and sleeps.
LEAVE_A_DAEMON = """
import os, sys, time
middle = os.fork()
if middle == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(120)
        os._exit(0)
    os._exit(0)
os.waitpid(middle, 0)
print(os.getpid(), flush=True)
time.sleep(120)
"""


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_finish_keeps_the_exit_code_of_a_run_that_ended_by_itself():
    run = SandboxedProcess([sys.executable, "-c", "import sys; sys.exit(7)"], limits=Limits())
    assert run.finish(grace=30) == 7


def test_the_run_gets_its_rlimits_and_a_session_of_its_own():
    show = ("import os, resource; print(resource.getrlimit(resource.RLIMIT_AS)[0], "
            "resource.getrlimit(resource.RLIMIT_FSIZE)[0], os.getsid(0) == os.getpid())")
    with SandboxedProcess([sys.executable, "-c", show], limits=Limits(memory_bytes=2**31, file_bytes=2**20),
                          stdout=subprocess.PIPE, text=True) as run:
        output = run.popen.stdout.read()
        run.popen.stdout.close()
    assert output.split() == [str(2**31), str(2**20), "True"]


def test_a_file_larger_than_the_limit_cannot_be_written(tmp_path):
    write = f"open({str(tmp_path / 'big')!r}, 'wb').write(bytes(2 * 2**20))"
    run = SandboxedProcess([sys.executable, "-c", write], limits=Limits(file_bytes=2**20),
                           stderr=subprocess.DEVNULL)
    assert run.finish(grace=30) != 0
    assert (tmp_path / "big").stat().st_size <= 2**20


def test_kill_ends_the_run_and_its_processes_in_the_process_group():
    with SandboxedProcess([sys.executable, "-c", "import subprocess, sys, time\n"
                           "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                           "print(child.pid, flush=True)\ntime.sleep(120)"],
                          limits=Limits(), stdout=subprocess.PIPE, text=True) as run:
        grandchild = int(run.popen.stdout.readline())
        assert grandchild in run.members()
        started = time.monotonic()
        assert run.finish() == -9
        run.popen.stdout.close()
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)


def test_a_daemon_that_left_the_process_group_is_killed_with_its_run(pids_cgroup):
    with SandboxedProcess([sys.executable, "-c", LEAVE_A_DAEMON], limits=Limits(), stdout=subprocess.PIPE,
                          text=True) as run:
        run.popen.stdout.readline()
        members = run.members()
        assert len(members) == 2  # the child and its daemon, which is in a session of its own
        cgroup = run.cap.path
    assert not cgroup.exists()
    assert not [pid for pid in members if alive(pid)]
    assert [path for path in pids._base().iterdir() if path.is_dir()] == []
