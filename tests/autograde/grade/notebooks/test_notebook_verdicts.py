"""What an executed test cell means, and what a submission changed in its test cells (pure, no kernel)."""
import nbformat

from autograde.grade.notebooks import verdicts

INSTRUCTOR_CELL = "check('x')\n### BEGIN HIDDEN TESTS\ncheck('x', hidden=True)\n### END HIDDEN TESTS"


def _failed_cell(source, line, evalue, ename="AssertionError"):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False, "locked": True}
    cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                           traceback=[f"\x1b[0;32mCell In[7], line {line}\x1b[0m", "..."])]
    return cell


def test_the_student_source_of_a_test_cell_has_no_hidden_tests():
    assert verdicts.student_source(INSTRUCTOR_CELL).strip() == "check('x')"


def test_failure_on_a_hidden_test_line_does_not_show_its_message():
    source = "assert x == 1, 'public'\n### BEGIN HIDDEN TESTS\nassert x * 7 == 91735, 'hidden'\n### END HIDDEN TESTS"
    hidden = verdicts.cell_verdict(_failed_cell(source, 3, "hidden 91735"), source)
    public = verdicts.cell_verdict(_failed_cell(source, 1, "public"), source)
    assert hidden == ("fail", "a hidden test of this cell failed (AssertionError)")
    assert public == ("fail", "AssertionError: public")


def test_an_error_that_is_not_an_assertion_is_an_error_with_its_message():
    cell = _failed_cell("check('x')", 1, "course_lib.ops has no attribute 'double'", ename="AttributeError")
    assert verdicts.cell_verdict(cell, "check('x')") == (
        "error", "AttributeError: course_lib.ops has no attribute 'double'")


def test_a_cell_timeout_and_a_cell_that_wrote_to_stderr_say_so():
    timed_out = _failed_cell("check('x')", 1, "", ename="CellTimeoutError")
    assert verdicts.cell_verdict(timed_out, "check('x')") == (
        "timeout", "the cell did not finish within the time limit per cell")
    noisy = nbformat.v4.new_code_cell("check('x')")
    noisy.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False}
    noisy.outputs = [nbformat.v4.new_output("stream", name="stderr", text="\x1b[31mwarning: slow\x1b[0m")]
    assert verdicts.cell_verdict(noisy, "check('x')") == (
        "error", "the cell wrote to stderr, which nbgrader scores 0: warning: slow")


def test_a_passing_cell_passes():
    cell = nbformat.v4.new_code_cell("check('x')")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False}
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="PASS\n")]
    assert verdicts.cell_verdict(cell, "check('x')") == ("pass", "")


def test_tampering_findings_ignore_unchanged_cells_and_name_each_change():
    recorded = {"t": (INSTRUCTOR_CELL, "", "code", True)}
    grade_cells = {"t": (3.0, "code", False), "answer": (2.0, "markdown", True)}
    cell = nbformat.v4.new_code_cell("check('x')")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 3}
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert verdicts.tampering_findings(notebook, recorded, grade_cells) == {}
    cell.metadata["nbgrader"]["points"] = 30
    cell.source = "print('PASS')"
    finding = verdicts.tampering_findings(notebook, recorded, grade_cells)["t"]
    assert "points were changed from 3 to 30" in finding and "code was edited" in finding


def test_a_deleted_test_cell_or_one_whose_grade_flag_and_type_changed_is_found():
    recorded = {"t": (INSTRUCTOR_CELL, "", "code", True)}
    grade_cells = {"t": (3.0, "code", False)}
    assert verdicts.tampering_findings(nbformat.v4.new_notebook(cells=[]), recorded, grade_cells) == {
        "t": "the test cell was deleted from the submission (nbgrader put it back and ran it)"}
    cell = nbformat.v4.new_markdown_cell("check('x')")
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": "t", "points": 3}
    finding = verdicts.tampering_findings(nbformat.v4.new_notebook(cells=[cell]), recorded, grade_cells)["t"]
    assert "'grade' flag was removed" in finding and "type was changed to markdown" in finding
