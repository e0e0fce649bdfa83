"""The registry, the comparison and load_lib: ids map to grade ids, comparisons judge only plain numeric arrays,
hidden messages keep expected values to themselves, and a student copy never mixes with the reference."""
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from autograde.checks import compare, load, run, spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


def copy_reference(tmp_path, name="course_lib"):
    root = tmp_path / name
    shutil.copytree(REFERENCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def a_check(hidden=False, comparison=None, stored=None):
    return spec.Check(id="layers.affine_forward.case", task="layers.affine_forward", notebook="FullyConnectedNets",
                      points=1, probe=None, compare=comparison or compare.compare_close(), hidden=hidden,
                      hint="look at the bias", case="x (2, 3)", stored=stored)


def test_grade_id_round_trips_for_every_task():
    for task in spec.tasks():
        grade_id = spec.grade_id_for(task)
        assert "." not in grade_id and spec.task_for_grade_id(grade_id) == task
    assert spec.grade_id_for("layers.affine_forward") == "layers-affine_forward"


def test_check_ids_are_task_plus_case_and_unique():
    checks = spec.all_checks(hidden=True)
    assert len({check.id for check in checks}) == len(checks)
    for check in checks:
        assert check.id.startswith(check.task + ".") and check.notebook == spec.TASKS[check.task]


def test_register_refuses_an_unknown_task():
    with pytest.raises(spec.CheckDefinitionError, match="layers.not_a_layer"):
        spec.register("layers.not_a_layer.case", hint="")


def test_task_points_sum_public_and_hidden_points():
    checks = spec.checks_for("layers.conv_forward_naive", hidden=True)
    assert spec.task_points("layers.conv_forward_naive", hidden=True) == sum(check.points for check in checks)
    assert spec.task_points("layers.conv_forward_naive", hidden=False) < sum(check.points for check in checks)


def test_rel_error_ignores_roundoff_in_near_zero_entries_but_not_real_differences():
    expected = np.array([1.0, -2.0, 1e-17])
    assert compare.rel_error(np.array([1.0, -2.0, -3e-17]), expected) < 1e-12
    assert compare.rel_error(np.array([1.0, -2.0, 1e-3]), expected) > 0.1
    assert compare.rel_error(np.array([1.0, -2.1, 0.0]), expected) == pytest.approx(0.1 / 4.1)


def test_compare_names_output_and_both_values_in_public_messages():
    ok, message = compare.evaluate(a_check(), {"out": np.array([1.0, 2.5])}, {"out": np.array([1.0, 2.0])})
    assert not ok
    assert "affine_forward [x (2, 3)]" in message and "got 2.5" in message and "expected 2" in message
    assert message.endswith("Hint: look at the bias")


def test_hidden_message_names_the_behaviour_but_no_expected_value():
    ok, message = compare.evaluate(a_check(hidden=True), {"out": np.array([1.0, 2.5])},
                                {"out": np.array([1.0, 2.0123456])})
    assert not ok and message.startswith("hidden check: affine_forward [x (2, 3)]")
    assert "2.0123" not in message and "expected" not in message.split("Hint")[0].replace("expected shape", "")


def test_nan_output_fails_with_a_clear_message():
    ok, message = compare.evaluate(a_check(), {"out": np.array([np.nan, 1.0])}, {"out": np.array([0.5, 1.0])})
    assert not ok and "out holds nan at index (0,)" in message


@pytest.mark.parametrize("value", [np.array([object(), 1], dtype=object), [1.0, 2.0], np.array(["a", "b"]),
                                   np.ma.masked_array([1.0, 2.0])])
def test_evaluate_accepts_only_plain_numeric_ndarrays(value):
    ok, message = compare.evaluate(a_check(), {"out": value}, {"out": np.array([1.0, 2.0])})
    assert not ok and "could not compare the outputs" in message


def test_evaluate_refuses_a_missing_expected_value_instead_of_passing():
    ok, message = compare.evaluate(a_check(), {"out": np.array([1.0])}, {})
    assert not ok and "no expected values are stored" in message


def test_load_lib_keeps_the_reference_and_a_student_copy_apart(tmp_path):
    student_root = copy_reference(tmp_path)
    path = student_root / "layers" / "affine.py"
    path.write_text(path.read_text().replace("out = np.maximum(x, 0)", "out = np.maximum(x, 0) + 1"))
    installed = sys.modules.get("course_lib")
    reference, student = load.load_lib(REFERENCE), load.load_lib(student_root)
    x = np.array([[-1.0, 2.0]])
    assert reference.layers.relu_forward(x)[0].tolist() == [[0.0, 2.0]]
    assert student.layers.relu_forward(x)[0].tolist() == [[1.0, 3.0]]
    # The student's fc_net imports `course_lib.layers` absolutely and still gets the student's own layers.
    assert student.fc_net.relu_forward is student.layers.relu_forward
    assert sys.modules.get("course_lib") is installed


def test_load_lib_records_an_import_error_per_module(tmp_path):
    root = copy_reference(tmp_path)
    (root / "optim.py").write_text("def broken(:\n")
    lib = load.load_lib(root)
    assert lib.layers.affine_forward is not None
    with pytest.raises(load.ModuleImportError, match=r"course_lib/optim.py failed to import: SyntaxError"):
        lib.optim.adam
    check = spec.checks_for("optim.adam.notebook_case", hidden=False)[0]
    result = run.run_check(check, lib, {"next_w": np.zeros((4, 5))})
    assert result.status == "error" and "optim.py failed to import" in result.message


def test_a_broken_layer_file_keeps_the_other_layers_and_the_models_usable(tmp_path):
    root = copy_reference(tmp_path)
    (root / "layers" / "conv.py").write_text("import numpy as np\nraise RuntimeError('half-written file')\n")
    lib = load.load_lib(root)
    assert lib.layers.affine_forward(np.ones((1, 2)), np.ones((2, 1)), np.zeros(1))[0].tolist() == [[2.0]]
    with pytest.raises(load.ModuleImportError, match="half-written file"):
        lib.layers.conv_forward_naive
    np.random.seed(0)
    scores = lib.fc_net.TwoLayerNet(input_dim=4, hidden_dim=3, num_classes=2).loss(np.ones((1, 4)))
    assert scores.shape == (1, 2)


def test_a_stub_reports_which_todo_to_fill_in(tmp_path):
    root = copy_reference(tmp_path)
    path = root / "layers" / "affine.py"
    text = path.read_text()
    begin = text.index("### BEGIN SOLUTION", text.index("def relu_forward"))
    end = text.index("### END SOLUTION", begin) + len("### END SOLUTION")
    path.write_text(text[:begin] + 'raise NotImplementedError("relu_forward: implement the ReLU forward pass")'
                    + text[end:])
    check = spec.checks_for("layers.relu_forward.notebook_case", hidden=False)[0]
    result = run.run_check(check, load.load_lib(root), {"out": np.zeros((3, 4))})
    assert result.status == "error"
    assert "relu_forward is not implemented yet: fill in the TODO in course_lib/layers/affine.py" in result.message


def test_run_probe_records_numpy_warnings_and_restores_the_random_state(capfd):
    def probe(lib):
        np.random.rand(3)
        return {"out": np.exp(np.array([1000.0]))}

    check = a_check(comparison=compare.compare_close())
    check = spec.Check(**{**check.__dict__, "probe": probe})
    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    outputs, notes = run.run_probe(check, None)
    assert np.array_equal(np.random.get_state()[1], state)
    assert notes == ["RuntimeWarning: overflow encountered in exp"]
    assert capfd.readouterr().err == ""


def test_a_scalar_returned_as_a_one_element_array_is_accepted():
    ok, _ = compare.evaluate(a_check(), {"loss": np.array([2.5])}, {"loss": np.array(2.5)})
    assert ok


def test_a_hidden_checks_error_message_keeps_only_a_short_first_line_of_the_students_text():
    from autograde.checks import spec

    hidden = next(check for check in spec.all_checks(hidden=True) if check.hidden)
    public = next(check for check in spec.all_checks(hidden=False))
    leaky = ValueError("x was " + "0.123456789 " * 50 + "\nsecond line with more of the input")
    hidden_message = run.describe_error(hidden, leaky)
    assert "second line" not in hidden_message and "[...]" in hidden_message
    assert hidden_message.count("0.123456789") < 10
    assert "second line" in run.describe_error(public, leaky)


def test_every_hidden_check_repeats_public_checks_of_its_own_task():
    checks = spec.all_checks(hidden=True)
    public_cases = {(check.task, check.id.rsplit(".", 1)[1]) for check in checks if not check.hidden}
    for check in checks:
        if check.hidden:
            assert check.repeats and {(check.task, case) for case in check.repeats} <= public_cases, check.id
        else:
            assert check.repeats == (), check.id


def test_register_refuses_a_hidden_check_that_names_no_public_case_it_repeats():
    with pytest.raises(spec.CheckDefinitionError, match="names the public cases it repeats"):
        spec.register("layers.affine_forward.surprise", hint="", hidden=True)(lambda lib: {})


def test_public_and_hidden_checks_are_split_into_the_same_family_modules_under_400_lines():
    public = {path.stem for path in (spec.CHECKS_DIR / "public").glob("[!_]*.py")}
    hidden = {path.stem for path in (spec.CHECKS_DIR / "hidden").glob("[!_]*.py")}
    assert hidden == public >= {"affine", "losses", "batchnorm", "layernorm", "dropout", "conv", "pooling"}
    for path in [*spec.CHECKS_DIR.rglob("*.py"), *(spec.CHECKS_DIR.parent / "check").rglob("*.py")]:
        assert len(path.read_text().splitlines()) < 400, path


def test_an_input_changed_in_place_is_named_with_the_call_that_changed_it():
    ok, detail = compare.compare_close()(
        {"dx": np.ones(2), "dout_after_relu_backward": np.zeros(2), "x_after_relu_backward": np.ones(2)},
        {"dx": np.ones(2), "dout_after_relu_backward": np.ones(2), "x_after_relu_backward": np.ones(2)})
    assert not ok and detail.startswith("dout was changed in place by relu_backward: build a new array")


def test_an_input_changed_through_the_cache_says_so():
    ok, detail = compare.compare_close()({"x_after_affine_backward": np.zeros((2, 3))},
                                         {"x_after_affine_backward": np.ones((2, 3))})
    assert not ok and detail.startswith("x was changed in place by affine_backward (through the cache, which holds it)")


def test_a_second_backward_call_that_differs_blames_the_cache_only_when_the_first_is_right():
    expected = {"dx": np.ones(3)}
    ok, detail = compare.compare_close()({"dx": np.ones(3), "dx_again_relu_backward": np.zeros(3)}, expected)
    assert not ok and "calling relu_backward a second time with the same cache gave another dx" in detail
    ok, detail = compare.compare_close()({"dx": np.zeros(3), "dx_again_relu_backward": np.ones(3)}, expected)
    assert not ok and "second time" not in detail


def test_a_broadcast_equal_shape_is_named_plainly():
    ok, detail = compare.compare_close()({"db": np.ones((1, 5))}, {"db": np.ones(5)})
    assert not ok and detail == "db has shape (1, 5), expected (5,): return a 1-d array, e.g. dout.sum(axis=0) " \
                                "(no keepdims=True, no [None, :])"


def test_any_layout_outputs_accept_both_documented_shapes_of_group_norm_gradients():
    comparison = compare.compare_close(any_layout=("dgamma",))
    want = {"dgamma": np.arange(1.0, 4.0).reshape(1, 3, 1, 1)}
    assert comparison({"dgamma": np.arange(1.0, 4.0)}, want)[0]
    assert not comparison({"dgamma": np.arange(2.0, 5.0)}, want)[0]


def test_float32_outputs_are_compared_at_float32_precision():
    want = np.array([1.0, 2.0], dtype=np.float32)
    assert compare.compare_close()({"out": want.astype(np.float64) * (1 + 1e-5)}, {"out": want})[0]
    assert not compare.compare_close()({"out": np.array([1.0, 2.0]) * (1 + 1e-5)}, {"out": want.astype(np.float64)})[0]


def test_a_hidden_checks_message_names_the_public_checks_of_the_same_behaviour():
    hidden = spec.checks_for("layers.max_pool_backward_naive.other_values", hidden=True)[0]
    ok, message = compare.evaluate(hidden, {"dx_overlapping": np.zeros(2), "dx_nonsquare": np.zeros(2)},
                                   {"dx_overlapping": np.ones(2), "dx_nonsquare": np.ones(2)})
    assert not ok and message.endswith("(the public checks layers.max_pool_backward_naive.gradient_case, "
                                       "layers.max_pool_backward_naive.overlapping_windows test the same behaviour)")


def test_a_stub_message_in_the_task_id_form_names_the_function_even_outside_course_lib():
    check = spec.checks_for("fc_net.TwoLayerNet.init", hidden=False)[0]
    message = run.describe_error(check, NotImplementedError("fc_net.TwoLayerNet: draw W1 then W2"))
    assert message.endswith("TwoLayerNet is not implemented yet: fill in the TODO in course_lib/classifiers/fc_net")


def test_tasks_calling_lists_the_tasks_whose_checks_run_a_task():
    assert spec.tasks_calling("layers.dropout_forward") == ["layers.dropout_backward",
                                                            "fc_net.FullyConnectedNet_dropout"]
    assert spec.tasks_calling("optim.adam") == []
