"""The demo's planted bugs must still apply to the reference, and the submissions must differ as described."""
import json
from pathlib import Path

import pytest

from autograde.demo import submissions
from autograde.demo.submissions import BUGS, HOSTILE_LOOP, DemoError, fill_solutions, make_submissions

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", sorted(BUGS))
def test_each_planted_bug_occurs_exactly_once_in_the_reference(name):
    relative, old, _new, _description = BUGS[name]
    assert (REPO / "course_lib" / relative).read_text().count(old) == 1


def test_the_hostile_loop_anchor_occurs_exactly_once_in_the_reference():
    relative, old, _new = HOSTILE_LOOP
    assert (REPO / "course_lib" / relative).read_text().count(old) == 1


def test_planting_a_bug_whose_text_is_gone_is_refused_with_the_file_named(tmp_path):
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "pooling.py").write_text("nothing to see\n")
    with pytest.raises(DemoError, match="pooling.py"):
        submissions._edit(tmp_path, "layers/pooling.py", "dx[...] += routed", "dx[...] = routed")


def _notebook(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _cell(grade_id, source, solution=True):
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
            "metadata": {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": False, "locked": False}}}


def test_fill_solutions_copies_solution_cells_by_grade_id_and_leaves_other_cells(tmp_path):
    source = tmp_path / "source.ipynb"
    student = tmp_path / "student.ipynb"
    source.write_text(json.dumps(_notebook([_cell("a", "x = 1"), _cell("t", "check()", solution=False)])))
    student.write_text(json.dumps(_notebook([_cell("a", "raise NotImplementedError()"),
                                              _cell("t", "check()  # student copy", solution=False)])))
    fill_solutions(student, source)
    cells = json.loads(student.read_text())["cells"]
    assert cells[0]["source"] == "x = 1"
    assert cells[1]["source"] == "check()  # student copy"


def test_make_submissions_builds_every_sample_with_its_bug(tmp_path):
    release = tmp_path / "release"
    (release / "course_lib").mkdir(parents=True)
    (release / "course_lib" / "stub.py").write_text("raise NotImplementedError\n")
    shown = make_submissions(release, tmp_path / "subs", REPO)
    assert set(shown) == {"reference", "untouched", "hostile", *BUGS}
    subs = tmp_path / "subs"
    assert (subs / "untouched" / "course_lib" / "stub.py").exists()
    assert not (subs / "reference" / "course_lib" / "stub.py").exists()
    assert (subs / "reference" / "course_lib" / "layers" / "pooling.py").read_text() == \
        (REPO / "course_lib" / "layers" / "pooling.py").read_text()
    pooling = (subs / "pool_overwrites_gradient" / "course_lib" / "layers" / "pooling.py").read_text()
    assert BUGS["pool_overwrites_gradient"][2] in pooling
    assert (subs / "softmax_without_shift.zip").is_file() and not (subs / "softmax_without_shift").exists()
    assert "while True" in (subs / "hostile" / "course_lib" / "layers" / "losses.py").read_text()
