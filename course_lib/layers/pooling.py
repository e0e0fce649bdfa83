"""Max pooling, naive (loop over output positions) teaching version, forward and backward."""
import numpy as np

from course_lib.layers import _validate


def max_pool_forward_naive(x, pool_param):
    """Forward pass of max pooling: the maximum of each pool_height x pool_width window, per example and channel.

    Windows may overlap (stride smaller than the window); no padding. The stride must tile the input exactly:

        H' = 1 + (H - pool_height) // stride, with (H - pool_height) divisible by stride
        W' = 1 + (W - pool_width) // stride, with (W - pool_width) divisible by stride

    Inputs:
    - x: (N, C, H, W) input
    - pool_param: dict with keys
      - pool_height: height of each pooling window
      - pool_width: width of each pooling window
      - stride: step between neighbouring windows, in pixels

    Returns a tuple of:
    - out: (N, C, H', W') output
    - cache: (x, pool_param)

    Modifies none of its inputs.
    """
    pool_height, pool_width, stride = _validate.max_pool_forward_naive(x, pool_param)
    # TODO [layers.max_pool_forward_naive]: For each output position take the maximum over the window of every
    #   example and channel.
    ### BEGIN SOLUTION
    num_examples, num_channels, height, width = x.shape
    out_height = 1 + (height - pool_height) // stride
    out_width = 1 + (width - pool_width) // stride
    out = np.zeros((num_examples, num_channels, out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        top = i * stride
        for j in range(out_width):
            left = j * stride
            window = x[:, :, top:top + pool_height, left:left + pool_width]  # (N, C, pool_height, pool_width)
            out[:, :, i, j] = window.max(axis=(2, 3))  # (N, C)
    ### END SOLUTION
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Backward pass of max pooling.

    Each window's gradient goes to the position of its maximum (the first one, in row-major order, on ties);
    where windows overlap, an input position collects the sum of the gradients of every window it is the
    maximum of.

    Inputs:
    - dout: (N, C, H', W') upstream derivative
    - cache: (x, pool_param) as in max_pool_forward_naive

    Returns:
    - dx: (N, C, H, W) gradient with respect to x

    Modifies none of its inputs (dout, the cache).
    """
    _validate.max_pool_backward_naive(dout, cache)
    # TODO [layers.max_pool_backward_naive]: Route each dout entry to the argmax of its window with += (overlapping
    #   windows share input positions).
    ### BEGIN SOLUTION
    x, pool_param = cache
    pool_height, pool_width, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    num_examples, num_channels, out_height, out_width = dout.shape
    dx = np.zeros_like(x, dtype=np.result_type(x, dout))
    window_size = pool_height * pool_width
    for i in range(out_height):
        top = i * stride
        for j in range(out_width):
            left = j * stride
            window = x[:, :, top:top + pool_height, left:left + pool_width]  # (N, C, pool_height, pool_width)
            argmax = window.reshape(num_examples, num_channels, window_size).argmax(axis=2)  # (N, C)
            is_max = np.arange(window_size) == argmax[:, :, None]  # (N, C, pool_height*pool_width)
            routed = is_max * dout[:, :, i, j, None]  # (N, C, pool_height*pool_width)
            dx[:, :, top:top + pool_height, left:left + pool_width] += routed.reshape(
                num_examples, num_channels, pool_height, pool_width
            )
    ### END SOLUTION
    return dx
