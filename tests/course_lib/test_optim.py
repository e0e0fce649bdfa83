import math

import numpy as np
import pytest

from course_lib import optim
from course_lib.gradient_check import rel_error

N, D = 4, 5
RULES = ["sgd", "sgd_momentum", "sgd_nesterov_momentum", "rmsprop", "adam"]


def linspace_grid(start, stop):
    return np.linspace(start, stop, num=N * D).reshape(N, D)


@pytest.fixture
def w_and_dw():
    return linspace_grid(-0.4, 0.6), linspace_grid(-0.6, 0.4)


def test_sgd_steps_against_the_gradient_with_the_default_learning_rate(w_and_dw):
    w, dw = w_and_dw
    next_w, config = optim.sgd(w, dw)
    assert config["learning_rate"] == 1e-2
    assert rel_error(next_w, w - 1e-2 * dw) < 1e-12


def test_sgd_momentum_matches_the_published_cs231n_values(w_and_dw):
    w, dw = w_and_dw
    velocity = linspace_grid(0.6, 0.9)
    next_w, config = optim.sgd_momentum(w, dw, {"learning_rate": 1e-3, "velocity": velocity})

    # Published rows of the CS231n notebook ("SGD+Momentum" check).
    published_next_w_first = [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789]
    published_next_w_last = [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096]
    published_velocity_first = [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158]
    published_velocity_last = [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096]
    assert rel_error(next_w[0], published_next_w_first) < 1e-7
    assert rel_error(next_w[-1], published_next_w_last) < 1e-7
    assert rel_error(config["velocity"][0], published_velocity_first) < 1e-7
    assert rel_error(config["velocity"][-1], published_velocity_last) < 1e-7

    expected_velocity = 0.9 * linspace_grid(0.6, 0.9) - 1e-3 * dw
    assert rel_error(config["velocity"], expected_velocity) < 1e-12
    assert rel_error(next_w, w + expected_velocity) < 1e-12


@pytest.mark.parametrize(("rule", "first_step"), [("sgd_momentum", 1e-2), ("sgd_nesterov_momentum", 1.9e-2)])
def test_momentum_rules_start_from_zero_velocity_with_default_hyperparameters(w_and_dw, rule, first_step):
    """From v = 0 the first velocity is -learning_rate * dw; Nesterov steps (1 + momentum) times as far."""
    w, dw = w_and_dw
    next_w, config = getattr(optim, rule)(w, dw)
    assert config["learning_rate"] == 1e-2 and config["momentum"] == 0.9
    assert rel_error(config["velocity"], -1e-2 * dw) < 1e-12
    assert rel_error(next_w, w - first_step * dw) < 1e-12


def test_sgd_nesterov_momentum_takes_the_hand_computed_step(w_and_dw):
    w, dw = w_and_dw
    velocity = linspace_grid(0.6, 0.9)
    next_w, config = optim.sgd_nesterov_momentum(w, dw, {"learning_rate": 1e-3, "velocity": velocity})

    # First entry: w = -0.4, dw = -0.6, v = 0.6; last entry: w = 0.6, dw = 0.4, v = 0.9.
    # v' = 0.9 * 0.6 + 1e-3 * 0.6 = 0.5406;  next_w = -0.4 - 0.9 * 0.6 + 1.9 * 0.5406 = 0.08714
    # v' = 0.9 * 0.9 - 1e-3 * 0.4 = 0.8096;  next_w = 0.6 - 0.9 * 0.9 + 1.9 * 0.8096 = 1.32824
    assert config["velocity"][0, 0] == pytest.approx(0.5406, rel=1e-12)
    assert config["velocity"][-1, -1] == pytest.approx(0.8096, rel=1e-12)
    assert next_w[0, 0] == pytest.approx(0.08714, rel=1e-12)
    assert next_w[-1, -1] == pytest.approx(1.32824, rel=1e-12)
    expected_velocity = 0.9 * velocity - 1e-3 * dw
    assert rel_error(config["velocity"], expected_velocity) < 1e-12
    assert rel_error(next_w, w - 0.9 * velocity + 1.9 * expected_velocity) < 1e-12
    assert config["learning_rate"] == 1e-3 and config["momentum"] == 0.9


def test_sgd_nesterov_momentum_follows_torch_sgd_with_nesterov_over_several_steps():
    """torch keeps b = momentum * b + dw and steps by -lr * (dw + momentum * b); with v = -lr * b (constant lr,
    zero start) that is next_w = w - momentum * v_prev + (1 + momentum) * v, the same update."""
    torch = pytest.importorskip("torch")
    w = np.random.RandomState(0).randn(3, 4)
    param = torch.tensor(w.copy(), dtype=torch.float64, requires_grad=True)
    torch_optimizer = torch.optim.SGD([param], lr=0.05, momentum=0.8, nesterov=True)
    config = {"learning_rate": 0.05, "momentum": 0.8}
    for _ in range(6):
        w, config = optim.sgd_nesterov_momentum(w, np.sin(3 * w) + w, config)
        with torch.no_grad():
            param.grad = torch.sin(3 * param) + param
        torch_optimizer.step()
    assert rel_error(w, param.detach().numpy()) < 1e-12


def test_rmsprop_matches_the_published_cs231n_values(w_and_dw):
    w, dw = w_and_dw
    next_w, config = optim.rmsprop(w, dw, {"learning_rate": 1e-2, "cache": linspace_grid(0.6, 0.9)})
    published_next_w_first = [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247]
    published_cache_first = [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321]
    assert rel_error(next_w[0], published_next_w_first) < 1e-7
    assert rel_error(config["cache"][0], published_cache_first) < 1e-7
    expected_cache = 0.99 * linspace_grid(0.6, 0.9) + 0.01 * dw**2
    assert rel_error(config["cache"], expected_cache) < 1e-12
    assert rel_error(next_w, w - 1e-2 * dw / (np.sqrt(expected_cache) + 1e-8)) < 1e-12


def test_adam_matches_the_published_cs231n_values(w_and_dw):
    w, dw = w_and_dw
    config = {"learning_rate": 1e-2, "m": linspace_grid(0.6, 0.9), "v": linspace_grid(0.7, 0.5), "t": 5}
    next_w, config = optim.adam(w, dw, config)
    published_next_w_first = [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977]
    published_v_first = [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853]
    published_m_first = [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474]
    assert config["t"] == 6
    assert rel_error(next_w[0], published_next_w_first) < 1e-7
    assert rel_error(config["v"][0], published_v_first) < 1e-7
    assert rel_error(config["m"][0], published_m_first) < 1e-7


def reference_step(rule, w, dw, state, learning_rate):
    """One step of each rule on plain Python floats, written from the update equations."""
    if rule == "sgd_momentum":
        state["v"] = 0.9 * state.get("v", 0.0) - learning_rate * dw
        return w + state["v"]
    if rule == "sgd_nesterov_momentum":
        previous = state.get("v", 0.0)
        state["v"] = 0.9 * previous - learning_rate * dw
        return w - 0.9 * previous + 1.9 * state["v"]
    if rule == "rmsprop":
        state["cache"] = 0.99 * state.get("cache", 0.0) + 0.01 * dw * dw
        return w - learning_rate * dw / (math.sqrt(state["cache"]) + 1e-8)
    state["t"] = state.get("t", 0) + 1
    state["m"] = 0.9 * state.get("m", 0.0) + 0.1 * dw
    state["v"] = 0.999 * state.get("v", 0.0) + 0.001 * dw * dw
    m_hat, v_hat = state["m"] / (1 - 0.9 ** state["t"]), state["v"] / (1 - 0.999 ** state["t"])
    return w - learning_rate * m_hat / (math.sqrt(v_hat) + 1e-8)


@pytest.mark.parametrize("rule", ["sgd_momentum", "sgd_nesterov_momentum", "rmsprop", "adam"])
def test_update_rules_carry_their_state_over_several_steps_from_a_fresh_config(rule):
    w = np.random.RandomState(0).randn(3, 4)
    config = {"learning_rate": 0.01}
    reference_w = w.ravel().tolist()
    reference_states = [{} for _ in reference_w]
    for _ in range(5):
        w, config = getattr(optim, rule)(w, np.sin(3 * w) + w, config)
        reference_w = [reference_step(rule, value, math.sin(3 * value) + value, state, 0.01)
                       for value, state in zip(reference_w, reference_states)]
    assert rel_error(w.ravel(), reference_w) < 1e-10


@pytest.mark.parametrize("rule", RULES)
def test_update_rules_leave_w_and_dw_untouched(rule, w_and_dw):
    w, dw = w_and_dw
    w_before, dw_before = w.copy(), dw.copy()
    next_w, _ = getattr(optim, rule)(w, dw, None)
    assert np.array_equal(w, w_before) and np.array_equal(dw, dw_before)
    assert next_w is not w


@pytest.mark.parametrize("rule", RULES)
def test_update_rules_reject_a_gradient_of_another_shape(rule):
    with pytest.raises(ValueError, match=rf"{rule}: w has shape \(2, 3\) but dw has shape \(3, 2\)"):
        getattr(optim, rule)(np.zeros((2, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("rule", RULES)
def test_update_rules_fill_a_config_without_replacing_what_it_holds(rule):
    w = np.ones((2, 3), dtype=np.float32)
    config = {"learning_rate": 0.5, "unrelated": "kept"}
    _, returned = getattr(optim, rule)(w, np.zeros_like(w), config)
    assert returned is config and config["learning_rate"] == 0.5 and config["unrelated"] == "kept"


def test_update_rule_docstrings_state_the_in_place_contract():
    for rule in RULES:
        assert "May update w in place and return it as next_w; must not change dw." in getattr(optim, rule).__doc__
