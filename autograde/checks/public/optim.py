"""Public checks of course_lib.optim: one update from the notebook's fixed state, and several steps from an empty
config and from a config with other hyperparameters (the defaults, the state carried between calls, every
hyperparameter read from config). As in CS231n, a rule may update w in place and return it as next_w; it must never
change dw. register_steps serves the hidden checks too, with other values."""
import numpy as np

from autograde.checks.public._probes import InputWatch, linspace_array, values_only
from autograde.checks.spec import register

HINT_SGD_MOMENTUM = ("velocity = momentum * velocity - learning_rate * dw, then next_w = w + velocity; read "
                     "learning_rate and momentum from config")
HINT_NESTEROV = ("v_prev = velocity; velocity = momentum * velocity - learning_rate * dw; next_w = w - momentum * "
                 "v_prev + (1 + momentum) * velocity; store the new velocity in config")
HINT_RMSPROP = ("cache = decay_rate * cache + (1 - decay_rate) * dw**2, then "
                "next_w = w - learning_rate * dw / (np.sqrt(cache) + epsilon)")
HINT_ADAM = ("increment t FIRST, update m and v, divide them by (1 - beta1**t) and (1 - beta2**t), then "
             "next_w = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)")
HINTS = {"sgd_momentum": HINT_SGD_MOMENTUM, "sgd_nesterov_momentum": HINT_NESTEROV, "rmsprop": HINT_RMSPROP,
         "adam": HINT_ADAM}
# The defaults in words, for the cases' text.
DEFAULTS = {"sgd_momentum": "learning_rate 1e-2, momentum 0.9",
            "sgd_nesterov_momentum": "learning_rate 1e-2, momentum 0.9",
            "rmsprop": "learning_rate 1e-2, decay_rate 0.99, epsilon 1e-8",
            "adam": "learning_rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8, t 0"}
STATE = {"sgd_momentum": ("velocity",), "sgd_nesterov_momentum": ("velocity",), "rmsprop": ("cache",),
         "adam": ("m", "v", "t")}
NUM_STEPS = 3


def _run_steps(update, rule, rng, shape, config, suffix):
    """NUM_STEPS updates from `config`, each on a new dw; next_w of every step, dw as each call left it, and the
    state in the last config (output names end in `suffix`)."""
    w = rng.randn(*shape)
    outputs = {}
    for step in range(NUM_STEPS):
        dw = rng.randn(*shape)
        watch = InputWatch(dw=dw)
        next_w, config = update(w, dw, config)
        outputs[f"next_w_step{step}{suffix}"] = np.array(next_w, copy=True)
        config_text = ", custom config" if suffix else ""
        outputs.update(watch.after(f"{rule} (step {step + 1}{config_text})", dw=dw))
        w = np.array(next_w, copy=True)
    for key in STATE[rule]:
        outputs[f"{key}{suffix}"] = np.asarray(config[key])
    return outputs


def steps(lib, rule, seed, *, shape, hyperparameters):
    """NUM_STEPS updates of optim.<rule> from config=None (the defaults) and NUM_STEPS from a config holding
    `hyperparameters`, each reusing the config the previous step returned."""
    update = getattr(lib.optim, rule)
    rng = np.random.RandomState(seed)
    outputs = _run_steps(update, rule, rng, shape, None, "")
    outputs.update(_run_steps(update, rule, rng, shape, dict(hyperparameters), "_custom"))
    return outputs


def _weights_and_gradient():
    return linspace_array(-0.4, 0.6, (4, 5)), linspace_array(-0.6, 0.4, (4, 5))


def _velocity_notebook_case(update):
    w, dw = _weights_and_gradient()
    config = {"learning_rate": 1e-3, "velocity": linspace_array(0.6, 0.9, (4, 5))}
    next_w, config = update(w, dw, config)
    return {"next_w": next_w, "velocity": config["velocity"]}


@register("optim.sgd_momentum.notebook_case", hint=HINT_SGD_MOMENTUM,
          case="w, dw, velocity (4, 5) from linspace, learning_rate 1e-3, default momentum 0.9")
def _sgd_momentum_notebook_case(lib):
    return _velocity_notebook_case(lib.optim.sgd_momentum)


@register("optim.sgd_nesterov_momentum.notebook_case", hint=HINT_NESTEROV,
          case="w, dw, velocity (4, 5) from linspace, learning_rate 1e-3, default momentum 0.9")
def _nesterov_notebook_case(lib):
    return _velocity_notebook_case(lib.optim.sgd_nesterov_momentum)


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


def register_steps(rule, *, check_id, seed, shape, hyperparameters, hidden=False):
    """Register the check `check_id` of optim.<rule>: steps(...) from config=None and from `hyperparameters` (the
    value outputs only for a hidden check, which repeats the public ones on other values)."""
    custom = ", ".join(f"{key} {value:g}" for key, value in hyperparameters.items())
    options = {"repeats": ("notebook_case", "three_steps_default_and_custom_config")} if hidden else {}

    def probe(lib):
        outputs = steps(lib, rule, seed, shape=shape, hyperparameters=hyperparameters)
        return values_only(outputs) if hidden else outputs

    case = (f"w {shape}, {NUM_STEPS} steps from config=None ({DEFAULTS[rule]}) and {NUM_STEPS} from {custom}, "
            "reusing the returned config")
    case += ", other values" if hidden else "; w may be updated in place, dw must not change"
    register(check_id, hint=HINTS[rule], hidden=hidden, case=case, **options)(probe)


# rule -> (seed, custom hyperparameters); epsilon 1e-2 makes its place (inside or outside the square root) matter.
PUBLIC_STEPS = {
    "sgd_momentum": (37, {"learning_rate": 0.05, "momentum": 0.5}),
    "sgd_nesterov_momentum": (38, {"learning_rate": 0.05, "momentum": 0.5}),
    "rmsprop": (39, {"learning_rate": 1e-3, "decay_rate": 0.9, "epsilon": 1e-2}),
    "adam": (40, {"learning_rate": 1e-2, "beta1": 0.5, "beta2": 0.8, "epsilon": 1e-2}),
}
for _rule, (_seed, _hyperparameters) in PUBLIC_STEPS.items():
    register_steps(_rule, check_id=f"optim.{_rule}.three_steps_default_and_custom_config", seed=_seed, shape=(3, 2, 4),
                   hyperparameters=_hyperparameters)
