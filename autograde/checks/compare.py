"""How a check's outputs are judged: rel_error, the default comparison and the verdict message.

Runs in the trusted process on plain numeric ndarrays (what np.load gives back from the sandbox); nothing of the
student's objects is called here. Imports numpy and the standard library only (it ships to students).
"""
import numpy as np


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


def compare_close(rtol=1e-6, *, floor=1e-4, keys=None):
    """The default comparison: every expected output (or those in `keys`) has the expected shape, is finite and
    has rel_error(got, expected, floor) <= rtol."""

    def compare(got, expected, reveal=True):
        problems = []
        for name in keys or sorted(expected):
            want = expected[name]
            if name not in got:
                problems.append(f"{name} was not returned")
                continue
            have = got[name]
            if have.size == want.size == 1:
                # A loss returned as a 1-element array or a 0-d array is the same scalar.
                have = have.reshape(want.shape)
            if have.shape != want.shape:
                problems.append(f"{name} has shape {have.shape}, expected shape {want.shape}")
                continue
            bad = _bad_entries(name, have)
            if bad and np.all(np.isfinite(want)):
                problems.append(bad)
                continue
            error = rel_error(have, want, floor)
            if error <= rtol:
                continue
            text = f"{name}: rel_error {error:.2e} > tolerance {rtol:.0e}"
            if reveal:
                if have.ndim == 0:
                    text += f"; got {have.item():.10g}, expected {want.item():.10g}"
                else:
                    differs = ~np.isclose(have, want, rtol=rtol, atol=rtol * floor * float(np.max(np.abs(want))))
                    count = int(differs.sum()) or 1
                    index = tuple(int(i) for i in np.argwhere(differs)[0]) if differs.any() else (0,) * have.ndim
                    text += (
                        f"; {count} of {have.size} entries differ, first at index {index}: "
                        f"got {have[index]:.8g}, expected {want[index]:.8g}"
                    )
            problems.append(text)
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
    """One line: the check, the function and case, what went wrong and what to look at."""
    case = f" [{check.case}]" if check.case else ""
    label = "hidden check: " if check.hidden else ""
    if not detail:
        return f"{label}{check.function}{case}"
    return f"{label}{check.function}{case}: {detail}. Hint: {check.hint}"
