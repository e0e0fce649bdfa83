"""Building blocks shared by the public and hidden checks: property comparisons (dropout, initialisation,
gradients checked numerically) for behaviours that have no single correct output."""
import numpy as np

from autograde.checks.compare import rel_error


def linspace_array(low, high, shape):
    """np.linspace(low, high) filled into `shape`, as the CS231n notebooks build their fixed inputs."""
    return np.linspace(low, high, num=int(np.prod(shape))).reshape(shape)


def copies(**arrays):
    """Copies of the inputs, to return after the call for the inputs-unmodified checks."""
    return {name: np.array(value, copy=True) for name, value in arrays.items()}


def _kept_fraction_problem(label, kept, keep_prob):
    count, total = int(kept.sum()), kept.size
    expected_count = keep_prob * total
    tolerance = 6.0 * np.sqrt(total * keep_prob * (1.0 - keep_prob)) + 1.0
    if abs(count - expected_count) > tolerance:
        return (f"{label}: kept {count / total:.4f} of the units, expected a fraction near p = {keep_prob} "
                "(p is the probability of KEEPING a unit)")
    return None


def compare_dropout_forward(cases):
    """Judge dropout_forward outputs named x{i}, train{i}, test{i}, again{i} (same seed as train{i}) for the keep
    probabilities `cases` = [p0, p1, ...]: kept entries equal x / p, the others 0, the kept fraction is near p,
    test mode is the identity and the same seed gives the same mask."""

    def compare(got, expected, reveal=True):
        problems = []
        for index, keep_prob in enumerate(cases):
            x, train, test = got[f"x{index}"], got[f"train{index}"], got[f"test{index}"]
            label = f"p={keep_prob}, x {x.shape}"
            if train.shape != x.shape or test.shape != x.shape:
                problems.append(f"{label}: out has shape {train.shape} (train) / {test.shape} (test), "
                                f"expected x's shape {x.shape}")
                continue
            if not np.all(np.isfinite(train)):
                problems.append(f"{label}: train-mode out holds NaN or inf")
                continue
            kept = train != 0
            scaled = x / keep_prob
            if not np.allclose(train[kept], scaled[kept], rtol=1e-5, atol=0):
                text = f"{label}: a kept entry must equal x / p (inverted dropout)"
                if reveal:
                    bad = tuple(int(i) for i in np.argwhere(kept & ~np.isclose(train, scaled, rtol=1e-5))[0])
                    text += f"; at {bad} got {train[bad]:.6g}, x / p = {scaled[bad]:.6g}"
                problems.append(text)
                continue
            problem = _kept_fraction_problem(label, kept, keep_prob)
            if problem:
                problems.append(problem)
            if not np.array_equal(test, x):
                problems.append(f"{label}: test mode must return x unchanged (no mask, no scaling), "
                                f"rel_error {rel_error(test, x):.2e}")
            again = got.get(f"again{index}")
            if again is not None and not np.array_equal(again, train):
                problems.append(f"{label}: two train-mode calls with the same dropout_param['seed'] gave different "
                                "outputs (call np.random.seed(seed) before drawing the mask)")
        return not problems, "; ".join(problems)

    return compare


def compare_dropout_backward(keep_prob, mode="train"):
    """Judge dropout_backward from outputs x, out (the forward output), dout and dx: in train mode dx is dout / p
    where the forward kept the unit and 0 where it dropped it; in test mode dx equals dout."""

    def compare(got, expected, reveal=True):
        x, out, dout, dx = got["x"], got["out"], got["dout"], got["dx"]
        if dx.shape != dout.shape:
            return False, f"dx has shape {dx.shape}, expected dout's shape {dout.shape}"
        if not np.all(np.isfinite(dx)):
            return False, "dx holds NaN or inf"
        if mode == "test":
            if np.array_equal(dx, dout):
                return True, ""
            return False, f"in test mode dx must equal dout, rel_error {rel_error(dx, dout):.2e}"
        kept = out != 0
        want = np.where(kept, dout / keep_prob, 0.0)
        error = rel_error(dx, want)
        if error <= 1e-6 and np.all(dx[~kept] == 0):
            return True, ""
        text = (f"dx must be dout / p where the forward pass kept a unit and 0 where it dropped it (use the mask "
                f"of the same forward call, from the cache); rel_error {error:.2e}")
        if reveal:
            wrong = np.argwhere(~np.isclose(dx, want, rtol=1e-6, atol=1e-12))
            index = tuple(int(i) for i in wrong[0]) if len(wrong) else (0,) * dx.ndim
            state = "kept" if kept[index] else "dropped"
            text += f"; at {index} ({state}) got {dx[index]:.6g}, expected {want[index]:.6g}"
        return False, text

    return compare


def compare_gradient_directions(rtol=1e-4, floor=1e-4):
    """Judge outputs analytic_<param> and numeric_<param> (directional derivatives along fixed random directions):
    the analytic gradient must agree with central differences of the same loss. Relative errors are measured
    against at least `floor`, the size below which central differences are mostly roundoff (a bias followed by
    batch norm has a zero gradient, which the numeric derivative only approximates)."""

    def compare(got, expected, reveal=True):
        problems = []
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
        if not any(key.startswith("analytic_") for key in got):
            problems.append("no gradients were returned")
        return not problems, "; ".join(problems)

    return compare


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


def compare_initialisation(shapes, weight_scale, *, normalization=None):
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
