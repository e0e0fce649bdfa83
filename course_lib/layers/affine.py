"""Affine (fully-connected) layer and ReLU nonlinearity, forward and backward."""
import numpy as np

from course_lib.layers import _validate


def affine_forward(x, w, b):
    """Forward pass of an affine layer: out = x_flat @ w + b.

    Each example x[i] of shape (d_1, ..., d_k) is flattened to a row of length D = d_1 * ... * d_k.

    Inputs:
    - x: (N, d_1, ..., d_k) input minibatch
    - w: (D, M) weights
    - b: (M,) biases

    Returns a tuple of:
    - out: (N, M) output
    - cache: (x, w, b)

    Modifies none of its inputs.
    """
    _validate.affine_forward(x, w, b)
    # TODO [layers.affine_forward]: Flatten each example of x into a row and compute out = x_flat @ w + b.
    ### BEGIN SOLUTION
    x_flat = x.reshape(x.shape[0], -1)  # (N, D)
    out = x_flat @ w + b  # (N, M)
    ### END SOLUTION
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Inputs:
    - dout: (N, M) upstream derivative
    - cache: (x, w, b) from affine_forward, x: (N, d_1, ..., d_k), w: (D, M), b: (M,)

    Returns a tuple of:
    - dx: (N, d_1, ..., d_k) gradient with respect to x
    - dw: (D, M) gradient with respect to w
    - db: (M,) gradient with respect to b

    Modifies none of its inputs (dout, the cache).
    """
    _validate.affine_backward(dout, cache)
    # TODO [layers.affine_backward]: Unpack x, w, b from cache; compute dx (reshaped back to x's shape), dw and db.
    ### BEGIN SOLUTION
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)  # (N, D)
    dx = (dout @ w.T).reshape(x.shape)  # (N, D) -> (N, d_1, ..., d_k)
    dw = x_flat.T @ dout  # (D, M)
    db = dout.sum(axis=0)  # (M,)
    ### END SOLUTION
    return dx, dw, db


def relu_forward(x):
    """Forward pass of a rectified linear unit: out = max(0, x), elementwise.

    Inputs:
    - x: input of any shape

    Returns a tuple of:
    - out: output, same shape as x
    - cache: x

    Modifies none of its inputs.
    """
    _validate.relu_forward(x)
    # TODO [layers.relu_forward]: Implement the ReLU forward pass.
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    ### END SOLUTION
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of a rectified linear unit.

    Inputs:
    - dout: upstream derivative, same shape as x
    - cache: x, the input of relu_forward

    Returns:
    - dx: gradient with respect to x, same shape as x (zero where x <= 0)

    Modifies none of its inputs (dout, the cache).
    """
    _validate.relu_backward(dout, cache)
    # TODO [layers.relu_backward]: Pass dout through where x (the cache) > 0 and zero it elsewhere.
    ### BEGIN SOLUTION
    x = cache
    dx = dout * (x > 0)
    ### END SOLUTION
    return dx
