"""The grading kernel: its startup file imports course_lib and autograde from the submission only; its manager puts
the sandbox in front of the kernel and talks to it over IPC sockets in the runtime folder."""
import json
import subprocess
import sys

from autograde.grade.notebooks import kernel


def test_kernel_startup_imports_course_lib_only_from_the_submission(tmp_path):
    startup = kernel.write_startup(tmp_path / "ipython") / "profile_default" / "startup" / "00-submission-only.py"
    probe = f"exec(open({str(startup)!r}).read()); import course_lib"
    work = tmp_path / "work"
    work.mkdir()
    missing = subprocess.run([sys.executable, "-c", probe], cwd=work, capture_output=True, text=True)
    assert "course_lib is not in the submitted folder" in missing.stderr
    (work / "course_lib").mkdir()
    (work / "course_lib" / "__init__.py").write_text("WHERE = 'submission'\n")
    found = subprocess.run([sys.executable, "-c", probe + "; print(course_lib.WHERE)"], cwd=work,
                           capture_output=True, text=True)
    assert found.stdout.strip() == "submission"


def test_the_kernel_manager_prefixes_the_sandbox_and_connects_over_ipc_in_the_runtime_folder(tmp_path, monkeypatch):
    runtime = tmp_path / "run"
    runtime.mkdir()
    sandbox = kernel.write_sandbox_file(tmp_path / "sandbox.json", prefix=["bwrap", "--unshare-all"],
                                        runtime_dir=runtime)
    assert json.loads(sandbox.read_text()) == {"prefix": ["bwrap", "--unshare-all"], "runtime_dir": str(runtime)}
    monkeypatch.setenv(kernel.SANDBOX_VARIABLE, str(sandbox))
    manager = kernel.SandboxedKernelManager(kernel_name="python3")
    assert manager.transport == "ipc" and manager.ip.startswith(str(runtime))
    manager.write_connection_file()
    assert manager.connection_file.startswith(str(runtime)) and len(manager.ip) < 100
    assert json.loads(open(manager.connection_file).read())["transport"] == "ipc"
    command = manager.format_kernel_cmd()
    assert command[:2] == ["bwrap", "--unshare-all"] and manager.connection_file in command
