"""Hidden checks of course_lib.optim: several steps from an empty config (the defaults and the state carried
between calls), with other shapes, and w and dw left unmodified."""
import numpy as np

from autograde.checks.public import optim as public
from autograde.checks.spec import register

STEPS = 3


def _several_steps(update, seed, state_keys, config=None):
    rng = np.random.RandomState(seed)
    w = rng.randn(3, 2, 4)
    outputs = {}
    for step in range(STEPS):
        dw = rng.randn(*w.shape)
        w_before, dw_before = w.copy(), dw.copy()
        next_w, config = update(w, dw, config)
        changed = max(float(np.max(np.abs(w - w_before))), float(np.max(np.abs(dw - dw_before))))
        outputs[f"next_w_step{step}"] = next_w
        outputs[f"inputs_changed_by_step{step}"] = np.float64(changed)
        w = np.array(next_w)
    for key in state_keys:
        outputs[key] = np.asarray(config[key])
    return outputs


@register("optim.sgd_momentum.three_steps_default_config", hint=public.HINT_SGD_MOMENTUM,
          case="config=None (defaults learning_rate 1e-2, momentum 0.9), 3 steps reusing the returned config, "
               "w (3, 2, 4); w and dw must not be modified")
def _sgd_momentum_steps(lib):
    return _several_steps(lib.optim.sgd_momentum, 101, ("velocity",))


@register("optim.sgd_momentum.other_momentum", hint=public.HINT_SGD_MOMENTUM,
          case="learning_rate 0.05, momentum 0.5, 3 steps")
def _sgd_momentum_other(lib):
    return _several_steps(lib.optim.sgd_momentum, 102, ("velocity",), {"learning_rate": 0.05, "momentum": 0.5})


@register("optim.rmsprop.three_steps_default_config", hint=public.HINT_RMSPROP,
          case="config=None (defaults learning_rate 1e-2, decay_rate 0.99, epsilon 1e-8), 3 steps reusing the "
               "returned config, w (3, 2, 4); w and dw must not be modified")
def _rmsprop_steps(lib):
    return _several_steps(lib.optim.rmsprop, 103, ("cache",))


@register("optim.rmsprop.other_decay", hint=public.HINT_RMSPROP, case="learning_rate 1e-3, decay_rate 0.9, 3 steps")
def _rmsprop_other(lib):
    return _several_steps(lib.optim.rmsprop, 104, ("cache",), {"learning_rate": 1e-3, "decay_rate": 0.9})


@register("optim.adam.three_steps_default_config", hint=public.HINT_ADAM,
          case="config=None (defaults learning_rate 1e-3, beta1 0.9, beta2 0.999, t 0), 3 steps reusing the "
               "returned config, w (3, 2, 4); w and dw must not be modified")
def _adam_steps(lib):
    return _several_steps(lib.optim.adam, 105, ("m", "v", "t"))


@register("optim.adam.other_betas", hint=public.HINT_ADAM,
          case="learning_rate 1e-2, beta1 0.5, beta2 0.8, 3 steps (bias correction matters)")
def _adam_other(lib):
    return _several_steps(lib.optim.adam, 106, ("m", "v", "t"), {"learning_rate": 1e-2, "beta1": 0.5, "beta2": 0.8})
