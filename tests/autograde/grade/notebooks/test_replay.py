"""A cell that hangs or kills the kernel costs only itself: the kernel is restarted, the cells before it run
again, and the cells after it keep working (a real kernel; nbgrader's Execute with the replay)."""
import nbformat
import pytest

from autograde.grade.notebooks.replay import ReplayingExecute

SIGINT_PROOF_LOOP = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"


def run(tmp_path, sources, timeout=4):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = ReplayingExecute(timeout=timeout, kernel_name="python3")
    executor.preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    return notebook


def stdout(cell):
    return "".join(output.get("text", "") for output in cell.outputs if output.get("name") == "stdout")


def errors(cell):
    return [output.ename for output in cell.outputs if output.output_type == "error"]


@pytest.mark.slow
def test_cells_after_a_sigint_proof_loop_run_with_the_state_before_it(tmp_path):
    cells = run(tmp_path, ["x = 20", SIGINT_PROOF_LOOP, "print(x + 1)", "x = x * 2", "print(x)"]).cells
    assert errors(cells[1]) == ["CellTimeoutError"]
    assert stdout(cells[2]) == "21\n"
    assert stdout(cells[4]) == "40\n"


@pytest.mark.slow
def test_cells_after_one_that_kills_the_kernel_run_with_the_state_before_it(tmp_path):
    cells = run(tmp_path, ["counter = [1]", "counter.append(2)", "import os\nos._exit(3)", "print(counter)"]).cells
    assert errors(cells[2]) == ["DeadKernelError"]
    assert "restarted" in cells[2].outputs[-1].traceback[0]
    assert stdout(cells[3]) == "[1, 2]\n"


@pytest.mark.slow
def test_replay_skips_every_cell_lost_before(tmp_path):
    cells = run(tmp_path, ["a = 1", SIGINT_PROOF_LOOP, "b = a + 1", "import os\nos._exit(1)", "print(a, b)"]).cells
    assert errors(cells[1]) == ["CellTimeoutError"] and errors(cells[3]) == ["DeadKernelError"]
    assert stdout(cells[4]) == "1 2\n"


def test_a_notebook_without_trouble_runs_as_with_nbgraders_execute(tmp_path):
    cells = run(tmp_path, ["y = 3", "print(y * y)"]).cells
    assert stdout(cells[1]) == "9\n" and cells[1].execution_count == 2
