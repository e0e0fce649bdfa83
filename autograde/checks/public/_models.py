"""Building blocks of the model probes: properties for behaviours without one correct output (weights drawn at
random, gradients of a loss that uses random dropout masks), judged against the model's own numbers."""
import numpy as np

from autograde.checks.compare import compare_close


def loss_and_grads(model, X, y, label=""):
    """{'loss<label>': loss, 'd<param><label>': grad} for every gradient the model returns."""
    loss, grads = model.loss(X, y)
    outputs = {f"loss{label}": loss}
    outputs.update({f"d{name}{label}": grad for name, grad in grads.items()})
    return outputs


def random_params(model, seed, scale=0.5):
    """Replace every parameter by seeded random values (gamma near 1) so that a check does not depend on how the
    model drew its initial weights. Returns the model."""
    rng = np.random.RandomState(seed)
    for name in sorted(model.params):
        value = scale * rng.randn(*model.params[name].shape)
        model.params[name] = value + 1.0 if name.startswith("gamma") else value
    return model


def scores_batch_and_each(model, X, label=""):
    """Test-mode scores (y is None) of the batch X and of each example alone: equal when test mode does not mix
    the examples of a batch."""
    each = [model.loss(X[i : i + 1]) for i in range(X.shape[0])]
    return {f"scores_batch{label}": model.loss(X), f"scores_each{label}": np.concatenate(each)}


def gradient_directions(loss_fn, params, grads, *, seed, num_directions=3, step=1e-6):
    """Directional derivatives of loss_fn() along `num_directions` random unit directions per parameter.

    Returns {'analytic_<p>': grads[p] . v, 'numeric_<p>': (L(p + h v) - L(p - h v)) / 2h}. loss_fn() evaluates the
    loss at the current contents of params (it is perturbed in place and restored).
    """
    rng = np.random.RandomState(seed)
    outputs = {}
    for name in sorted(params):
        value = params[name]
        analytic, numeric = [], []
        for _ in range(num_directions):
            direction = rng.randn(*value.shape)
            direction /= np.linalg.norm(direction)
            original = value.copy()
            value += step * direction
            loss_plus = float(loss_fn())
            value[...] = original - step * direction
            loss_minus = float(loss_fn())
            value[...] = original
            numeric.append((loss_plus - loss_minus) / (2 * step))
            analytic.append(float(np.sum(np.asarray(grads[name], dtype=np.float64) * direction)))
        outputs[f"analytic_{name}"] = np.array(analytic)
        outputs[f"numeric_{name}"] = np.array(numeric)
    return outputs


def dropout_gradient_outputs(model, X, y, *, seed, label):
    """The loss twice (the same dropout seed: it must not change), directional derivatives of the model's own loss,
    and the test-mode scores (no dropout: a stored value, so a model that computes nothing earns nothing)."""
    loss, grads = model.loss(X, y)
    again, _ = model.loss(X, y)
    outputs = {f"repeat_loss{label}": np.array([loss, again])}
    directions = gradient_directions(lambda: model.loss(X, y)[0], model.params, grads, seed=seed)
    outputs.update({f"{name}{label}": value for name, value in directions.items()})
    outputs[f"scores{label}"] = model.loss(X)
    return outputs


def compare_gradient_directions(rtol=1e-4, floor=1e-4):
    """Judge outputs analytic_<param> and numeric_<param> (directional derivatives along fixed random directions):
    the analytic gradient must agree with central differences of the same loss; repeat_<x> outputs must hold one
    value; the stored outputs (test-mode scores) must equal the expected ones. Relative errors are measured against
    at least `floor`, the size below which central differences are mostly roundoff (a bias followed by batch norm
    has a zero gradient, which the numeric derivative only approximates)."""
    stored_values = compare_close()

    def compare(got, expected, reveal=True):
        ok, detail = stored_values(got, expected, reveal)
        problems = [] if ok else [detail]
        for name in sorted(key for key in got if key.startswith("analytic_")):
            param = name[len("analytic_"):]
            analytic, numeric = got[name], got.get(f"numeric_{param}")
            if numeric is None or analytic.shape != numeric.shape:
                problems.append(f"{param}: no numeric derivative to compare with")
                continue
            if not (np.all(np.isfinite(analytic)) and np.all(np.isfinite(numeric))):
                problems.append(f"{param}: the loss or its gradient holds NaN or inf")
                continue
            error = float(np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)))
            if error > rtol:
                text = (f"grads['{param}'] disagrees with the numeric gradient of your own loss: rel_error "
                        f"{error:.2e} > {rtol:.0e}")
                if reveal:
                    text += (f" (directional derivatives: analytic {np.array2string(analytic, precision=6)}, "
                             f"numeric {np.array2string(numeric, precision=6)})")
                problems.append(text)
        for name in sorted(key for key in got if key.startswith("repeat_")):
            if got[name].size and not np.all(got[name] == got[name].flat[0]):
                problems.append(f"{name[len('repeat_'):]}: the same call with the same seed gave different values")
            if not np.all(got[name] > 0):
                problems.append(f"{name[len('repeat_'):]} is {got[name].flat[0]:.6g}: a softmax loss is positive")
        analytic = [got[key] for key in got if key.startswith("analytic_")]
        if not analytic:
            problems.append("no gradients were returned")
        elif not any(np.any(values != 0) for values in analytic):
            problems.append("every gradient is zero: the loss must depend on the parameters")
        return not problems, "; ".join(problems)

    return compare


def compare_initialisation(shapes, weight_scale):
    """Judge a model's params (returned as outputs named like the params): the exact set of keys, each shape, zero
    biases, gamma ones and beta zeros, and weights with mean near 0 and standard deviation near weight_scale."""

    def compare(got, expected, reveal=True):
        problems = []
        missing = sorted(set(shapes) - set(got))
        extra = sorted(set(got) - set(shapes))
        if missing:
            problems.append(f"model.params lacks {missing}")
        if extra:
            problems.append(f"model.params has unexpected keys {extra}")
        for name in sorted(set(shapes) & set(got)):
            value = got[name]
            if value.shape != tuple(shapes[name]):
                problems.append(f"{name} has shape {value.shape}, expected {tuple(shapes[name])}")
                continue
            if name.startswith("b") or name.startswith("beta"):
                if np.any(value != 0):
                    problems.append(f"{name} must start at zeros")
            elif name.startswith("gamma"):
                if np.any(value != 1):
                    problems.append(f"{name} must start at ones")
            elif name.startswith("W"):
                std, mean = float(np.std(value)), float(np.mean(value))
                relative = 0.1 if value.size >= 1000 else 0.5
                if not abs(std - weight_scale) <= relative * weight_scale:
                    problems.append(f"{name} has standard deviation {std:.3g}, expected about weight_scale = "
                                    f"{weight_scale:g} (draw weight_scale * np.random.randn(...))")
                if abs(mean) > 6 * weight_scale / np.sqrt(value.size):
                    problems.append(f"{name} has mean {mean:.3g}, expected about 0")
        return not problems, "; ".join(problems)

    return compare
