"""Sandwich layers: common stacks of layers as one forward and one backward, given to students.

Each *_forward returns (out, cache) with cache holding the caches of its parts in order; each *_backward(dout,
cache) returns the gradients in the order of the forward's parameters. Convolution and pooling use the fast
layers of course_lib.fast_layers.
"""
from course_lib.fast_layers import conv_backward_fast, conv_forward_fast, max_pool_backward_fast, max_pool_forward_fast
from course_lib.layers import (
    affine_backward,
    affine_forward,
    batchnorm_backward,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    relu_backward,
    relu_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)


def affine_relu_forward(x, w, b):
    """Affine transform followed by a ReLU.

    Inputs:
    - x: (N, d_1, ..., d_k) input
    - w: (D, M) weights, D = d_1 * ... * d_k
    - b: (M,) biases

    Returns a tuple of:
    - out: (N, M) output
    - cache: (affine cache, relu cache)
    """
    scores, affine_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(scores)
    return out, (affine_cache, relu_cache)


def affine_relu_backward(dout, cache):
    """Backward pass of affine_relu_forward: dout (N, M) -> (dx (N, d_1, ..., d_k), dw (D, M), db (M,))."""
    affine_cache, relu_cache = cache
    dscores = relu_backward(dout, relu_cache)
    return affine_backward(dscores, affine_cache)


def affine_bn_relu_forward(x, w, b, gamma, beta, bn_param):
    """Affine transform, batch normalization, ReLU.

    Inputs:
    - x: (N, d_1, ..., d_k) input
    - w: (D, M) weights, D = d_1 * ... * d_k;  b: (M,) biases
    - gamma, beta: (M,) scale and shift of the batch normalization
    - bn_param: dict of batchnorm_forward ('mode', and optionally 'eps', 'momentum', running statistics)

    Returns a tuple of:
    - out: (N, M) output
    - cache: (affine cache, batchnorm cache, relu cache)
    """
    scores, affine_cache = affine_forward(x, w, b)
    normalized, bn_cache = batchnorm_forward(scores, gamma, beta, bn_param)
    out, relu_cache = relu_forward(normalized)
    return out, (affine_cache, bn_cache, relu_cache)


def affine_bn_relu_backward(dout, cache):
    """Backward pass of affine_bn_relu_forward: dout (N, M) -> (dx, dw, db, dgamma, dbeta)."""
    affine_cache, bn_cache, relu_cache = cache
    dnormalized = relu_backward(dout, relu_cache)
    dscores, dgamma, dbeta = batchnorm_backward(dnormalized, bn_cache)
    dx, dw, db = affine_backward(dscores, affine_cache)
    return dx, dw, db, dgamma, dbeta


def affine_ln_relu_forward(x, w, b, gamma, beta, ln_param):
    """Affine transform, layer normalization, ReLU.

    Inputs:
    - x: (N, d_1, ..., d_k) input
    - w: (D, M) weights, D = d_1 * ... * d_k;  b: (M,) biases
    - gamma, beta: (M,) scale and shift of the layer normalization
    - ln_param: dict of layernorm_forward (optionally 'eps')

    Returns a tuple of:
    - out: (N, M) output
    - cache: (affine cache, layernorm cache, relu cache)
    """
    scores, affine_cache = affine_forward(x, w, b)
    normalized, ln_cache = layernorm_forward(scores, gamma, beta, ln_param)
    out, relu_cache = relu_forward(normalized)
    return out, (affine_cache, ln_cache, relu_cache)


def affine_ln_relu_backward(dout, cache):
    """Backward pass of affine_ln_relu_forward: dout (N, M) -> (dx, dw, db, dgamma, dbeta)."""
    affine_cache, ln_cache, relu_cache = cache
    dnormalized = relu_backward(dout, relu_cache)
    dscores, dgamma, dbeta = layernorm_backward(dnormalized, ln_cache)
    dx, dw, db = affine_backward(dscores, affine_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_forward(x, w, b, conv_param):
    """Convolution followed by a ReLU.

    Inputs:
    - x: (N, C, H, W) input
    - w: (F, C, HH, WW) filters;  b: (F,) biases
    - conv_param: dict with 'stride' and 'pad', as in conv_forward_fast

    Returns a tuple of:
    - out: (N, F, H', W') output
    - cache: (conv cache, relu cache)
    """
    activations, conv_cache = conv_forward_fast(x, w, b, conv_param)
    out, relu_cache = relu_forward(activations)
    return out, (conv_cache, relu_cache)


def conv_relu_backward(dout, cache):
    """Backward pass of conv_relu_forward: dout (N, F, H', W') -> (dx (N, C, H, W), dw (F, C, HH, WW), db (F,))."""
    conv_cache, relu_cache = cache
    dactivations = relu_backward(dout, relu_cache)
    return conv_backward_fast(dactivations, conv_cache)


def conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param):
    """Convolution, spatial batch normalization, ReLU.

    Inputs:
    - x: (N, C, H, W) input
    - w: (F, C, HH, WW) filters;  b: (F,) biases
    - gamma, beta: (F,) scale and shift of the spatial batch normalization
    - conv_param: dict with 'stride' and 'pad'
    - bn_param: dict of spatial_batchnorm_forward

    Returns a tuple of:
    - out: (N, F, H', W') output
    - cache: (conv cache, spatial batchnorm cache, relu cache)
    """
    activations, conv_cache = conv_forward_fast(x, w, b, conv_param)
    normalized, bn_cache = spatial_batchnorm_forward(activations, gamma, beta, bn_param)
    out, relu_cache = relu_forward(normalized)
    return out, (conv_cache, bn_cache, relu_cache)


def conv_bn_relu_backward(dout, cache):
    """Backward pass of conv_bn_relu_forward: dout (N, F, H', W') -> (dx, dw, db, dgamma, dbeta)."""
    conv_cache, bn_cache, relu_cache = cache
    dnormalized = relu_backward(dout, relu_cache)
    dactivations, dgamma, dbeta = spatial_batchnorm_backward(dnormalized, bn_cache)
    dx, dw, db = conv_backward_fast(dactivations, conv_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """Convolution, ReLU, max pooling.

    Inputs:
    - x: (N, C, H, W) input
    - w: (F, C, HH, WW) filters;  b: (F,) biases
    - conv_param: dict with 'stride' and 'pad'
    - pool_param: dict with 'pool_height', 'pool_width' and 'stride'

    Returns a tuple of:
    - out: (N, F, H'', W'') output after pooling
    - cache: (conv cache, relu cache, pool cache)
    """
    activations, conv_cache = conv_forward_fast(x, w, b, conv_param)
    rectified, relu_cache = relu_forward(activations)
    out, pool_cache = max_pool_forward_fast(rectified, pool_param)
    return out, (conv_cache, relu_cache, pool_cache)


def conv_relu_pool_backward(dout, cache):
    """Backward pass of conv_relu_pool_forward: dout (N, F, H'', W'') -> (dx, dw, db)."""
    conv_cache, relu_cache, pool_cache = cache
    drectified = max_pool_backward_fast(dout, pool_cache)
    dactivations = relu_backward(drectified, relu_cache)
    return conv_backward_fast(dactivations, conv_cache)
