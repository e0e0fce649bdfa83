"""The four source notebooks: nbgrader metadata in step with the check registry, accuracy targets stated for both
datasets, display cells that read existing stored values, and a real kernel that runs each notebook top to bottom
with the reference solutions, plots included, every graded cell passing, in under 3 minutes."""
import ast
import re

import pytest

from autograde.checks import spec
from autograde.checks.expected import load_expected

NOTEBOOK_NAMES = spec.NOTEBOOKS
# Notebook-only graded cells and their points; their grade_id is nb-<Notebook>-<what> (architecture.md).
NOTEBOOK_CHECKS = {
    "FullyConnectedNets": {
        "nb-FullyConnectedNets-two_layer_solver": 2,
        "nb-FullyConnectedNets-overfit_three_layer": 2,
        "nb-FullyConnectedNets-overfit_five_layer": 2,
        "nb-FullyConnectedNets-best_model": 4,
    },
    "BatchNormalization": {"nb-BatchNormalization-deep_net_with_batchnorm": 2},
    "Dropout": {},
    "ConvolutionalNetworks": {
        "nb-ConvolutionalNetworks-image_filters": 2,
        "nb-ConvolutionalNetworks-overfit_small_data": 2,
        "nb-ConvolutionalNetworks-trained_val_accuracy": 3,
    },
}
# Cells that state an accuracy target per dataset (grade_id <prefix>-...-targets): grade_id -> the name of the dict
# of targets it defines.
TARGET_CELLS = {
    "FullyConnectedNets": {"fc-two-layer-targets": "TWO_LAYER_TARGETS", "fc-best-model-targets": "BEST_MODEL_TARGETS"},
    "BatchNormalization": {"bn-deep-net-targets": "DEEP_BATCHNORM_TARGETS"},
    "Dropout": {},
    "ConvolutionalNetworks": {"conv-overfit-targets": "OVERFIT_TARGETS", "conv-train-targets": "CONV_NET_TARGETS"},
}
DATASET_NAMES = {"CIFAR-10", "scikit-learn digits"}
# The ids of the code cells nbgrader does not read are <prefix>-code-NN.
CELL_ID_PREFIXES = {"FullyConnectedNets": "fc", "BatchNormalization": "bn", "Dropout": "dropout",
                    "ConvolutionalNetworks": "conv"}
MIN_IMAGES = {"FullyConnectedNets": 5, "BatchNormalization": 4, "Dropout": 1, "ConvolutionalNetworks": 4}
MIN_INLINE_QUESTIONS = {"FullyConnectedNets": 3, "BatchNormalization": 4, "Dropout": 3, "ConvolutionalNetworks": 3}
# Code cells the student completes in the notebook itself: training runs and their hyperparameters
# (FullyConnectedNets), the image filters of the convolution demo (ConvolutionalNetworks).
CODE_SOLUTION_CELLS = {"FullyConnectedNets": 4, "BatchNormalization": 0, "Dropout": 0, "ConvolutionalNetworks": 1}
# stored_value(...) calls the display cells make at the least; Dropout's displays print no stored values.
MIN_STORED_VALUE_CALLS = {"FullyConnectedNets": 10, "BatchNormalization": 10, "Dropout": 0,
                          "ConvolutionalNetworks": 10}
NOTEBOOKS_WITH_STORED_VALUES = tuple(name for name in NOTEBOOK_NAMES if MIN_STORED_VALUE_CALLS[name])
EXPECTATION_TABLES = {"NOTEBOOK_CHECKS": NOTEBOOK_CHECKS, "TARGET_CELLS": TARGET_CELLS,
                      "CELL_ID_PREFIXES": CELL_ID_PREFIXES, "MIN_IMAGES": MIN_IMAGES,
                      "MIN_INLINE_QUESTIONS": MIN_INLINE_QUESTIONS, "CODE_SOLUTION_CELLS": CODE_SOLUTION_CELLS,
                      "MIN_STORED_VALUE_CALLS": MIN_STORED_VALUE_CALLS}
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
STORED_VALUE_CALL = re.compile(r'stored_value\(\s*(\w+|"[^"]+")\s*,\s*([^)]*)\)')

every_notebook = pytest.mark.parametrize("notebook_name", NOTEBOOK_NAMES)


@pytest.mark.parametrize("table", EXPECTATION_TABLES)
def test_every_expectation_table_has_one_row_per_notebook_of_the_registry(table):
    assert sorted(EXPECTATION_TABLES[table]) == sorted(NOTEBOOK_NAMES)


@every_notebook
def test_every_grade_cell_has_positive_points_and_a_unique_well_formed_grade_id(source_notebook):
    nbgrader = source_notebook.nbgrader
    grade_ids = [nbgrader(cell)["grade_id"] for cell in source_notebook.cells if nbgrader(cell)]
    assert len(grade_ids) == len(set(grade_ids)), sorted({i for i in grade_ids if grade_ids.count(i) > 1})
    for cell in source_notebook.grade_cells():
        assert nbgrader(cell)["points"] > 0, nbgrader(cell)["grade_id"]
    for cell in source_notebook.cells:
        if nbgrader(cell):
            assert re.fullmatch(r"[A-Za-z0-9_-]+", nbgrader(cell)["grade_id"]), nbgrader(cell)["grade_id"]
            assert nbgrader(cell)["schema_version"] == 3


@every_notebook
def test_cell_ids_are_the_grade_ids_or_numbered_code_ids(source_notebook, notebook_name):
    prefix = CELL_ID_PREFIXES[notebook_name]
    for cell in source_notebook.cells:
        expected = source_notebook.nbgrader(cell).get("grade_id")
        if expected is None:
            assert cell.cell_type == "code" and re.fullmatch(rf"{prefix}-code-\d\d", cell.id), cell.id
        else:
            assert cell.id == expected


@every_notebook
def test_every_library_task_of_the_notebook_has_one_test_cell_worth_its_registry_points(source_notebook,
                                                                                       notebook_name):
    nbgrader = source_notebook.nbgrader
    cells = source_notebook.library_test_cells()
    assert sorted(cells) == sorted(spec.tasks(notebook_name))
    for task, cell in cells.items():
        assert nbgrader(cell)["grade_id"] == spec.grade_id_for(task)
        assert nbgrader(cell)["points"] == spec.task_points(task, hidden=True), task
        assert nbgrader(cell)["locked"] and not nbgrader(cell)["solution"]


@every_notebook
def test_library_test_cells_run_the_public_check_then_a_hidden_block(source_notebook):
    for task, cell in source_notebook.library_test_cells().items():
        assert cell.source.splitlines() == [
            f'check("{task}")', HIDDEN_BEGIN, f'check("{task}", hidden=True)', HIDDEN_END,
        ]


@every_notebook
def test_hidden_and_solution_markers_are_paired_and_only_where_nbgrader_reads_them(source_notebook):
    for cell in source_notebook.cells:
        meta = source_notebook.nbgrader(cell)
        lines = [line.strip() for line in cell.source.splitlines()]
        for begin, end, allowed in ((HIDDEN_BEGIN, HIDDEN_END, meta.get("grade") and cell.cell_type == "code"),
                                    (SOLUTION_BEGIN, SOLUTION_END, meta.get("solution"))):
            markers = [line for line in lines if line in (begin, end)]
            if allowed:
                assert markers == [begin, end] * (len(markers) // 2), (meta["grade_id"], markers)
            else:
                assert markers == [], (meta.get("grade_id"), markers)


@every_notebook
def test_notebook_only_checks_are_locked_code_asserts_with_their_points(source_notebook, notebook_name):
    nbgrader = source_notebook.nbgrader
    checks = source_notebook.notebook_only_checks()
    assert {grade_id: nbgrader(cell)["points"] for grade_id, cell in checks.items()} == NOTEBOOK_CHECKS[notebook_name]
    for cell in checks.values():
        assert cell.cell_type == "code" and nbgrader(cell)["locked"] and "assert " in cell.source


@every_notebook
def test_accuracy_targets_are_stated_in_locked_cells_for_both_datasets(source_notebook, notebook_name):
    cells = {source_notebook.nbgrader(cell).get("grade_id"): cell for cell in source_notebook.cells}
    assert {grade_id for grade_id in cells if grade_id and grade_id.endswith("-targets")} == set(
        TARGET_CELLS[notebook_name])
    for grade_id, variable in TARGET_CELLS[notebook_name].items():
        cell = cells[grade_id]
        assert source_notebook.nbgrader(cell)["locked"] and not source_notebook.nbgrader(cell)["grade"]
        assignment = next(node for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                          and node.targets[0].id == variable)
        targets = ast.literal_eval(assignment.value)
        assert set(targets) == DATASET_NAMES and all(0 < value < 1 for value in targets.values()), targets


@every_notebook
def test_code_solution_cells_hold_one_marked_region_after_a_todo_line(source_notebook, notebook_name):
    nbgrader = source_notebook.nbgrader
    solution_cells = [cell for cell in source_notebook.cells if nbgrader(cell).get("solution")
                      and cell.cell_type == "code"]
    assert len(solution_cells) == CODE_SOLUTION_CELLS[notebook_name]
    for cell in solution_cells:
        lines = cell.source.splitlines()
        begin = lines.index(SOLUTION_BEGIN)
        assert lines.count(SOLUTION_BEGIN) == 1 and lines.count(SOLUTION_END) == 1
        assert lines[begin - 1].startswith("# TODO: "), nbgrader(cell)["grade_id"]
        assert not nbgrader(cell)["grade"] and not nbgrader(cell)["locked"]


@every_notebook
def test_inline_questions_are_locked_and_state_their_points_and_answers_are_hand_graded_markdown(source_notebook,
                                                                                                 notebook_name):
    nbgrader = source_notebook.nbgrader
    cells = source_notebook.cells
    answers = [cell for cell in cells if cell.cell_type == "markdown" and nbgrader(cell).get("solution")]
    assert len(answers) >= MIN_INLINE_QUESTIONS[notebook_name]
    for cell in answers:
        meta = nbgrader(cell)
        assert meta["grade"] and meta["points"] in (1, 2) and not meta["locked"]
        question = cells[cells.index(cell) - 1]
        assert question.cell_type == "markdown" and nbgrader(question)["locked"]
        assert f"({meta['points']} point" in question.source and "Inline question" in question.source
    for cell in cells:
        if cell.cell_type == "markdown" and not nbgrader(cell).get("solution"):
            assert nbgrader(cell).get("locked"), cell.source[:80]


@every_notebook
def test_display_cells_read_stored_values_that_exist_for_the_notebooks_own_checks(source_notebook, notebook_name):
    stored = load_expected(hidden=False)
    own_tasks = set(spec.tasks(notebook_name))
    calls = 0
    for cell in source_notebook.cells:
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
    assert calls >= MIN_STORED_VALUE_CALLS[notebook_name]


@pytest.mark.slow
@every_notebook
def test_notebook_runs_top_to_bottom_without_error_in_under_3_minutes(executed_notebook, notebook_name):
    assert executed_notebook.notebook.errors() == []
    assert executed_notebook.seconds < executed_notebook.time_limit_s, (
        f"{notebook_name} took {executed_notebook.seconds:.0f} s")


@pytest.mark.slow
@every_notebook
def test_notebook_renders_its_plots_as_png(executed_notebook, notebook_name):
    assert len(executed_notebook.notebook.png_outputs()) >= MIN_IMAGES[notebook_name]


@pytest.mark.slow
@every_notebook
def test_every_graded_cell_passes_without_writing_to_stderr(executed_notebook, notebook_name):
    notebook = executed_notebook.notebook
    graded = [cell for cell in notebook.grade_cells() if cell.cell_type == "code"]
    assert graded and len(graded) == len(spec.tasks(notebook_name)) + len(NOTEBOOK_CHECKS[notebook_name])
    for cell in graded:
        kinds = [(output.output_type, output.get("name")) for output in cell.outputs]
        assert ("error", None) not in kinds and ("stream", "stderr") not in kinds, (cell.id, cell.outputs)
        printed = notebook.printed(cell)
        grade_id = notebook.nbgrader(cell)["grade_id"]
        if grade_id.startswith("nb-"):
            assert printed.strip(), f"{grade_id} printed nothing: its closing message never ran"
        else:
            task = spec.task_for_grade_id(grade_id)
            assert "FAIL" not in printed and printed.count("PASS") >= len(spec.checks_for(task, hidden=True)), printed


@pytest.mark.slow
@pytest.mark.parametrize("notebook_name", NOTEBOOKS_WITH_STORED_VALUES)
def test_display_cells_match_the_stored_values_they_print(executed_notebook):
    differences = []
    for cell in executed_notebook.notebook.cells:
        if cell.cell_type != "code" or "stored_value(" not in cell.source:
            continue
        for line in executed_notebook.notebook.printed(cell).splitlines():
            if line.startswith("difference"):
                differences.extend(float(value) for value in re.findall(r"\d\.\d+(?:e-?\d+)?", line))
    assert differences and max(differences) < 1e-5, differences
