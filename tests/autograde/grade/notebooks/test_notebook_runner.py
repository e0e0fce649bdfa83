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
