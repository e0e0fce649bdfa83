"""Argument checks of the layers: one function per layer function, with the same name and arguments.

Every layer calls its check on the line above its TODO (`_validate.affine_forward(x, w, b)`), so that a student's
stub checks its arguments too. A bad argument raises ValueError with a message that names the layer function,
the argument, what it should be and what it was. A layer that reads settings from a dict (bn_param, conv_param,
...) gets them back from its check, with the defaults its docstring gives filled in.

A backward check compares dout with the inputs in the cache only when the cache is laid out as the forward pass
builds it after its TODO (affine, ReLU, convolution, pooling, dropout); a student who lays out a cache otherwise
loses that comparison and nothing else. The window geometry of convolution and pooling (output sizes, strides
that tile the input) is here too: course_lib.fast_layers checks its arguments with the same functions.

This file is given: no part of an assignment is in it.
"""
import numbers

import numpy as np

MODES = ("train", "test")


def require_array(caller, name, value, ndim=None):
    """Check that `value` is a numpy array, with `ndim` dimensions when given; return it."""
    if not isinstance(value, np.ndarray):
        raise ValueError(f"{caller}: {name} must be a numpy array, got {type(value).__name__}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(
            f"{caller}: {name} must have {ndim} dimensions, got shape {value.shape} ({value.ndim} dimensions)"
        )
    return value


def require_shape(caller, name, value, shape):
    """Check that array `value` has exactly `shape`; return it."""
    require_array(caller, name, value)
    if value.shape != tuple(shape):
        raise ValueError(f"{caller}: {name} must have shape {tuple(shape)}, got {value.shape}")
    return value


def require_labels(caller, name, labels, num_examples, num_classes):
    """Check that `labels` is an integer array of shape (num_examples,) with values in [0, num_classes)."""
    require_shape(caller, name, labels, (num_examples,))
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{caller}: {name} must hold integer class labels, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{caller}: {name} must hold labels in [0, {num_classes}), got values from {labels.min()} to {labels.max()}"
        )
    return labels


def require_params(caller, name, params):
    """Check that `params` is a dict; return it."""
    if not isinstance(params, dict):
        raise ValueError(f"{caller}: {name} must be a dict, got {type(params).__name__}")
    return params


def require_key(caller, name, params, key):
    """Return params[key], raising ValueError (not KeyError) when the dict lacks it."""
    require_params(caller, name, params)
    if key not in params:
        raise ValueError(f"{caller}: {name} must contain the key '{key}', got keys {sorted(params)}")
    return params[key]


def require_mode(caller, name, params):
    """Return params['mode'] after checking it is 'train' or 'test'."""
    mode = require_key(caller, name, params, "mode")
    if mode not in MODES:
        raise ValueError(f"{caller}: {name}['mode'] must be one of {MODES}, got {mode!r}")
    return mode


def require_int(caller, name, value, minimum):
    """Check that `value` is an integer >= minimum; return it as int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{caller}: {name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{caller}: {name} must be >= {minimum}, got {value}")
    return int(value)


def sliding_output_size(caller, axis, size, window, pad, stride, stride_name):
    """Return the number of window positions 1 + (size + 2*pad - window) // stride along `axis` ('height' or 'width').

    Raises ValueError when the window is larger than the padded input or when the stride does not tile it
    exactly (the last positions would silently drop input rows or columns).
    """
    symbol = {"height": "H", "width": "W"}[axis]
    padded = size + 2 * pad
    if pad:
        formula = f"({symbol} + 2*pad - window) = ({size} + 2*{pad} - {window})"
    else:
        formula = f"({symbol} - window) = ({size} - {window})"
    if window > padded:
        raise ValueError(f"{caller}: the window ({window}) is larger than the input {axis}: {formula} < 0")
    if (padded - window) % stride != 0:
        raise ValueError(
            f"{caller}: {stride_name}={stride} does not tile the input {axis}: {formula} = {padded - window} "
            f"must be divisible by the stride; change the stride, the padding or the window size"
        )
    return 1 + (padded - window) // stride


def conv_geometry(caller, x_shape, w_shape, conv_param):
    """Check conv_param against the shapes of x (N, C, H, W) and w (F, C, HH, WW); return (stride, pad, H', W')."""
    stride = require_key(caller, "conv_param", conv_param, "stride")
    pad = require_key(caller, "conv_param", conv_param, "pad")
    stride = require_int(caller, "conv_param['stride']", stride, minimum=1)
    pad = require_int(caller, "conv_param['pad']", pad, minimum=0)
    _, _, height, width = x_shape
    _, _, filter_height, filter_width = w_shape
    stride_name = "conv_param['stride']"
    out_height = sliding_output_size(caller, "height", height, filter_height, pad, stride, stride_name)
    out_width = sliding_output_size(caller, "width", width, filter_width, pad, stride, stride_name)
    return stride, pad, out_height, out_width


def conv_inputs(caller, x, w, b, conv_param):
    """Check the arguments of a convolution forward pass; return (stride, pad, H', W')."""
    require_array(caller, "x", x, ndim=4)
    require_array(caller, "w", w, ndim=4)
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"{caller}: w must have as many channels as x: w.shape[1] = {w.shape[1]}, x.shape[1] = {x.shape[1]}"
        )
    require_shape(caller, "b", b, (w.shape[0],))
    return conv_geometry(caller, x.shape, w.shape, conv_param)


def pool_geometry(caller, x_shape, pool_param):
    """Check pool_param against the shape of x (N, C, H, W); return (pool_height, pool_width, stride, H', W')."""
    pool_height = require_key(caller, "pool_param", pool_param, "pool_height")
    pool_width = require_key(caller, "pool_param", pool_param, "pool_width")
    stride = require_key(caller, "pool_param", pool_param, "stride")
    pool_height = require_int(caller, "pool_param['pool_height']", pool_height, minimum=1)
    pool_width = require_int(caller, "pool_param['pool_width']", pool_width, minimum=1)
    stride = require_int(caller, "pool_param['stride']", stride, minimum=1)
    _, _, height, width = x_shape
    stride_name = "pool_param['stride']"
    out_height = sliding_output_size(caller, "height", height, pool_height, 0, stride, stride_name)
    out_width = sliding_output_size(caller, "width", width, pool_width, 0, stride, stride_name)
    return pool_height, pool_width, stride, out_height, out_width


def _as_built(cache, length, array_positions, ndim=None):
    """True when `cache` is the tuple of `length` that the forward pass builds, arrays where it puts them."""
    if not isinstance(cache, tuple) or len(cache) != length:
        return False
    arrays = [cache[position] for position in array_positions]
    return all(isinstance(item, np.ndarray) and (ndim is None or item.ndim == ndim) for item in arrays)


def _train_cache(caller, cache, forward):
    if cache is None:
        raise ValueError(
            f"{caller}: cache is None, which {forward} returns in 'test' mode; "
            f"backpropagate through a 'train'-mode forward pass"
        )


def _x_gamma_beta(caller, x, gamma, beta, ndim, broadcast=False):
    """Check x, with `ndim` dimensions, and gamma and beta, one per channel x.shape[1] (as (1, C, 1, 1) when
    `broadcast`); return the number of channels."""
    require_array(caller, "x", x, ndim=ndim)
    num_channels = x.shape[1]
    shape = (1, num_channels, 1, 1) if broadcast else (num_channels,)
    require_shape(caller, "gamma", gamma, shape)
    require_shape(caller, "beta", beta, shape)
    return num_channels


def _forward_cache(caller, cache, forward):
    if cache is None:
        raise ValueError(f"{caller}: cache is None; pass the cache that {forward} returned")


def affine_forward(x, w, b):
    caller = "affine_forward"
    require_array(caller, "x", x)
    require_array(caller, "w", w, ndim=2)
    if x.ndim < 1:
        raise ValueError(f"{caller}: x must have a leading batch dimension N, got a 0-d array")
    num_features = int(np.prod(x.shape[1:]))
    if w.shape[0] != num_features:
        raise ValueError(
            f"{caller}: w must have shape (D, M) with D = prod(x.shape[1:]) = {num_features}, got w.shape {w.shape}"
        )
    require_shape(caller, "b", b, (w.shape[1],))


def affine_backward(dout, cache):
    require_array("affine_backward", "dout", dout)
    if _as_built(cache, 3, (0, 1)) and cache[0].ndim >= 1 and cache[1].ndim == 2:
        x, w, _ = cache
        require_shape("affine_backward", "dout", dout, (x.shape[0], w.shape[1]))


def relu_forward(x):
    require_array("relu_forward", "x", x)


def relu_backward(dout, cache):
    require_array("relu_backward", "dout", dout)
    if isinstance(cache, np.ndarray):
        require_shape("relu_backward", "dout", dout, cache.shape)


def _scores_and_labels(caller, x, y):
    require_array(caller, "x", x, ndim=2)
    num_examples, num_classes = x.shape
    if num_examples == 0:
        raise ValueError(f"{caller}: x must hold at least one example, got shape {x.shape}")
    require_labels(caller, "y", y, num_examples, num_classes)


def svm_loss(x, y):
    _scores_and_labels("svm_loss", x, y)


def softmax_loss(x, y):
    _scores_and_labels("softmax_loss", x, y)


def batchnorm_forward(x, gamma, beta, bn_param):
    """Return (mode, eps, momentum, running_mean, running_var) read from bn_param, defaults filled in."""
    caller = "batchnorm_forward"
    mode = require_mode(caller, "bn_param", bn_param)
    num_features = _x_gamma_beta(caller, x, gamma, beta, ndim=2)
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(num_features, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(num_features, dtype=x.dtype))
    require_shape(caller, "bn_param['running_mean']", running_mean, (num_features,))
    require_shape(caller, "bn_param['running_var']", running_var, (num_features,))
    if mode == "train" and x.shape[0] == 0:
        raise ValueError(f"{caller}: x must hold at least one example in 'train' mode, got shape {x.shape}")
    return mode, eps, momentum, running_mean, running_var


def batchnorm_backward(dout, cache):
    require_array("batchnorm_backward", "dout", dout, ndim=2)
    _train_cache("batchnorm_backward", cache, "batchnorm_forward")


def batchnorm_backward_alt(dout, cache):
    require_array("batchnorm_backward_alt", "dout", dout, ndim=2)
    _train_cache("batchnorm_backward_alt", cache, "batchnorm_forward")


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    require_mode("spatial_batchnorm_forward", "bn_param", bn_param)
    _x_gamma_beta("spatial_batchnorm_forward", x, gamma, beta, ndim=4)


def spatial_batchnorm_backward(dout, cache):
    require_array("spatial_batchnorm_backward", "dout", dout, ndim=4)
    _train_cache("spatial_batchnorm_backward", cache, "spatial_batchnorm_forward")


def layernorm_forward(x, gamma, beta, ln_param):
    """Return eps read from ln_param (default 1e-5)."""
    caller = "layernorm_forward"
    require_params(caller, "ln_param", ln_param)
    if _x_gamma_beta(caller, x, gamma, beta, ndim=2) == 0:
        raise ValueError(f"{caller}: x must hold at least one feature per example, got shape {x.shape}")
    return ln_param.get("eps", 1e-5)


def layernorm_backward(dout, cache):
    require_array("layernorm_backward", "dout", dout, ndim=2)
    _forward_cache("layernorm_backward", cache, "layernorm_forward")


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Return eps read from gn_param (default 1e-5)."""
    caller = "spatial_groupnorm_forward"
    require_params(caller, "gn_param", gn_param)
    num_channels = _x_gamma_beta(caller, x, gamma, beta, ndim=4, broadcast=True)
    require_int(caller, "G", G, minimum=1)
    if num_channels % G != 0:
        raise ValueError(f"{caller}: G={G} must divide the number of channels C={num_channels}")
    return gn_param.get("eps", 1e-5)


def spatial_groupnorm_backward(dout, cache):
    require_array("spatial_groupnorm_backward", "dout", dout, ndim=4)
    _forward_cache("spatial_groupnorm_backward", cache, "spatial_groupnorm_forward")


def dropout_forward(x, dropout_param):
    """Return (mode, keep_prob, seed) read from dropout_param; seed is None when the dict has none."""
    caller = "dropout_forward"
    require_array(caller, "x", x)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{caller}: x must be a floating-point array (the mask scales by 1 / p), got dtype {x.dtype}")
    mode = require_mode(caller, "dropout_param", dropout_param)
    keep_prob = require_key(caller, "dropout_param", dropout_param, "p")
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real) or not 0 < keep_prob <= 1:
        raise ValueError(
            f"{caller}: dropout_param['p'] is the probability of keeping a unit and must be in (0, 1], "
            f"got {keep_prob!r}"
        )
    return mode, keep_prob, dropout_param.get("seed")


def dropout_backward(dout, cache):
    caller = "dropout_backward"
    require_array(caller, "dout", dout)
    if isinstance(cache, tuple) and len(cache) == 2 and isinstance(cache[0], dict):
        dropout_param, mask = cache
        if require_mode(caller, "dropout_param", dropout_param) == "train":
            require_array(caller, "the mask in cache", mask)
            require_shape(caller, "dout", dout, mask.shape)


def conv_forward_naive(x, w, b, conv_param):
    """Return (stride, pad) read from conv_param."""
    stride, pad, _, _ = conv_inputs("conv_forward_naive", x, w, b, conv_param)
    return stride, pad


def conv_backward_naive(dout, cache):
    caller = "conv_backward_naive"
    if _as_built(cache, 4, (0, 1), ndim=4):
        x, w, _, conv_param = cache
        _, _, out_height, out_width = conv_geometry(caller, x.shape, w.shape, conv_param)
        require_shape(caller, "dout", dout, (x.shape[0], w.shape[0], out_height, out_width))
    else:
        require_array(caller, "dout", dout, ndim=4)


def max_pool_forward_naive(x, pool_param):
    """Return (pool_height, pool_width, stride) read from pool_param."""
    caller = "max_pool_forward_naive"
    require_array(caller, "x", x, ndim=4)
    pool_height, pool_width, stride, _, _ = pool_geometry(caller, x.shape, pool_param)
    return pool_height, pool_width, stride


def max_pool_backward_naive(dout, cache):
    caller = "max_pool_backward_naive"
    if _as_built(cache, 2, (0,), ndim=4):
        x, pool_param = cache
        _, _, _, out_height, out_width = pool_geometry(caller, x.shape, pool_param)
        require_shape(caller, "dout", dout, (x.shape[0], x.shape[1], out_height, out_width))
    else:
        require_array(caller, "dout", dout, ndim=4)
