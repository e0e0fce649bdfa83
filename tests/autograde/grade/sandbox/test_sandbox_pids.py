"""The pids cgroup cap of sandboxed runs: a fork bomb stops at the cap and nothing of the run outlives it."""
import json
import subprocess
import sys
from pathlib import Path

from autograde.grade.sandbox import pids

FORK_UNTIL_REFUSED = """
import os, time
forked = 0
for _ in range(500):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        os.close(1), os.close(2)  # let the parent's reader see the end of its output
        time.sleep(60)
        os._exit(0)
    forked += 1
print(forked)
"""


def gone(pid):
    """No such process, or a zombie its new parent has yet to reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_a_capped_run_cannot_start_more_processes_than_its_cap(pids_cgroup):
    with pids.PidsCap(12) as cap:
        completed = subprocess.run([sys.executable, "-c", FORK_UNTIL_REFUSED], preexec_fn=cap.join,
                                   capture_output=True, text=True, timeout=60)
        path = cap.path
    assert completed.returncode == 0, completed.stderr
    assert 0 < int(completed.stdout) < 12  # the interpreter itself is one of the 12
    assert cap.path is None and not path.exists()


def test_members_lists_what_the_run_left_behind_and_closing_the_cap_kills_it(pids_cgroup):
    with pids.PidsCap(64) as cap:
        completed = subprocess.run([sys.executable, "-c", FORK_UNTIL_REFUSED.replace("range(500)", "range(5)")],
                                   preexec_fn=cap.join, capture_output=True, text=True, timeout=60)
        members = cap.members()
        assert int(completed.stdout) == 5 and len(members) == 5  # the sleeping children outlived their parent
    assert cap.path is None and cap.members() == []
    assert all(gone(pid) for pid in members)


def test_kill_processes_kills_each_pid_and_skips_those_that_are_gone():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert finished.returncode == 0
    pids.kill_processes([sleeper.pid, 2**22 + 7, "not a pid"])
    assert sleeper.wait(timeout=10) == -9


def test_a_plain_folder_is_not_taken_for_a_cgroup(tmp_path):
    assert pids._make_base(tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_without_a_cgroup_runs_go_uncapped_and_still_start(monkeypatch):
    monkeypatch.setattr(pids, "_base", lambda: None)
    assert not pids.available()
    with pids.PidsCap(1) as cap:
        assert cap.path is None and cap.members() == []
        completed = subprocess.run([sys.executable, "-c", "print('ran')"], preexec_fn=cap.join,
                                   capture_output=True, text=True, timeout=60)
    assert completed.stdout.strip() == "ran"


def test_a_process_in_a_capped_run_finds_the_members_of_its_run_and_no_other_process_does(pids_cgroup):
    assert pids.run_members() is None  # the test process is in no run
    report = ("import json, os; from autograde.grade.sandbox import pids; "
              "print(json.dumps([os.getpid(), pids.run_members()]))")
    with pids.PidsCap(8) as cap:
        completed = subprocess.run([sys.executable, "-c", report], preexec_fn=cap.join, capture_output=True,
                                   text=True, timeout=60)
    pid, members = json.loads(completed.stdout)
    assert members == [pid], completed.stderr
