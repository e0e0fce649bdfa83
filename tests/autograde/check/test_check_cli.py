"""`python -m autograde check [TASK ...] [--list] [--timeout S]` in a release folder: a table with the public points
and the points still to come from hidden checks, short names, did-you-mean, a time limit per check, exit 0/1/2."""
import argparse
import shutil
from pathlib import Path

import pytest

from autograde.check import cli

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


def run_cli(*argv):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return cli.main(parser.parse_args(list(argv)))


@pytest.fixture
def assignment_folder(tmp_path, monkeypatch):
    shutil.copytree(REFERENCE, tmp_path / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(folder, relative, old, new):
    path = folder / "course_lib" / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_all_public_checks_pass_on_a_correct_copy(assignment_folder, capsys):
    assert run_cli() == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "PASS     layers.affine_forward.notebook_case" in out
    assert "other_values" not in out


def test_the_summary_shows_public_points_and_the_points_hidden_checks_add(assignment_folder, capsys):
    assert run_cli("layers.affine_forward") == 0
    assert capsys.readouterr().out.strip().endswith(
        "2 of 2 checks pass; public checks: 2/2 points; 1 more point comes from hidden checks when your work is "
        "graded")


def test_a_failing_check_exits_1_and_prints_message_and_hint(assignment_folder, capsys):
    edit(assignment_folder, "layers/pooling.py", "window.max(axis=(2, 3))", "window.min(axis=(2, 3))")
    assert run_cli("layers.max_pool_forward_naive", "layers.relu_forward") == 1
    out = capsys.readouterr().out
    assert "FAIL     layers.max_pool_forward_naive.notebook_case" in out
    assert "Hint: take the maximum of each pool_height x pool_width window" in out
    assert "PASS     layers.relu_forward.notebook_case" in out
    assert "layers.max_pool_forward_naive: public checks: 0/3 points; 1 more point comes" in out


def test_a_notebook_name_selects_its_tasks(assignment_folder, capsys):
    assert run_cli("Dropout") == 0
    out = capsys.readouterr().out
    assert "fc_net.FullyConnectedNet_dropout.gradient_check" in out and "layers.affine_forward" not in out


@pytest.mark.parametrize("name, tasks", [
    ("dropout", ["layers.dropout_forward", "layers.dropout_backward"]),
    ("AFFINE_FORWARD", ["layers.affine_forward"]),
    ("layers.conv", ["layers.conv_forward_naive", "layers.conv_backward_naive"]),
    ("batchnormalization", ["layers.batchnorm_forward", "layers.batchnorm_backward", "layers.batchnorm_backward_alt",
                            "layers.layernorm_forward", "layers.layernorm_backward",
                            "fc_net.FullyConnectedNet_normalization"]),
])
def test_short_and_case_insensitive_names_select_their_tasks(assignment_folder, capsys, name, tasks):
    assert run_cli("--list", name) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert listed == tasks


def test_an_unknown_task_exits_2_suggesting_the_closest_names(assignment_folder, capsys):
    assert run_cli("layers.afine_forward") == 2
    err = capsys.readouterr().err
    assert "unknown task 'layers.afine_forward'; did you mean 'layers.affine_forward'" in err


def test_no_course_lib_in_the_folder_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_cli("layers.affine_forward") == 2
    assert "no course_lib package" in capsys.readouterr().err


def test_list_shows_tasks_with_points_and_public_checks(assignment_folder, capsys):
    assert run_cli("--list", "cnn.ThreeLayerConvNet") == 0
    out = capsys.readouterr().out
    assert out.startswith("cnn.ThreeLayerConvNet  [ConvolutionalNetworks, 6 points]")
    assert "cnn.ThreeLayerConvNet.loss_and_grads  2 pt" in out


def test_a_check_that_loops_ignoring_ctrl_c_times_out_and_the_next_checks_still_run(assignment_folder, capsys):
    edit(assignment_folder, "layers/affine.py", "    out = np.maximum(x, 0)\n",
         "    import signal\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass\n")
    assert run_cli("layers.relu_forward.notebook_case", "layers.affine_forward", "--timeout", "1") == 1
    out = capsys.readouterr().out
    assert "TIMEOUT  layers.relu_forward.notebook_case" in out
    assert "did not finish within 1 s and was stopped" in out
    assert "PASS     layers.affine_forward.notebook_case" in out


def test_a_check_that_exits_the_process_is_an_error_and_the_next_checks_still_run(assignment_folder, capsys):
    edit(assignment_folder, "layers/affine.py", "    out = np.maximum(x, 0)\n", "    import os\n    os._exit(3)\n")
    assert run_cli("relu_forward", "affine_forward") == 1
    out = capsys.readouterr().out
    assert "ERROR    layers.relu_forward.notebook_case" in out and "exit code 3" in out
    assert "PASS     layers.affine_forward.notebook_case" in out


def test_a_negative_timeout_is_a_usage_error(assignment_folder, capsys):
    assert run_cli("relu_forward", "--timeout", "-1") == 2
    assert "--timeout must be a positive number" in capsys.readouterr().err
