"""Convolutional layer, naive (loop over output positions) teaching version, forward and backward."""
import numpy as np

from course_lib.layers import _checks


def _conv_output_shape(caller, x_shape, w_shape, conv_param):
    """Validate conv_param against the shapes and return (stride, pad, H_out, W_out)."""
    stride = _checks.require_key(caller, "conv_param", conv_param, "stride")
    pad = _checks.require_key(caller, "conv_param", conv_param, "pad")
    stride = _checks.require_int(caller, "conv_param['stride']", stride, minimum=1)
    pad = _checks.require_int(caller, "conv_param['pad']", pad, minimum=0)
    _, _, height, width = x_shape
    _, _, filter_height, filter_width = w_shape
    stride_name = "conv_param['stride']"
    out_height = _checks.sliding_output_size(caller, "height", height, filter_height, pad, stride, stride_name)
    out_width = _checks.sliding_output_size(caller, "width", width, filter_width, pad, stride, stride_name)
    return stride, pad, out_height, out_width


def _check_conv_inputs(caller, x, w, b, conv_param):
    """Validate the inputs of a convolution forward pass; return (stride, pad, out_height, out_width).

    Shared with course_lib.fast_layers, so both layers reject the same inputs with the same messages.
    """
    _checks.require_array(caller, "x", x, ndim=4)
    _checks.require_array(caller, "w", w, ndim=4)
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"{caller}: w must have as many channels as x: w.shape[1] = {w.shape[1]}, x.shape[1] = {x.shape[1]}"
        )
    _checks.require_shape(caller, "b", b, (w.shape[0],))
    return _conv_output_shape(caller, x.shape, w.shape, conv_param)


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
    """
    caller = "conv_forward_naive"
    stride, pad, out_height, out_width = _check_conv_inputs(caller, x, w, b, conv_param)
    # TODO: Zero-pad x; at each output position correlate the window of every example with every filter, add b.
    ### BEGIN SOLUTION
    num_examples = x.shape[0]
    num_filters, _, filter_height, filter_width = w.shape
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
    """
    caller = "conv_backward_naive"
    x, w, b, conv_param = cache
    stride, pad, out_height, out_width = _conv_output_shape(caller, x.shape, w.shape, conv_param)
    _checks.require_shape(caller, "dout", dout, (x.shape[0], w.shape[0], out_height, out_width))
    # TODO: At each output position add dout's share into dw and into the padded dx window (+=); crop the padding.
    ### BEGIN SOLUTION
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
