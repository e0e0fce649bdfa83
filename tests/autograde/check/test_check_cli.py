"""`python -m autograde check [TASK ...] [--list]` in a release folder: a table, exit 0 / 1 / 2."""
import shutil
from pathlib import Path

import pytest

from autograde.__main__ import main

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


@pytest.fixture
def assignment_folder(tmp_path, monkeypatch):
    shutil.copytree(REFERENCE, tmp_path / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_all_public_checks_pass_on_a_correct_copy(assignment_folder, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "PASS  layers.affine_forward.notebook_case" in out
    assert "hidden" not in out and "inputs_unmodified" not in out


def test_a_failing_check_exits_1_and_prints_message_and_hint(assignment_folder, capsys):
    pooling = assignment_folder / "course_lib" / "layers" / "pooling.py"
    pooling.write_text(pooling.read_text().replace("window.max(axis=(2, 3))", "window.min(axis=(2, 3))"))
    assert main(["check", "layers.max_pool_forward_naive", "layers.relu_forward"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  layers.max_pool_forward_naive.notebook_case" in out
    assert "Hint: take the maximum of each pool_height x pool_width window" in out
    assert "PASS  layers.relu_forward.notebook_case" in out
    assert "1 of 2 checks pass" in out


def test_a_notebook_name_selects_its_tasks(assignment_folder, capsys):
    assert main(["check", "Dropout"]) == 0
    out = capsys.readouterr().out
    assert "layers.dropout_forward" in out and "layers.affine_forward" not in out


def test_an_unknown_task_exits_2_listing_the_known_tasks(assignment_folder, capsys):
    assert main(["check", "layers.conv_forward"]) == 2
    err = capsys.readouterr().err
    assert "unknown task 'layers.conv_forward'" in err and "layers.conv_forward_naive" in err


def test_no_course_lib_in_the_folder_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "layers.affine_forward"]) == 2
    assert "no course_lib package" in capsys.readouterr().err


def test_list_shows_tasks_with_points_and_public_checks(assignment_folder, capsys):
    assert main(["check", "--list", "cnn.ThreeLayerConvNet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cnn.ThreeLayerConvNet  [ConvolutionalNetworks, 4 points]")
    assert "cnn.ThreeLayerConvNet.loss_and_grads  2 pt" in out
