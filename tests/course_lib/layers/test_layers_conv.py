import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import conv_backward_naive, conv_forward_naive


def test_conv_forward_matches_published_values():
    x_shape, w_shape = (2, 3, 4, 4), (3, 3, 4, 4)
    x = np.linspace(-0.1, 0.5, num=np.prod(x_shape)).reshape(x_shape)
    w = np.linspace(-0.2, 0.3, num=np.prod(w_shape)).reshape(w_shape)
    b = np.linspace(-0.1, 0.2, num=3)
    correct_out = np.array(
        [
            [
                [[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]],
                [[0.21027089, 0.21661097], [0.22847626, 0.23004637]],
                [[0.50813986, 0.54309974], [0.64082444, 0.67101435]],
            ],
            [
                [[-0.98053589, -1.03143541], [-1.19128892, -1.24695841]],
                [[0.69108355, 0.66880383], [0.59480972, 0.56776003]],
                [[2.36270298, 2.36904306], [2.38090835, 2.38247847]],
            ],
        ]
    )

    out, _ = conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})

    assert out.shape == (2, 3, 2, 2)
    assert rel_error(out, correct_out) < 1e-7


def test_conv_forward_on_a_hand_computed_example():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # top-left minus bottom-right
    out, _ = conv_forward_naive(x, w, np.array([0.5]), {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), -4.0 + 0.5))


def test_conv_cache_is_x_w_b_conv_param(rng):
    x, w, b = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal((2, 2, 3, 3)), rng.standard_normal(2)
    conv_param = {"stride": 1, "pad": 1}
    _, cache = conv_forward_naive(x, w, b, conv_param)
    assert len(cache) == 4 and all(item is original for item, original in zip(cache, (x, w, b, conv_param)))


CONV_CASES = [
    pytest.param((2, 3, 5, 5), (2, 3, 3, 3), 1, 1, id="stride1-pad1"),
    pytest.param((2, 3, 5, 5), (3, 3, 3, 3), 2, 0, id="stride2-pad0"),
    pytest.param((2, 3, 7, 5), (4, 3, 3, 2), 1, 0, id="non-square-input-and-filter-stride1-pad0"),
    pytest.param((2, 3, 7, 6), (4, 3, 3, 2), 2, 0, id="non-square-input-and-filter-stride2-pad0"),
    pytest.param((1, 2, 6, 5), (2, 2, 2, 3), 2, 1, id="non-square-input-and-filter-stride2-pad1"),
]


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_conv_backward_matches_numeric_gradient(x_shape, w_shape, stride, pad, rng):
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    conv_param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_naive(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)

    dx_num = eval_numerical_gradient_array(lambda x_: conv_forward_naive(x_, w, b, conv_param)[0], x, dout)
    dw_num = eval_numerical_gradient_array(lambda w_: conv_forward_naive(x, w_, b, conv_param)[0], w, dout)
    db_num = eval_numerical_gradient_array(lambda b_: conv_forward_naive(x, w, b_, conv_param)[0], b, dout)
    dx, dw, db = conv_backward_naive(dout, cache)

    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert rel_error(dx, dx_num) < 1e-8
    assert rel_error(dw, dw_num) < 1e-8
    assert rel_error(db, db_num) < 1e-8


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_conv_forward_and_backward_match_torch(x_shape, w_shape, stride, pad, rng):
    torch = pytest.importorskip("torch")
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    out, cache = conv_forward_naive(x, w, b, {"stride": stride, "pad": pad})
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_backward_naive(dout, cache)

    x_t, w_t, b_t = (torch.tensor(array, requires_grad=True) for array in (x, w, b))
    out_t = torch.nn.functional.conv2d(x_t, w_t, b_t, stride=stride, padding=pad)
    out_t.backward(torch.from_numpy(dout))

    assert rel_error(out, out_t.detach().numpy()) < 1e-12
    assert rel_error(dx, x_t.grad.numpy()) < 1e-12
    assert rel_error(dw, w_t.grad.numpy()) < 1e-12
    assert rel_error(db, b_t.grad.numpy()) < 1e-12


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_preserves_dtype(dtype, rng):
    x = rng.standard_normal((2, 3, 4, 4)).astype(dtype)
    w = rng.standard_normal((2, 3, 3, 3)).astype(dtype)
    b = rng.standard_normal(2).astype(dtype)
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    grads = conv_backward_naive(np.ones_like(out), cache)
    assert out.dtype == dtype
    assert all(grad.dtype == dtype for grad in grads)


def test_conv_does_not_modify_inputs(call_without_mutation, rng):
    x, w, b = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)
    out, cache = call_without_mutation(conv_forward_naive, x, w, b, {"stride": 2, "pad": 1})
    call_without_mutation(conv_backward_naive, rng.standard_normal(out.shape), cache)


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "b_shape", "conv_param", "message"),
    [
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 3, "pad": 0}, r"conv_param\['stride'\]=3 does not tile"),
        ((2, 3, 5, 6), (2, 3, 3, 3), (2,), {"stride": 2, "pad": 0}, r"conv_param\['stride'\]=2 .* input width"),
        ((2, 3, 5, 5), (2, 4, 3, 3), (2,), {"stride": 1, "pad": 0}, "w must have as many channels as x"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (3,), {"stride": 1, "pad": 0}, r"b must have shape \(2,\)"),
        ((3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 1, "pad": 0}, "x must have 4 dimensions"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"pad": 0}, "conv_param must contain the key 'stride'"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 1}, "conv_param must contain the key 'pad'"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 0, "pad": 0}, r"conv_param\['stride'\] must be >= 1"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 1.0, "pad": 0}, r"conv_param\['stride'\] must be an integer"),
        ((2, 3, 5, 5), (2, 3, 3, 3), (2,), {"stride": 1, "pad": -1}, r"conv_param\['pad'\] must be >= 0"),
        ((2, 3, 2, 2), (2, 3, 3, 3), (2,), {"stride": 1, "pad": 0}, r"the window \(3\) is larger than the"),
    ],
)
def test_conv_forward_rejects_bad_arguments(x_shape, w_shape, b_shape, conv_param, message):
    with pytest.raises(ValueError, match=f"conv_forward_naive: {message}"):
        conv_forward_naive(np.zeros(x_shape), np.zeros(w_shape), np.zeros(b_shape), conv_param)


def test_conv_backward_rejects_dout_of_the_wrong_shape(rng):
    x, w, b = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)
    _, cache = conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    with pytest.raises(ValueError, match=r"conv_backward_naive: dout must have shape \(2, 2, 3, 3\)"):
        conv_backward_naive(np.zeros((2, 2, 2, 2)), cache)
