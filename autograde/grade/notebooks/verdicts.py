"""What an autograded notebook says about each graded cell: its verdict, and whether the submission tampered with it.

A failure raised on a hidden-test line says only that a hidden test failed: never its code or values.
"""
import re

import nbformat
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import ClearHiddenTests

from autograde.grade.notebooks.runner import MESSAGE_CHARACTERS
from autograde.markers import hidden_lines
from autograde.text import strip_ansi, trim

CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def student_source(instructor_source):
    """What a grade cell's source is in the released notebook: the instructor's without its hidden tests."""
    cell = nbformat.v4.new_code_cell(instructor_source)
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


def tampering_findings(notebook, recorded_cells, grade_max):
    """{grade_id: message} for the graded cells a submitted notebook changed: deleted, edited, points changed, type
    changed. recorded_cells: {grade_id: (source, checksum, cell_type, locked)} from the gradebook; grade_max:
    {grade_id: (max_score, cell_type, is_manual)}. nbgrader restores these cells itself; the findings tell the
    instructor."""
    submitted = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            submitted[grade_id] = cell
    findings = {}
    for grade_id, (max_score, cell_type, is_manual) in grade_max.items():
        if is_manual:
            continue
        cell = submitted.get(grade_id)
        if cell is None:
            findings[grade_id] = "the test cell was deleted from the submission (nbgrader put it back and ran it)"
            continue
        problems = []
        metadata = cell.metadata.get("nbgrader", {})
        if not metadata.get("grade", False):
            problems.append("its 'grade' flag was removed")
        try:
            points = float(metadata.get("points", 0))
        except (TypeError, ValueError):
            points = float("nan")
        if points != max_score:
            problems.append(f"its points were changed from {max_score:g} to {metadata.get('points')!r} "
                            "(the gradebook's points count)")
        if cell.cell_type != cell_type:
            problems.append(f"its type was changed to {cell.cell_type}")
        if cell.source.strip() != student_source(recorded_cells[grade_id][0]).strip():
            problems.append("its code was edited")
        if problems:
            findings[grade_id] = ("the test cell was tampered with: " + "; ".join(problems)
                                  + " (nbgrader restored the instructor's cell and graded that)")
    return findings


def cell_verdict(cell, instructor_source):
    """(outcome, message) of an executed autograder test cell: pass, fail (an assertion), timeout or error."""
    score, max_score = nbgrader_utils.determine_grade(cell)
    if score is not None and score >= max_score:
        return "pass", ""
    hidden = hidden_lines(instructor_source)
    offset = cell.source.find(instructor_source)
    offset = cell.source[:offset].count("\n") if offset > 0 else 0
    for output in cell.outputs:
        if output.output_type == "error":
            match = CELL_LINE.search(strip_ansi("\n".join(output.get("traceback", []))))
            if output.ename == "CellTimeoutError":
                return "timeout", "the cell did not finish within the time limit per cell"
            if match and int(match.group(1)) - offset in hidden:
                return ("fail" if output.ename == "AssertionError" else "error",
                        f"a hidden test of this cell failed ({output.ename})")
            if hidden and not match:
                return "error", f"the cell failed ({output.ename})"
            outcome = "fail" if output.ename == "AssertionError" else "error"
            return outcome, trim(f"{output.ename}: {strip_ansi(str(output.evalue))}", MESSAGE_CHARACTERS)
        if output.output_type == "stream" and output.name == "stderr":
            return "error", trim("the cell wrote to stderr, which nbgrader scores 0: " + strip_ansi(output.text),
                                 MESSAGE_CHARACTERS)
    return "fail", f"the cell earned {score:g} of {max_score:g} points"
