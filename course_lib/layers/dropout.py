"""Inverted dropout, forward and backward."""
import numpy as np

from course_lib.layers import _validate


def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    In 'train' mode each unit is kept with probability p and the kept units are scaled by 1 / p, so the expected
    output equals x and 'test' mode is the identity.

    Inputs:
    - x: input of any shape
    - dropout_param: dict with keys
      - p: probability of KEEPING each unit, 0 < p <= 1 (required)
      - mode: 'train' or 'test' (required)
      - seed: optional; when given (not None), np.random.seed(seed) is called first, for reproducible masks

    Returns a tuple of:
    - out: output, same shape as x
    - cache: (dropout_param, mask), a copy of dropout_param and, in 'train' mode, the scaled mask
      (np.random.rand(*x.shape) < p) / p of x's shape and dtype; mask is None in 'test' mode

    Modifies none of its inputs.
    """
    mode, keep_prob, seed = _validate.dropout_forward(x, dropout_param)
    # TODO [layers.dropout_forward]: np.random.seed(seed) unless seed is None. Train: out = x * mask, with
    #   mask = (np.random.rand(*x.shape) < keep_prob) / keep_prob in x's dtype. Test: out = a copy of x.
    ### BEGIN SOLUTION
    if seed is not None:
        np.random.seed(seed)  # the same mask on every call with this seed
    if mode == "train":
        mask = ((np.random.rand(*x.shape) < keep_prob) / keep_prob).astype(x.dtype)
        out = x * mask
    else:
        mask = None
        out = x.copy()
    ### END SOLUTION
    cache = (dict(dropout_param), mask)
    return out, cache


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Inputs:
    - dout: upstream derivative, same shape as x
    - cache: (dropout_param, mask) from dropout_forward

    Returns:
    - dx: gradient with respect to x, same shape as x

    Modifies none of its inputs (dout, the cache).
    """
    _validate.dropout_backward(dout, cache)
    # TODO [layers.dropout_backward]: Unpack cache; in 'train' mode multiply dout by the mask, in 'test' mode copy dout.
    ### BEGIN SOLUTION
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        dx = dout * mask
    else:
        dx = dout.copy()
    ### END SOLUTION
    return dx
