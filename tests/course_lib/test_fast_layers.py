"""The fast layers: equal to the naive layers and to PyTorch, dtype kept, inputs and caches never modified."""
import numpy as np
import pytest

from course_lib.fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from course_lib.gradient_check import rel_error
from course_lib.layers import (
    conv_backward_naive,
    conv_forward_naive,
    max_pool_backward_naive,
    max_pool_forward_naive,
)

# (x shape, w shape, stride, pad): pads 0/1/2, strides 1/2/3, non-square inputs and filters, 1x1 and
# whole-image filters, the CS231n notebook's cases.
CONV_CASES = {
    "notebook_3x3_stride2_pad1": ((2, 3, 31, 31), (4, 3, 3, 3), 2, 1),
    "notebook_4x4_stride2_pad1": ((2, 3, 4, 4), (3, 3, 4, 4), 2, 1),
    "3x3_stride1_pad1": ((3, 4, 6, 7), (5, 4, 3, 3), 1, 1),
    "3x3_stride1_pad0": ((2, 3, 5, 8), (4, 3, 3, 3), 1, 0),
    "3x3_stride1_pad2": ((2, 2, 5, 4), (3, 2, 3, 3), 1, 2),
    "nonsquare_3x2_stride3_pad2": ((3, 2, 11, 10), (5, 2, 3, 2), 3, 2),
    "nonsquare_2x4_stride2_pad0": ((2, 3, 8, 10), (4, 3, 2, 4), 2, 0),
    "5x5_stride3_pad1": ((2, 2, 12, 9), (3, 2, 5, 5), 3, 1),
    "1x1_stride1_pad0": ((2, 5, 4, 6), (3, 5, 1, 1), 1, 0),
    "1x1_stride2_pad1": ((2, 3, 5, 7), (2, 3, 1, 1), 2, 1),
    "whole_image_filter": ((2, 3, 6, 8), (4, 3, 6, 8), 1, 0),
    "single_example_single_filter": ((1, 1, 5, 5), (1, 1, 3, 3), 2, 0),
    "pad_beyond_filter_3x3_stride1_pad4": ((2, 2, 4, 5), (3, 2, 3, 3), 1, 4),
    "pad_beyond_filter_2x2_stride2_pad3": ((2, 3, 6, 4), (2, 3, 2, 2), 2, 3),
}

# (x shape, pool_height, pool_width, stride): tiling windows, overlapping windows (stride < window), windows
# with gaps between them (stride > window), non-square windows.
POOL_CASES = {
    "2x2_stride2_tiles": ((2, 3, 8, 6), 2, 2, 2),
    "3x3_stride3_tiles": ((2, 2, 9, 6), 3, 3, 3),
    "2x2_stride1_overlaps": ((2, 3, 7, 5), 2, 2, 1),
    "3x3_stride1_overlaps": ((2, 3, 7, 9), 3, 3, 1),
    "3x3_stride2_overlaps": ((2, 2, 9, 7), 3, 3, 2),
    "2x3_stride1_nonsquare": ((2, 3, 6, 8), 2, 3, 1),
    "1x2_stride2_nonsquare": ((2, 2, 5, 8), 1, 2, 2),
    "2x2_stride3_gaps": ((2, 2, 8, 11), 2, 2, 3),
    "whole_image_window": ((2, 3, 4, 5), 4, 5, 1),
}


def _conv_inputs(rng, case, dtype=np.float64):
    x_shape, w_shape, stride, pad = CONV_CASES[case]
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    return x, w, b, {"stride": stride, "pad": pad}


def _pool_inputs(rng, case, dtype=np.float64):
    """Distinct values (no ties), so every window has a single maximum."""
    x_shape, pool_height, pool_width, stride = POOL_CASES[case]
    x = (rng.permutation(np.prod(x_shape)).reshape(x_shape) * 0.1 - 1.0).astype(dtype)
    return x, {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}


@pytest.fixture
def torch():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_fast_forward_and_backward_match_naive_in_float64(rng, case):
    x, w, b, conv_param = _conv_inputs(rng, case)
    out_naive, cache_naive = conv_forward_naive(x, w, b, conv_param)
    out_fast, cache_fast = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out_naive.shape)

    grads_naive = conv_backward_naive(dout, cache_naive)
    grads_fast = conv_backward_fast(dout, cache_fast)

    assert out_fast.shape == out_naive.shape and out_fast.dtype == np.float64
    assert rel_error(out_fast, out_naive) < 1e-9
    for name, fast, naive in zip(("dx", "dw", "db"), grads_fast, grads_naive):
        assert fast.shape == naive.shape and fast.dtype == np.float64, name
        assert rel_error(fast, naive) < 1e-9, name


def test_conv_fast_matches_naive_on_random_geometries(rng):
    """Every combination of filter size, stride and padding the layer may meet, including strides larger than the
    filter (gaps between windows) and paddings larger than the filter (windows that lie wholly in the padding)."""
    for _ in range(60):
        filter_height, filter_width = rng.integers(1, 5, size=2)
        stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 5))
        out_height, out_width = rng.integers(1, 5, size=2)
        height = stride * (out_height - 1) + filter_height - 2 * pad
        width = stride * (out_width - 1) + filter_width - 2 * pad
        if height < 1 or width < 1:
            continue
        x = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(1, 4)), height, width))
        w = rng.standard_normal((int(rng.integers(1, 4)), x.shape[1], filter_height, filter_width))
        b = rng.standard_normal(w.shape[0])
        conv_param = {"stride": stride, "pad": pad}
        out_naive, cache_naive = conv_forward_naive(x, w, b, conv_param)
        out_fast, cache_fast = conv_forward_fast(x, w, b, conv_param)
        dout = rng.standard_normal(out_naive.shape)
        geometry = f"x {x.shape} w {w.shape} {conv_param}"
        assert rel_error(out_fast, out_naive) < 1e-9, geometry
        for name, fast, naive in zip(("dx", "dw", "db"), conv_backward_fast(dout, cache_fast),
                                     conv_backward_naive(dout, cache_naive)):
            assert fast.shape == naive.shape and rel_error(fast, naive) < 1e-9, (name, geometry)


@pytest.mark.parametrize("pad", [0, 1])
def test_conv_fast_reads_non_contiguous_inputs_correctly(rng, pad):
    """Views with unusual strides (a flipped, channels-last-backed input) give the same result as copies."""
    x = rng.standard_normal((3, 9, 7, 2)).transpose(0, 3, 1, 2)[:, :, ::-1, :]  # (3, 2, 9, 7), not contiguous
    w = rng.standard_normal((4, 2, 3, 3))
    b = rng.standard_normal(4)
    conv_param = {"stride": 2, "pad": pad}
    out, cache = conv_forward_fast(x, w, b, conv_param)
    out_copy, cache_copy = conv_forward_fast(np.ascontiguousarray(x), w, b, conv_param)
    assert rel_error(out, out_copy) < 1e-12
    assert rel_error(out, conv_forward_naive(x, w, b, conv_param)[0]) < 1e-9
    dout = rng.standard_normal(out.shape)
    for grad, grad_copy in zip(conv_backward_fast(dout, cache), conv_backward_fast(dout, cache_copy)):
        assert rel_error(grad, grad_copy) < 1e-12


@pytest.mark.parametrize(
    "case", ["notebook_3x3_stride2_pad1", "nonsquare_3x2_stride3_pad2", "3x3_stride1_pad2", "1x1_stride2_pad1"]
)
def test_conv_fast_matches_torch_conv2d_with_autograd(rng, torch, case):
    x, w, b, conv_param = _conv_inputs(rng, case)
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_backward_fast(dout, cache)

    x_t, w_t, b_t = (torch.tensor(array, requires_grad=True) for array in (x, w, b))
    out_t = torch.nn.functional.conv2d(x_t, w_t, b_t, stride=conv_param["stride"], padding=conv_param["pad"])
    out_t.backward(torch.tensor(dout))

    assert rel_error(out, out_t.detach().numpy()) < 1e-9
    assert rel_error(dx, x_t.grad.numpy()) < 1e-9
    assert rel_error(dw, w_t.grad.numpy()) < 1e-9
    assert rel_error(db, b_t.grad.numpy()) < 1e-9


@pytest.mark.parametrize("case", ["notebook_3x3_stride2_pad1", "nonsquare_3x2_stride3_pad2", "1x1_stride1_pad0"])
def test_conv_fast_keeps_float32_and_stays_close_to_float64(rng, case):
    x, w, b, conv_param = _conv_inputs(rng, case, dtype=np.float32)
    out, cache = conv_forward_fast(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    grads = conv_backward_fast(dout, cache)

    out64, cache64 = conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)), conv_param)
    grads64 = conv_backward_naive(dout.astype(np.float64), cache64)
    for name, value, reference in zip(("out", "dx", "dw", "db"), (out,) + grads, (out64,) + grads64):
        assert value.dtype == np.float32, name
        np.testing.assert_allclose(value, reference, rtol=1e-4, atol=1e-4 * np.abs(reference).max(), err_msg=name)


def test_conv_fast_modifies_neither_its_inputs_nor_its_cache(rng, call_without_mutation):
    x, w, b, conv_param = _conv_inputs(rng, "nonsquare_3x2_stride3_pad2")
    out, cache = call_without_mutation(conv_forward_fast, x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    dx, _, _ = call_without_mutation(conv_backward_fast, dout, cache)
    assert not np.shares_memory(dx, x)


def test_conv_fast_forward_twice_gives_the_same_result(rng):
    x, w, b, conv_param = _conv_inputs(rng, "3x3_stride1_pad1")
    first, _ = conv_forward_fast(x, w, b, conv_param)
    second, _ = conv_forward_fast(x, w, b, conv_param)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    "x_shape, w_shape, conv_param, message",
    [
        ((1, 3, 7, 7), (2, 3, 3, 3), {"stride": 3, "pad": 0}, r"conv_param\['stride'\]=3 does not tile"),
        (
            (1, 3, 7, 8),
            (2, 3, 3, 3),
            {"stride": 2, "pad": 1},
            r"conv_param\['stride'\]=2 does not tile the input width",
        ),
        ((1, 3, 5, 5), (2, 3, 3, 3), {"stride": 0, "pad": 1}, r"conv_param\['stride'\] must be >= 1"),
        ((1, 3, 5, 5), (2, 3, 3, 3), {"stride": 1, "pad": -1}, r"conv_param\['pad'\] must be >= 0"),
        ((1, 3, 5, 5), (2, 3, 3, 3), {"pad": 1}, r"conv_param must contain the key 'stride'"),
        ((1, 3, 5, 5), (2, 4, 3, 3), {"stride": 1, "pad": 1}, r"w must have as many channels as x"),
        ((1, 3, 2, 2), (2, 3, 3, 3), {"stride": 1, "pad": 0}, r"the window \(3\) is larger than the input height"),
    ],
)
def test_conv_fast_rejects_bad_arguments_with_the_naive_layers_value_error(x_shape, w_shape, conv_param, message):
    x, w, b = np.zeros(x_shape), np.zeros(w_shape), np.zeros(w_shape[0])
    with pytest.raises(ValueError, match=r"^conv_forward_fast: " + message):
        conv_forward_fast(x, w, b, conv_param)
    with pytest.raises(ValueError, match=r"^conv_forward_naive: " + message):
        conv_forward_naive(x, w, b, conv_param)


def test_conv_backward_fast_rejects_dout_of_the_wrong_shape(rng):
    x, w, b, conv_param = _conv_inputs(rng, "3x3_stride1_pad1")
    out, cache = conv_forward_fast(x, w, b, conv_param)
    with pytest.raises(ValueError, match=r"conv_backward_fast: dout must have shape"):
        conv_backward_fast(np.zeros(out.shape[:3]), cache)


@pytest.mark.parametrize("case", POOL_CASES)
def test_max_pool_fast_forward_and_backward_match_naive_in_float64(rng, case):
    x, pool_param = _pool_inputs(rng, case)
    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    out_fast, cache_fast = max_pool_forward_fast(x, pool_param)
    dout = rng.standard_normal(out_naive.shape)

    dx_naive = max_pool_backward_naive(dout, cache_naive)
    dx_fast = max_pool_backward_fast(dout, cache_fast)

    assert out_fast.shape == out_naive.shape and out_fast.dtype == np.float64
    np.testing.assert_array_equal(out_fast, out_naive)
    assert dx_fast.shape == x.shape and dx_fast.dtype == np.float64
    assert rel_error(dx_fast, dx_naive) < 1e-9


@pytest.mark.parametrize("case", ["2x2_stride2_tiles", "3x3_stride1_overlaps", "2x3_stride1_nonsquare"])
def test_max_pool_fast_routes_ties_to_the_first_maximum_like_naive(rng, case):
    x, pool_param = _pool_inputs(rng, case)
    x = np.maximum(np.round(x), 0.0)  # many equal values and whole windows of zeros, as after a ReLU
    out_fast, cache_fast = max_pool_forward_fast(x, pool_param)
    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    dout = rng.standard_normal(out_naive.shape)

    dx_fast = max_pool_backward_fast(dout, cache_fast)
    dx_naive = max_pool_backward_naive(dout, cache_naive)
    np.testing.assert_array_equal(out_fast, out_naive)
    np.testing.assert_array_equal(dx_fast != 0, dx_naive != 0)
    np.testing.assert_allclose(dx_fast, dx_naive, rtol=1e-12)


def test_max_pool_fast_accumulates_gradient_where_overlapping_windows_share_a_maximum():
    x = np.array([[1.0, 5.0, 2.0], [4.0, 0.0, 3.0], [6.0, 1.0, 9.0]]).reshape(1, 1, 3, 3)
    out, cache = max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dx = max_pool_backward_fast(np.array([[[[1.0, 2.0], [4.0, 8.0]]]]), cache)

    np.testing.assert_array_equal(out, [[[[5.0, 5.0], [6.0, 9.0]]]])
    np.testing.assert_array_equal(dx, [[[[0.0, 3.0, 0.0], [0.0, 0.0, 0.0], [4.0, 0.0, 8.0]]]])


@pytest.mark.parametrize(
    "case", ["2x2_stride2_tiles", "3x3_stride1_overlaps", "3x3_stride2_overlaps", "2x3_stride1_nonsquare"]
)
def test_max_pool_fast_matches_torch_max_pool2d_with_autograd(rng, torch, case):
    x, pool_param = _pool_inputs(rng, case)
    out, cache = max_pool_forward_fast(x, pool_param)
    dout = rng.standard_normal(out.shape)
    dx = max_pool_backward_fast(dout, cache)

    x_t = torch.tensor(x, requires_grad=True)
    window = (pool_param["pool_height"], pool_param["pool_width"])
    out_t = torch.nn.functional.max_pool2d(x_t, window, stride=pool_param["stride"])
    out_t.backward(torch.tensor(dout))

    np.testing.assert_array_equal(out, out_t.detach().numpy())
    assert rel_error(dx, x_t.grad.numpy()) < 1e-9


@pytest.mark.parametrize("case", ["2x2_stride2_tiles", "3x3_stride1_overlaps"])
def test_max_pool_fast_keeps_float32_exactly(rng, case):
    x, pool_param = _pool_inputs(rng, case, dtype=np.float32)
    out, cache = max_pool_forward_fast(x, pool_param)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx = max_pool_backward_fast(dout, cache)

    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    assert out.dtype == np.float32 and dx.dtype == np.float32
    np.testing.assert_array_equal(out, out_naive)
    np.testing.assert_allclose(dx, max_pool_backward_naive(dout, cache_naive), rtol=1e-6)


@pytest.mark.parametrize("case", ["2x2_stride2_tiles", "3x3_stride1_overlaps"])
def test_max_pool_fast_modifies_neither_its_inputs_nor_its_cache(rng, case, call_without_mutation):
    x, pool_param = _pool_inputs(rng, case)
    out, cache = call_without_mutation(max_pool_forward_fast, x, pool_param)
    dout = rng.standard_normal(out.shape)
    dx = call_without_mutation(max_pool_backward_fast, dout, cache)
    assert not np.shares_memory(dx, x) and not np.shares_memory(out, x)


@pytest.mark.parametrize(
    "x_shape, pool_param, message",
    [
        ((1, 1, 5, 5), {"pool_height": 2, "pool_width": 2, "stride": 2}, r"pool_param\['stride'\]=2 does not tile"),
        ((1, 1, 7, 6), {"pool_height": 3, "pool_width": 3, "stride": 2}, r"pool_param\['stride'\]=2 .* input width"),
        ((1, 1, 4, 4), {"pool_height": 2, "pool_width": 2, "stride": 0}, r"pool_param\['stride'\] must be >= 1"),
        ((1, 1, 4, 4), {"pool_height": 2, "stride": 2}, r"pool_param must contain the key 'pool_width'"),
        ((1, 1, 2, 4), {"pool_height": 3, "pool_width": 2, "stride": 1}, r"the window \(3\) is larger than .* height"),
    ],
)
def test_max_pool_fast_rejects_bad_arguments_with_the_naive_layers_value_error(x_shape, pool_param, message):
    x = np.zeros(x_shape)
    with pytest.raises(ValueError, match=r"^max_pool_forward_fast: " + message):
        max_pool_forward_fast(x, pool_param)
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: " + message):
        max_pool_forward_naive(x, pool_param)


def test_max_pool_backward_fast_rejects_dout_of_the_wrong_shape(rng):
    x, pool_param = _pool_inputs(rng, "2x2_stride2_tiles")
    _, cache = max_pool_forward_fast(x, pool_param)
    with pytest.raises(ValueError, match=r"max_pool_backward_fast: dout must have shape"):
        max_pool_backward_fast(np.zeros((2, 3, 3, 3)), cache)
