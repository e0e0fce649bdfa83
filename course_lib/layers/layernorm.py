"""Layer normalization for (N, D) activations and group normalization for (N, C, H, W) activations.

Both normalize each example on its own, so they keep no running statistics and behave the same in training
and at test time.
"""
import numpy as np

from course_lib.layers import _validate


def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalization: each example is normalized over its D features.

    out = gamma * (x - mean) / sqrt(var + eps) + beta, with mean and (uncorrected) var of shape (N, 1).

    Inputs:
    - x: (N, D) data
    - gamma: (D,) scale
    - beta: (D,) shift
    - ln_param: dict with optional key 'eps' (default 1e-5); other keys such as 'mode' are ignored

    Returns a tuple of:
    - out: (N, D) output
    - cache: what layernorm_backward needs

    Modifies none of its inputs.
    """
    eps = _validate.layernorm_forward(x, gamma, beta, ln_param)
    # TODO [layers.layernorm_forward]: Normalize each row of x by its own mean and variance; scale by gamma, add beta.
    ### BEGIN SOLUTION
    mean = x.mean(axis=1, keepdims=True)  # (N, 1)
    x_centered = x - mean  # (N, D)
    var = (x_centered**2).mean(axis=1, keepdims=True)  # (N, 1)
    inv_std = 1 / np.sqrt(var + eps)  # (N, 1)
    x_hat = x_centered * inv_std  # (N, D)
    out = gamma * x_hat + beta
    cache = (inv_std, x_hat, gamma)
    ### END SOLUTION
    return out, cache


def layernorm_backward(dout, cache):
    """Backward pass of layer normalization.

    Inputs:
    - dout: (N, D) upstream derivative
    - cache: from layernorm_forward

    Returns a tuple of:
    - dx: (N, D) gradient with respect to x
    - dgamma: (D,) gradient with respect to gamma
    - dbeta: (D,) gradient with respect to beta

    Modifies none of its inputs (dout, the cache).
    """
    _validate.layernorm_backward(dout, cache)
    # TODO [layers.layernorm_backward]: Backpropagate as in batch norm, with statistics over each row, not each column.
    ### BEGIN SOLUTION
    inv_std, x_hat, gamma = cache
    num_features = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma  # (N, D)
    dx = inv_std / num_features * (
        num_features * dx_hat
        - dx_hat.sum(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)
    )
    ### END SOLUTION
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Forward pass of group normalization.

    The C channels are split into G groups of C // G consecutive channels; each (example, group) block of
    C // G * H * W values is normalized by its own mean and (uncorrected) variance, then every channel is scaled
    and shifted by its own gamma and beta.

    Inputs:
    - x: (N, C, H, W) data
    - gamma: (1, C, 1, 1) scale
    - beta: (1, C, 1, 1) shift
    - G: number of groups, a divisor of C
    - gn_param: dict with optional key 'eps' (default 1e-5)

    Returns a tuple of:
    - out: (N, C, H, W) output
    - cache: what spatial_groupnorm_backward needs

    Modifies none of its inputs.
    """
    eps = _validate.spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
    # TODO [layers.spatial_groupnorm_forward]: Normalize x per group as (N, G, C//G*H*W), reshape back, scale and shift.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    x_groups = x.reshape(N, G, -1)  # (N, G, C//G*H*W)
    mean = x_groups.mean(axis=2, keepdims=True)  # (N, G, 1)
    x_centered = x_groups - mean  # (N, G, C//G*H*W)
    var = (x_centered**2).mean(axis=2, keepdims=True)  # (N, G, 1)
    inv_std = 1 / np.sqrt(var + eps)  # (N, G, 1)
    x_hat = (x_centered * inv_std).reshape(N, C, H, W)  # (N, C, H, W)
    out = gamma * x_hat + beta
    cache = (G, inv_std, x_hat, gamma)
    ### END SOLUTION
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of group normalization.

    Inputs:
    - dout: (N, C, H, W) upstream derivative
    - cache: from spatial_groupnorm_forward

    Returns a tuple of:
    - dx: (N, C, H, W) gradient with respect to x
    - dgamma: (1, C, 1, 1) gradient with respect to gamma
    - dbeta: (1, C, 1, 1) gradient with respect to beta

    Modifies none of its inputs (dout, the cache).
    """
    _validate.spatial_groupnorm_backward(dout, cache)
    # TODO [layers.spatial_groupnorm_backward]: Compute dgamma, dbeta per channel; backprop the per-group normalization.
    ### BEGIN SOLUTION
    G, inv_std, x_hat, gamma = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)  # (1, C, 1, 1)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)  # (1, C, 1, 1)
    dx_hat = (dout * gamma).reshape(N, G, -1)  # (N, G, C//G*H*W)
    x_hat_groups = x_hat.reshape(N, G, -1)  # (N, G, C//G*H*W)
    group_size = x_hat_groups.shape[2]
    dx_groups = inv_std / group_size * (
        group_size * dx_hat
        - dx_hat.sum(axis=2, keepdims=True)
        - x_hat_groups * (dx_hat * x_hat_groups).sum(axis=2, keepdims=True)
    )
    dx = dx_groups.reshape(N, C, H, W)  # (N, G, C//G*H*W) -> (N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta
