"""Copies of the reference course_lib with some functions or classes replaced: by other correct solutions, by
mutants, or by stubs. Each copy is loaded with load_lib and judged with the stored expected values, as the
grader does."""
import ast
import shutil
from pathlib import Path

from autograde.check.runner import run_checks
from autograde.checks import load, spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def copy_reference(tmp_path):
    root = tmp_path / "course_lib"
    shutil.copytree(REFERENCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _definitions(lines):
    """{name: (first line, last line)} (1-based, decorators included) of the top-level functions and classes."""
    spans = {}
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            spans[node.name] = (first, node.end_lineno)
    return spans


def replace_definitions(root, relative, source):
    """Replace, in root/relative, every top-level function or class that `source` defines by its definition in
    `source`; the lines of `source` before its first definition (imports) go before the first one replaced."""
    path = root / relative
    lines = path.read_text().splitlines()
    source_lines = source.strip("\n").splitlines()
    old, new = _definitions(lines), _definitions(source_lines)
    missing = sorted(set(new) - set(old))
    assert not missing, f"{relative} defines no {missing}"
    preamble = source_lines[:min(first for first, _ in new.values()) - 1]
    earliest = min(old[name][0] for name in new)
    for name in sorted(new, key=lambda name: old[name][0], reverse=True):
        (first, last), (new_first, new_last) = old[name], new[name]
        lines[first - 1:last] = source_lines[new_first - 1:new_last]
    lines[earliest - 1:earliest - 1] = preamble
    path.write_text("\n".join(lines) + "\n")


def stub_definition(root, relative, name, task):
    """Replace every solution region inside the top-level function or class `name` of root/relative by a raise."""
    path = root / relative
    lines = path.read_text().splitlines()
    first, last = _definitions(lines)[name]
    region = [index for index in range(first - 1, last) if lines[index].strip() in (BEGIN, END)]
    assert region, f"{relative}: {name} has no solution region"
    for begin, end in reversed(list(zip(region[::2], region[1::2]))):
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        lines[begin:end + 1] = [f'{indent}raise NotImplementedError("{task}: stubbed by the test")']
    path.write_text("\n".join(lines) + "\n")


def course_lib_with(tmp_path, *sources):
    """A copy of the reference with each of `sources` ({relative file: source}) applied in turn; its Lib."""
    root = copy_reference(tmp_path)
    for replacements in sources:
        for relative, source in replacements.items():
            replace_definitions(root, relative, source)
    return load.load_lib(root)


def failing_checks(lib):
    """{check id: message} of every check (public and hidden) the lib does not pass."""
    return {result.id: result.message for result in run_checks(spec.all_checks(hidden=True), lib)
            if not result.passed}
