"""The BatchNormalization and ConvolutionalNetworks source notebooks: nbgrader metadata in step with the check
registry, display cells that read existing stored values, and a real kernel that runs each notebook top to bottom
with the reference solutions, plots included, every graded cell passing, in under 3 minutes."""
import ast
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from autograde.checks import spec

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK_NAMES = ("BatchNormalization", "ConvolutionalNetworks")
TIME_LIMIT_S = 180
# The grader runs kernels with one BLAS thread (autograde/grade/notebooks.py), and so does this test: on a shared
# 2-core machine a multithreaded BLAS spins against the other processes and runs these small products ~20x slower.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# Notebook-only graded cells and their points; their grade_id is nb-<Notebook>-<what> (architecture.md).
NOTEBOOK_CHECKS = {
    "BatchNormalization": {"nb-BatchNormalization-deep_net_with_batchnorm": 2},
    "ConvolutionalNetworks": {
        "nb-ConvolutionalNetworks-image_filters": 2,
        "nb-ConvolutionalNetworks-overfit_small_data": 2,
        "nb-ConvolutionalNetworks-trained_val_accuracy": 3,
    },
}
# Cells that state an accuracy target per dataset: grade_id -> the name of the dict of targets it defines.
TARGET_CELLS = {
    "BatchNormalization": {"bn-deep-net-targets": "DEEP_BATCHNORM_TARGETS"},
    "ConvolutionalNetworks": {"conv-overfit-targets": "OVERFIT_TARGETS", "conv-train-targets": "CONV_NET_TARGETS"},
}
DATASET_NAMES = {"CIFAR-10", "scikit-learn digits"}
MIN_IMAGES = {"BatchNormalization": 4, "ConvolutionalNetworks": 4}
MIN_INLINE_QUESTIONS = {"BatchNormalization": 4, "ConvolutionalNetworks": 3}
# Code cells the student completes in the notebook itself (the image filters of the convolution demo).
CODE_SOLUTION_CELLS = {"BatchNormalization": 0, "ConvolutionalNetworks": 1}
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
STORED_VALUE_CALL = re.compile(r'stored_value\(\s*(\w+|"[^"]+")\s*,\s*([^)]*)\)')


def _read(name):
    return nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def _grade_cells(notebook):
    return [cell for cell in notebook.cells if _nbgrader(cell).get("grade")]


def _library_test_cells(notebook):
    """{task: cell} for the graded code cells that call check(task)."""
    return {spec.task_for_grade_id(_nbgrader(cell)["grade_id"]): cell for cell in _grade_cells(notebook)
            if cell.cell_type == "code" and not _nbgrader(cell)["grade_id"].startswith("nb-")}


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_grade_cell_has_positive_points_and_a_unique_well_formed_grade_id(name):
    notebook = _read(name)
    grade_ids = [_nbgrader(cell)["grade_id"] for cell in notebook.cells if _nbgrader(cell)]
    assert len(grade_ids) == len(set(grade_ids)), sorted({i for i in grade_ids if grade_ids.count(i) > 1})
    for cell in _grade_cells(notebook):
        assert _nbgrader(cell)["points"] > 0, _nbgrader(cell)["grade_id"]
    for cell in notebook.cells:
        if _nbgrader(cell):
            assert re.fullmatch(r"[A-Za-z0-9_-]+", _nbgrader(cell)["grade_id"]), _nbgrader(cell)["grade_id"]
            assert _nbgrader(cell)["schema_version"] == 3


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_cell_ids_are_the_grade_ids_or_numbered_code_ids(name):
    prefix = {"BatchNormalization": "bn", "ConvolutionalNetworks": "conv"}[name]
    for cell in _read(name).cells:
        expected = _nbgrader(cell).get("grade_id")
        if expected is None:
            assert cell.cell_type == "code" and re.fullmatch(rf"{prefix}-code-\d\d", cell.id), cell.id
        else:
            assert cell.id == expected


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_library_task_of_the_notebook_has_one_test_cell_worth_its_registry_points(name):
    cells = _library_test_cells(_read(name))
    assert sorted(cells) == sorted(spec.tasks(name))
    for task, cell in cells.items():
        assert _nbgrader(cell)["grade_id"] == spec.grade_id_for(task)
        assert _nbgrader(cell)["points"] == spec.task_points(task, hidden=True), task
        assert _nbgrader(cell)["locked"] and not _nbgrader(cell)["solution"]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_library_test_cells_run_the_public_check_then_a_hidden_block(name):
    for task, cell in _library_test_cells(_read(name)).items():
        assert cell.source.splitlines() == [
            f'check("{task}")', HIDDEN_BEGIN, f'check("{task}", hidden=True)', HIDDEN_END,
        ]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_hidden_and_solution_markers_are_paired_and_only_where_nbgrader_reads_them(name):
    for cell in _read(name).cells:
        meta = _nbgrader(cell)
        lines = [line.strip() for line in cell.source.splitlines()]
        for begin, end, allowed in ((HIDDEN_BEGIN, HIDDEN_END, meta.get("grade") and cell.cell_type == "code"),
                                    (SOLUTION_BEGIN, SOLUTION_END, meta.get("solution"))):
            markers = [line for line in lines if line in (begin, end)]
            if allowed:
                assert markers == [begin, end] * (len(markers) // 2), (meta["grade_id"], markers)
            else:
                assert markers == [], (meta.get("grade_id"), markers)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_only_checks_are_locked_asserts_with_their_points(name):
    checks = {_nbgrader(cell)["grade_id"]: cell for cell in _grade_cells(_read(name))
              if _nbgrader(cell)["grade_id"].startswith("nb-")}
    assert {grade_id: _nbgrader(cell)["points"] for grade_id, cell in checks.items()} == NOTEBOOK_CHECKS[name]
    for cell in checks.values():
        assert cell.cell_type == "code" and _nbgrader(cell)["locked"] and "assert " in cell.source


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_accuracy_targets_are_stated_in_locked_cells_for_both_datasets(name):
    cells = {_nbgrader(cell).get("grade_id"): cell for cell in _read(name).cells}
    for grade_id, variable in TARGET_CELLS[name].items():
        cell = cells[grade_id]
        assert _nbgrader(cell)["locked"] and not _nbgrader(cell)["grade"]
        assignment = next(node for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                          and node.targets[0].id == variable)
        targets = ast.literal_eval(assignment.value)
        assert set(targets) == DATASET_NAMES and all(0 < value < 1 for value in targets.values()), targets


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_code_solution_cells_hold_one_marked_region_after_a_todo_line(name):
    solution_cells = [cell for cell in _read(name).cells if _nbgrader(cell).get("solution")
                      and cell.cell_type == "code"]
    assert len(solution_cells) == CODE_SOLUTION_CELLS[name]
    for cell in solution_cells:
        lines = cell.source.splitlines()
        begin = lines.index(SOLUTION_BEGIN)
        assert lines.count(SOLUTION_BEGIN) == 1 and lines.count(SOLUTION_END) == 1
        assert lines[begin - 1].startswith("# TODO: "), _nbgrader(cell)["grade_id"]
        assert not _nbgrader(cell)["grade"] and not _nbgrader(cell)["locked"]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_inline_questions_are_locked_and_answers_are_hand_graded_markdown(name):
    cells = _read(name).cells
    answers = [cell for cell in cells if cell.cell_type == "markdown" and _nbgrader(cell).get("solution")]
    assert len(answers) >= MIN_INLINE_QUESTIONS[name]
    for cell in answers:
        meta = _nbgrader(cell)
        assert meta["grade"] and meta["points"] in (1, 2) and not meta["locked"]
        question = cells[cells.index(cell) - 1]
        assert question.cell_type == "markdown" and _nbgrader(question)["locked"]
        assert f"({meta['points']} point" in question.source and "Inline question" in question.source
    for cell in cells:
        if cell.cell_type == "markdown" and not _nbgrader(cell).get("solution"):
            assert _nbgrader(cell).get("locked"), cell.source[:80]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_display_cells_read_stored_values_that_exist_for_the_notebooks_own_checks(name):
    stored = spec.load_expected(hidden=False)
    own_tasks = set(spec.tasks(name))
    calls = 0
    for cell in _read(name).cells:
        for match in STORED_VALUE_CALL.finditer(cell.source):
            calls += 1
            check_id, output = match.group(1), match.group(2)
            if check_id.startswith('"'):
                check_id = check_id.strip('"')
            else:
                check_id = re.search(rf'{check_id} = "([^"]+)"', cell.source).group(1)
            assert check_id in stored, check_id
            assert check_id.rpartition(".")[0] in own_tasks, check_id
            if re.fullmatch(r'"[^"]+"', output.strip()):
                assert output.strip().strip('"') in stored[check_id], (check_id, output)
    assert calls >= 10


@pytest.fixture(scope="module")
def executed():
    """{name: (executed notebook, seconds)}, each notebook run once in a fresh python3 kernel from notebooks/."""
    return {}


def _execute(executed, name):
    if name not in executed:
        from nbclient import NotebookClient

        notebook = _read(name)
        client = NotebookClient(notebook, kernel_name="python3", timeout=TIME_LIMIT_S, allow_errors=True,
                                resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
        started = time.perf_counter()
        client.execute(env={**os.environ, **ONE_BLAS_THREAD})
        executed[name] = (notebook, time.perf_counter() - started)
        print(f"{name}: executed in {executed[name][1]:.1f} s")
    return executed[name]


def _errors(notebook):
    return [f"{cell.get('id')}: {output['ename']}: {output['evalue'][:300]}"
            for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_runs_top_to_bottom_without_error_in_under_3_minutes(executed, name):
    notebook, seconds = _execute(executed, name)
    assert _errors(notebook) == []
    assert seconds < TIME_LIMIT_S, f"{name} took {seconds:.0f} s"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_renders_its_plots_as_png(executed, name):
    notebook, _ = _execute(executed, name)
    images = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if "image/png" in output.get("data", {})]
    assert len(images) >= MIN_IMAGES[name]


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_graded_cell_passes_without_writing_to_stderr(executed, name):
    notebook, _ = _execute(executed, name)
    graded = [cell for cell in _grade_cells(notebook) if cell.cell_type == "code"]
    assert len(graded) == len(spec.tasks(name)) + len(NOTEBOOK_CHECKS[name])
    for cell in graded:
        kinds = [(output.output_type, output.get("name")) for output in cell.outputs]
        assert ("error", None) not in kinds and ("stream", "stderr") not in kinds, (cell.id, cell.outputs)
        printed = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
        grade_id = _nbgrader(cell)["grade_id"]
        if grade_id.startswith("nb-"):
            assert printed.strip(), f"{grade_id} printed nothing: its closing message never ran"
        else:
            task = spec.task_for_grade_id(grade_id)
            assert "FAIL" not in printed and printed.count("PASS") >= len(spec.checks_for(task, hidden=True)), printed


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_display_cells_match_the_stored_values_they_print(executed, name):
    notebook, _ = _execute(executed, name)
    differences = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or "stored_value(" not in cell.source:
            continue
        printed = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
        for line in printed.splitlines():
            if line.startswith("difference"):
                differences.extend(float(value) for value in re.findall(r"\d\.\d+(?:e-?\d+)?", line))
    assert differences and max(differences) < 1e-5, differences
