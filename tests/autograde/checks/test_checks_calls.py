"""spec.CALLS is exactly the set of tasks whose checks run another task's code: replacing one task's solution by a
stub fails that task and the tasks that call it (spec.tasks_calling), and nothing else."""
import ast

import pytest

from autograde.checks import load, spec
from course_lib_copies import REFERENCE, copy_reference, failing_checks, stub_definition

MODULE_FILES = {"layers": sorted(path for path in (REFERENCE / "layers").glob("*.py") if not path.name.startswith("_")),
                "fc_net": [REFERENCE / "classifiers" / "fc_net.py"], "cnn": [REFERENCE / "classifiers" / "cnn.py"],
                "optim": [REFERENCE / "optim.py"]}


def definition_file(task):
    """The reference file (relative to course_lib) that defines the function or class of `task`."""
    module, name = task.split(".", 1)
    for path in MODULE_FILES[module]:
        names = {node.name for node in ast.parse(path.read_text()).body
                 if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        if name in names:
            return str(path.relative_to(REFERENCE))
    raise AssertionError(f"no file of course_lib defines {name}")


@pytest.mark.parametrize("task", [task for task in spec.TASKS if task not in spec.VARIANT_OF])
def test_a_stubbed_task_fails_exactly_itself_and_the_tasks_that_call_it(tmp_path, task):
    root = copy_reference(tmp_path)
    stub_definition(root, definition_file(task), task.split(".", 1)[1], task)
    failing_tasks = {check_id.rsplit(".", 1)[0] for check_id in failing_checks(load.load_lib(root))}
    assert failing_tasks == {task, *spec.tasks_calling(task)}


def test_calls_name_only_known_tasks_and_never_the_task_itself():
    for task, callees in spec.CALLS.items():
        assert task in spec.TASKS and set(callees) <= set(spec.TASKS) and task not in callees
