"""Batch normalization for fully-connected (N, D) and convolutional (N, C, H, W) activations."""
import numpy as np

from course_lib.layers import _validate


def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalization.

    In 'train' mode each feature is normalized with the minibatch mean and the uncorrected variance (divided by N),
    then scaled and shifted: out = gamma * (x - mean) / sqrt(var + eps) + beta. Exponential running averages of
    mean and variance are kept for 'test' mode:

        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var

    and stored back into bn_param (the one argument this function updates). 'test' mode normalizes with the
    running averages instead of the minibatch statistics.

    Inputs:
    - x: (N, D) data
    - gamma: (D,) scale
    - beta: (D,) shift
    - bn_param: dict with keys
      - mode: 'train' or 'test' (required)
      - eps: constant for numeric stability, default 1e-5
      - momentum: constant for the running averages, default 0.9
      - running_mean: (D,) running mean, zeros of x's dtype when absent
      - running_var: (D,) running variance, zeros of x's dtype when absent

    Returns a tuple of:
    - out: (N, D) output
    - cache: what batchnorm_backward needs in 'train' mode; None in 'test' mode

    Modifies neither x, gamma nor beta; the new running averages go into bn_param.
    """
    mode, eps, momentum, running_mean, running_var = _validate.batchnorm_forward(x, gamma, beta, bn_param)
    # TODO [layers.batchnorm_forward]: Train: normalize by batch stats, update running_mean/var, build cache.
    #   Test: normalize by the running stats, cache = None.
    ### BEGIN SOLUTION
    if mode == "train":
        mean = x.mean(axis=0)  # (D,)
        x_centered = x - mean  # (N, D)
        var = (x_centered**2).mean(axis=0)  # (D,)
        inv_std = 1 / np.sqrt(var + eps)  # (D,)
        x_hat = x_centered * inv_std  # (N, D)
        out = gamma * x_hat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
        cache = (x_centered, inv_std, x_hat, gamma)
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    ### END SOLUTION
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization ('train' mode), step by step through the computational graph.

    Inputs:
    - dout: (N, D) upstream derivative
    - cache: from batchnorm_forward in 'train' mode

    Returns a tuple of:
    - dx: (N, D) gradient with respect to x
    - dgamma: (D,) gradient with respect to gamma
    - dbeta: (D,) gradient with respect to beta

    Modifies none of its inputs (dout, the cache).
    """
    _validate.batchnorm_backward(dout, cache)
    # TODO [layers.batchnorm_backward]: Backpropagate step by step: scale and shift, normalization, inverse std,
    #   variance, centering, mean.
    ### BEGIN SOLUTION
    x_centered, inv_std, x_hat, gamma = cache
    num_examples = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma  # (N, D)
    dinv_std = (dx_hat * x_centered).sum(axis=0)  # (D,)
    dvar = dinv_std * -0.5 * inv_std**3  # (D,)
    dx_centered = dx_hat * inv_std + dvar * 2 * x_centered / num_examples  # (N, D)
    dmean = -dx_centered.sum(axis=0)  # (D,)
    dx = dx_centered + dmean / num_examples
    ### END SOLUTION
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalization ('train' mode) as one simplified closed-form expression for dx.

    Inputs and outputs as in batchnorm_backward:
    - dout: (N, D) upstream derivative
    - cache: from batchnorm_forward in 'train' mode

    Returns a tuple of:
    - dx: (N, D) gradient with respect to x
    - dgamma: (D,) gradient with respect to gamma
    - dbeta: (D,) gradient with respect to beta

    Modifies none of its inputs (dout, the cache).
    """
    _validate.batchnorm_backward_alt(dout, cache)
    # TODO [layers.batchnorm_backward_alt]: Derive dx on paper and compute it in a single expression from dout, x_hat
    #   and the inverse std.
    ### BEGIN SOLUTION
    _, inv_std, x_hat, gamma = cache
    num_examples = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma  # (N, D)
    dx = inv_std / num_examples * (
        num_examples * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)
    )
    ### END SOLUTION
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of spatial batch normalization: one mean and variance per channel, over N, H and W.

    Inputs:
    - x: (N, C, H, W) data
    - gamma: (C,) scale
    - beta: (C,) shift
    - bn_param: dict as for batchnorm_forward ('mode' required; 'eps', 'momentum', 'running_mean' and
      'running_var' of shape (C,) optional); its running averages are updated in 'train' mode

    Returns a tuple of:
    - out: (N, C, H, W) output
    - cache: what spatial_batchnorm_backward needs

    Modifies neither x, gamma nor beta; the new running averages go into bn_param.
    """
    _validate.spatial_batchnorm_forward(x, gamma, beta, bn_param)
    # TODO [layers.spatial_batchnorm_forward]: Move channels last, flatten to (N*H*W, C), call batchnorm_forward and
    #   restore the (N, C, H, W) layout.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    x_rows = x.transpose(0, 2, 3, 1).reshape(-1, C)  # (N*H*W, C)
    out_rows, cache = batchnorm_forward(x_rows, gamma, beta, bn_param)
    out = out_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)  # (N, C, H, W)
    ### END SOLUTION
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalization.

    Inputs:
    - dout: (N, C, H, W) upstream derivative
    - cache: from spatial_batchnorm_forward in 'train' mode

    Returns a tuple of:
    - dx: (N, C, H, W) gradient with respect to x
    - dgamma: (C,) gradient with respect to gamma
    - dbeta: (C,) gradient with respect to beta

    Modifies none of its inputs (dout, the cache).
    """
    _validate.spatial_batchnorm_backward(dout, cache)
    # TODO [layers.spatial_batchnorm_backward]: Reshape dout as in the forward pass, call batchnorm_backward and restore
    #   the (N, C, H, W) layout.
    ### BEGIN SOLUTION
    N, C, H, W = dout.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, C)  # (N*H*W, C)
    dx_rows, dgamma, dbeta = batchnorm_backward(dout_rows, cache)
    dx = dx_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)  # (N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta
