"""Public checks of naive max pooling (course_lib/layers/pooling.py): the notebook's cases, overlapping windows (an
input can be the maximum of several windows: the backward pass must add, not assign), non-square windows and
inputs, and inputs, dout and the cache left unmodified. Inputs come from randn, so no window has a tie and either
way of breaking ties passes. The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.public._probes import InputWatch, backward_twice, linspace_array
from autograde.checks.spec import register

HINT_POOL_FORWARD = "take the maximum of each pool_height x pool_width window, moving by stride (windows may overlap)"
HINT_POOL_BACKWARD = ("route each dout entry to the position of its window's maximum, and ADD (+=) when windows "
                      "overlap so that a position chosen by several windows gets all their gradients")


def pool_param(height, width, stride):
    return {"pool_height": height, "pool_width": width, "stride": stride}


def overlapping_forward_cases(lib, seed, *, square, nonsquare):
    """max_pool_forward_naive with 3x3 windows at stride 1 on an x of shape `square` (windows overlap) and with 2x3
    windows at stride 2 on an x of shape `nonsquare`."""
    rng = np.random.RandomState(seed)
    overlapping, _ = lib.layers.max_pool_forward_naive(rng.randn(*square), pool_param(3, 3, 1))
    nonsquare, _ = lib.layers.max_pool_forward_naive(rng.randn(*nonsquare), pool_param(2, 3, 2))
    return {"out_overlapping": overlapping, "out_nonsquare": nonsquare}


def overlapping_backward_cases(lib, seed, *, square, nonsquare):
    """dx of max_pool_backward_naive for 2x2 windows at stride 1 on `square` and 2x3 windows at stride 2 on
    `nonsquare` (the windows overlap along the width)."""
    outputs = {}
    for label, shape, param in (("overlapping", square, pool_param(2, 2, 1)),
                                ("nonsquare", nonsquare, pool_param(2, 3, 2))):
        rng = np.random.RandomState(seed)
        out, cache = lib.layers.max_pool_forward_naive(rng.randn(*shape), param)
        outputs[f"dx_{label}"] = lib.layers.max_pool_backward_naive(rng.randn(*out.shape), cache)
    return outputs


def backward_inputs_unmodified(lib, seed, *, shape):
    """max_pool_backward_naive (2x2 windows, stride 2) twice with the same cache: dx, dout and the cache unchanged."""
    rng = np.random.RandomState(seed)
    x, dout = rng.randn(*shape), rng.randn(shape[0], shape[1], shape[2] // 2, shape[3] // 2)
    watch = InputWatch(x=x, dout=dout)
    _, cache = lib.layers.max_pool_forward_naive(x, pool_param(2, 2, 2))
    watch.seen(x=x)
    return backward_twice("max_pool_backward_naive", lib.layers.max_pool_backward_naive, ("dx",), dout, cache, watch,
                          x=x)


@register("layers.max_pool_forward_naive.notebook_case", hint=HINT_POOL_FORWARD,
          case="x (2, 3, 4, 4) = linspace(-0.3, 0.4), 2x2 pool, stride 2")
def _max_pool_forward_notebook_case(lib):
    x = linspace_array(-0.3, 0.4, (2, 3, 4, 4))
    out, _ = lib.layers.max_pool_forward_naive(x, pool_param(2, 2, 2))
    return {"out": out}


@register("layers.max_pool_forward_naive.overlapping_nonsquare_windows", hint=HINT_POOL_FORWARD,
          case="3x3 windows at stride 1 (the windows overlap) on x (2, 2, 5, 5), 2x3 windows at stride 2 on a "
               "non-square x (2, 2, 4, 7)")
def _max_pool_forward_overlapping(lib):
    return overlapping_forward_cases(lib, 27, square=(2, 2, 5, 5), nonsquare=(2, 2, 4, 7))


@register("layers.max_pool_forward_naive.inputs_unmodified", hint=HINT_POOL_FORWARD,
          case="x (2, 3, 4, 6), 2x2 windows, stride 2; x must be left unmodified")
def _max_pool_forward_inputs_unmodified(lib):
    x = np.random.RandomState(41).randn(2, 3, 4, 6)
    watch = InputWatch(x=x)
    out, _ = lib.layers.max_pool_forward_naive(x, pool_param(2, 2, 2))
    return {"out": out, **watch.after("max_pool_forward_naive", x=x)}


@register("layers.max_pool_backward_naive.gradient_case", points=2, hint=HINT_POOL_BACKWARD,
          case="seed 231, x (3, 2, 8, 8), dout (3, 2, 4, 4), 2x2 pool, stride 2")
def _max_pool_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(3, 2, 8, 8)
    dout = np.random.randn(3, 2, 4, 4)
    _, cache = lib.layers.max_pool_forward_naive(x, pool_param(2, 2, 2))
    return {"dx": lib.layers.max_pool_backward_naive(dout, cache)}


@register("layers.max_pool_backward_naive.overlapping_windows", hint=HINT_POOL_BACKWARD,
          case="2x2 windows at stride 1 (the windows overlap: one input can be the maximum of several windows) on "
               "x (2, 2, 4, 4), and 2x3 windows at stride 2 on a non-square x (2, 2, 4, 7)")
def _max_pool_backward_overlapping(lib):
    return overlapping_backward_cases(lib, 28, square=(2, 2, 4, 4), nonsquare=(2, 2, 4, 7))


@register("layers.max_pool_backward_naive.inputs_unmodified", hint=HINT_POOL_BACKWARD,
          case="x (2, 3, 4, 6), 2x2 windows, stride 2, max_pool_backward_naive called twice with the same cache; "
               "dout and the cache (x) must be left unmodified")
def _max_pool_backward_inputs_unmodified(lib):
    return backward_inputs_unmodified(lib, 29, shape=(2, 3, 4, 6))
