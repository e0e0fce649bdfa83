"""Public checks of the affine layer and the ReLU (course_lib/layers/affine.py): the notebook's cases, other shapes,
float32, and inputs, dout and the cache left unmodified. The `*_cases` builders serve the hidden checks too, with
other values."""
import numpy as np

from autograde.checks.public._probes import InputWatch, backward_twice, linspace_array
from autograde.checks.spec import register

HINT_AFFINE_FORWARD = "flatten each example to a row with x.reshape(N, -1), then out = x_flat @ w + b"
HINT_AFFINE_BACKWARD = "dx = dout @ w.T reshaped to x's shape, dw = x_flat.T @ dout, db = dout summed over examples"
HINT_RELU_FORWARD = "out = np.maximum(0, x); build a new array instead of editing x in place"
HINT_RELU_BACKWARD = "dx = dout where x > 0 and 0 elsewhere, in a new array (dx = dout * (x > 0)); do not edit dout"


def affine_forward_cases(lib, seed, *, rows, features, outputs, image):
    """affine_forward on a float32 (rows, features) x, watched for changes in place, and on a float64 x of shape
    (rows, *image), image a tuple whose product is `features`."""
    rng = np.random.RandomState(seed)
    x, w, b = (rng.randn(rows, features).astype(np.float32), rng.randn(features, outputs).astype(np.float32),
               rng.randn(outputs).astype(np.float32))
    watch = InputWatch(x=x, w=w, b=b)
    out_float32, _ = lib.layers.affine_forward(x, w, b)
    results = {"out_float32": out_float32, **watch.after("affine_forward", x=x, w=w, b=b)}
    image_x = rng.randn(rows, *image)
    results["out_image"], _ = lib.layers.affine_forward(image_x, rng.randn(features, outputs), rng.randn(outputs))
    return results


def affine_backward_cases(lib, seed, *, x_shape, outputs):
    """affine_backward twice with the same cache of an x of shape x_shape: gradients, dout and the cache unchanged."""
    rng = np.random.RandomState(seed)
    features = int(np.prod(x_shape[1:]))
    x, w, b = rng.randn(*x_shape), rng.randn(features, outputs), rng.randn(outputs)
    dout = rng.randn(x_shape[0], outputs)
    watch = InputWatch(x=x, w=w, b=b, dout=dout)
    _, cache = lib.layers.affine_forward(x, w, b)
    watch.seen(x=x, w=w, b=b)
    return backward_twice("affine_backward", lib.layers.affine_backward, ("dx", "dw", "db"), dout, cache, watch,
                          x=x, w=w, b=b)


def relu_forward_cases(lib, seed, *, shape):
    """relu_forward on a float64 x of `shape`, watched for changes in place, and on a float32 1-d x."""
    rng = np.random.RandomState(seed)
    x = rng.randn(*shape)
    watch = InputWatch(x=x)
    out, _ = lib.layers.relu_forward(x)
    out_float32, _ = lib.layers.relu_forward(rng.randn(int(np.prod(shape))).astype(np.float32))
    return {"out": out, "out_float32_1d": out_float32, **watch.after("relu_forward", x=x)}


def relu_backward_cases(lib, seed, *, shape):
    """relu_backward twice with the same cache, float32 x and dout of `shape`: dx, dout and the cache unchanged."""
    rng = np.random.RandomState(seed)
    x, dout = rng.randn(*shape).astype(np.float32), rng.randn(*shape).astype(np.float32)
    watch = InputWatch(x=x, dout=dout)
    _, cache = lib.layers.relu_forward(x)
    watch.seen(x=x)
    return backward_twice("relu_backward", lib.layers.relu_backward, ("dx",), dout, cache, watch, x=x)


@register("layers.affine_forward.notebook_case", hint=HINT_AFFINE_FORWARD,
          case="x (2, 4, 5, 6) = linspace(-0.1, 0.5), w (120, 3), b (3,)")
def _affine_forward_notebook_case(lib):
    x = linspace_array(-0.1, 0.5, (2, 4, 5, 6))
    w = linspace_array(-0.2, 0.3, (120, 3))
    b = np.linspace(-0.3, 0.1, num=3)
    out, _ = lib.layers.affine_forward(x, w, b)
    return {"out": out}


@register("layers.affine_forward.float32_inputs_unmodified", hint=HINT_AFFINE_FORWARD,
          case="float32 2-d x (4, 6), w (6, 3), b (3,), then a 3-d x (4, 2, 3); x, w and b must be left unmodified")
def _affine_forward_float32_inputs_unmodified(lib):
    return affine_forward_cases(lib, 5, rows=4, features=6, outputs=3, image=(2, 3))


@register("layers.affine_backward.gradient_case", hint=HINT_AFFINE_BACKWARD,
          case="seed 231, x (10, 2, 3), w (6, 5), b (5,), dout (10, 5)")
def _affine_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(10, 2, 3)
    w = np.random.randn(6, 5)
    b = np.random.randn(5)
    dout = np.random.randn(10, 5)
    _, cache = lib.layers.affine_forward(x, w, b)
    dx, dw, db = lib.layers.affine_backward(dout, cache)
    return {"dx": dx, "dw": dw, "db": db}


@register("layers.affine_backward.four_d_inputs_unmodified", hint=HINT_AFFINE_BACKWARD,
          case="x (3, 2, 2, 2), w (8, 4), b (4,), dout (3, 4), affine_backward called twice with the same cache; "
               "dout and the cache (x, w, b) must be left unmodified")
def _affine_backward_four_d_inputs_unmodified(lib):
    return affine_backward_cases(lib, 6, x_shape=(3, 2, 2, 2), outputs=4)


@register("layers.relu_forward.notebook_case", hint=HINT_RELU_FORWARD,
          case="x (3, 4) = linspace(-0.5, 0.5)")
def _relu_forward_notebook_case(lib):
    out, _ = lib.layers.relu_forward(linspace_array(-0.5, 0.5, (3, 4)))
    return {"out": out}


@register("layers.relu_forward.random_4d_inputs_unmodified", hint=HINT_RELU_FORWARD,
          case="x (2, 3, 2, 4) from randn, then a float32 1-d x (48,); x must be left unmodified")
def _relu_forward_random_4d_inputs_unmodified(lib):
    return relu_forward_cases(lib, 7, shape=(2, 3, 2, 4))


@register("layers.relu_backward.gradient_case", hint=HINT_RELU_BACKWARD, case="seed 231, x (10, 10), dout (10, 10)")
def _relu_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(10, 10)
    dout = np.random.randn(*x.shape)
    _, cache = lib.layers.relu_forward(x)
    return {"dx": lib.layers.relu_backward(dout, cache)}


@register("layers.relu_backward.float32_4d_inputs_unmodified", hint=HINT_RELU_BACKWARD,
          case="float32 x and dout (2, 3, 4, 2), relu_backward called twice with the same cache; dout and the "
               "cache (x) must be left unmodified")
def _relu_backward_float32_4d_inputs_unmodified(lib):
    return relu_backward_cases(lib, 8, shape=(2, 3, 4, 2))
