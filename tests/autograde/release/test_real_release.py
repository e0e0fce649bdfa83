"""The release of this project's real course_lib and notebooks: every stub names its function, nothing leaks, the
student copy imports its own stubs, the public checks run, and the notebooks fail only at the TODOs (slow)."""
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograde.checks import spec
from autograde.paths import PROJECT_ROOT
from autograde.release import release, scan_release
from autograde.release.scan import registry_check_ids
from autograde.release.strip import find_regions, is_ignored, read_source, split_lines, strip_source
from release_fixtures import STUB_IMPORT, run_stub_in_release

ROOT = PROJECT_ROOT
REFERENCE_FILES = sorted(
    path for path in (ROOT / "course_lib").rglob("*.py") if not is_ignored(path.relative_to(ROOT))
)
SOURCE_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
STUDENT_TOP_LEVEL = {"course_lib", "autograde", "datasets", "environment.yml", "README.md"}


def _stub_messages(student_source):
    """{qualified function name: [messages of its `raise NotImplementedError(...)`]} of a stub module."""
    messages = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                for statement in ast.walk(child):
                    if (isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call)
                            and getattr(statement.exc.func, "id", "") == "NotImplementedError"
                            and _owner(child, statement) is child):
                        messages.setdefault(name, []).append(statement.exc.args[0].value)
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(student_source), "")
    return messages


def _owner(function, statement):
    """The innermost function of `function`'s tree that contains `statement`."""
    for child in ast.walk(function):
        if child is not function and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if statement in list(ast.walk(child)):
                return child
    return function


def _task_id(relative, qualified_name):
    """The task id a stub in `relative` (course_lib/...) must name: `layers.<function>` for the layer modules,
    `<module>.<function or class>` for the others (classifiers' modules without the package)."""
    module = Path(relative).relative_to("course_lib").with_suffix("").parts
    module = "layers" if module[0] == "layers" else module[-1]
    return f"{module}.{qualified_name.split('.')[0]}"


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_solution_region_becomes_a_stub_that_names_its_task(path):
    relative = path.relative_to(ROOT).as_posix()
    source = read_source(path)
    regions = [region for region in find_regions(split_lines(source), relative) if region.kind == "solution"]
    messages = _stub_messages(strip_source(source, relative))
    assert sum(len(found) for found in messages.values()) == len(regions)
    for name, found in messages.items():
        task = _task_id(relative, name)
        assert task in spec.TASKS, (relative, name, task)
        for message in found:
            assert message.startswith(f"{task}: ") and len(message) > len(task) + 2, (name, message)


def test_the_reference_library_has_solution_regions_to_strip():
    regions = sum(
        len(find_regions(split_lines(read_source(path)), path.name)) for path in REFERENCE_FILES
    )
    assert regions >= 30


@pytest.fixture(scope="module")
def real_release(tmp_path_factory):
    """This project released into a scratch folder (with the nbgrader step when notebooks/ has notebooks)."""
    base = tmp_path_factory.mktemp("real_release")
    return release(out=base / "release", course_dir=base / "course", notebooks=bool(SOURCE_NOTEBOOKS))


@pytest.mark.slow
def test_real_release_has_the_student_layout(real_release):
    top_level = {path.name for path in real_release.iterdir()}
    assert top_level == STUDENT_TOP_LEVEL | {path.name for path in SOURCE_NOTEBOOKS}
    reference = sorted(path.relative_to(ROOT / "course_lib").as_posix() for path in REFERENCE_FILES)
    student = sorted(path.relative_to(real_release / "course_lib").as_posix()
                     for path in (real_release / "course_lib").rglob("*.py"))
    assert student == reference
    assert not list(real_release.rglob("__pycache__")) and not list(real_release.rglob(".ipynb_checkpoints"))
    assert not (real_release / "autograde" / "checks" / "hidden").exists()
    assert not (real_release / "autograde" / "expected" / "hidden.npz").exists()


@pytest.mark.slow
def test_real_release_contains_no_solution_text(real_release):
    assert [str(leak) for leak in scan_release(real_release, root=ROOT)] == []


@pytest.mark.slow
def test_real_release_public_expected_values_hold_public_checks_only(real_release):
    public_ids, hidden_ids = registry_check_ids()
    with np.load(real_release / "autograde" / "expected" / "public.npz", allow_pickle=False) as archive:
        check_ids = {key.rsplit("/", 1)[0] for key in archive.files}
    assert check_ids and check_ids <= public_ids
    assert not check_ids & hidden_ids


@pytest.mark.slow
def test_real_release_imports_its_own_stub_library_not_the_reference(real_release):
    result = run_stub_in_release(real_release, STUB_IMPORT)
    assert Path(result.stdout.strip()).is_relative_to(real_release / "course_lib")
    assert result.stderr.strip().splitlines()[-1].startswith("NotImplementedError: layers.relu_forward: ")


@pytest.mark.slow
def test_public_checks_run_in_the_real_release_and_fail_at_the_todos(real_release):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "autograde", "check"], cwd=real_release, env=env,
                            capture_output=True, text=True, timeout=300)
    lines = result.stdout.splitlines()
    verdicts = [index for index, line in enumerate(lines) if line.startswith(("PASS", "FAIL", "ERROR", "TIMEOUT"))]
    assert result.returncode != 0 and verdicts
    for index in verdicts:
        # A stub raises: every check is an error at its TODO, and says so.
        assert lines[index].startswith("ERROR") and "not implemented yet" in lines[index + 1], lines[index:index + 2]


def _caused_by_a_stub(output):
    text = output.get("evalue", "") + "\n".join(output.get("traceback", []))
    if output.get("ename") == "NotImplementedError":
        return True
    return output.get("ename") == "AssertionError" and ("NotImplementedError" in text or "not implemented" in text)


@pytest.mark.slow
@pytest.mark.parametrize("name", [path.name for path in SOURCE_NOTEBOOKS] or ["<none>"])
def test_release_notebook_runs_top_to_bottom_failing_only_at_the_todos(real_release, name):
    if not SOURCE_NOTEBOOKS:
        pytest.skip("notebooks/ holds no source notebook yet")
    from nbclient import NotebookClient

    notebook = nbformat.read(real_release / name, as_version=4)
    headless = {"OPENBLAS_NUM_THREADS": "1", "COURSE_STATIC_WIDGETS": "1"}  # as the grader runs kernels
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(real_release)}}).execute(env={**os.environ, **headless})
    errors = [
        (number, output)
        for number, cell in enumerate(notebook.cells, start=1) if cell.cell_type == "code"
        for output in cell.get("outputs", []) if output.get("output_type") == "error"
    ]
    assert errors, f"{name}: no cell failed, but the release's TODOs are not filled in"
    unexpected = [f"cell {number}: {output['ename']}: {output['evalue'][:300]}"
                  for number, output in errors if not _caused_by_a_stub(output)]
    assert unexpected == [], json.dumps(unexpected, indent=1)
