"""Argument checks of the models (course_lib.classifiers) and of the update rules (course_lib.optim).

A model's constructor and loss, and every update rule, call one of these on the line above their TODO, so that a
student's stub checks its arguments too. A bad argument raises ValueError with a message that names the model or
rule, the argument, what it should be and what it was. The checks of the layers are in course_lib.layers._validate.

This file is given: no part of an assignment is in it.
"""
import numpy as np

NORMALIZATIONS = (None, "batchnorm", "layernorm")

# Each update rule's settings with their defaults, and the state it keeps between steps (zeros like w at first).
UPDATE_RULES = {
    "sgd": ({"learning_rate": 1e-2}, ()),
    "sgd_momentum": ({"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",)),
    "sgd_nesterov_momentum": ({"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",)),
    "rmsprop": ({"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}, ("cache",)),
    "adam": ({"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0}, ("m", "v")),
}


def update_config(rule, w, dw, config):
    """Check that dw has w's shape; return config (a new dict for None) with the rule's missing entries filled in.

    The defaults and the zero state arrays (of w's shape and dtype) are those of UPDATE_RULES[rule]; entries that
    config already has are kept.
    """
    if np.shape(w) != np.shape(dw):
        raise ValueError(
            f"{rule}: w has shape {np.shape(w)} but dw has shape {np.shape(dw)}; "
            "pass the gradient of the loss with respect to this very parameter."
        )
    if config is None:
        config = {}
    settings, state = UPDATE_RULES[rule]
    for key, value in settings.items():
        config.setdefault(key, value)
    for key in state:
        if key not in config:
            config[key] = np.zeros_like(w)
    return config


def fully_connected_net(hidden_dims, normalization, dropout_keep_ratio):
    """Check the constructor arguments of FullyConnectedNet; return hidden_dims as a list."""
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"FullyConnectedNet: normalization must be one of {NORMALIZATIONS}, got {normalization!r}.")
    if not 0 < dropout_keep_ratio <= 1:
        raise ValueError(
            "FullyConnectedNet: dropout_keep_ratio is the probability of keeping a unit and must lie in "
            f"(0, 1], got {dropout_keep_ratio}."
        )
    return list(hidden_dims)


def three_layer_conv_net(input_dim, filter_size):
    """Check the constructor arguments of ThreeLayerConvNet."""
    if len(input_dim) != 3:
        raise ValueError(f"ThreeLayerConvNet: input_dim must be (C, H, W), got {input_dim!r}.")
    if filter_size % 2 != 1:
        raise ValueError(
            f"ThreeLayerConvNet: filter_size must be odd so that the convolution keeps the spatial size, "
            f"got {filter_size}."
        )


def loss_inputs(model_name, X, y, num_classes, *, dtype=None, ndim=None):
    """Check the arguments of `<model_name>.loss`; return (X as an array, of `dtype` when given, and y).

    - ndim: the number of dimensions X must have (None: any, as long as there is a batch dimension).
    - y: None (test mode) or labels of shape (N,) in [0, num_classes); returned as an array.
    """
    X = np.asarray(X) if dtype is None else np.asarray(X).astype(dtype)
    if ndim is not None and X.ndim != ndim:
        shape = {4: "(N, C, H, W)", 2: "(N, D)"}.get(ndim, f"{ndim} dimensions")
        raise ValueError(f"{model_name}.loss: X must have shape {shape}, got {X.shape}.")
    if y is None:
        return X, None
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{model_name}.loss: y must have shape (N,) = ({X.shape[0]},) to match X, got {y.shape}.")
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"{model_name}.loss: labels in y must lie in [0, {num_classes}), got min {y.min()} and max {y.max()}."
        )
    return X, y
