"""First-order update rules for training neural networks.

Every rule has the signature

    next_w, config = update(w, dw, config=None)

- w: an array of parameters (any shape).
- dw: the gradient of the loss with respect to w, same shape as w.
- config: a dict of hyperparameters (learning rate, momentum, ...) and of the state the rule carries from one
  step to the next (velocity, moving averages, ...). Missing entries are filled with the rule's defaults, so
  `config=None` is allowed. The rule stores its updated state back into config and returns it.

A rule may update w in place (change w and return that same array as next_w), but it must not change dw. The
rules here never change either: next_w is a new array. The Solver keeps one config per parameter.
"""

import numpy as np

from course_lib import _validate


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: next_w = w - learning_rate * dw.

    config:
    - learning_rate: scalar step size (default 1e-2).

    May update w in place and return it as next_w; must not change dw.
    """
    config = _validate.update_config("sgd", w, dw, config)
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

    May update w in place and return it as next_w; must not change dw.
    """
    config = _validate.update_config("sgd_momentum", w, dw, config)
    # TODO [optim.sgd_momentum]: Update the velocity, then step w along it. Store the new velocity in `velocity`.
    ### BEGIN SOLUTION
    velocity = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    next_w = w + velocity
    ### END SOLUTION
    config["velocity"] = velocity
    return next_w, config


def sgd_nesterov_momentum(w, dw, config=None):
    """Stochastic gradient descent with Nesterov momentum.

    The step looks ahead along the velocity: it combines the new velocity with the change of the velocity.

    v_prev = v;  v = momentum * v - learning_rate * dw;  next_w = w - momentum * v_prev + (1 + momentum) * v

    config:
    - learning_rate: scalar step size (default 1e-2).
    - momentum: scalar in [0, 1) giving the fraction of the velocity kept each step (default 0.9).
    - velocity: array of the same shape as w, the moving average of the gradients (zeros when absent).

    May update w in place and return it as next_w; must not change dw.
    """
    config = _validate.update_config("sgd_nesterov_momentum", w, dw, config)
    # TODO [optim.sgd_nesterov_momentum]: Update the velocity as in sgd_momentum, then step with the old and the
    #   new velocity. Store the new velocity in `velocity`.
    ### BEGIN SOLUTION
    momentum = config["momentum"]
    velocity_before = config["velocity"]
    velocity = momentum * velocity_before - config["learning_rate"] * dw
    next_w = w - momentum * velocity_before + (1 + momentum) * velocity
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

    May update w in place and return it as next_w; must not change dw.
    """
    config = _validate.update_config("rmsprop", w, dw, config)
    # TODO [optim.rmsprop]: Update config["cache"] with the squared gradient, then compute next_w.
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

    May update w in place and return it as next_w; must not change dw.
    """
    config = _validate.update_config("adam", w, dw, config)
    # TODO [optim.adam]: Increment config["t"], update config["m"] and config["v"], then step with m_hat and v_hat.
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
