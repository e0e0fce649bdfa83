"""What a student sees of course_lib: each solution region below a `# TODO [<task id>]: ...` line, at most one given
line before it, and no module that reaches into another student module's private names."""
import ast
import re
import types
from pathlib import Path

import numpy as np
import pytest

from autograde.checks.spec import TASKS

LIBRARY = Path(__file__).resolve().parents[2] / "course_lib"
TODO_LINE = re.compile(r"^ *# TODO \[(?P<task>[^\]]+)\]: \S")
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _modules(root):
    """{dotted module name: path} of every .py file under the package folder `root`."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _has_regions(path):
    return any(line.strip() == BEGIN for line in path.read_text().splitlines())


STUDENT_FILES = [path for path in _modules(LIBRARY).values() if _has_regions(path)]


def _regions(lines):
    """[(TODO line index, BEGIN index, END index)] with the TODO line found above any continuation lines."""
    regions = []
    for begin, line in enumerate(lines):
        if line.strip() == BEGIN:
            todo = begin - 1
            while lines[todo].strip().startswith("#   "):
                todo -= 1
            end = next(index for index in range(begin, len(lines)) if lines[index].strip() == END)
            regions.append((todo, begin, end))
    return regions


def _top_level_owner(tree, line_number):
    """The name of the top-level function or class that holds the 1-based line."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.lineno <= line_number <= node.end_lineno:
            return node.name
    return None


def _given_lines(lines, tree, todo, regions):
    """The code lines a student sees between the start of the function body (after its docstring) or the end of
    the previous region and the TODO line at index `todo`, less the test-mode return between a loss's regions."""
    function = min((node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and node.lineno <= todo < node.end_lineno), key=lambda node: node.end_lineno - node.lineno)
    body = function.body
    start = body[1].lineno - 1 if ast.get_docstring(function) is not None else body[0].lineno - 1
    start = max([start] + [end + 1 for _, _, end in regions if end < todo])
    code = [line.strip() for line in lines[start:todo] if line.strip() and not line.strip().startswith("#")]
    return [line for line in code if line not in ("if y is None:", "return scores")]


@pytest.mark.parametrize("path", STUDENT_FILES, ids=lambda path: path.relative_to(LIBRARY).as_posix())
def test_every_region_sits_below_a_todo_line_naming_the_task_of_its_module_and_function(path):
    lines = path.read_text().splitlines()
    tree = ast.parse(path.read_text())
    for todo, begin, _ in _regions(lines):
        match = TODO_LINE.match(lines[todo])
        assert match, f"{path.name}:{begin + 1}: no `# TODO [<task id>]: ...` line above the region"
        task = match["task"]
        assert task in TASKS
        module = "layers" if path.parent.name == "layers" else path.stem  # the layer families form one module
        assert task == f"{module}.{_top_level_owner(tree, begin + 1)}", f"{path.name}:{todo + 1}"


@pytest.mark.parametrize("path", STUDENT_FILES, ids=lambda path: path.relative_to(LIBRARY).as_posix())
def test_at_most_one_given_line_comes_before_each_todo(path):
    lines = path.read_text().splitlines()
    tree = ast.parse(path.read_text())
    regions = _regions(lines)
    for todo, _, _ in regions:
        given = _given_lines(lines, tree, todo, regions)
        assert len(given) <= 1, f"{path.name}:{todo + 1}: {given}"


def test_every_task_of_the_registry_but_the_graded_views_has_a_region():
    todo_tasks = {TODO_LINE.match(path.read_text().splitlines()[todo])["task"]
                  for path in STUDENT_FILES for todo, _, _ in _regions(path.read_text().splitlines())}
    views = {task for task in TASKS if task.endswith(("_normalization", "_dropout"))}
    assert todo_tasks == set(TASKS) - views


def _stub(relative):
    """The module at course_lib/<relative> as students receive it: every region raises NotImplementedError."""
    region = re.compile(r"^( *)### BEGIN SOLUTION\n.*?^ *### END SOLUTION\n", re.MULTILINE | re.DOTALL)
    source = region.sub(lambda match: f'{match.group(1)}raise NotImplementedError("stub")\n',
                        (LIBRARY / relative).read_text())
    module = types.ModuleType(relative.replace("/", "_"))
    exec(compile(source, relative, "exec"), module.__dict__)
    return module


# (file, callable, valid arguments, invalid arguments, what the ValueError says)
MODEL_AND_RULE_STUBS = [
    ("optim.py", "sgd_momentum", (np.zeros((2, 3)), np.zeros((2, 3))), (np.zeros((2, 3)), np.zeros((3, 2))),
     r"sgd_momentum: w has shape \(2, 3\) but dw has shape \(3, 2\)"),
    ("optim.py", "sgd_nesterov_momentum", (np.zeros(2), np.zeros(2)), (np.zeros(2), np.zeros(3)),
     r"sgd_nesterov_momentum: w has shape"),
    ("optim.py", "adam", (np.zeros(2), np.zeros(2)), (np.zeros(2), np.zeros((2, 1))), r"adam: w has shape"),
    ("classifiers/fc_net.py", "FullyConnectedNet", ([4],), ([4], 10, 3, 1, "groupnorm"),
     r"FullyConnectedNet: normalization must be one of"),
    ("classifiers/cnn.py", "ThreeLayerConvNet", (), ((3, 8, 8), 4, 4),
     r"ThreeLayerConvNet: filter_size must be odd"),
]


@pytest.mark.parametrize(("relative", "name", "valid_args", "invalid_args", "message"), MODEL_AND_RULE_STUBS,
                         ids=[case[1] for case in MODEL_AND_RULE_STUBS])
def test_model_and_update_rule_stubs_still_validate_their_arguments(relative, name, valid_args, invalid_args,
                                                                      message):
    stub = getattr(_stub(relative), name)
    with pytest.raises(NotImplementedError):
        stub(*valid_args)
    with pytest.raises(ValueError, match=message):
        stub(*invalid_args)


def test_model_loss_stubs_still_validate_the_labels():
    two_layer_net = _stub("classifiers/fc_net.py").TwoLayerNet
    net = two_layer_net.__new__(two_layer_net)  # the stub's __init__ raises before it sets anything
    net.num_classes = 3
    with pytest.raises(ValueError, match=r"TwoLayerNet.loss: labels in y must lie in \[0, 3\), got min 0 and max 5"):
        net.loss(np.zeros((2, 4)), np.array([0, 5]))
    with pytest.raises(NotImplementedError):
        net.loss(np.zeros((2, 4)), np.array([0, 2]))


def private_imports(modules):
    """[(module, private name, student module)] for every private name a module takes from a module with solution
    regions, by `from student import _name`, or as `student._name` after importing the student module."""
    students = {name for name, path in modules.items() if _has_regions(path)}
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + [base]).strip(".")
                for alias in node.names:
                    if f"{base}.{alias.name}" in students:
                        aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                    elif base in students and alias.name.startswith("_"):
                        found.append((name, alias.name, base))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in students and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                if isinstance(node.value, ast.Name) and node.value.id in aliases:
                    found.append((name, node.attr, aliases[node.value.id]))
    return found


def test_no_course_lib_module_takes_a_private_name_from_a_module_students_edit():
    assert private_imports(_modules(LIBRARY)) == []


def test_the_private_import_finder_catches_both_spellings(tmp_path):
    package = tmp_path / "lib"
    (package / "layers").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers" / "__init__.py").write_text("")
    (package / "layers" / "conv.py").write_text(
        "def _shape(x):\n    return x\n\n\ndef f(x):\n    # TODO [layers.f]: Do it.\n"
        "    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n")
    (package / "fast.py").write_text("from lib.layers.conv import _shape\nfrom lib.layers import conv as c\n"
                                     "y = c._shape(1)\nz = c.f(1)\n")
    assert sorted(private_imports(_modules(package))) == [("lib.fast", "_shape", "lib.layers.conv")] * 2
