import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import max_pool_backward_naive, max_pool_forward_naive


def _distinct_values(rng, shape):
    """Values at least 0.1 apart, so no window has a tie and a step of h never changes its argmax."""
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1 - 1.0


def test_max_pool_forward_matches_published_values():
    x_shape = (2, 3, 4, 4)
    x = np.linspace(-0.3, 0.4, num=np.prod(x_shape)).reshape(x_shape)
    correct_out = np.array(
        [
            [
                [[-0.26315789, -0.24842105], [-0.20421053, -0.18947368]],
                [[-0.14526316, -0.13052632], [-0.08631579, -0.07157895]],
                [[-0.02736842, -0.01263158], [0.03157895, 0.04631579]],
            ],
            [
                [[0.09052632, 0.10526316], [0.14947368, 0.16421053]],
                [[0.20842105, 0.22315789], [0.26736842, 0.28210526]],
                [[0.32631579, 0.34105263], [0.38526316, 0.4]],
            ],
        ]
    )

    out, _ = max_pool_forward_naive(x, {"pool_width": 2, "pool_height": 2, "stride": 2})

    assert rel_error(out, correct_out) < 1e-7


def test_max_pool_forward_with_overlapping_windows_on_a_hand_computed_example():
    x = np.array([[1.0, 5.0, 2.0], [4.0, 0.0, 3.0], [6.0, 1.0, 9.0]]).reshape(1, 1, 3, 3)
    out, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    np.testing.assert_array_equal(out, [[[[5.0, 5.0], [6.0, 9.0]]]])
    assert cache[0] is x and cache[1] == {"pool_height": 2, "pool_width": 2, "stride": 1}


def test_max_pool_backward_accumulates_where_overlapping_windows_share_a_maximum():
    x = np.array([[1.0, 5.0, 2.0], [4.0, 0.0, 3.0], [6.0, 1.0, 9.0]]).reshape(1, 1, 3, 3)
    _, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dout = np.array([[[[1.0, 10.0], [100.0, 1000.0]]]])

    dx = max_pool_backward_naive(dout, cache)

    # 5 is the maximum of both top windows, so it collects 1 + 10
    np.testing.assert_array_equal(dx, [[[[0.0, 11.0, 0.0], [0.0, 0.0, 0.0], [100.0, 0.0, 1000.0]]]])


def test_max_pool_backward_sends_a_tied_window_gradient_to_one_position_only():
    x = np.ones((1, 1, 2, 2))
    _, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = max_pool_backward_naive(np.full((1, 1, 1, 1), 3.0), cache)
    np.testing.assert_array_equal(dx, [[[[3.0, 0.0], [0.0, 0.0]]]])


POOL_CASES = [
    pytest.param((2, 3, 8, 8), 2, 2, 2, id="2x2-stride2"),
    pytest.param((2, 2, 5, 5), 3, 3, 1, id="3x3-stride1-overlapping"),
    pytest.param((2, 2, 5, 4), 2, 2, 1, id="2x2-stride1-overlapping"),
    pytest.param((1, 2, 7, 5), 3, 3, 2, id="3x3-stride2-overlapping"),
    pytest.param((2, 1, 6, 5), 3, 2, 3, id="non-square-window"),
]


@pytest.mark.parametrize(("x_shape", "pool_height", "pool_width", "stride"), POOL_CASES)
def test_max_pool_backward_matches_numeric_gradient(x_shape, pool_height, pool_width, stride, rng):
    x = _distinct_values(rng, x_shape)
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    out, cache = max_pool_forward_naive(x, pool_param)
    dout = rng.standard_normal(out.shape)

    dx_num = eval_numerical_gradient_array(lambda x_: max_pool_forward_naive(x_, pool_param)[0], x, dout)
    dx = max_pool_backward_naive(dout, cache)

    assert dx.shape == x.shape
    assert rel_error(dx, dx_num) < 1e-9


@pytest.mark.parametrize(("x_shape", "pool_height", "pool_width", "stride"), POOL_CASES)
def test_max_pool_forward_and_backward_match_torch(x_shape, pool_height, pool_width, stride, rng):
    torch = pytest.importorskip("torch")
    x = _distinct_values(rng, x_shape)
    out, cache = max_pool_forward_naive(x, {"pool_height": pool_height, "pool_width": pool_width, "stride": stride})
    dout = rng.standard_normal(out.shape)
    dx = max_pool_backward_naive(dout, cache)

    x_t = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.max_pool2d(x_t, kernel_size=(pool_height, pool_width), stride=stride)
    out_t.backward(torch.from_numpy(dout))

    np.testing.assert_array_equal(out, out_t.detach().numpy())
    assert rel_error(dx, x_t.grad.numpy()) < 1e-12


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_preserves_dtype(dtype, rng):
    x = rng.standard_normal((2, 2, 4, 4)).astype(dtype)
    out, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dx = max_pool_backward_naive(np.ones_like(out), cache)
    assert out.dtype == dtype and dx.dtype == dtype


def test_max_pool_does_not_modify_inputs(call_without_mutation, rng):
    x = rng.standard_normal((2, 2, 5, 5))
    out, cache = call_without_mutation(max_pool_forward_naive, x, {"pool_height": 3, "pool_width": 3, "stride": 1})
    call_without_mutation(max_pool_backward_naive, rng.standard_normal(out.shape), cache)


@pytest.mark.parametrize(
    ("x_shape", "pool_param", "message"),
    [
        ((2, 3, 5, 5), {"pool_height": 2, "pool_width": 2, "stride": 2}, r"pool_param\['stride'\]=2 does not tile"),
        ((2, 3, 4, 5), {"pool_height": 2, "pool_width": 2, "stride": 2}, r"pool_param\['stride'\]=2 .* input width"),
        ((2, 3, 4, 4), {"pool_height": 2, "stride": 2}, "pool_param must contain the key 'pool_width'"),
        ((2, 3, 4, 4), {"pool_height": 2, "pool_width": 2, "stride": 0}, r"pool_param\['stride'\] must be >= 1"),
        ((2, 3, 4, 4), {"pool_height": 5, "pool_width": 2, "stride": 1}, r"the window \(5\) is larger than"),
        ((3, 4, 4), {"pool_height": 2, "pool_width": 2, "stride": 2}, "x must have 4 dimensions"),
        ((2, 3, 4, 4), None, "pool_param must be a dict"),
    ],
)
def test_max_pool_forward_rejects_bad_arguments(x_shape, pool_param, message):
    with pytest.raises(ValueError, match=f"max_pool_forward_naive: {message}"):
        max_pool_forward_naive(np.zeros(x_shape), pool_param)


def test_max_pool_backward_rejects_dout_of_the_wrong_shape(rng):
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 1}
    _, cache = max_pool_forward_naive(rng.standard_normal((2, 3, 4, 4)), pool_param)
    with pytest.raises(ValueError, match=r"max_pool_backward_naive: dout must have shape \(2, 3, 3, 3\)"):
        max_pool_backward_naive(np.zeros((2, 3, 2, 2)), cache)
