import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import (
    layernorm_backward,
    layernorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)


def test_layernorm_normalizes_each_example_over_its_features(rng):
    x = 3 * rng.standard_normal((4, 6)) + np.arange(4)[:, None] * 10
    gamma, beta = np.full(6, 2.0), np.full(6, 0.5)

    out, _ = layernorm_forward(x, gamma, beta, {})

    np.testing.assert_allclose(out.mean(axis=1), 0.5, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=1), 2.0, rtol=1e-5)
    expected = 2.0 * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5) + 0.5
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_layernorm_uses_eps_and_ignores_mode(rng):
    x, gamma, beta = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(4)
    train_out, _ = layernorm_forward(x, gamma, beta, {"mode": "train", "eps": 0.5})
    test_out, _ = layernorm_forward(x, gamma, beta, {"mode": "test", "eps": 0.5})
    expected = gamma * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 0.5) + beta
    np.testing.assert_array_equal(train_out, test_out)
    np.testing.assert_allclose(train_out, expected, rtol=1e-12)


def test_layernorm_backward_matches_numeric_gradient(rng):
    x = 5 * rng.standard_normal((4, 5)) + 12
    gamma, beta, dout = rng.standard_normal(5), rng.standard_normal(5), rng.standard_normal((4, 5))

    def forward(x_, gamma_, beta_):
        return layernorm_forward(x_, gamma_, beta_, {})[0]

    dx_num = eval_numerical_gradient_array(lambda x_: forward(x_, gamma, beta), x, dout)
    dgamma_num = eval_numerical_gradient_array(lambda g_: forward(x, g_, beta), gamma, dout)
    dbeta_num = eval_numerical_gradient_array(lambda b_: forward(x, gamma, b_), beta, dout)
    dx, dgamma, dbeta = layernorm_backward(dout, layernorm_forward(x, gamma, beta, {})[1])

    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-9
    assert rel_error(dbeta, dbeta_num) < 1e-9


def _groupnorm_case(rng, shape=(2, 6, 4, 5), offset=10.0):
    x = 4 * rng.standard_normal(shape) + offset
    num_channels = shape[1]
    gamma = rng.standard_normal((1, num_channels, 1, 1))
    beta = rng.standard_normal((1, num_channels, 1, 1))
    return x, gamma, beta


@pytest.mark.parametrize("num_groups", [1, 2, 3, 6])
def test_groupnorm_normalizes_each_group_of_each_example(num_groups, rng):
    x, _, _ = _groupnorm_case(rng)
    gamma, beta = np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1))

    out, _ = spatial_groupnorm_forward(x, gamma, beta, num_groups, {})

    groups = out.reshape(2, num_groups, -1)  # (N, G, C//G*H*W)
    np.testing.assert_allclose(groups.mean(axis=2), 0, atol=1e-12)
    np.testing.assert_allclose(groups.std(axis=2), 1, rtol=1e-4)


@pytest.mark.parametrize("num_groups", [1, 3])
def test_groupnorm_matches_torch_group_norm(num_groups, rng):
    torch = pytest.importorskip("torch")
    x, gamma, beta = _groupnorm_case(rng)

    out, _ = spatial_groupnorm_forward(x, gamma, beta, num_groups, {"eps": 1e-3})

    expected = torch.nn.functional.group_norm(
        torch.from_numpy(x), num_groups, torch.from_numpy(gamma.ravel()), torch.from_numpy(beta.ravel()), eps=1e-3
    )
    assert rel_error(out, expected.numpy()) < 1e-10


@pytest.mark.parametrize("num_groups", [1, 2, 6])
def test_groupnorm_backward_matches_numeric_gradient(num_groups, rng):
    # a small offset keeps the centered differences free of cancellation error
    x, gamma, beta = _groupnorm_case(rng, shape=(2, 6, 2, 3), offset=1.0)
    dout = rng.standard_normal(x.shape)

    def forward(x_, gamma_, beta_):
        return spatial_groupnorm_forward(x_, gamma_, beta_, num_groups, {})[0]

    dx_num = eval_numerical_gradient_array(lambda x_: forward(x_, gamma, beta), x, dout)
    dgamma_num = eval_numerical_gradient_array(lambda g_: forward(x, g_, beta), gamma, dout)
    dbeta_num = eval_numerical_gradient_array(lambda b_: forward(x, gamma, b_), beta, dout)
    _, cache = spatial_groupnorm_forward(x, gamma, beta, num_groups, {})
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)

    assert dx.shape == x.shape and dgamma.shape == (1, 6, 1, 1) and dbeta.shape == (1, 6, 1, 1)
    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dgamma, dgamma_num) < 1e-9
    assert rel_error(dbeta, dbeta_num) < 1e-9


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layernorm_and_groupnorm_preserve_dtype(dtype, rng):
    x = rng.standard_normal((3, 4)).astype(dtype)
    out, cache = layernorm_forward(x, np.ones(4, dtype), np.zeros(4, dtype), {})
    grads = layernorm_backward(np.ones_like(out), cache)
    x4 = rng.standard_normal((2, 4, 2, 2)).astype(dtype)
    gn_gamma, gn_beta = np.ones((1, 4, 1, 1), dtype), np.zeros((1, 4, 1, 1), dtype)
    gn_out, gn_cache = spatial_groupnorm_forward(x4, gn_gamma, gn_beta, 2, {})
    gn_grads = spatial_groupnorm_backward(np.ones_like(gn_out), gn_cache)
    assert out.dtype == dtype and gn_out.dtype == dtype
    assert all(grad.dtype == dtype for grad in grads + gn_grads)


def test_layernorm_and_groupnorm_do_not_modify_inputs(call_without_mutation, rng):
    x, gamma, beta = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(4)
    ln_param = {"eps": 1e-5}
    out, cache = call_without_mutation(layernorm_forward, x, gamma, beta, ln_param)
    call_without_mutation(layernorm_backward, rng.standard_normal(out.shape), cache)

    x, gamma, beta = _groupnorm_case(rng, shape=(2, 4, 2, 2))
    gn_param = {"eps": 1e-5}
    out, cache = call_without_mutation(spatial_groupnorm_forward, x, gamma, beta, 2, gn_param)
    call_without_mutation(spatial_groupnorm_backward, rng.standard_normal(out.shape), cache)


@pytest.mark.parametrize(
    ("num_groups", "message"),
    [(4, "G=4 must divide the number of channels C=6"), (0, "G must be >= 1"), (1.5, "G must be an integer")],
)
def test_groupnorm_rejects_groups_that_do_not_divide_channels(num_groups, message, rng):
    x, gamma, beta = _groupnorm_case(rng)
    with pytest.raises(ValueError, match=f"spatial_groupnorm_forward: {message}"):
        spatial_groupnorm_forward(x, gamma, beta, num_groups, {})


def test_groupnorm_rejects_per_channel_vectors_for_gamma(rng):
    x, _, beta = _groupnorm_case(rng)
    with pytest.raises(ValueError, match=r"spatial_groupnorm_forward: gamma must have shape \(1, 6, 1, 1\)"):
        spatial_groupnorm_forward(x, np.ones(6), beta, 2, {})


@pytest.mark.parametrize(
    ("x", "gamma", "ln_param", "message"),
    [
        (np.zeros((2, 3, 1)), np.ones(3), {}, "x must have 2 dimensions"),
        (np.zeros((2, 3)), np.ones(2), {}, r"gamma must have shape \(3,\)"),
        (np.zeros((2, 3)), np.ones(3), None, "ln_param must be a dict"),
    ],
)
def test_layernorm_rejects_bad_arguments(x, gamma, ln_param, message):
    with pytest.raises(ValueError, match=f"layernorm_forward: {message}"):
        layernorm_forward(x, gamma, np.zeros(3), ln_param)
