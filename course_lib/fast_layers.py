"""Fast convolution and max pooling in plain numpy (no compiler, no Cython), given to students.

They accept exactly what the naive layers in course_lib.layers accept (any stride that tiles the input, any
padding, non-square inputs, filters and pooling windows, overlapping pooling windows), raise the same
ValueErrors, keep the dtype (float32 stays float32) and never modify their inputs.

- Convolution is im2col plus ONE matrix product: a strided view (as_strided, read-only) of the padded input is
  copied once into a column array laid out (C*HH*WW, N*H'*W'), so that `w (F, C*HH*WW) @ cols` is a single
  large BLAS call for the whole batch. A last row of ones in the columns (and b as a last column of w) adds the
  bias in that product. The backward pass reuses the columns for dw and db (one more product) and scatters the
  column gradients back with one strided slice per filter offset (HH*WW of them): the first stride x stride
  offsets are written, the others added.
- Max pooling takes the maximum over the pool_height*pool_width strided slices of the input (one per offset in
  the window) and remembers which offset won (the first maximum in row-major order on ties, as the naive
  layer does). When the windows tile the input exactly (stride == pool_height == pool_width) the backward pass
  writes each slice of dx once; otherwise (overlapping windows, gaps) it accumulates into a zeroed dx.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from course_lib.layers import _validate


def _strided_slice(array, row, col, stride, out_height, out_width):
    """View of array[:, :, row + stride*i, col + stride*j] for i < out_height, j < out_width: (N, C, H', W')."""
    return array[:, :, row:row + stride * (out_height - 1) + 1:stride, col:col + stride * (out_width - 1) + 1:stride]


def _zero_pad(x, pad, dtype):
    """x (N, C, H, W) with `pad` zeros added on each side of H and W, as dtype (np.pad does the same, slower)."""
    if pad == 0:
        return x.astype(dtype, copy=False)
    num_examples, channels, height, width = x.shape
    x_padded = np.zeros((num_examples, channels, height + 2 * pad, width + 2 * pad), dtype=dtype)
    x_padded[:, :, pad:pad + height, pad:pad + width] = x
    return x_padded


def _col2im(dcols, stride, padded_height, padded_width):
    """Sum the column gradients dcols (C, HH, WW, N, H', W') back into a channel-major padded dx (C, N, Hp, Wp).

    Filter offset (i, j) of every window touches the strided slice of the padded input starting at (i, j).
    When the stride is at most the filter size, the offsets i, j < stride cover rows [0, stride*H') and columns
    [0, stride*W') exactly once between them: they are written, not added, and only the strips beyond are zeroed.
    """
    channels, filter_height, filter_width, num_examples, out_height, out_width = dcols.shape
    shape = (channels, num_examples, padded_height, padded_width)
    if stride > filter_height or stride > filter_width:  # windows leave gaps: start from zeros, add everything
        dx_padded = np.zeros(shape, dtype=dcols.dtype)
        written = ()
    else:
        dx_padded = np.empty(shape, dtype=dcols.dtype)
        dx_padded[:, :, stride * out_height:] = 0
        dx_padded[:, :, :, stride * out_width:] = 0
        written = [(i, j) for i in range(stride) for j in range(stride)]
        for i, j in written:
            _strided_slice(dx_padded, i, j, stride, out_height, out_width)[...] = dcols[:, i, j]
    for i in range(filter_height):
        for j in range(filter_width):
            if (i, j) not in written:
                _strided_slice(dx_padded, i, j, stride, out_height, out_width)[...] += dcols[:, i, j]
    return dx_padded


def conv_forward_fast(x, w, b, conv_param):
    """Fast forward pass of a convolutional layer; same contract as conv_forward_naive.

    Inputs:
    - x: (N, C, H, W) input
    - w: (F, C, HH, WW) filters
    - b: (F,) biases
    - conv_param: dict with keys 'stride' (>= 1) and 'pad' (>= 0); the stride must tile the padded input:
      (H + 2*pad - HH) and (W + 2*pad - WW) divisible by stride.

    Returns a tuple of:
    - out: (N, F, H', W') output, H' = 1 + (H + 2*pad - HH) // stride, W' = 1 + (W + 2*pad - WW) // stride
    - cache: (x, w, b, conv_param, cols) with cols: (C*HH*WW + 1, N*H'*W') the im2col matrix and a last row of
      ones, reused by backward
    """
    caller = "conv_forward_fast"
    stride, pad, out_height, out_width = _validate.conv_inputs(caller, x, w, b, conv_param)
    num_examples, channels = x.shape[:2]
    num_filters, _, filter_height, filter_width = w.shape
    dtype = np.result_type(x, w, b)

    # One copy puts every window's pixels in the order of w's rows and all N*H'*W' positions side by side, so
    # the whole layer is ONE large matrix product (far faster in BLAS than N small ones). A last row of ones
    # against a last column of w holding b adds the bias inside that product (and gives db in the backward one).
    num_rows = channels * filter_height * filter_width  # K
    cols = np.empty((num_rows + 1, num_examples * out_height * out_width), dtype=dtype)  # (K+1, N*P)
    x_padded = _zero_pad(x, pad, dtype)  # (N, C, H+2p, W+2p)
    # Every window as a read-only view (N, C, H', W', HH, WW); sliding_window_view builds the same view in about
    # 0.1 ms of Python, which is 2 % of the notebook's small layer.
    step_n, step_c, step_h, step_w = x_padded.strides
    windows = as_strided(
        x_padded,
        shape=(num_examples, channels, out_height, out_width, filter_height, filter_width),
        strides=(step_n, step_c, stride * step_h, stride * step_w, step_h, step_w),
        writeable=False,
    )
    window_cols = cols[:num_rows].reshape(channels, filter_height, filter_width, num_examples, out_height, out_width)
    window_cols[...] = windows.transpose(1, 4, 5, 0, 2, 3)
    cols[num_rows] = 1
    del x_padded, windows, window_cols

    w_rows = np.empty((num_filters, num_rows + 1), dtype=dtype)  # (F, K+1): [w as rows | b]
    w_rows[:, :num_rows] = w.reshape(num_filters, num_rows)
    w_rows[:, num_rows] = b
    out = w_rows @ cols  # (F, N*P), bias included
    out = out.reshape(num_filters, num_examples, out_height, out_width)  # (F, N, H', W')
    out = np.ascontiguousarray(out.transpose(1, 0, 2, 3))  # (N, F, H', W')
    cache = (x, w, b, conv_param, cols)
    return out, cache


def conv_backward_fast(dout, cache):
    """Fast backward pass of a convolutional layer; same contract as conv_backward_naive.

    Inputs:
    - dout: (N, F, H', W') upstream derivative
    - cache: (x, w, b, conv_param, cols) from conv_forward_fast

    Returns a tuple of:
    - dx: (N, C, H, W) gradient with respect to x
    - dw: (F, C, HH, WW) gradient with respect to w
    - db: (F,) gradient with respect to b
    """
    caller = "conv_backward_fast"
    x, w, b, conv_param, cols = cache
    stride, pad, out_height, out_width = _validate.conv_geometry(caller, x.shape, w.shape, conv_param)
    _validate.require_shape(caller, "dout", dout, (x.shape[0], w.shape[0], out_height, out_width))
    num_examples, channels, height, width = x.shape
    num_filters, _, filter_height, filter_width = w.shape
    dtype = np.result_type(cols, dout)

    dout_rows = dout.astype(dtype, copy=False).transpose(1, 0, 2, 3).reshape(num_filters, -1)  # (F, N*P)
    dw_and_db = dout_rows @ cols.T  # (F, K+1); the last column, against the row of ones, is db
    dw = np.ascontiguousarray(dw_and_db[:, :-1]).reshape(w.shape)  # (F, C, HH, WW)
    db = dw_and_db[:, -1].copy()  # (F,)
    w_rows = w.astype(dtype, copy=False).reshape(num_filters, -1)  # (F, K)
    dcols = w_rows.T @ dout_rows  # (K, N*P)
    del dout_rows
    dcols = dcols.reshape(channels, filter_height, filter_width, num_examples, out_height, out_width)

    # col2im, channel-major (the layout dcols has); transposed back once at the end.
    dx_padded = _col2im(dcols, stride, height + 2 * pad, width + 2 * pad)  # (C, N, H+2p, W+2p)
    dx_padded = dx_padded.transpose(1, 0, 2, 3)  # (N, C, H+2p, W+2p)
    dx = np.ascontiguousarray(dx_padded[:, :, pad:pad + height, pad:pad + width])  # (N, C, H, W)
    return dx, dw, db


def max_pool_forward_fast(x, pool_param):
    """Fast forward pass of max pooling; same contract as max_pool_forward_naive.

    Inputs:
    - x: (N, C, H, W) input
    - pool_param: dict with keys 'pool_height', 'pool_width', 'stride'; windows may overlap (stride smaller
      than the window); the stride must tile the input: (H - pool_height) and (W - pool_width) divisible by it.

    Returns a tuple of:
    - out: (N, C, H', W') output, H' = 1 + (H - pool_height) // stride, W' = 1 + (W - pool_width) // stride
    - cache: (x, pool_param, winner) with winner: (N, C, H', W') the row-major offset in its window of each
      output's maximum (the first one on ties)
    """
    caller = "max_pool_forward_fast"
    _validate.require_array(caller, "x", x, ndim=4)
    pool_height, pool_width, stride, out_height, out_width = _validate.pool_geometry(caller, x.shape, pool_param)
    window_slices = [
        _strided_slice(x, row, col, stride, out_height, out_width)  # (N, C, H', W') each
        for row in range(pool_height)
        for col in range(pool_width)
    ]
    out = window_slices[0].copy()
    for window_slice in window_slices[1:]:
        np.maximum(out, window_slice, out=out)

    # winner = number of leading offsets that are not the maximum: the index of the first maximum.
    winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(window_slices) - 1))
    not_reached = np.ones(out.shape, dtype=bool)
    for window_slice in window_slices[:-1]:
        not_reached &= window_slice != out
        winner += not_reached
    cache = (x, pool_param, winner)
    return out, cache


def max_pool_backward_fast(dout, cache):
    """Fast backward pass of max pooling; same contract as max_pool_backward_naive.

    Each window's gradient goes to its first maximum; where windows overlap, an input position collects the sum
    of the gradients of every window it wins.

    Inputs:
    - dout: (N, C, H', W') upstream derivative
    - cache: (x, pool_param, winner) from max_pool_forward_fast

    Returns:
    - dx: (N, C, H, W) gradient with respect to x
    """
    caller = "max_pool_backward_fast"
    x, pool_param, winner = cache
    pool_height, pool_width, stride, out_height, out_width = _validate.pool_geometry(caller, x.shape, pool_param)
    _validate.require_shape(caller, "dout", dout, (x.shape[0], x.shape[1], out_height, out_width))
    dtype = np.result_type(x, dout)
    tiles_exactly = pool_height == stride and pool_width == stride
    if tiles_exactly:
        # Every input position lies in exactly one window: each slice of dx is written once, no zeroing.
        dx = np.empty(x.shape, dtype=dtype)
    else:
        dx = np.zeros(x.shape, dtype=dtype)
    routed = np.empty(dout.shape, dtype=dtype)
    for offset in range(pool_height * pool_width):
        row, col = divmod(offset, pool_width)
        dx_slice = _strided_slice(dx, row, col, stride, out_height, out_width)  # (N, C, H', W')
        if tiles_exactly:
            np.multiply(dout, winner == offset, out=dx_slice)
        else:
            np.multiply(dout, winner == offset, out=routed)
            dx_slice += routed
    return dx
