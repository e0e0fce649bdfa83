"""Public checks of inverted dropout (course_lib/layers/dropout.py). A mask has no single correct value, so the
checks judge properties: kept entries equal x / p and the others 0, the kept fraction is near p, test mode is the
identity, the same seed gives the same mask, and the backward pass uses the forward call's own mask. Any valid way
to draw the mask (np.random.rand(...) < p, np.random.binomial, np.random.choice; stored as bool or float) passes.
The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.compare import after_key, compare_close, rel_error
from autograde.checks.public._probes import InputWatch, backward_twice
from autograde.checks.spec import register

HINT_DROPOUT_FORWARD = ("p is the probability of KEEPING a unit: mask = (np.random.rand(*x.shape) < p) / p in train "
                        "mode, out = x * mask; test mode returns x unchanged; call np.random.seed(seed) first when "
                        "dropout_param has a seed")
HINT_DROPOUT_BACKWARD = "dx = dout * mask with the mask from the cache in train mode; dx = dout in test mode"
KEEP_PROBS = (0.25, 0.4, 0.7)


def _kept_fraction_problem(label, kept, keep_prob):
    count, total = int(kept.sum()), kept.size
    tolerance = 6.0 * np.sqrt(total * keep_prob * (1.0 - keep_prob)) + 1.0
    if abs(count - keep_prob * total) > tolerance:
        return (f"{label}: kept {count / total:.4f} of the units, expected a fraction near p = {keep_prob} "
                "(p is the probability of KEEPING a unit)")
    return None


def _train_mode_problem(label, x, train, keep_prob, reveal):
    kept = train != 0
    scaled = x / keep_prob
    if not np.allclose(train[kept], scaled[kept], rtol=1e-5, atol=0):
        text = f"{label}: a kept entry must equal x / p (inverted dropout)"
        if reveal:
            bad = tuple(int(i) for i in np.argwhere(kept & ~np.isclose(train, scaled, rtol=1e-5))[0])
            text += f"; at {bad} got {train[bad]:.6g}, x / p = {scaled[bad]:.6g}"
        return text
    return _kept_fraction_problem(label, kept, keep_prob)


def compare_dropout_forward(keep_probs):
    """Judge dropout_forward outputs named x{i}, train{i}, test{i} and optionally again{i} (a second train-mode call
    with the same seed) for keep probabilities keep_probs[i]; stored values (inputs after the calls) as
    compare_close."""
    stored_values = compare_close()

    def compare(got, expected, reveal=True):
        ok, detail = stored_values(got, expected, reveal)
        problems = [] if ok else [detail]
        for index, keep_prob in enumerate(keep_probs):
            x, train, test = got[f"x{index}"], got[f"train{index}"], got[f"test{index}"]
            label = f"p={keep_prob}, x {x.shape}"
            if train.shape != x.shape or test.shape != x.shape:
                problems.append(f"{label}: out has shape {train.shape} (train) / {test.shape} (test), "
                                f"expected x's shape {x.shape}")
                continue
            if not np.all(np.isfinite(train)):
                problems.append(f"{label}: train-mode out holds NaN or inf")
                continue
            problem = _train_mode_problem(label, x, train, keep_prob, reveal)
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
    where the forward kept the unit and 0 where it dropped it; in test mode dx equals dout. Stored values (inputs
    after the calls, a repeated call) as compare_close."""
    stored_values = compare_close()

    def compare(got, expected, reveal=True):
        ok, detail = stored_values(got, expected, reveal)
        problem = _dropout_backward_problem(got, keep_prob, mode, reveal)
        problems = ([] if ok else [detail]) + ([problem] if problem else [])
        return not problems, "; ".join(problems)

    return compare


def _dropout_backward_problem(got, keep_prob, mode, reveal):
    out, dout, dx = got["out"], got["dout"], got["dx"]
    if dx.shape != dout.shape:
        return f"dx has shape {dx.shape}, expected dout's shape {dout.shape}"
    if not np.all(np.isfinite(dx)):
        return "dx holds NaN or inf"
    if mode == "test":
        if np.array_equal(dx, dout):
            return None
        return f"in test mode dx must equal dout, rel_error {rel_error(dx, dout):.2e}"
    kept = out != 0
    want = np.where(kept, dout / keep_prob, 0.0)
    error = rel_error(dx, want)
    if error <= 1e-6 and np.all(dx[~kept] == 0):
        return None
    text = (f"dx must be dout / p where the forward pass kept a unit and 0 where it dropped it (use the mask "
            f"of the same forward call, from the cache); rel_error {error:.2e}")
    if reveal:
        wrong = np.argwhere(~np.isclose(dx, want, rtol=1e-6, atol=1e-12))
        index = tuple(int(i) for i in wrong[0]) if len(wrong) else (0,) * dx.ndim
        state = "kept" if kept[index] else "dropped"
        text += f"; at {index} ({state}) got {dx[index]:.6g}, expected {want[index]:.6g}"
    return text


def train_and_test(lib, x, keep_probs):
    """Outputs x{i}, train{i}, test{i} of dropout_forward for each keep probability."""
    outputs = {}
    for index, keep_prob in enumerate(keep_probs):
        train, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": keep_prob})
        test, _ = lib.layers.dropout_forward(x, {"mode": "test", "p": keep_prob})
        outputs.update({f"x{index}": x, f"train{index}": train, f"test{index}": test})
    return outputs


def seeded_repeatable(lib, seed, *, shape, keep_prob, dropout_seed, index=0):
    """Two train-mode calls with the same dropout_param['seed'] (other random draws between them) and a test-mode
    call: outputs x{index}, train{index}, again{index}, test{index}."""
    x = np.random.RandomState(seed).randn(*shape) - 4
    train, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": keep_prob, "seed": dropout_seed})
    np.random.rand(7)
    again, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": keep_prob, "seed": dropout_seed})
    test, _ = lib.layers.dropout_forward(x, {"mode": "test", "p": keep_prob, "seed": dropout_seed})
    return {f"x{index}": x, f"train{index}": train, f"again{index}": again, f"test{index}": test}


def keep_everything_cases(lib, seed, *, shape):
    """p = 1.0 (keep every unit) and p = 0.9 on an x of `shape`, x watched for changes in place."""
    x = np.random.RandomState(seed).randn(*shape) + 5
    watch = InputWatch(x=x)
    outputs = train_and_test(lib, x, (1.0, 0.9))
    outputs.update(watch.after("dropout_forward", x=x))
    return outputs


def dropout_backward_cases(lib, seed, *, shape, keep_prob, mode):
    """dropout_backward (twice with the same cache) after a forward call without a seed, with other random draws
    between the calls: dx must use the forward call's own mask; dout and the cache unchanged."""
    rng = np.random.RandomState(seed)
    x, dout = rng.randn(*shape) + 4, rng.randn(*shape)
    watch = InputWatch(x=x, dout=dout)
    out, cache = lib.layers.dropout_forward(x, {"mode": mode, "p": keep_prob})
    watch.seen(x=x)
    np.random.rand(11)
    outputs = backward_twice("dropout_backward", lib.layers.dropout_backward, ("dx",), dout, cache, watch, x=x)
    return {"x": x, "out": out, "dout": watch.original["dout"], **outputs}


@register("layers.dropout_forward.train_and_test_statistics", points=2, hint=HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward(KEEP_PROBS), stored=(),
          case="seed 231, x (200, 200) = randn + 10, p = 0.25, 0.4, 0.7, train and test mode")
def _dropout_forward_statistics(lib):
    np.random.seed(231)
    return train_and_test(lib, np.random.randn(200, 200) + 10, KEEP_PROBS)


@register("layers.dropout_forward.seeded_repeatable", hint=HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward((0.6,)), stored=(),
          case="x (50, 40), p = 0.6, dropout_param['seed'] = 5 twice: the same mask both times")
def _dropout_forward_seeded(lib):
    return seeded_repeatable(lib, 19, shape=(50, 40), keep_prob=0.6, dropout_seed=5)


@register("layers.dropout_forward.keep_everything_inputs_unmodified", hint=HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward((1.0, 0.9)), stored=(after_key("x", "dropout_forward"),),
          case="x (10, 20, 30), p = 1.0 (keep every unit) and 0.9, train and test mode; x must be left unmodified")
def _dropout_forward_keep_everything(lib):
    return keep_everything_cases(lib, 20, shape=(10, 20, 30))


@register("layers.dropout_backward.gradient_case", points=2, hint=HINT_DROPOUT_BACKWARD,
          compare=compare_dropout_backward(0.2), stored=(),
          case="seed 231, x (10, 10) = randn + 10, train mode, p = 0.2, seed 123")
def _dropout_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(10, 10) + 10
    dout = np.random.randn(*x.shape)
    out, cache = lib.layers.dropout_forward(x, {"mode": "train", "p": 0.2, "seed": 123})
    dx = lib.layers.dropout_backward(dout, cache)
    return {"x": x, "out": out, "dout": dout, "dx": dx}


@register("layers.dropout_backward.test_mode", hint=HINT_DROPOUT_BACKWARD,
          compare=compare_dropout_backward(0.3, mode="test"), stored=(), case="test mode, p = 0.3: dx equals dout")
def _dropout_backward_test_mode(lib):
    rng = np.random.RandomState(21)
    x, dout = rng.randn(6, 7) + 4, rng.randn(6, 7)
    out, cache = lib.layers.dropout_forward(x, {"mode": "test", "p": 0.3})
    return {"x": x, "out": out, "dout": dout, "dx": lib.layers.dropout_backward(dout, cache)}


@register("layers.dropout_backward.mask_from_cache_inputs_unmodified", hint=HINT_DROPOUT_BACKWARD,
          compare=compare_dropout_backward(0.6),
          stored=(after_key("x", "dropout_backward"), after_key("dout", "dropout_backward")),
          case="train mode, p = 0.6, no seed, x (4, 5, 6), other random draws before the backward call: dx must "
               "use the forward call's own mask; called twice with the same cache; dout and the cache must be left "
               "unmodified")
def _dropout_backward_mask_from_cache(lib):
    return dropout_backward_cases(lib, 22, shape=(4, 5, 6), keep_prob=0.6, mode="train")
