"""Fixtures of the source-notebook tests: a notebook of notebooks/ as stored, and each notebook executed once per
test session in a real python3 kernel with the reference solutions, both with the nbgrader views the tests read.

Tests parametrize `notebook_name` and ask for `source_notebook` or `executed_notebook`."""
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograde.checks import spec

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
# nbclient's limit per cell, and the limit on a whole run that the tests check.
TIME_LIMIT_S = 180
# The grader runs kernels with one BLAS thread (autograde/grade/notebooks.py), and so do these tests: on a shared
# 2-core machine a multithreaded BLAS spins against the other processes and runs these small products ~20x slower.
# As the grader runs kernels: one BLAS thread, and widgets as static plots (course_lib/widgets.py says why).
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                   "COURSE_STATIC_WIDGETS": "1"}


def _read(notebook_name):
    return nbformat.read(NOTEBOOKS_DIR / f"{notebook_name}.ipynb", as_version=4)


class NotebookCells:
    """The cells of one notebook, with the nbgrader metadata and the outputs of them that the tests read."""

    def __init__(self, notebook):
        self.cells = notebook.cells

    @staticmethod
    def nbgrader(cell):
        """The cell's nbgrader metadata; {} for a cell nbgrader does not read."""
        return cell.metadata.get("nbgrader", {})

    @staticmethod
    def printed(cell):
        """Everything the cell wrote to stdout and stderr, in order."""
        return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")

    def grade_cells(self):
        return [cell for cell in self.cells if self.nbgrader(cell).get("grade")]

    def library_test_cells(self):
        """{task: cell} for the graded code cells that call check(task)."""
        return {spec.task_for_grade_id(self.nbgrader(cell)["grade_id"]): cell for cell in self.grade_cells()
                if cell.cell_type == "code" and not self.nbgrader(cell)["grade_id"].startswith("nb-")}

    def notebook_only_checks(self):
        """{grade_id: cell} for the graded cells whose check is written in the notebook (grade_id nb-<Notebook>-...)."""
        return {self.nbgrader(cell)["grade_id"]: cell for cell in self.grade_cells()
                if self.nbgrader(cell)["grade_id"].startswith("nb-")}

    def errors(self):
        """'cell id: ename: evalue' for every error output."""
        return [f"{cell.get('id')}: {output['ename']}: {output['evalue'][:300]}"
                for cell in self.cells if cell.cell_type == "code"
                for output in cell.outputs if output.output_type == "error"]

    def png_outputs(self):
        return [output for cell in self.cells if cell.cell_type == "code" for output in cell.outputs
                if "image/png" in output.get("data", {})]


@dataclass(frozen=True)
class Execution:
    """A notebook after one run top to bottom, and how long that run took against the limit."""

    notebook: NotebookCells
    seconds: float
    time_limit_s: float = TIME_LIMIT_S


def _execute(notebook_name):
    from nbclient import NotebookClient

    notebook = _read(notebook_name)
    client = NotebookClient(notebook, kernel_name="python3", timeout=TIME_LIMIT_S, allow_errors=True,
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    started = time.perf_counter()
    client.execute(env={**os.environ, **ONE_BLAS_THREAD})
    seconds = time.perf_counter() - started
    print(f"{notebook_name}: executed in {seconds:.1f} s")
    return Execution(NotebookCells(notebook), seconds)


@pytest.fixture
def source_notebook(notebook_name):
    """The notebook as stored in notebooks/, not executed."""
    return NotebookCells(_read(notebook_name))


@pytest.fixture(scope="session")
def notebook_executions():
    """{notebook name: Execution}, filled as tests ask, so that each notebook runs once per test session."""
    return {}


@pytest.fixture
def executed_notebook(notebook_name, notebook_executions):
    """The Execution of the notebook, run in a fresh python3 kernel from notebooks/ the first time a test asks."""
    if notebook_name not in notebook_executions:
        notebook_executions[notebook_name] = _execute(notebook_name)
    return notebook_executions[notebook_name]
