"""Argument checks shared by the layer modules.

Every check raises ValueError with a message that names the calling function, the argument, what it should be
and what it was, so a student who passes a wrong shape or a missing key learns what to fix. These run before the
solution regions, so the student stubs validate their arguments too.
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
