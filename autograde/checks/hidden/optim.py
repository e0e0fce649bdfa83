"""Hidden checks of course_lib.optim: the public checks' steps on other values and hyperparameters."""
from autograde.checks.public.optim import register_steps

# rule -> (seed, custom hyperparameters)
OTHER_STEPS = {
    "sgd_momentum": (125, {"learning_rate": 0.02, "momentum": 0.7}),
    "sgd_nesterov_momentum": (126, {"learning_rate": 0.02, "momentum": 0.7}),
    "rmsprop": (127, {"learning_rate": 5e-3, "decay_rate": 0.5, "epsilon": 5e-2}),
    "adam": (128, {"learning_rate": 5e-2, "beta1": 0.6, "beta2": 0.7, "epsilon": 5e-2}),
}
for _rule, (_seed, _hyperparameters) in OTHER_STEPS.items():
    register_steps(_rule, check_id=f"optim.{_rule}.other_values", seed=_seed, shape=(5, 3),
                   hyperparameters=_hyperparameters, hidden=True)
