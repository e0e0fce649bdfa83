import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)


def _two_layer_activations(num_examples, weights_in, weights_out):
    x = np.random.randn(num_examples, weights_in.shape[0])
    return np.maximum(0, x @ weights_in) @ weights_out


def test_batchnorm_train_output_has_mean_beta_and_std_gamma():
    np.random.seed(231)
    weights_in, weights_out = np.random.randn(50, 60), np.random.randn(60, 3)
    a = _two_layer_activations(200, weights_in, weights_out)
    gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0])

    out, _ = batchnorm_forward(a, gamma, beta, {"mode": "train"})

    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-10)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-7)


def test_batchnorm_test_mode_after_50_train_steps_matches_published_statistics():
    np.random.seed(231)
    num_examples, hidden_in, hidden_out, num_features = 200, 50, 60, 3
    weights_in = np.random.randn(hidden_in, hidden_out)
    weights_out = np.random.randn(hidden_out, num_features)
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(num_features), np.zeros(num_features)
    for _ in range(50):
        batchnorm_forward(_two_layer_activations(num_examples, weights_in, weights_out), gamma, beta, bn_param)
    bn_param["mode"] = "test"

    a = _two_layer_activations(num_examples, weights_in, weights_out)
    a_norm, cache = batchnorm_forward(a, gamma, beta, bn_param)

    # the values CS231n's BatchNormalization notebook prints for this experiment
    assert rel_error(a_norm.mean(axis=0), [-0.03927354, -0.04349152, -0.10452688]) < 1e-6
    assert rel_error(a_norm.std(axis=0), [1.01531428, 1.01238373, 0.97819988]) < 1e-6
    assert cache is None


def test_batchnorm_running_stats_follow_the_momentum_update(rng):
    x = rng.standard_normal((8, 3)) * 2 + 5
    old_mean, old_var = rng.standard_normal(3), rng.random(3) + 0.5
    bn_param = {"mode": "train", "momentum": 0.8, "running_mean": old_mean, "running_var": old_var}

    batchnorm_forward(x, np.ones(3), np.zeros(3), bn_param)

    np.testing.assert_allclose(bn_param["running_mean"], 0.8 * old_mean + 0.2 * x.mean(axis=0))
    np.testing.assert_allclose(bn_param["running_var"], 0.8 * old_var + 0.2 * x.var(axis=0))  # uncorrected var


def test_batchnorm_creates_zero_running_stats_of_x_dtype_when_absent(rng):
    x = rng.standard_normal((5, 4)).astype(np.float32)
    bn_param = {"mode": "train", "momentum": 0.9}
    batchnorm_forward(x, np.ones(4, np.float32), np.zeros(4, np.float32), bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=0), rtol=1e-6)
    assert bn_param["running_mean"].dtype == np.float32 and bn_param["running_var"].dtype == np.float32


def test_batchnorm_test_mode_uses_running_stats_and_keeps_them(rng):
    x = rng.standard_normal((6, 3))
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    running_mean, running_var = rng.standard_normal(3), rng.random(3) + 0.5
    bn_param = {"mode": "test", "running_mean": running_mean, "running_var": running_var, "eps": 1e-3}

    out, _ = batchnorm_forward(x, gamma, beta, bn_param)

    np.testing.assert_allclose(out, gamma * (x - running_mean) / np.sqrt(running_var + 1e-3) + beta)
    np.testing.assert_array_equal(bn_param["running_mean"], running_mean)
    np.testing.assert_array_equal(bn_param["running_var"], running_var)


def _batchnorm_case(rng):
    x = 5 * rng.standard_normal((4, 5)) + 12
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))
    return x, gamma, beta, dout


@pytest.mark.parametrize("backward", [batchnorm_backward, batchnorm_backward_alt])
def test_batchnorm_backward_matches_numeric_gradient(backward, rng):
    x, gamma, beta, dout = _batchnorm_case(rng)

    def forward(x_, gamma_, beta_):
        return batchnorm_forward(x_, gamma_, beta_, {"mode": "train"})[0]

    dx_num = eval_numerical_gradient_array(lambda x_: forward(x_, gamma, beta), x, dout)
    dgamma_num = eval_numerical_gradient_array(lambda g_: forward(x, g_, beta), gamma, dout)
    dbeta_num = eval_numerical_gradient_array(lambda b_: forward(x, gamma, b_), beta, dout)
    dx, dgamma, dbeta = backward(dout, batchnorm_forward(x, gamma, beta, {"mode": "train"})[1])

    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-9
    assert rel_error(dbeta, dbeta_num) < 1e-9


def test_batchnorm_backward_and_alt_agree(rng):
    x = 5 * rng.standard_normal((100, 50)) + 12
    gamma, beta, dout = rng.standard_normal(50), rng.standard_normal(50), rng.standard_normal((100, 50))
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})

    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    dx_alt, dgamma_alt, dbeta_alt = batchnorm_backward_alt(dout, cache)

    assert rel_error(dx, dx_alt) < 1e-10
    assert rel_error(dgamma, dgamma_alt) < 1e-10
    assert rel_error(dbeta, dbeta_alt) < 1e-10


@pytest.mark.parametrize("backward", [batchnorm_backward, batchnorm_backward_alt, spatial_batchnorm_backward])
def test_batchnorm_backward_rejects_a_test_mode_cache(backward):
    dout = np.zeros((2, 3, 2, 2)) if backward is spatial_batchnorm_backward else np.zeros((2, 3))
    with pytest.raises(ValueError, match=f"{backward.__name__}: cache is None.*'test' mode"):
        backward(dout, None)


def test_spatial_batchnorm_normalizes_each_channel_over_n_h_w(rng):
    x = 4 * rng.standard_normal((2, 3, 4, 5)) + 10
    gamma, beta = np.array([3.0, 4.0, 5.0]), np.array([6.0, 7.0, 8.0])

    out, _ = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})

    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), beta, atol=1e-10)
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), gamma, rtol=1e-5)
    expected = gamma[:, None, None] * (x - x.mean(axis=(0, 2, 3), keepdims=True)) / np.sqrt(
        x.var(axis=(0, 2, 3), keepdims=True) + 1e-5
    ) + beta[:, None, None]
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_spatial_batchnorm_test_mode_after_training_has_mean_near_zero():
    np.random.seed(231)
    num_channels = 3
    gamma, beta = np.ones(num_channels), np.zeros(num_channels)
    bn_param = {"mode": "train"}
    for _ in range(50):
        x = 2.3 * np.random.randn(40, num_channels, 4, 5) + 13
        spatial_batchnorm_forward(x, gamma, beta, bn_param)
    bn_param["mode"] = "test"

    out, _ = spatial_batchnorm_forward(2.3 * np.random.randn(40, num_channels, 4, 5) + 13, gamma, beta, bn_param)

    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=0.15)
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), 1, atol=0.1)
    assert bn_param["running_mean"].shape == (num_channels,)


def test_spatial_batchnorm_backward_matches_numeric_gradient(rng):
    x = 5 * rng.standard_normal((2, 3, 4, 5)) + 12
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    dout = rng.standard_normal(x.shape)

    def forward(x_, gamma_, beta_):
        return spatial_batchnorm_forward(x_, gamma_, beta_, {"mode": "train"})[0]

    dx_num = eval_numerical_gradient_array(lambda x_: forward(x_, gamma, beta), x, dout)
    dgamma_num = eval_numerical_gradient_array(lambda g_: forward(x, g_, beta), gamma, dout)
    dbeta_num = eval_numerical_gradient_array(lambda b_: forward(x, gamma, b_), beta, dout)
    _, cache = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)

    assert dx.shape == x.shape and dgamma.shape == (3,) and dbeta.shape == (3,)
    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-9
    assert rel_error(dbeta, dbeta_num) < 1e-9


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["train", "test"])
def test_batchnorm_preserves_dtype(dtype, mode, rng):
    x = rng.standard_normal((6, 4)).astype(dtype)
    gamma, beta = np.ones(4, dtype), np.zeros(4, dtype)
    out, cache = batchnorm_forward(x, gamma, beta, {"mode": mode})
    spatial_out, spatial_cache = spatial_batchnorm_forward(x.reshape(2, 4, 3, 1), gamma, beta, {"mode": mode})
    assert out.dtype == dtype and spatial_out.dtype == dtype
    if mode == "train":
        grads = batchnorm_backward(np.ones_like(out), cache) + batchnorm_backward_alt(np.ones_like(out), cache)
        grads += spatial_batchnorm_backward(np.ones_like(spatial_out), spatial_cache)
        assert all(grad.dtype == dtype for grad in grads)


@pytest.mark.parametrize("mode", ["train", "test"])
def test_batchnorm_changes_only_the_running_stats_of_bn_param(mode, call_without_mutation, rng):
    x, gamma, beta, dout = _batchnorm_case(rng)
    old_mean, old_var = rng.standard_normal(5), rng.random(5)
    bn_param = {"mode": mode, "eps": 1e-5, "momentum": 0.9, "running_mean": old_mean, "running_var": old_var}
    snapshot_mean, snapshot_var = old_mean.copy(), old_var.copy()

    _, cache = call_without_mutation(lambda x_, g_, b_: batchnorm_forward(x_, g_, b_, bn_param), x, gamma, beta)

    np.testing.assert_array_equal(old_mean, snapshot_mean)  # a new array goes into bn_param; the old one is kept
    np.testing.assert_array_equal(old_var, snapshot_var)
    assert set(bn_param) == {"mode", "eps", "momentum", "running_mean", "running_var"}
    assert bn_param["mode"] == mode and bn_param["eps"] == 1e-5 and bn_param["momentum"] == 0.9
    if mode == "train":
        call_without_mutation(batchnorm_backward, dout, cache)
        call_without_mutation(batchnorm_backward_alt, dout, cache)


def test_spatial_batchnorm_does_not_modify_inputs(call_without_mutation, rng):
    x = rng.standard_normal((2, 3, 2, 2))
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    out, cache = call_without_mutation(
        lambda x_, g_, b_: spatial_batchnorm_forward(x_, g_, b_, {"mode": "train"}), x, gamma, beta
    )
    call_without_mutation(spatial_batchnorm_backward, rng.standard_normal(out.shape), cache)


@pytest.mark.parametrize("forward", [batchnorm_forward, spatial_batchnorm_forward])
@pytest.mark.parametrize(
    ("bn_param", "message"),
    [
        ({}, "bn_param must contain the key 'mode'"),
        ({"mode": "eval"}, r"bn_param\['mode'\] must be one of \('train', 'test'\), got 'eval'"),
        (None, "bn_param must be a dict"),
    ],
)
def test_batchnorm_rejects_missing_or_unknown_mode(forward, bn_param, message):
    x = np.zeros((2, 3)) if forward is batchnorm_forward else np.zeros((2, 3, 2, 2))
    with pytest.raises(ValueError, match=f"{forward.__name__}: {message}"):
        forward(x, np.ones(3), np.zeros(3), bn_param)


@pytest.mark.parametrize(
    ("x", "gamma", "beta", "bn_param", "message"),
    [
        (np.zeros((2, 3, 1)), np.ones(3), np.zeros(3), {"mode": "train"}, "x must have 2 dimensions"),
        (np.zeros((2, 3)), np.ones(4), np.zeros(3), {"mode": "train"}, r"gamma must have shape \(3,\)"),
        (np.zeros((2, 3)), np.ones(3), np.zeros((1, 3)), {"mode": "train"}, r"beta must have shape \(3,\)"),
        (
            np.zeros((2, 3)),
            np.ones(3),
            np.zeros(3),
            {"mode": "test", "running_mean": np.zeros(2)},
            r"bn_param\['running_mean'\] must have shape \(3,\)",
        ),
    ],
)
def test_batchnorm_forward_rejects_mismatched_shapes(x, gamma, beta, bn_param, message):
    with pytest.raises(ValueError, match=f"batchnorm_forward: {message}"):
        batchnorm_forward(x, gamma, beta, bn_param)


def test_spatial_batchnorm_forward_rejects_gamma_not_per_channel():
    with pytest.raises(ValueError, match=r"spatial_batchnorm_forward: gamma must have shape \(3,\)"):
        spatial_batchnorm_forward(np.zeros((2, 3, 4, 4)), np.ones((1, 3, 1, 1)), np.zeros(3), {"mode": "train"})
