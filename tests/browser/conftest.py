"""Fixtures for tests that drive a real Chromium: the browser itself (installed by scripts/install-browser.sh when
missing) and a JupyterLab server on 127.0.0.1 serving a temporary folder, stopped with its kernels afterwards."""
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_BROWSER_SCRIPT = REPO_ROOT / "scripts" / "install-browser.sh"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
SERVER_START_TIMEOUT_S = 60
# Kernels run small BLAS products; on a shared 2-core machine a multithreaded BLAS only spins (see the notebook tests).
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@pytest.fixture(scope="session")
def chromium_executable():
    """Path of Debian's Chromium, installed on first use where we may; skips the test only when that is impossible."""
    if not CHROMIUM.exists():
        subprocess.run(["bash", str(INSTALL_BROWSER_SCRIPT)], check=False, timeout=600)
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is absent and scripts/install-browser.sh could not install it "
            "(it needs root and apt-get with access to Debian's archive)"
        )
    return str(CHROMIUM)


@pytest.fixture
def chromium_browser(chromium_executable):
    """A headless Chromium launched through Playwright (never a browser Playwright downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(base_url, token, path, method="GET"):
    request = urllib.request.Request(
        f"{base_url}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
    return json.loads(body) if body else None


class JupyterLabServer:
    """A running `jupyter lab`: base_url, token, root_dir (the folder it serves) and log_path (its output)."""

    def __init__(self, base_url, token, root_dir, log_path):
        self.base_url = base_url
        self.token = token
        self.root_dir = root_dir
        self.log_path = log_path

    def url(self, path):
        return f"{self.base_url}{path}?token={self.token}"

    def log_tail(self, num_chars=3000):
        return self.log_path.read_text(errors="replace")[-num_chars:]

    def kernels(self):
        return _api(self.base_url, self.token, "/api/kernels")


def _quiet_lab_settings(settings_dir):
    """Turn off the news prompt, a notification that would otherwise cover part of the page in screenshots."""
    notification = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


@contextlib.contextmanager
def running_jupyter_lab(tmp_path, root_dir):
    """The venv's JupyterLab serving `root_dir` on a free port of 127.0.0.1 with a random token (started in that
    folder, so nbgrader's formgrader reads its nbgrader_config.py); stops it and its kernels afterwards."""
    state_dir = tmp_path / "lab-state"
    for name in ("config", "runtime", "settings", "workspaces"):
        (state_dir / name).mkdir(parents=True)
    _quiet_lab_settings(state_dir / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    environment = {
        **os.environ,
        **ONE_BLAS_THREAD,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "JUPYTER_CONFIG_DIR": str(state_dir / "config"),
        "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state_dir / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state_dir / "workspaces"),
    }
    command = [
        str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--port-retries=0", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root_dir}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root; JupyterLab refuses root without this
    log_path = tmp_path / "jupyter-lab.log"
    server = JupyterLabServer(f"http://127.0.0.1:{port}", token, root_dir, log_path)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root_dir, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with code {process.returncode} before answering:\n{server.log_tail()}")
            try:
                _api(server.base_url, token, "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer within {SERVER_START_TIMEOUT_S} s:\n{server.log_tail()}")
                time.sleep(0.25)
        yield server
    finally:
        _stop(process, server)


@pytest.fixture
def jupyter_lab(tmp_path):
    """JupyterLab serving an empty folder (see running_jupyter_lab)."""
    root_dir = tmp_path / "lab-root"
    root_dir.mkdir()
    with running_jupyter_lab(tmp_path, root_dir) as server:
        yield server


def _stop(process, server):
    """Shut down the server's kernels (they run in process groups of their own), then the server itself."""
    if process.poll() is None:
        try:
            for kernel in server.kernels():
                _api(server.base_url, server.token, f"/api/kernels/{kernel['id']}", method="DELETE")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # the server's own shutdown below stops whatever kernels are left
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
