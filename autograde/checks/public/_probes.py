"""Building blocks of the layer probes: fixed inputs, inputs watched for changes made in place, a backward pass run
twice with the same cache, and the value outputs alone (what a hidden check repeats)."""
import numpy as np

from autograde.checks.compare import after_key, again_key, is_value_key


def linspace_array(low, high, shape):
    """np.linspace(low, high) filled into `shape`, as the CS231n notebooks build their fixed inputs."""
    return np.linspace(low, high, num=int(np.prod(shape))).reshape(shape)


def values_only(outputs):
    """The value outputs of a probe, without the inputs-after-a-call and repeated-call outputs."""
    return {name: value for name, value in outputs.items() if is_value_key(name)}


def unpack(function, names, result):
    """{name: array} for the tuple a function returned (one name: the result itself), or a ValueError that says
    what the function should return."""
    if len(names) == 1:
        return {names[0]: result}
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        got = f"a {type(result).__name__}" + (f" of {len(result)} items" if isinstance(result, (tuple, list)) else "")
        raise ValueError(f"{function} must return a tuple ({', '.join(names)}), got {got}")
    return dict(zip(names, result))


class InputWatch:
    """Copies of the inputs a probe passes in, to record whether each call changed them in place.

    after(call, **inputs) returns the outputs '<input>_after_<call>': the input as passed in when `call` left it as
    it found it, else its value after the call. A change is thus charged to the call that made it, and
    compare.compare_close tells the student which array changed and where.
    """

    def __init__(self, **inputs):
        self.original = {name: np.array(value, copy=True) for name, value in inputs.items()}
        self._last = dict(self.original)

    def seen(self, **inputs):
        """Take the inputs as they are now as the state the next call finds (a call whose changes are not graded
        here, e.g. the forward pass before the backward pass under test)."""
        self._last.update({name: np.array(value, copy=True) for name, value in inputs.items()})

    def after(self, call, **inputs):
        outputs = {}
        for name, value in inputs.items():
            now, last = np.array(value, copy=True), self._last[name]
            unchanged = now.shape == last.shape and np.array_equal(now, last, equal_nan=now.dtype.kind == "f")
            outputs[after_key(name, call)] = self.original[name] if unchanged else now
            self._last[name] = now
        return outputs


def backward_twice(call, function, names, dout, cache, watch, **cached_inputs):
    """Run `function(dout, cache)` (named `call`) twice with the same cache: the gradients `names` of the first
    call, the inputs dout and `cached_inputs` as it left them, and the gradients of the second call (given a fresh
    copy of the original dout) under again_key names."""
    outputs = unpack(call, names, function(dout, cache))
    outputs.update(watch.after(call, dout=dout, **cached_inputs))
    second = unpack(call, names, function(watch.original["dout"].copy(), cache))
    outputs.update({again_key(name, call): value for name, value in second.items()})
    return outputs
