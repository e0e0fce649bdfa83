"""`check(task)` in a notebook cell: one line per check, the public points and the points hidden checks add, an
AssertionError listing the failures, nothing on stderr; `check(task, hidden=True)` runs the hidden checks where they
exist and says in one line that the grader runs them where they do not (a student's copy, the grading kernel)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograde.check import check, stored_value
from autograde.checks import load, spec
from autograde.checks.expected import load_expected

PROJECT = Path(__file__).resolve().parents[3]
REFERENCE = PROJECT / "course_lib"
# What a student's copy of autograde holds: no hidden checks, no hidden values, no generator.
STUDENT_FILES = ("autograde/__init__.py", "autograde/__main__.py", "autograde/check", "autograde/checks/__init__.py",
                 "autograde/checks/spec.py", "autograde/checks/compare.py", "autograde/checks/load.py",
                 "autograde/checks/run.py", "autograde/checks/expected.py", "autograde/checks/result.py",
                 "autograde/checks/public", "autograde/expected/public.npz", "autograde/expected/task_points.json")


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


@pytest.fixture
def student_copy(tmp_path):
    """A folder laid out like the student release: course_lib and the student subset of autograde."""
    for relative in STUDENT_FILES:
        source, target = PROJECT / relative, tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, target)
    shutil.copytree(REFERENCE, tmp_path / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def run_in(folder, code):
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(folder)})


def test_check_prints_a_pass_line_per_public_check_and_the_points_hidden_checks_add(capsys):
    assert check("layers.affine_forward") is None
    lines = capsys.readouterr().out.splitlines()
    public = [item.id for item in spec.checks_for("layers.affine_forward", hidden=False)]
    assert _check_ids("\n".join(lines)) == public
    assert all(line.startswith("PASS ") for line in lines[:-1])
    assert lines[-1] == ("layers.affine_forward: public checks: 2/2 points; 1 more point comes from hidden checks "
                         "when your work is graded")


def test_check_with_hidden_runs_only_the_hidden_checks_where_they_exist(capsys):
    check("layers.relu_forward", hidden=True)
    out = capsys.readouterr().out
    hidden = [item.id for item in spec.checks_for("layers.relu_forward", hidden=True) if item.hidden]
    assert _check_ids(out) == hidden and out.splitlines()[-1] == "layers.relu_forward: hidden checks: 1/1 points"


def test_check_without_hidden_runs_only_public_checks(capsys):
    check("layers.relu_forward")
    assert _check_ids(capsys.readouterr().out) == ["layers.relu_forward.notebook_case",
                                                   "layers.relu_forward.random_4d_inputs_unmodified"]


def test_check_raises_assertion_error_naming_the_failed_check_and_hint(tmp_path, capsys):
    lib = edited_lib(tmp_path, "layers/losses.py", "shifted = x - x.max(axis=1, keepdims=True)  # (N, C)",
                     "shifted = x")
    with pytest.raises(AssertionError) as failure:
        check("layers.softmax_loss", lib=lib)
    message = str(failure.value)
    assert message.startswith("1 of 3 checks of layers.softmax_loss failed:")
    assert "layers.softmax_loss.large_logits" in message and "subtract each row's maximum before np.exp" in message
    captured = capsys.readouterr()
    assert "FAIL layers.softmax_loss.large_logits (0/1)" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize("stub_text", ["relu_backward: pass dout through where x > 0",
                                       "layers.relu_backward: pass dout through where x > 0"])
def test_a_stub_fails_with_the_not_implemented_message_in_either_form(tmp_path, stub_text):
    lib = edited_lib(tmp_path, "layers/affine.py", "dx = dout * (x > 0)", f'raise NotImplementedError("{stub_text}")')
    with pytest.raises(AssertionError, match="relu_backward is not implemented yet: fill in the TODO in "
                                             "course_lib/layers/affine.py"):
        check("layers.relu_backward", lib=lib, hidden=False)


def test_check_of_an_unknown_task_suggests_the_closest_task():
    with pytest.raises(KeyError, match="did you mean 'layers.affine_forward'"):
        check("layers.affine_fwd")


def test_check_accepts_a_function_name_alone(capsys):
    check("svm_loss")
    assert _check_ids(capsys.readouterr().out) == [item.id for item in spec.checks_for("layers.svm_loss",
                                                                                       hidden=False)]


def test_stored_value_returns_the_generated_public_value_and_names_what_exists_when_wrong():
    check_id = "layers.affine_forward.notebook_case"
    name = sorted(load_expected(hidden=False)[check_id])[0]
    assert stored_value(check_id, name).shape == load_expected(hidden=False)[check_id][name].shape
    with pytest.raises(KeyError, match="has no stored output"):
        stored_value(check_id, "no_such_output")
    with pytest.raises(KeyError, match="no stored values for check"):
        stored_value("layers.affine_forward.hidden_thing", "out")


def test_check_with_hidden_in_a_copy_without_hidden_checks_says_the_grader_runs_them(student_copy):
    done = run_in(student_copy, "from autograde.check import check\n"
                                "check('layers.affine_forward', hidden=True)\nprint('returned')")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("layers.affine_forward: the hidden checks (1 point) are run by the grader outside the "
                           "notebook\nreturned\n")
    assert done.stderr == ""


def test_check_in_a_copy_without_hidden_checks_still_announces_their_points(student_copy):
    done = run_in(student_copy, "from autograde.check import check\ncheck('layers.conv_forward_naive')")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == ("layers.conv_forward_naive: public checks: 4/4 points; 2 more points "
                                            "come from hidden checks when your work is graded")
