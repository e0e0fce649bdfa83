"""The bubblewrap profiles: allowlists that hide the project, the grading output and installed course packages."""
import subprocess
from pathlib import Path

from autograde.grade.sandbox import profiles
from autograde.paths import PROJECT_ROOT


def test_a_hidden_folder_inside_a_bound_folder_is_covered_and_others_are_left_alone(tmp_path):
    inside, outside = tmp_path / "bound" / "out", tmp_path / "elsewhere"
    assert profiles.masks_for(tmp_path / "bound", [inside, outside]) == ["--tmpfs", str(inside)]
    assert profiles.masks_for(inside, [inside]) == []  # the bound folder itself is never covered


def test_installed_course_packages_in_a_bound_site_packages_are_covered(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    for package in ("course_lib", "autograde", "numpy"):
        (site / package).mkdir(parents=True)
    monkeypatch.setattr(profiles, "site_dirs", lambda: [str(site)])
    assert profiles.masks_for(tmp_path, []) == ["--tmpfs", str(site / "course_lib"),
                                                "--tmpfs", str(site / "autograde")]


def test_the_project_is_always_among_the_hidden_paths(tmp_path):
    assert profiles.hidden_paths([tmp_path / "out"]) == [PROJECT_ROOT.resolve(), (tmp_path / "out").resolve()]


def test_the_kernel_profile_binds_only_its_folders_with_a_clean_environment(tmp_path):
    prefix = profiles.kernel_prefix(work_dir=tmp_path / "work", runtime_dir=tmp_path / "run",
                                    ipython_dir=tmp_path / "ipython", tmp_bytes=2**20,
                                    environment={"EXTRA": "1"}, hidden=[tmp_path / "out"])
    assert prefix[:4] == ["bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    binds = [tuple(prefix[index:index + 3]) for index, item in enumerate(prefix) if item == "--bind"]
    assert binds == [("--bind", str(tmp_path / "work"), str(tmp_path / "work")),
                     ("--bind", str(tmp_path / "run"), str(tmp_path / "run"))]
    assert "--clearenv" in prefix and prefix[prefix.index("--chdir") + 1] == str(tmp_path / "work")
    environment = {prefix[index + 1]: prefix[index + 2] for index, item in enumerate(prefix) if item == "--setenv"}
    assert environment["EXTRA"] == "1" and environment["HOME"] == "/tmp"
    assert environment["IPYTHONDIR"] == str(tmp_path / "ipython")
    assert "--share-net" not in prefix and str(PROJECT_ROOT) not in [prefix[index + 1] for index, item in
                                                                     enumerate(prefix) if item.endswith("bind")]


def run_in_kernel_profile(tmp_path, code):
    for name in ("work", "run", "ipython"):
        (tmp_path / name).mkdir()
        (tmp_path / name).chmod(0o777)
    prefix = profiles.kernel_prefix(work_dir=tmp_path / "work", runtime_dir=tmp_path / "run",
                                    ipython_dir=tmp_path / "ipython", tmp_bytes=2**20)
    return subprocess.run(prefix + [profiles.interpreter(), "-I", "-c", code], capture_output=True, text=True,
                          timeout=60)


# Writes 2 MiB to each path; prints `path written` or `path errno`.
WRITE_EVERYWHERE = """
import errno, os
for path in PATHS:
    try:
        with open(path, "wb") as stream:
            stream.write(bytes(2 * 2**20))
        print(path, "written")
    except OSError as error:
        print(path, errno.errorcode[error.errno])
"""


def test_inside_the_kernel_profile_only_the_work_folder_is_writable_and_the_project_is_absent(tmp_path, bwrap):
    (tmp_path / "secret.txt").write_text("secret")
    paths = ["written", "/big", "/dev/big", "/usr/big", f"{profiles.interpreter()}.big", "/tmp/big", "/dev/shm/big"]
    code = ("import os\nprint(os.getuid())\n"
            f"print(os.path.exists({str(tmp_path / 'secret.txt')!r}), "
            f"os.path.exists({str(PROJECT_ROOT / 'course_lib')!r}), os.path.exists('/etc/passwd'))\n"
            f"PATHS = {paths!r}\n" + WRITE_EVERYWHERE)
    completed = run_in_kernel_profile(tmp_path, code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "65534", "False False False", "written written", "/big EROFS", "/dev/big EROFS", "/usr/big EROFS",
        f"{profiles.interpreter()}.big EROFS", "/tmp/big ENOSPC", "/dev/shm/big ENOSPC"]
    assert (tmp_path / "work" / "written").stat().st_size == 2 * 2**20


def test_inside_the_library_profile_nothing_but_a_capped_tmp_is_writable(tmp_path, bwrap):
    for name in ("probes", "library"):
        (tmp_path / name).mkdir()
    prefix, probes, library, _reference = profiles.library_child_prefix(
        probes_dir=tmp_path / "probes", library_dir=tmp_path / "library", tmp_bytes=2**20)
    paths = [f"{library}/big", f"{probes}/big", "/big", "/dev/shm/big", "/tmp/big"]
    completed = subprocess.run(prefix + [profiles.interpreter(), "-I", "-c", f"PATHS = {paths!r}\n" + WRITE_EVERYWHERE],
                               capture_output=True, text=True, timeout=60)
    assert completed.stdout.splitlines() == [f"{library}/big EROFS", f"{probes}/big EROFS", "/big EROFS",
                                             "/dev/shm/big ENOSPC", "/tmp/big ENOSPC"], completed.stderr


def test_the_isolation_probe_sees_the_interpreter_and_nothing_of_the_project(tmp_path, bwrap):
    prefix = profiles.probe_prefix(Path(tmp_path))
    completed = subprocess.run(prefix + [profiles.interpreter(), "-I", "-S", "-c",
                                         f"import os; print(os.path.exists({str(PROJECT_ROOT / 'autograde')!r}))"],
                               capture_output=True, text=True, timeout=60)
    assert completed.stdout.strip() == "False", completed.stderr
