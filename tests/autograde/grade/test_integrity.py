"""Integrity signals: from results, from sandbox logs, and from a static scan of student code that flags reaching
outside the assignment and stays quiet on the reference library, the notebooks and typical solutions."""
import textwrap
from pathlib import Path

import pytest
from solution_styles import STYLES, solved_files

from autograde.demo.submissions import HOSTILE_PREAMBLE
from autograde.grade import integrity, similarity
from autograde.release.strip import strip_source

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _release_library():
    """{relative path: text} of the release's stub course_lib (what every student starts from)."""
    return {f"course_lib/{path.relative_to(PROJECT_ROOT / 'course_lib').as_posix()}":
            strip_source(path.read_text(), path.name)
            for path in sorted((PROJECT_ROOT / "course_lib").rglob("*.py")) if "__pycache__" not in path.parts}


def _reference_code():
    """The reference course_lib and the source notebooks' code cells (solutions filled in), as student_code."""
    files = similarity.student_code(PROJECT_ROOT)
    for notebook in sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")):
        files[f"{notebook.stem}.py"] = similarity.notebook_code(notebook)
    return files


def _kinds(code, path="course_lib/layers/affine.py"):
    return [signal.kind for signal in integrity.scan_code({path: textwrap.dedent(code)})]


def test_reference_library_and_notebooks_give_no_signal_against_the_release():
    assert integrity.scan_code(_reference_code(), baseline_files=_release_library()) == []


def test_without_the_release_only_the_allocators_own_ctypes_call_is_found():
    signals = integrity.scan_code(_reference_code())
    assert {(signal.kind, signal.where.split(":")[0]) for signal in signals} == {
        ("native code", "course_lib/_allocator.py")}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_typical_solutions_give_no_signal(style):
    assert integrity.scan_code(solved_files(style), baseline_files=_release_library()) == []


def test_the_demos_hostile_submission_is_flagged_where_it_patches_numpy_and_searches_the_disk():
    signals = integrity.scan_code({"course_lib/layers/losses.py": HOSTILE_PREAMBLE})
    found = {(signal.kind, signal.where) for signal in signals}
    assert ("monkeypatch", "course_lib/layers/losses.py:9") in found
    assert ("monkeypatch", "course_lib/layers/losses.py:10") in found
    assert ("filesystem", "course_lib/layers/losses.py:11") in found
    assert ("filesystem", "course_lib/layers/losses.py:20") in found
    assert "numpy.allclose" in next(signal.detail for signal in signals if signal.where.endswith(":9"))


@pytest.mark.parametrize("code, kind", [
    ("import os\nfor root, dirs, files in os.walk('/'):\n    pass\n", "filesystem"),
    ("secrets = open('/etc/passwd').read()\n", "filesystem"),
    ("import glob\nfound = glob.glob('/**/hidden.npz', recursive=True)\n", "filesystem"),
    ("from pathlib import Path\nhome = Path.home()\n", "filesystem"),
    ("import os\nos.chdir('data')\n", "filesystem"),
    ("import subprocess\n", "process"),
    ("import os\nos.system('ls /')\n", "process"),
    ("import os\nos.execv('/bin/sh', ['sh'])\n", "process"),
    ("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n", "process"),
    ("import socket\n", "network"),
    ("from urllib.request import urlopen\n", "network"),
    ("import urllib.request\npage = urllib.request.urlopen('http://example.org')\n", "network"),
    ("import ctypes\n", "native code"),
    ("import numpy as np\nnp.allclose = lambda *a, **k: True\n", "monkeypatch"),
    ("import numpy\nsetattr(numpy.testing, 'assert_allclose', print)\n", "monkeypatch"),
    ("from numpy import testing as npt\nnpt.assert_allclose = print\n", "monkeypatch"),
    ("import builtins\nbuiltins.print = len\n", "monkeypatch"),
    ("__builtins__['len'] = max\n", "monkeypatch"),
    ("from autograde.check import check\ncheck = lambda *args: None\n", "monkeypatch"),
    ("from course_lib.layers import affine_forward\ndef affine_forward(x, w, b):\n    return x, None\n",
     "monkeypatch"),
    ("import sys\nsys.modules['numpy'] = None\n", "import system"),
    ("import sys\ndel sys.modules['course_lib']\n", "import system"),
    ("maps = open('/proc/self/maps').read()\n", "system files"),
    ("import gc\nobjects = gc.get_objects()\n", "introspection"),
    ("import inspect\ncaller = inspect.stack()[1]\n", "introspection"),
    ("import sys\nvalues = sys._getframe().f_back.f_locals\n", "introspection"),
    ("def f():\n    return f.__globals__\n", "introspection"),
    ("exec('x = 1')\n", "dynamic code"),
    ("module = __import__('o' + 's')\n", "dynamic code"),
])
def test_code_that_reaches_outside_the_assignment_is_flagged(code, kind):
    assert kind in _kinds(code)


@pytest.mark.parametrize("code", [
    "import numpy as np\nnp.random.seed(0)\nx = np.random.randn(3, 4)\n",
    "import os\npath = os.path.join('datasets', 'cifar-10')\nexists = os.path.exists(path)\n",
    "import re\npattern = re.compile(r'\\d+')\n",
    "import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (10.0, 8.0)\n",
    "model.params['W1'] = 0.01 * np.random.randn(3, 4)\n",
    "class Net:\n    def __init__(self):\n        self.params = {}\n        self.reg = 0.0\n",
    "with open('loss_history.txt', 'w') as handle:\n    handle.write('done')\n",
    "rate = f'{done}/{total} batches'\nprint(rate, 'a / b')\n",
    "def f(x):\n    '''Reads /usr/share/data and /proc when documented.'''\n    return x\n",
    "import numpy as np\nout = np.maximum(0, x)\nnp.set_printoptions(precision=3)\n",
    "import sys\nsys.path.append('course_lib')\n",
    "import time\nstart = time.time()\n",
])
def test_ordinary_student_code_is_not_flagged(code):
    assert _kinds(code) == []


def test_a_notebook_signal_names_the_file_line_and_cell_and_magics_do_not_break_the_scan():
    text = ("# %% cell 0\n%matplotlib inline\nimport numpy as np\n\n# %% cell 4\n!ls /\n\n"
            "# %% cell 7\nimport gc\nfound = gc.get_objects()\n")
    signals = integrity.scan_code({"FullyConnectedNets.py": text})
    assert [(signal.kind, signal.where) for signal in signals] == [
        ("process", "FullyConnectedNets.py:6 (cell 4)"), ("introspection", "FullyConnectedNets.py:10 (cell 7)")]


def test_code_that_does_not_parse_is_still_scanned_by_its_words():
    signals = integrity.scan_code({"course_lib/optim.py": "def sgd(w, dw:\n    import subprocess\n"})
    assert [(signal.kind, signal.where) for signal in signals] == [("process", "course_lib/optim.py:2")]


def test_a_finding_that_the_release_has_on_the_same_line_is_dropped_but_a_new_one_is_not():
    release = {"course_lib/_allocator.py": "import ctypes\n"}
    student = {"course_lib/_allocator.py": "import ctypes\nimport socket\n"}
    signals = integrity.scan_code(student, baseline_files=release)
    assert [(signal.kind, signal.where) for signal in signals] == [("network", "course_lib/_allocator.py:2")]


def _check(check_id, status, message=""):
    return {"id": check_id, "task": check_id.rsplit(".", 1)[0], "notebook": "FullyConnectedNets", "status": status,
            "points": 0.0, "max_points": 1.0, "message": message, "hidden": False, "duration": 0.1}


# The grader's own words for how a run ended (autograde/grade/library and autograde/grade/notebooks).
KILLED = "was killed (SIGKILL), most likely over the memory limit of 1 GiB"
KERNEL_DIED = ("the kernel died while running this notebook: a cell ended the Python process (os._exit, a crash or "
               "running out of memory)")


def test_result_signals_name_tampered_checks_timeouts_crashes_and_kernel_deaths():
    result = {"student": "alice", "error": "", "checks": [
        _check("layers.relu_forward.case", "tampered", "the notebook's own check reported success but the "
                                                       "trusted check failed: wrong sign"),
        _check("layers.svm_loss.case", "timeout", "took longer than 10 s (killed)"),
        _check("layers.softmax_loss.case", "timeout", "took longer than 10 s (killed)"),
        _check("layers.conv_forward_naive.case", "error", f"layers.conv_forward_naive: {KILLED}"),
        _check("nb.FullyConnectedNets.best_model", "error", KERNEL_DIED),
        _check("layers.affine_forward.case", "error", "NotImplementedError: affine_forward: implement it"),
        _check("layers.relu_backward.case", "pass")]}
    signals = integrity.result_signals(result)
    assert [(signal.kind, signal.where) for signal in signals] == [
        ("tampered", "layers.relu_forward.case"), ("timeout", "layers.svm_loss.case"),
        ("kernel died", "nb.FullyConnectedNets.best_model"), ("sandbox", "layers.conv_forward_naive.case")]
    assert signals[1].detail.startswith("2 check(s) ran out of time")
    assert all(signal.source == integrity.RESULT for signal in signals)


def test_a_grader_error_is_a_signal_with_its_last_line():
    result = {"student": "bob", "checks": [], "error": "grading the notebooks failed:\nTraceback\nOSError: disk full"}
    assert integrity.result_signals(result) == [integrity.Signal("grader", "grader", "OSError: disk full",
                                                                 integrity.RESULT)]


def test_log_signals_find_refused_access_and_flooded_output_but_not_ordinary_output():
    log = ("loss 2.302\n"
           "PermissionError: [Errno 13] Permission denied: '/work/main/autograde/expected/hidden.npz'\n"
           "OSError: [Errno 30] Read-only file system: '/usr/lib/python3'\n"
           "socket.gaierror: [Errno -3] Temporary failure in name resolution\n"
           "\n[... 52311 more bytes of output dropped]\n")
    signals = integrity.log_signals(log)
    assert [(signal.kind, signal.where) for signal in signals] == [
        ("filesystem", "log:2"), ("network", "log:4"), ("output", "log:6")]
    assert "(2 lines)" in signals[0].detail
    assert integrity.log_signals("epoch 1 loss 2.3\nval acc 0.41\n") == []


def test_signals_for_joins_results_logs_and_code():
    result = {"student": "carol", "error": "", "checks": [_check("layers.relu_forward.case", "tampered", "x")]}
    signals = integrity.signals_for(result, {"course_lib/optim.py": "import socket\n"}, "Network is unreachable\n")
    assert [signal.source for signal in signals] == [integrity.RESULT, integrity.LOG, integrity.CODE]
