"""The nbgrader runner's reading of why a notebook could not be graded."""
from autograde.grade.notebooks.runner import describe_failure


def test_a_dead_kernel_a_hang_and_another_error_are_told_apart():
    assert describe_failure("... DeadKernelError: Kernel died ...")[0] == "error"
    assert "kernel died" in describe_failure("Kernel died before replying")[1]
    assert describe_failure("nbclient.exceptions.CellTimeoutError: ...")[0] == "timeout"
    status, message = describe_failure("[Autograde] some log\nValueError: the notebook is not valid\n")
    assert (status, message) == ("error", "nbgrader could not grade this notebook: ValueError: the notebook is not "
                                          "valid")
    assert describe_failure("nothing useful")[1] == "nbgrader could not grade this notebook: see the log"


def test_the_runner_process_imports_nbgrader_and_its_own_modules_not_the_heads():
    """The runner runs beside the student's kernel: it loads no report, similarity, Dask or matplotlib."""
    import subprocess
    import sys

    probe = ("import sys, autograde.grade.notebooks.runner\n"
             "print('\\n'.join(sorted(name for name in sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    heads = [name for name in loaded if name.startswith(("autograde.grade.report", "autograde.grade.similarity",
                                                          "autograde.grade.batch", "autograde.grade.record",
                                                          "autograde.grade.cluster", "matplotlib", "dask",
                                                          "copydetect"))]
    assert heads == []
    assert "nbgrader.converters" in loaded or "nbgrader" in loaded
