"""`check(task)` in a notebook cell: one line per check, AssertionError listing the failures, nothing on stderr."""
import shutil
from pathlib import Path

import pytest

from autograde.check import check
from autograde.checks import load, spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


def edited_lib(tmp_path, relative, old, new):
    root = tmp_path / "course_lib"
    shutil.copytree(REFERENCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    path = root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return load.load_lib(root)


def _check_ids(output):
    return [line.split()[1] for line in output.splitlines() if line.startswith(("PASS ", "FAIL "))]


def test_check_prints_a_pass_line_per_public_check_of_the_task_and_the_points(capsys):
    assert check("layers.affine_forward") is None
    lines = capsys.readouterr().out.splitlines()
    public = [item.id for item in spec.checks_for("layers.affine_forward", hidden=False)]
    assert _check_ids("\n".join(lines)) == public
    assert all(line.startswith("PASS ") for line in lines[:-1])
    points = spec.task_points("layers.affine_forward", hidden=False)
    assert lines[-1] == f"layers.affine_forward: {points}/{points} points"


def test_check_with_hidden_runs_only_the_hidden_checks(capsys):
    check("layers.relu_forward", hidden=True)
    ran = _check_ids(capsys.readouterr().out)
    hidden = [item.id for item in spec.checks_for("layers.relu_forward", hidden=True) if item.hidden]
    assert ran == hidden and "layers.relu_forward.inputs_unmodified" in ran


def test_check_without_hidden_runs_only_public_checks(capsys):
    check("layers.relu_forward")
    assert _check_ids(capsys.readouterr().out) == ["layers.relu_forward.notebook_case"]


def test_check_raises_assertion_error_naming_the_failed_check_and_hint(tmp_path, capsys):
    lib = edited_lib(tmp_path, "layers/losses.py", "shifted = x - x.max(axis=1, keepdims=True)  # (N, C)",
                     "shifted = x")
    with pytest.raises(AssertionError) as failure:
        check("layers.softmax_loss", lib=lib, hidden=True)
    message = str(failure.value)
    assert message.startswith("1 of 3 checks of layers.softmax_loss failed:")
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


def test_stored_value_returns_the_generated_public_value_and_names_what_exists_when_wrong():
    from autograde.check import stored_value
    from autograde.checks.expected import load_expected

    check_id = "layers.affine_forward.notebook_case"
    name = sorted(load_expected(hidden=False)[check_id])[0]
    assert stored_value(check_id, name).shape == load_expected(hidden=False)[check_id][name].shape
    with pytest.raises(KeyError, match="has no stored output"):
        stored_value(check_id, "no_such_output")
    with pytest.raises(KeyError, match="no stored values for check"):
        stored_value("layers.affine_forward.hidden_thing", "out")
