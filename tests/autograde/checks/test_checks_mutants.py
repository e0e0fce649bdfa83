"""Broken copies of the reference fail exactly the checks that target their bug; correct variants pass everything.

Each mutant is the reference course_lib copied into tmp_path with one solution line edited, loaded with load_lib
and judged with the stored expected values, as the grader does.
"""
import shutil
from pathlib import Path

import pytest

from autograde.check.runner import run_checks
from autograde.checks import load, spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


def replace_in_solution(text, old, new):
    """Replace the first occurrence of `old` that lies inside a solution region (never in a comment above it)."""
    position = 0
    while (begin := text.find("### BEGIN SOLUTION", position)) != -1:
        end = text.index("### END SOLUTION", begin)
        found = text.find(old, begin, end)
        if found != -1:
            return text[:found] + new + text[found + len(old):]
        position = end
    raise AssertionError(f"no solution region contains {old!r}; update this mutant")


def mutant_lib(tmp_path, edits):
    """Load a copy of the reference with `edits` = {relative file: [(old, new), ...]} applied to solution lines."""
    root = tmp_path / "course_lib"
    shutil.copytree(REFERENCE, root, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, replacements in edits.items():
        path = root / relative
        text = path.read_text()
        for old, new in replacements:
            text = replace_in_solution(text, old, new)
        path.write_text(text)
    return load.load_lib(root)


def failing(lib, *tasks):
    """Ids of the failing checks (public and hidden) of `tasks`."""
    checks = [check for task in tasks for check in spec.checks_for(task, hidden=True)]
    return {result.id for result in run_checks(checks, lib) if not result.passed}


def test_max_pool_backward_that_overwrites_fails_only_the_overlapping_windows(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/pooling.py": [("] += routed.reshape(", "] = routed.reshape(")]})
    assert failing(lib, "layers.max_pool_backward_naive") == {
        "layers.max_pool_backward_naive.overlapping",
        "layers.max_pool_backward_naive.nonsquare_window",
    }


def test_softmax_without_max_shift_fails_only_large_logits(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/losses.py": [("shifted = x - x.max(axis=1, keepdims=True)", "shifted = x")]})
    assert failing(lib, "layers.softmax_loss") == {"layers.softmax_loss.large_logits"}


def test_relu_backward_with_subgradient_one_at_zero_passes(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/affine.py": [("dx = dout * (x > 0)", "dx = dout * (x >= 0)")]})
    assert failing(lib, "layers.relu_backward", "layers.relu_forward") == set()


@pytest.mark.parametrize("mask", [
    "(np.random.binomial(1, keep_prob, size=x.shape) / keep_prob).astype(x.dtype)",
    "((np.random.rand(*x.shape) >= 1 - keep_prob) / keep_prob).astype(x.dtype)",
])
def test_dropout_mask_drawn_another_valid_way_passes(tmp_path, mask):
    old = "((np.random.rand(*x.shape) < keep_prob) / keep_prob).astype(x.dtype)"
    lib = mutant_lib(tmp_path, {"layers/dropout.py": [(old, mask)]})
    tasks = ("layers.dropout_forward", "layers.dropout_backward", "fc_net.FullyConnectedNet_dropout")
    assert failing(lib, *tasks) == set()


def test_dropout_with_p_as_drop_probability_fails_the_statistics(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/dropout.py": [("np.random.rand(*x.shape) < keep_prob)",
                                                        "np.random.rand(*x.shape) < 1 - keep_prob)")]})
    assert failing(lib, "layers.dropout_forward") == {
        "layers.dropout_forward.train_and_test_statistics",
        "layers.dropout_forward.other_keep_probs",
        "layers.dropout_forward.seeded_repeatable",
    }


def test_dropout_backward_that_redraws_the_mask_fails_the_unseeded_check(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/dropout.py": [
        ("dx = dout * mask", "dx = dout * (np.random.rand(*dout.shape) < dropout_param['p']) / dropout_param['p']")]})
    assert "layers.dropout_backward.unseeded_mask_from_cache" in failing(lib, "layers.dropout_backward")


def test_net_that_skips_dropout_fails_only_the_training_loss_check(tmp_path):
    lib = mutant_lib(tmp_path, {"classifiers/fc_net.py": [
        ("hidden, dropout_cache = dropout_forward(hidden, self.dropout_param)", "dropout_cache = None"),
        ("dhidden = dropout_backward(dhidden, dropout_cache)", "dhidden = dhidden"),
    ]})
    assert failing(lib, "fc_net.FullyConnectedNet_dropout") == {
        "fc_net.FullyConnectedNet_dropout.train_mode_applies_dropout"}


def test_conv_that_ignores_stride_fails_the_stride_checks(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/conv.py": [("top = i * stride", "top = i"), ("left = j * stride", "left = j")]})
    assert failing(lib, "layers.conv_forward_naive") == {
        "layers.conv_forward_naive.notebook_case",
        "layers.conv_forward_naive.stride2_pad0_nonsquare",
    }


def test_relu_forward_that_edits_x_in_place_fails_only_inputs_unmodified(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/affine.py": [("out = np.maximum(x, 0)", "out = np.maximum(x, 0, out=x)")]})
    assert failing(lib, "layers.relu_forward") == {"layers.relu_forward.inputs_unmodified"}


def test_momentum_that_updates_w_in_place_passes_public_and_fails_hidden(tmp_path):
    lib = mutant_lib(tmp_path, {"optim.py": [("next_w = w + velocity", "w += velocity\n    next_w = w")]})
    assert failing(lib, "optim.sgd_momentum") == {"optim.sgd_momentum.three_steps_default_config",
                                                  "optim.sgd_momentum.other_momentum"}


def test_adam_that_increments_t_after_use_fails_every_adam_check(tmp_path):
    lib = mutant_lib(tmp_path, {"optim.py": [('config["t"] += 1', 'config["t"] += 0')]})
    assert failing(lib, "optim.adam") == {check.id for check in spec.checks_for("optim.adam", hidden=True)}


def test_hard_coded_public_answer_passes_public_and_fails_hidden(tmp_path):
    published = "np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])"
    lib = mutant_lib(tmp_path, {"layers/affine.py": [("out = x_flat @ w + b  # (N, M)", f"out = {published}")]})
    assert failing(lib, "layers.affine_forward") == {"layers.affine_forward.other_shape_float32"}


def test_batchnorm_with_corrected_variance_fails_the_forward_checks(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/batchnorm.py": [("var = (x_centered**2).mean(axis=0)",
                                                          "var = x.var(axis=0, ddof=1)")]})
    failures = failing(lib, "layers.batchnorm_forward")
    assert {"layers.batchnorm_forward.train_statistics", "layers.batchnorm_forward.running_statistics"} <= failures


def test_svm_that_counts_the_correct_class_margin_fails_the_value_checks(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/losses.py": [("    margins[rows, y] = 0\n", "")]})
    assert failing(lib, "layers.svm_loss") == {"layers.svm_loss.notebook_case", "layers.svm_loss.other_shape_and_scale"}


def test_softmax_gradient_not_averaged_over_the_batch_fails_every_value_check(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/losses.py": [
        ("    dx[rows, y] -= 1\n    dx /= num_examples", "    dx[rows, y] -= 1")]})
    assert failing(lib, "layers.softmax_loss") == {
        "layers.softmax_loss.notebook_case", "layers.softmax_loss.other_shape", "layers.softmax_loss.large_logits"}


def test_layernorm_over_the_batch_axis_fails_the_statistics_checks(tmp_path):
    lib = mutant_lib(tmp_path, {"layers/layernorm.py": [
        ("mean = x.mean(axis=1, keepdims=True)", "mean = x.mean(axis=0, keepdims=True)"),
        ("var = (x_centered**2).mean(axis=1, keepdims=True)", "var = (x_centered**2).mean(axis=0, keepdims=True)"),
    ]})
    assert failing(lib, "layers.layernorm_forward") == {
        "layers.layernorm_forward.statistics", "layers.layernorm_forward.per_example_other_shape"}


def test_groupnorm_with_round_robin_channel_groups_fails_only_the_grouped_statistics(tmp_path):
    """Channels dealt to groups in turn (c % G) instead of in consecutive blocks: identical when G is 1 or C."""
    lib = mutant_lib(tmp_path, {"layers/layernorm.py": [
        ("x_groups = x.reshape(N, G, -1)",
         "x_groups = x.reshape(N, C // G, G, H * W).transpose(0, 2, 1, 3).reshape(N, G, -1)"),
        ("x_hat = (x_centered * inv_std).reshape(N, C, H, W)",
         "x_hat = (x_centered * inv_std).reshape(N, G, C // G, H * W).transpose(0, 2, 1, 3).reshape(N, C, H, W)"),
    ]})
    assert failing(lib, "layers.spatial_groupnorm_forward") == {"layers.spatial_groupnorm_forward.statistics"}


def test_layernorm_backward_by_the_long_chain_rule_passes(tmp_path):
    """The step-by-step derivation (through dvar and dmean) is a correct solution written differently."""
    compact = """    dx = inv_std / num_features * (
        num_features * dx_hat
        - dx_hat.sum(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)
    )"""
    long_chain = """    x_centered = x_hat / inv_std
    dvar = (dx_hat * x_centered).sum(axis=1, keepdims=True) * -0.5 * inv_std**3
    dmean = -(dx_hat * inv_std).sum(axis=1, keepdims=True) + dvar * (-2 * x_centered).mean(axis=1, keepdims=True)
    dx = dx_hat * inv_std + dvar * 2 * x_centered / num_features + dmean / num_features"""
    lib = mutant_lib(tmp_path, {"layers/layernorm.py": [(compact, long_chain)]})
    assert failing(lib, "layers.layernorm_forward", "layers.layernorm_backward") == set()


def test_max_pool_backward_that_routes_to_every_tied_maximum_passes(tmp_path):
    """The common `window == window.max()` mask: the checks' inputs have no ties (docs/architecture.md)."""
    lib = mutant_lib(tmp_path, {"layers/pooling.py": [(
        "is_max = np.arange(window_size) == argmax[:, :, None]",
        "flat = window.reshape(num_examples, num_channels, window_size)\n"
        "            is_max = flat == flat.max(axis=2, keepdims=True)",
    )]})
    assert failing(lib, "layers.max_pool_backward_naive") == set()
