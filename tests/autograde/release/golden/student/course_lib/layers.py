"""Layers with one solution region each, at the usual indentation."""
import numpy as np


def relu_forward(x):
    """ReLU forward: out = max(0, x).

    Inputs:
    - x: input of any shape

    Returns a tuple of:
    - out: output, same shape as x
    - cache: x
    """
    # TODO: Implement the ReLU forward pass.
    raise NotImplementedError("relu_forward: Implement the ReLU forward pass.")
    return out, x


def scale_rows(x, factors, in_place=False):
    """Multiply row i of x: (N, D) by factors[i]: (N,)."""
    if factors.shape != (x.shape[0],):
        raise ValueError(f"scale_rows: factors must have shape ({x.shape[0]},), got {factors.shape}")
    if in_place:
        # TODO: Scale x row by row without allocating a new array, then return x.
        # Broadcast factors as a column: factors[:, None] has shape (N, 1).
        raise NotImplementedError(
            "scale_rows: Scale x row by row without allocating a new array, then return x. Broadcast factors as a "
            "column: factors[:, None] has shape (N, 1)."
        )
        return x
    return x * factors[:, None]


def clipped(x, low, high):
    """Clip x elementwise to [low, high]; no TODO line, so the stub falls back to a generic message."""
    raise NotImplementedError("clipped: fill in the solution")


def self_test():
    """Public sanity checks; the hidden ones never ship."""
    assert relu_forward(np.array([-1.0, 2.0]))[0].tolist() == [0.0, 2.0]
    return True
