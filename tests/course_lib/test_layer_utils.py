import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layer_utils import (
    affine_bn_relu_backward,
    affine_bn_relu_forward,
    affine_ln_relu_backward,
    affine_ln_relu_forward,
    affine_relu_backward,
    affine_relu_forward,
    conv_bn_relu_backward,
    conv_bn_relu_forward,
    conv_relu_backward,
    conv_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from course_lib.layers import (
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
)


def _check_gradients(forward, backward, params, extra_args, rng, tolerance, vanishing=()):
    """Compare backward's gradients of every array in `params` with numeric ones; return the forward output.

    Positions in `vanishing` have a gradient that is exactly zero in theory (a bias just before a batch
    normalization): there the relative error is meaningless and both gradients must be below 1e-8 instead.
    """
    out, cache = forward(*params, *extra_args)
    dout = rng.standard_normal(out.shape)
    analytic = backward(dout, cache)
    assert len(analytic) == len(params)
    for position, (param, grad) in enumerate(zip(params, analytic)):
        assert grad.shape == param.shape, f"gradient {position} has shape {grad.shape}, expected {param.shape}"

        def forward_of_param(value, position=position):
            arguments = list(params)
            arguments[position] = value
            return forward(*arguments, *extra_args)[0]

        numeric = eval_numerical_gradient_array(forward_of_param, param, dout)
        if position in vanishing:
            assert np.abs(grad).max() < 1e-8 and np.abs(numeric).max() < 1e-8, f"gradient {position} should vanish"
            continue
        assert rel_error(grad, numeric) < tolerance, f"gradient {position} of {forward.__name__}"
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_affine_relu_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((2, 3, 4))
    w = rng.standard_normal((12, 10))
    b = rng.standard_normal(10)
    out = _check_gradients(affine_relu_forward, affine_relu_backward, (x, w, b), (), rng, 1e-8)
    np.testing.assert_array_equal(out, np.maximum(0, x.reshape(2, 12) @ w + b))


def test_affine_bn_relu_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((4, 5))
    w = rng.standard_normal((5, 6))
    b = rng.standard_normal(6)
    gamma = rng.standard_normal(6) + 1.0
    beta = rng.standard_normal(6)
    params = (x, w, b, gamma, beta)
    out = _check_gradients(
        affine_bn_relu_forward, affine_bn_relu_backward, params, ({"mode": "train"},), rng, 1e-6, vanishing=(2,)
    )
    assert (out >= 0).all() and (out == 0).any()


def test_affine_ln_relu_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((3, 5))
    w = rng.standard_normal((5, 6))
    b = rng.standard_normal(6)
    gamma = rng.standard_normal(6) + 1.0
    beta = rng.standard_normal(6)
    _check_gradients(affine_ln_relu_forward, affine_ln_relu_backward, (x, w, b, gamma, beta), ({},), rng, 1e-6)


def test_conv_relu_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((2, 3, 5, 6))
    w = rng.standard_normal((3, 3, 3, 3))
    b = rng.standard_normal(3)
    _check_gradients(conv_relu_forward, conv_relu_backward, (x, w, b), ({"stride": 1, "pad": 1},), rng, 1e-7)


def test_conv_bn_relu_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    w = rng.standard_normal((3, 3, 3, 3))
    b = rng.standard_normal(3)
    gamma = rng.standard_normal(3) + 1.0
    beta = rng.standard_normal(3)
    _check_gradients(
        conv_bn_relu_forward,
        conv_bn_relu_backward,
        (x, w, b, gamma, beta),
        ({"stride": 1, "pad": 1}, {"mode": "train"}),
        rng,
        1e-6,
        vanishing=(2,),
    )


def test_conv_relu_pool_gradients_match_numeric_ones(rng):
    x = rng.standard_normal((2, 3, 6, 6))
    w = rng.standard_normal((3, 3, 3, 3))
    b = rng.standard_normal(3)
    conv_param = {"stride": 1, "pad": 1}
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out = _check_gradients(
        conv_relu_pool_forward, conv_relu_pool_backward, (x, w, b), (conv_param, pool_param), rng, 1e-7
    )
    assert out.shape == (2, 3, 3, 3)


def test_conv_relu_pool_equals_the_naive_layers_chained(rng):
    x = rng.standard_normal((3, 2, 7, 9))
    w = rng.standard_normal((4, 2, 3, 3))
    b = rng.standard_normal(4)
    conv_param = {"stride": 1, "pad": 1}
    pool_param = {"pool_height": 3, "pool_width": 3, "stride": 2}

    out, cache = conv_relu_pool_forward(x, w, b, conv_param, pool_param)
    dout = rng.standard_normal(out.shape)
    grads = conv_relu_pool_backward(dout, cache)

    conv_out, conv_cache = conv_forward_naive(x, w, b, conv_param)
    relu_out, relu_cache = relu_forward(conv_out)
    naive_out, pool_cache = max_pool_forward_naive(relu_out, pool_param)
    dconv = relu_backward(max_pool_backward_naive(dout, pool_cache), relu_cache)
    naive_grads = conv_backward_naive(dconv, conv_cache)

    assert rel_error(out, naive_out) < 1e-12
    for name, fast, naive in zip(("dx", "dw", "db"), grads, naive_grads):
        assert rel_error(fast, naive) < 1e-9, name


def test_conv_relu_pool_keeps_float32(rng):
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out, cache = conv_relu_pool_forward(x, w, b, {"stride": 1, "pad": 1}, pool_param)
    grads = conv_relu_pool_backward(np.ones_like(out), cache)
    assert out.dtype == np.float32
    assert [grad.dtype for grad in grads] == [np.float32] * 3
