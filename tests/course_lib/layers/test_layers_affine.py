import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import affine_backward, affine_forward, relu_backward, relu_forward


def test_affine_forward_matches_published_values():
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    correct_out = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])

    out, _ = affine_forward(x, w, b)

    assert out.shape == (2, 3)
    assert rel_error(out, correct_out) < 1e-8


def test_affine_cache_is_x_w_b(rng):
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)
    _, (cached_x, cached_w, cached_b) = affine_forward(x, w, b)
    assert cached_x is x and cached_w is w and cached_b is b


def test_affine_backward_matches_numeric_gradient(rng):
    x = rng.standard_normal((10, 2, 3))
    w = rng.standard_normal((6, 5))
    b = rng.standard_normal(5)
    dout = rng.standard_normal((10, 5))

    dx_num = eval_numerical_gradient_array(lambda x_: affine_forward(x_, w, b)[0], x, dout)
    dw_num = eval_numerical_gradient_array(lambda w_: affine_forward(x, w_, b)[0], w, dout)
    db_num = eval_numerical_gradient_array(lambda b_: affine_forward(x, w, b_)[0], b, dout)
    _, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)

    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert rel_error(dx, dx_num) < 1e-8
    assert rel_error(dw, dw_num) < 1e-8
    assert rel_error(db, db_num) < 1e-8


def test_relu_forward_matches_published_values():
    x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)
    correct_out = np.array(
        [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.04545455, 0.13636364], [0.22727273, 0.31818182, 0.40909091, 0.5]]
    )
    out, cache = relu_forward(x)
    assert rel_error(out, correct_out) < 5e-8
    assert cache is x


def test_relu_backward_matches_numeric_gradient_away_from_zero(rng):
    x = rng.standard_normal((10, 10))
    x[np.abs(x) < 1e-2] = 0.5  # keep every entry away from the kink at 0
    dout = rng.standard_normal(x.shape)

    dx_num = eval_numerical_gradient_array(lambda x_: relu_forward(x_)[0], x, dout)
    dx = relu_backward(dout, relu_forward(x)[1])

    assert rel_error(dx, dx_num) < 1e-10


def test_relu_backward_passes_no_gradient_at_zero():
    x = np.array([[-1.0, 0.0, 2.0]])
    dx = relu_backward(np.ones_like(x), x)
    np.testing.assert_array_equal(dx, [[0.0, 0.0, 1.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_affine_and_relu_preserve_dtype(dtype, rng):
    x = rng.standard_normal((4, 3, 2)).astype(dtype)
    w = rng.standard_normal((6, 5)).astype(dtype)
    b = rng.standard_normal(5).astype(dtype)
    out, cache = affine_forward(x, w, b)
    grads = affine_backward(np.ones_like(out), cache)
    relu_out, relu_cache = relu_forward(x)
    relu_dx = relu_backward(np.ones_like(x), relu_cache)
    assert out.dtype == dtype and relu_out.dtype == dtype and relu_dx.dtype == dtype
    assert all(grad.dtype == dtype for grad in grads)


def test_affine_and_relu_do_not_modify_inputs(call_without_mutation, rng):
    x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    out, cache = call_without_mutation(affine_forward, x, w, b)
    call_without_mutation(affine_backward, rng.standard_normal(out.shape), cache)
    _, relu_cache = call_without_mutation(relu_forward, x)
    call_without_mutation(relu_backward, rng.standard_normal(x.shape), relu_cache)


def test_affine_forward_rejects_w_with_wrong_input_size():
    with pytest.raises(ValueError, match=r"affine_forward: w must have shape \(D, M\) with D .* = 6"):
        affine_forward(np.zeros((4, 2, 3)), np.zeros((5, 2)), np.zeros(2))


def test_affine_forward_rejects_b_with_wrong_size():
    with pytest.raises(ValueError, match=r"affine_forward: b must have shape \(2,\)"):
        affine_forward(np.zeros((4, 3)), np.zeros((3, 2)), np.zeros(3))


def test_affine_backward_rejects_dout_with_wrong_shape():
    cache = (np.zeros((4, 3)), np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"affine_backward: dout must have shape \(4, 2\)"):
        affine_backward(np.zeros((4, 3)), cache)


def test_relu_rejects_non_arrays_and_mismatched_dout():
    with pytest.raises(ValueError, match="relu_forward: x must be a numpy array"):
        relu_forward([1.0, -1.0])
    with pytest.raises(ValueError, match="relu_backward: dout must have shape"):
        relu_backward(np.zeros(3), np.zeros(4))
