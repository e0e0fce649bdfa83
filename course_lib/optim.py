"""First-order update rules for training neural networks.

Every rule has the signature

    next_w, config = update(w, dw, config=None)

- w: an array of parameters (any shape).
- dw: the gradient of the loss with respect to w, same shape as w.
- config: a dict of hyperparameters (learning rate, momentum, ...) and of the state the rule carries from one
  step to the next (velocity, moving averages, ...). Missing entries are filled with the rule's defaults, so
  `config=None` is allowed. The rule stores its updated state back into config and returns it.

No rule modifies w or dw in place: next_w is a new array. The Solver keeps one config per parameter.
"""

import numpy as np


def _check_same_shape(name, w, dw):
    if np.shape(w) != np.shape(dw):
        raise ValueError(
            f"{name}: w has shape {np.shape(w)} but dw has shape {np.shape(dw)}; "
            "pass the gradient of the loss with respect to this very parameter."
        )


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: next_w = w - learning_rate * dw.

    config:
    - learning_rate: scalar step size (default 1e-2).
    """
    _check_same_shape("sgd", w, dw)
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum.

    v = momentum * v - learning_rate * dw;  next_w = w + v

    config:
    - learning_rate: scalar step size (default 1e-2).
    - momentum: scalar in [0, 1) giving the fraction of the velocity kept each step (default 0.9);
      momentum = 0 gives vanilla SGD.
    - velocity: array of the same shape as w, the moving average of the gradients (zeros when absent).
    """
    _check_same_shape("sgd_momentum", w, dw)
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    velocity = config.get("velocity", np.zeros_like(w))

    # TODO: Update the velocity, then step w along it. Store the new velocity in `velocity`.
    ### BEGIN SOLUTION
    velocity = config["momentum"] * velocity - config["learning_rate"] * dw
    next_w = w + velocity
    ### END SOLUTION
    config["velocity"] = velocity
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp: scale each step by a moving average of the squared gradients.

    cache = decay_rate * cache + (1 - decay_rate) * dw**2;  next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)

    config:
    - learning_rate: scalar step size (default 1e-2).
    - decay_rate: scalar in [0, 1), the decay of the squared-gradient average (default 0.99).
    - epsilon: small scalar that avoids dividing by zero (default 1e-8).
    - cache: array of the same shape as w, the moving average of dw**2 (zeros when absent).
    """
    _check_same_shape("rmsprop", w, dw)
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    # TODO: Update config["cache"] with the squared gradient, then compute next_w.
    ### BEGIN SOLUTION
    decay = config["decay_rate"]
    config["cache"] = decay * config["cache"] + (1 - decay) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    ### END SOLUTION
    return next_w, config


def adam(w, dw, config=None):
    """Adam: moving averages of the gradient and of its square, with bias correction.

    t = t + 1
    m = beta1 * m + (1 - beta1) * dw;        v = beta2 * v + (1 - beta2) * dw**2
    m_hat = m / (1 - beta1**t);              v_hat = v / (1 - beta2**t)
    next_w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    config:
    - learning_rate: scalar step size (default 1e-3).
    - beta1: decay of the moving average of the gradient (default 0.9).
    - beta2: decay of the moving average of the squared gradient (default 0.999).
    - epsilon: small scalar that avoids dividing by zero (default 1e-8).
    - m: array of the same shape as w, the moving average of dw (zeros when absent).
    - v: array of the same shape as w, the moving average of dw**2 (zeros when absent).
    - t: the number of steps taken so far (0 when absent); incremented before it is used.
    """
    _check_same_shape("adam", w, dw)
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    # TODO: Increment config["t"], update config["m"] and config["v"], then step with the bias-corrected averages.
    ### BEGIN SOLUTION
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = beta1 * config["m"] + (1 - beta1) * dw
    config["v"] = beta2 * config["v"] + (1 - beta2) * dw**2
    m_hat = config["m"] / (1 - beta1 ** config["t"])
    v_hat = config["v"] / (1 - beta2 ** config["t"])
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    ### END SOLUTION
    return next_w, config
