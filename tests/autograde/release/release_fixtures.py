"""A miniature instructor project for the release tests: the golden course_lib, one nbgrader source notebook, a
small check registry (public and hidden) and the files the release ships."""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np

GOLDEN = Path(__file__).parent / "golden"
PUBLIC_CHECK_ID = "layers.relu_forward.basic"
HIDDEN_CHECK_ID = "layers.relu_forward.zeros"
NOTEBOOK_SOLUTION_LINE = "best_threshold = float(np.median(np.abs(values)))"
HIDDEN_TEST_LINE = 'assert relu_forward(np.zeros((4, 5)))[0].shape == (4, 5), "shape kept"'
ANSWER_TEXT = "Because the negative half of the input carries no gradient at all."
# The part of the fixture project's autograde/ that a student release ships (the public side only).
STUDENT_AUTOGRADE_FILES = [
    "autograde/__init__.py",
    "autograde/__main__.py",
    "autograde/check/__init__.py",
    "autograde/checks/__init__.py",
    "autograde/checks/compare.py",
    "autograde/checks/expected.py",
    "autograde/checks/load.py",
    "autograde/checks/public/__init__.py",
    "autograde/checks/public/layers.py",
    "autograde/checks/result.py",
    "autograde/checks/run.py",
    "autograde/checks/spec.py",
    "autograde/expected/public.npz",
    "autograde/expected/task_points.json",
]

PYPROJECT = """\
[project]
name = "mini-course"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [
    "numpy>=1.26",
    "matplotlib>=3.8",
]

[project.optional-dependencies]
instructor = [
    "nbgrader>=0.9.6",
    "jupyterlab>=4",
]
dev = [
    "pytest>=8",
]
"""

AUTOGRADE_FILES = {
    "autograde/__init__.py": '"""Mini toolchain."""\n',
    "autograde/__main__.py": '"""Mini entry point."""\nprint("autograde")\n',
    "autograde/check/__init__.py": '"""Mini student checks."""\nfrom autograde.checks import spec\n',
    "autograde/checks/__init__.py": '"""Mini registry package."""\n',
    "autograde/checks/spec.py": '"""Mini registry."""\nREGISTERED = []\n',
    "autograde/checks/compare.py": '"""Mini comparison."""\n',
    "autograde/checks/expected.py": '"""Mini stored values."""\n',
    "autograde/checks/load.py": '"""Mini loader."""\n',
    "autograde/checks/result.py": '"""Mini result type."""\n',
    "autograde/checks/run.py": '"""Mini runner."""\n',
    "autograde/checks/public/__init__.py": '"""Public checks."""\n',
    "autograde/checks/public/layers.py": textwrap.dedent('''\
        """Public checks of the layers."""
        import numpy as np


        def relu_forward_basic(lib):
            return {"out": lib.layers.relu_forward(np.linspace(-1.0, 1.0, 5))[0]}
        '''),
    "autograde/checks/hidden/__init__.py": '"""Hidden checks."""\n',
    "autograde/checks/hidden/layers.py": textwrap.dedent('''\
        """Hidden checks of the layers."""
        import numpy as np


        def relu_forward_zeros(lib):
            return {"out": lib.layers.relu_forward(np.zeros((4, 5)))[0]}
        '''),
    "autograde/checks/generate.py": '"""Writes the expected values from the reference."""\n',
    "autograde/grade/__init__.py": '"""The grader: instructor only."""\n',
    "datasets/get_datasets.py": '"""Downloads the dataset."""\nURL = "https://example.org/data.tar.gz"\n',
}


def _source_notebook():
    cells = [
        nbformat.v4.new_markdown_cell("# Tiny\nA one-task notebook."),
        nbformat.v4.new_code_cell("import numpy as np\nfrom course_lib.layers import relu_forward"),
        nbformat.v4.new_code_cell(
            "values = np.linspace(-2.0, 2.0, 9)\n"
            "### BEGIN SOLUTION\n"
            f"{NOTEBOOK_SOLUTION_LINE}\n"
            "### END SOLUTION\n"
            "print(values.shape)"
        ),
        nbformat.v4.new_code_cell(
            "out, _ = relu_forward(values)\n"
            "assert out.min() >= 0, \"relu_forward returned negative values\"\n"
            "### BEGIN HIDDEN TESTS\n"
            f"{HIDDEN_TEST_LINE}\n"
            "### END HIDDEN TESTS"
        ),
        nbformat.v4.new_markdown_cell(ANSWER_TEXT),
        nbformat.v4.new_markdown_cell("Read-only instructions."),
    ]
    cells[2].metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                     "grade_id": "threshold", "schema_version": 3}
    cells[3].metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "points": 3,
                                     "grade_id": "layers-relu_forward", "schema_version": 3}
    cells[4].metadata["nbgrader"] = {"solution": True, "grade": True, "locked": False, "points": 2,
                                     "grade_id": "relu-question", "schema_version": 3}
    cells[5].metadata["nbgrader"] = {"solution": False, "grade": False, "locked": True,
                                     "grade_id": "instructions", "schema_version": 3}
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def make_project(root):
    """Write the miniature instructor project into the folder `root` and return it."""
    root = Path(root)
    shutil.copytree(GOLDEN / "source" / "course_lib", root / "course_lib")
    (root / "notebooks").mkdir()
    nbformat.write(_source_notebook(), root / "notebooks" / "Tiny.ipynb")
    for relative, text in AUTOGRADE_FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "autograde" / "expected").mkdir(parents=True)
    np.savez(root / "autograde" / "expected" / "public.npz", **{f"{PUBLIC_CHECK_ID}/out": np.linspace(0, 1, 5)})
    np.savez(root / "autograde" / "expected" / "hidden.npz", **{f"{HIDDEN_CHECK_ID}/out": np.zeros((4, 5))})
    (root / "autograde" / "expected" / "task_points.json").write_text('{"layers.relu_forward": [1, 1]}\n')
    return root


def run_stub_in_release(release_dir, code):
    """Run `python -c code` in the release folder as a student would: that folder as cwd, no PYTHONPATH."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=release_dir, env=env, capture_output=True, text=True,
                          timeout=60)


STUB_IMPORT = (
    "import numpy as np\n"
    "import course_lib.layers as l\n"
    "print(l.__file__)\n"
    "l.relu_forward(np.ones(3))\n"
)
