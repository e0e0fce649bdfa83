"""Public checks of the naive convolution (course_lib/layers/conv.py): the notebook's cases, stride 2, pad 0,
non-square inputs and filters, float32, and inputs, dout and the cache left unmodified. The `*_cases` builders
serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.public._probes import InputWatch, backward_twice, linspace_array
from autograde.checks.spec import register

HINT_CONV_FORWARD = ("zero-pad x by pad on each side (np.pad), H' = 1 + (H + 2 * pad - HH) // stride, and for each "
                     "output position sum x_window * w[f] over (C, HH, WW) plus b[f]")
HINT_CONV_BACKWARD = ("each output position adds (+=) dout * w[f] to the padded dx window and dout * x_window to "
                      "dw[f]; strip the padding from dx at the end; db sums dout over (N, H', W')")


def conv_inputs(seed, x_shape, w_shape, dtype=np.float64):
    """x, w and b (F,) from randn, one seed."""
    rng = np.random.RandomState(seed)
    x, w, b = rng.randn(*x_shape), rng.randn(*w_shape), rng.randn(w_shape[0])
    return x.astype(dtype), w.astype(dtype), b.astype(dtype)


def conv_forward_strides(lib, seed, *, strided, padded):
    """Outputs of conv_forward_naive for strided = (x_shape, w_shape) at stride 2, pad 0 and padded = (x_shape,
    w_shape) at stride 1, pad 2."""
    outputs = {}
    for label, (x_shape, w_shape), conv_param in (("stride2_pad0", strided, {"stride": 2, "pad": 0}),
                                                  ("stride1_pad2", padded, {"stride": 1, "pad": 2})):
        x, w, b = conv_inputs(seed, x_shape, w_shape)
        outputs[f"out_{label}"], _ = lib.layers.conv_forward_naive(x, w, b, conv_param)
    return outputs


def conv_forward_float32(lib, seed, *, x_shape, w_shape):
    """A float32 convolution (stride 1, pad 1) with x, w and b watched for changes in place."""
    x, w, b = conv_inputs(seed, x_shape, w_shape, np.float32)
    watch = InputWatch(x=x, w=w, b=b)
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    return {"out": out, **watch.after("conv_forward_naive", x=x, w=w, b=b)}


def conv_backward_strides(lib, seed, *, strided, unpadded):
    """dx, dw, db for strided = (x_shape, w_shape) at stride 2, pad 1 and unpadded = (x_shape, w_shape) at stride 1,
    pad 0."""
    outputs = {}
    for label, (x_shape, w_shape), conv_param in (("stride2_pad1", strided, {"stride": 2, "pad": 1}),
                                                  ("stride1_pad0", unpadded, {"stride": 1, "pad": 0})):
        x, w, b = conv_inputs(seed, x_shape, w_shape)
        out, cache = lib.layers.conv_forward_naive(x, w, b, conv_param)
        dout = np.random.RandomState(seed + 100).randn(*out.shape)
        dx, dw, db = lib.layers.conv_backward_naive(dout, cache)
        outputs.update({f"dx_{label}": dx, f"dw_{label}": dw, f"db_{label}": db})
    return outputs


def conv_backward_twice(lib, seed, *, x_shape, w_shape):
    """conv_backward_naive (stride 1, pad 1) twice with the same cache: gradients, dout and the cache unchanged."""
    x, w, b = conv_inputs(seed, x_shape, w_shape)
    out_shape = (x_shape[0], w_shape[0], x_shape[2] + 3 - w_shape[2], x_shape[3] + 3 - w_shape[3])
    dout = np.random.RandomState(seed + 100).randn(*out_shape)
    watch = InputWatch(x=x, w=w, b=b, dout=dout)
    _, cache = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    watch.seen(x=x, w=w, b=b)
    return backward_twice("conv_backward_naive", lib.layers.conv_backward_naive, ("dx", "dw", "db"), dout, cache,
                          watch, x=x, w=w, b=b)


@register("layers.conv_forward_naive.notebook_case", points=2, hint=HINT_CONV_FORWARD,
          case="x (2, 3, 4, 4), w (3, 3, 4, 4), b (3,) from linspace, stride 2, pad 1")
def _conv_forward_notebook_case(lib):
    x = linspace_array(-0.1, 0.5, (2, 3, 4, 4))
    w = linspace_array(-0.2, 0.3, (3, 3, 4, 4))
    b = np.linspace(-0.1, 0.2, num=3)
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    return {"out": out}


@register("layers.conv_forward_naive.stride_pad_nonsquare", hint=HINT_CONV_FORWARD,
          case="stride 2, pad 0 on a non-square 5x7 input with 3x1 filters: x (2, 2, 5, 7), w (3, 2, 3, 1); and "
               "stride 1, pad 2 with non-square 3x5 filters: x (1, 2, 4, 6), w (2, 2, 3, 5)")
def _conv_forward_stride_pad_nonsquare(lib):
    return conv_forward_strides(lib, 23, strided=((2, 2, 5, 7), (3, 2, 3, 1)), padded=((1, 2, 4, 6), (2, 2, 3, 5)))


@register("layers.conv_forward_naive.float32_inputs_unmodified", hint=HINT_CONV_FORWARD,
          case="float32 x (2, 2, 5, 5), w (3, 2, 3, 3), stride 1, pad 1; x, w and b must be left unmodified")
def _conv_forward_float32_inputs_unmodified(lib):
    return conv_forward_float32(lib, 24, x_shape=(2, 2, 5, 5), w_shape=(3, 2, 3, 3))


@register("layers.conv_backward_naive.gradient_case", points=2, hint=HINT_CONV_BACKWARD,
          case="seed 231, x (4, 3, 5, 5), w (2, 3, 3, 3), b (2,), dout (4, 2, 5, 5), stride 1, pad 1")
def _conv_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(4, 3, 5, 5)
    w = np.random.randn(2, 3, 3, 3)
    b = np.random.randn(2)
    dout = np.random.randn(4, 2, 5, 5)
    _, cache = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    dx, dw, db = lib.layers.conv_backward_naive(dout, cache)
    return {"dx": dx, "dw": dw, "db": db}


@register("layers.conv_backward_naive.stride_pad_nonsquare", hint=HINT_CONV_BACKWARD,
          case="stride 2, pad 1 on a non-square 5x7 input with 3x1 filters: x (2, 2, 5, 7), w (3, 2, 3, 1); and "
               "stride 1, pad 0 with 2x3 filters on a 5x4 input: x (2, 2, 5, 4), w (2, 2, 2, 3)")
def _conv_backward_stride_pad_nonsquare(lib):
    return conv_backward_strides(lib, 25, strided=((2, 2, 5, 7), (3, 2, 3, 1)), unpadded=((2, 2, 5, 4), (2, 2, 2, 3)))


@register("layers.conv_backward_naive.inputs_unmodified", hint=HINT_CONV_BACKWARD,
          case="x (2, 2, 4, 4), w (2, 2, 3, 3), stride 1, pad 1, conv_backward_naive called twice with the same "
               "cache; dout and the cache (x, w, b) must be left unmodified")
def _conv_backward_inputs_unmodified(lib):
    return conv_backward_twice(lib, 26, x_shape=(2, 2, 4, 4), w_shape=(2, 2, 3, 3))
