"""Inverted dropout, forward and backward."""
import numbers

import numpy as np

from course_lib.layers import _checks


def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    In 'train' mode each unit is kept with probability p and the kept units are scaled by 1 / p, so the expected
    output equals x and 'test' mode is the identity.

    Inputs:
    - x: input of any shape
    - dropout_param: dict with keys
      - p: probability of KEEPING each unit, 0 < p <= 1 (required)
      - mode: 'train' or 'test' (required)
      - seed: optional; when present np.random.seed(seed) is called first, for reproducible masks

    Returns a tuple of:
    - out: output, same shape as x
    - cache: (dropout_param, mask), a copy of dropout_param and, in 'train' mode, the scaled mask
      (np.random.rand(*x.shape) < p) / p of x's shape and dtype; mask is None in 'test' mode
    """
    caller = "dropout_forward"
    _checks.require_array(caller, "x", x)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{caller}: x must be a floating-point array (the mask scales by 1 / p), got dtype {x.dtype}")
    mode = _checks.require_mode(caller, "dropout_param", dropout_param)
    keep_prob = _checks.require_key(caller, "dropout_param", dropout_param, "p")
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real) or not 0 < keep_prob <= 1:
        raise ValueError(
            f"{caller}: dropout_param['p'] is the probability of keeping a unit and must be in (0, 1], "
            f"got {keep_prob!r}"
        )
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    # TODO: Train: out = x * mask, mask = (np.random.rand(*x.shape) < keep_prob) / keep_prob as x's dtype. Test: copy x.
    ### BEGIN SOLUTION
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
    """
    caller = "dropout_backward"
    _checks.require_array(caller, "dout", dout)
    dropout_param, mask = cache
    mode = _checks.require_mode(caller, "dropout_param", dropout_param)
    if mode == "train":
        _checks.require_array(caller, "the mask in cache", mask)
        _checks.require_shape(caller, "dout", dout, mask.shape)
    # TODO: In 'train' mode multiply dout by the mask; in 'test' mode pass a copy of dout through.
    ### BEGIN SOLUTION
    if mode == "train":
        dx = dout * mask
    else:
        dx = dout.copy()
    ### END SOLUTION
    return dx
