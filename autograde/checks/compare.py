"""How a check's outputs are judged: rel_error, the default comparison and the verdict message.

Runs in the trusted process on plain numeric ndarrays (what np.load gives back from the sandbox); nothing of the
student's objects is called here. Imports numpy and the standard library only (it ships to students).

A probe's output names say what each array is:
- `<name>` (`out`, `dx`, `loss_reg0`): a value the code under test computed, compared with a tolerance;
- `<input>_after_<call>` (`dout_after_relu_backward`): an input array as the call left it, which must equal what
  was passed in (inputs are never changed in place);
- `<output>_again_<call>` (`dx_again_relu_backward`): the output of a second backward call with the same cache,
  which must equal the first one (a backward pass never changes the cache).
"""
import numpy as np

AFTER = "_after_"
AGAIN = "_again_"
# float32 outputs carry about 7 significant digits: they are compared at least this loosely.
FLOAT32_RTOL = 1e-4
FLOAT32_FLOOR = 1e-2

CHANGED_IN_PLACE_ADVICE = {
    "dout": "build a new array (e.g. dx = dout * mask, or start from dout.copy()) instead of writing into dout",
    "dw": ("dw is the caller's gradient: compute with new arrays (e.g. dw * dw, learning_rate * dw) instead of "
           "writing into dw (dw *= ..., dw **= 2)"),
    "y": "read the labels, never write into y",
}
DEFAULT_ADVICE = ("compute into a new array (e.g. np.maximum(x, 0), x - x.max(axis=1, keepdims=True), np.pad(x, ...)) "
                  "instead of writing into {name} ({name} -= ..., {name}[...] = ..., np.maximum(..., out={name}))")


def after_key(name, call):
    """Output name of input `name` as `call` left it, e.g. after_key('dout', 'relu_backward')."""
    return f"{name}{AFTER}{call}"


def again_key(name, call):
    """Output name of output `name` of a second call of `call` with the same cache."""
    return f"{name}{AGAIN}{call}"


def is_value_key(key):
    """True for the outputs that are values (not inputs after a call, not the outputs of a repeated call)."""
    return AFTER not in key and AGAIN not in key


def rel_error(got, expected, floor=1e-4):
    """Largest elementwise relative error max |g - e| / max(|g| + |e|, f), with f = max(1e-8, floor * max|e|).

    This is CS231n's rel_error, except that entries far below the size of the expected array are measured
    against `floor` times that size, so roundoff in entries that should be zero does not count as an error.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.size == 0:
        return 0.0
    scale = max(1e-8, floor * float(np.max(np.abs(expected))))
    return float(np.max(np.abs(got - expected) / np.maximum(np.abs(got) + np.abs(expected), scale)))


def _bad_entries(name, value):
    """A message when `value` holds NaN or inf, else None."""
    if value.dtype.kind != "f" or np.all(np.isfinite(value)):
        return None
    index = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
    where = f" at index {index}" if value.ndim else ""
    return (f"{name} holds {value[index]}{where} (overflow or 0/0: look for exp of large numbers, division by "
            "zero or the square root of a negative number)")


def _shape_problem(name, have, want):
    text = f"{name} has shape {have.shape}, expected {want.shape}"
    if have.size != want.size or np.squeeze(have).shape != np.squeeze(want).shape:
        return text
    if want.ndim == 1:
        return f"{text}: return a 1-d array, e.g. dout.sum(axis=0) (no keepdims=True, no [None, :])"
    return f"{text}: return an array of shape {want.shape} (reshape it, or sum with keepdims=True as needed)"


def _value_problem(name, got, want, rtol, floor, reveal, any_layout):
    """A message when output `name` is missing, misshapen, not finite or not within rtol of `want`, else None."""
    if name not in got:
        return f"{name} was not returned"
    have = got[name]
    if have.size == want.size and (have.size == 1 or any_layout):
        # A loss returned as a 1-element array is the same scalar; `any_layout` outputs may come in any shape.
        have = have.reshape(want.shape)
    if have.shape != want.shape:
        return _shape_problem(name, have, want)
    bad = _bad_entries(name, have)
    if bad and np.all(np.isfinite(want)):
        return bad
    if want.dtype == np.float32:
        rtol, floor = max(rtol, FLOAT32_RTOL), max(floor, FLOAT32_FLOOR)
    error = rel_error(have, want, floor)
    if error <= rtol:
        return None
    text = f"{name}: rel_error {error:.2e} > tolerance {rtol:.0e}"
    if reveal:
        if have.ndim == 0:
            text += f"; got {have.item():.10g}, expected {want.item():.10g}"
        else:
            differs = ~np.isclose(have, want, rtol=rtol, atol=rtol * floor * float(np.max(np.abs(want))))
            count = int(differs.sum()) or 1
            index = tuple(int(i) for i in np.argwhere(differs)[0]) if differs.any() else (0,) * have.ndim
            text += (f"; {count} of {have.size} entries differ, first at index {index}: "
                     f"got {have[index]:.8g}, expected {want[index]:.8g}")
    return text


def _changed_in_place(key, have, want):
    """A message when the input recorded under `key` differs from what was passed in, else None."""
    name, call = key.split(AFTER, 1)
    if have is not None and have.shape == want.shape and np.array_equal(have, want, equal_nan=want.dtype.kind == "f"):
        return None
    through = " (through the cache, which holds it)" if call.endswith("_backward") and name != "dout" else ""
    advice = CHANGED_IN_PLACE_ADVICE.get(name, DEFAULT_ADVICE.format(name=name))
    shape = f" (its shape became {have.shape})" if have is not None and have.shape != want.shape else ""
    return f"{name} was changed in place by {call}{through}{shape}: {advice}"


def _cache_changed(key, got, floor):
    """A message when a second backward call with the same cache gave another output than the first, else None."""
    name, call = key.split(AGAIN, 1)
    first, second = got.get(name), got.get(key)
    if first is not None and second is not None and first.shape == second.shape and \
            rel_error(second, first, floor) <= 1e-12:
        return None
    return (f"calling {call} a second time with the same cache gave another {name}: the first call changed the "
            "cache in place; compute into new arrays instead of writing into the cached ones")


def compare_close(rtol=1e-6, *, floor=1e-4, any_layout=()):
    """The default comparison. Every expected value has the expected shape, is finite and has
    rel_error(got, expected, floor) <= rtol (float32 outputs at least FLOAT32_RTOL, FLOAT32_FLOOR). Outputs named in
    `any_layout` may come in any shape with the right number of entries (CS231n documents two shapes for them).
    Inputs recorded after a call must equal what was passed in; a repeated backward call must give what the
    first one gave (see the module docstring)."""

    def compare(got, expected, reveal=True):
        problems, wrong = [], set()
        for name in sorted(filter(is_value_key, expected)):
            problem = _value_problem(name, got, expected[name], rtol, floor, reveal, name in any_layout)
            if problem:
                problems.append(problem)
                wrong.add(name)
        changed_by = set()
        for key in sorted(key for key in expected if AFTER in key):
            problem = _changed_in_place(key, got.get(key), expected[key])
            if problem:
                problems.append(problem)
                changed_by.add(key.split(AFTER, 1)[1])
        for key in sorted(key for key in got if AGAIN in key):
            name, call = key.split(AGAIN, 1)
            if name in wrong or call in changed_by:
                continue
            problem = _cache_changed(key, got, floor)
            if problem:
                problems.append(problem)
        return not problems, "; ".join(problems)

    return compare


def compare_all(*comparisons):
    """A comparison that passes when every one of `comparisons` passes, and lists the problems of all of them."""

    def compare(got, expected, reveal=True):
        problems = []
        for comparison in comparisons:
            ok, detail = comparison(got, expected, reveal)
            if not ok:
                problems.append(detail)
        return not problems, "; ".join(problems)

    return compare


def _as_plain_array(name, value):
    """Validate one probe output in the trusted process: a plain numeric ndarray (or a Python number)."""
    if type(value) in (bool, int, float) or isinstance(value, np.generic):
        value = np.array(value)
    if type(value) is not np.ndarray:
        raise TypeError(f"output {name!r} is a {type(value).__name__}, not a plain numpy array")
    if value.dtype.kind not in "biuf":
        raise TypeError(f"output {name!r} has dtype {value.dtype}, not a numeric dtype")
    return value


def evaluate(check, got, expected):
    """Judge a probe's outputs against the stored expected values; returns (ok, message).

    Runs in the trusted process: `got` must map names to plain numeric ndarrays (what np.load gives back); nothing
    of the student's objects is called here. A hidden check's message names the behaviour but no expected value.
    """
    if not expected and check.stored != ():
        return False, message_for(check, "no expected values are stored for this check: run "
                                         "`python -m autograde expected` (instructor) or reinstall the release")
    try:
        if not isinstance(got, dict):
            raise TypeError(f"the probe returned a {type(got).__name__}, not a dict of arrays")
        plain = {str(name): _as_plain_array(name, value) for name, value in got.items()}
        expected = {name: _as_plain_array(name, value) for name, value in expected.items()}
        with np.errstate(all="ignore"):
            ok, detail = check.compare(plain, expected, reveal=not check.hidden)
    except (TypeError, ValueError, KeyError, IndexError, FloatingPointError) as error:
        ok, detail = False, f"could not compare the outputs: {error}"
    return bool(ok), message_for(check, detail if not ok else "")


def message_for(check, detail):
    """One line: the check, the function and case, what went wrong and what to look at. A hidden check's message
    also names the public checks that test the same behaviour on other values."""
    case = f" [{check.case}]" if check.case else ""
    label = "hidden check: " if check.hidden else ""
    if not detail:
        return f"{label}{check.function}{case}"
    text = f"{label}{check.function}{case}: {detail}. Hint: {check.hint}"
    if check.hidden and check.repeats:
        public = ", ".join(f"{check.task}.{case_name}" for case_name in check.repeats)
        text += f" (the public checks {public} test the same behaviour)"
    return text
