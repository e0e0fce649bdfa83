"""`check(task)` in a notebook cell: one line per check, AssertionError listing the failures, nothing on stderr."""
import shutil
from pathlib import Path

import pytest

from autograde.check import check
from autograde.checks import spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


def edited_lib(tmp_path, relative, old, new):
    root = tmp_path / "course_lib"
    shutil.copytree(REFERENCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    path = root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return spec.load_lib(root)


def test_check_prints_a_pass_line_per_check_of_the_task_with_the_installed_library(capsys):
    results = check("layers.affine_forward", hidden=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == [result.check_id for result in results]
    assert all(line.startswith("PASS ") for line in lines[:-1])
    assert lines[-1] == f"layers.affine_forward: {spec.task_points('layers.affine_forward', hidden=True)}/" \
                        f"{spec.task_points('layers.affine_forward', hidden=True)} points"


def test_check_uses_the_hidden_checks_when_they_are_present(capsys):
    check("layers.relu_forward")
    assert "layers.relu_forward.inputs_unmodified" in capsys.readouterr().out


def test_check_without_hidden_runs_only_public_checks(capsys):
    results = check("layers.relu_forward", hidden=False)
    assert [result.check_id for result in results] == ["layers.relu_forward.notebook_case"]


def test_check_raises_assertion_error_naming_the_failed_check_and_hint(tmp_path, capsys):
    lib = edited_lib(tmp_path, "layers/losses.py", "shifted = x - x.max(axis=1, keepdims=True)  # (N, C)",
                     "shifted = x")
    with pytest.raises(AssertionError) as failure:
        check("layers.softmax_loss", lib=lib, hidden=True)
    message = str(failure.value)
    assert message.startswith("1 of 4 checks of layers.softmax_loss failed:")
    assert "layers.softmax_loss.large_logits" in message and "subtract each row's maximum" in message
    captured = capsys.readouterr()
    assert "FAIL layers.softmax_loss.large_logits (0/1)" in captured.out
    assert captured.err == ""


def test_a_stub_fails_with_the_not_implemented_message(tmp_path, capsys):
    lib = edited_lib(tmp_path, "layers/affine.py", "dx = dout * (x > 0)",
                     'raise NotImplementedError("relu_backward: pass dout through where x > 0")')
    with pytest.raises(AssertionError, match="relu_backward is not implemented yet: fill in the TODO in "
                                             "course_lib/layers/affine.py"):
        check("layers.relu_backward", lib=lib, hidden=False)


def test_check_of_an_unknown_task_lists_the_known_ones():
    with pytest.raises(KeyError, match="known tasks: layers.affine_forward"):
        check("layers.affine_fwd")
