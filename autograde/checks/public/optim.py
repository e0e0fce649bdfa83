"""Public checks of course_lib.optim: one update from the notebook's fixed state."""
import numpy as np

from autograde.checks.public._probes import linspace_array
from autograde.checks.spec import register

HINT_SGD_MOMENTUM = "velocity = momentum * velocity - learning_rate * dw, then next_w = w + velocity"
HINT_RMSPROP = ("cache = decay_rate * cache + (1 - decay_rate) * dw**2, then "
                "next_w = w - learning_rate * dw / (np.sqrt(cache) + epsilon)")
HINT_ADAM = ("increment t FIRST, update m and v, divide them by (1 - beta1**t) and (1 - beta2**t), then "
             "next_w = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)")


def _weights_and_gradient():
    return linspace_array(-0.4, 0.6, (4, 5)), linspace_array(-0.6, 0.4, (4, 5))


@register("optim.sgd_momentum.notebook_case", hint=HINT_SGD_MOMENTUM,
          case="w, dw, velocity (4, 5) from linspace, learning_rate 1e-3, default momentum 0.9")
def _sgd_momentum_notebook_case(lib):
    w, dw = _weights_and_gradient()
    config = {"learning_rate": 1e-3, "velocity": linspace_array(0.6, 0.9, (4, 5))}
    next_w, config = lib.optim.sgd_momentum(w, dw, config)
    return {"next_w": next_w, "velocity": config["velocity"]}


@register("optim.rmsprop.notebook_case", hint=HINT_RMSPROP,
          case="w, dw, cache (4, 5) from linspace, learning_rate 1e-2, default decay_rate and epsilon")
def _rmsprop_notebook_case(lib):
    w, dw = _weights_and_gradient()
    config = {"learning_rate": 1e-2, "cache": linspace_array(0.7, 0.5, (4, 5))}
    next_w, config = lib.optim.rmsprop(w, dw, config)
    return {"next_w": next_w, "cache": config["cache"]}


@register("optim.adam.notebook_case", hint=HINT_ADAM,
          case="w, dw, m, v (4, 5) from linspace, learning_rate 1e-2, t = 5 before the step")
def _adam_notebook_case(lib):
    w, dw = _weights_and_gradient()
    config = {"learning_rate": 1e-2, "m": linspace_array(0.6, 0.9, (4, 5)), "v": linspace_array(0.7, 0.5, (4, 5)),
              "t": 5}
    next_w, config = lib.optim.adam(w, dw, config)
    return {"next_w": next_w, "m": config["m"], "v": config["v"], "t": np.asarray(config["t"])}
