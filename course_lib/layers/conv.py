"""Convolutional layer, naive (loop over output positions) teaching version, forward and backward."""
import numpy as np

from course_lib.layers import _validate


def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer (cross-correlation, as in every deep-learning library).

    Each of the F filters spans all C input channels and an HH x WW window; the input is zero-padded by `pad`
    on every side and the window moves by `stride` in both directions:

        H' = 1 + (H + 2 * pad - HH) // stride
        W' = 1 + (W + 2 * pad - WW) // stride

    The stride must tile the padded input exactly ((H + 2 * pad - HH) divisible by stride, the same for W).

    Inputs:
    - x: (N, C, H, W) input
    - w: (F, C, HH, WW) filters
    - b: (F,) biases
    - conv_param: dict with keys
      - stride: step between neighbouring windows, in pixels, >= 1
      - pad: number of zero pixels added on each side of the input, >= 0

    Returns a tuple of:
    - out: (N, F, H', W') output
    - cache: (x, w, b, conv_param)

    Modifies none of its inputs.
    """
    stride, pad = _validate.conv_forward_naive(x, w, b, conv_param)
    # TODO [layers.conv_forward_naive]: Zero-pad x; at each output position correlate the window of every example
    #   with every filter and add b.
    ### BEGIN SOLUTION
    num_examples, _, height, width = x.shape
    num_filters, _, filter_height, filter_width = w.shape
    out_height = 1 + (height + 2 * pad - filter_height) // stride
    out_width = 1 + (width + 2 * pad - filter_width) // stride
    x_padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H + 2*pad, W + 2*pad)
    out = np.zeros((num_examples, num_filters, out_height, out_width), dtype=np.result_type(x, w, b))
    for i in range(out_height):
        top = i * stride
        for j in range(out_width):
            left = j * stride
            window = x_padded[:, :, top:top + filter_height, left:left + filter_width]  # (N, C, HH, WW)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b  # (N, F)
    ### END SOLUTION
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer.

    Inputs:
    - dout: (N, F, H', W') upstream derivative
    - cache: (x, w, b, conv_param) as in conv_forward_naive

    Returns a tuple of:
    - dx: (N, C, H, W) gradient with respect to x
    - dw: (F, C, HH, WW) gradient with respect to w
    - db: (F,) gradient with respect to b

    Modifies none of its inputs (dout, the cache).
    """
    _validate.conv_backward_naive(dout, cache)
    # TODO [layers.conv_backward_naive]: At each output position add dout's share into dw and into the padded dx
    #   window (+=); crop the padding.
    ### BEGIN SOLUTION
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    out_height, out_width = dout.shape[2:]
    height, width = x.shape[2:]
    filter_height, filter_width = w.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H + 2*pad, W + 2*pad)
    dx_padded = np.zeros_like(x_padded, dtype=np.result_type(x, dout))
    dw = np.zeros_like(w, dtype=np.result_type(w, dout))
    for i in range(out_height):
        top = i * stride
        for j in range(out_width):
            left = j * stride
            window = x_padded[:, :, top:top + filter_height, left:left + filter_width]  # (N, C, HH, WW)
            dout_here = dout[:, :, i, j]  # (N, F)
            dw += np.tensordot(dout_here, window, axes=([0], [0]))  # (F, C, HH, WW)
            dx_padded[:, :, top:top + filter_height, left:left + filter_width] += np.tensordot(
                dout_here, w, axes=([1], [0])
            )  # (N, C, HH, WW)
    dx = dx_padded[:, :, pad:pad + height, pad:pad + width]  # (N, C, H, W)
    db = dout.sum(axis=(0, 2, 3))  # (F,)
    ### END SOLUTION
    return dx, dw, db
