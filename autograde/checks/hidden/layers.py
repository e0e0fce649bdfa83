"""Hidden checks of course_lib.layers: other shapes and seeds, edge cases, float32, inputs left unmodified."""
import numpy as np

from autograde.checks.public import layers as public
from autograde.checks.public._probes import compare_dropout_backward, compare_dropout_forward, copies
from autograde.checks.compare import compare_close
from autograde.checks.spec import register

FLOAT32 = compare_close(1e-4, floor=1e-2)
UNMODIFIED = compare_close(0.0)
HINT_UNMODIFIED = ("never change an input array in place (x[...] = ..., x += ..., out = x then out[...] = ...): "
                   "make new arrays, or copy first")


@register("layers.affine_forward.other_shape_float32", hint=public.HINT_AFFINE_FORWARD, compare=FLOAT32,
          case="2-d x (3, 7), w (7, 4), b (4,), float32, another seed")
def _affine_forward_other_shape_float32(lib):
    rng = np.random.RandomState(7)
    x, w, b = (rng.randn(3, 7).astype(np.float32), rng.randn(7, 4).astype(np.float32),
               rng.randn(4).astype(np.float32))
    out, _ = lib.layers.affine_forward(x, w, b)
    return {"out": out}


@register("layers.affine_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, w and b after affine_forward equal what was passed in")
def _affine_forward_inputs_unmodified(lib):
    rng = np.random.RandomState(8)
    x, w, b = rng.randn(4, 2, 3), rng.randn(6, 5), rng.randn(5)
    lib.layers.affine_forward(x, w, b)
    return {"x": x, "w": w, "b": b}


@register("layers.affine_backward.other_shape", hint=public.HINT_AFFINE_BACKWARD,
          case="x (4, 3, 2, 2), w (12, 6), b (6,), dout (4, 6), another seed")
def _affine_backward_other_shape(lib):
    rng = np.random.RandomState(12)
    x, w, b, dout = rng.randn(4, 3, 2, 2), rng.randn(12, 6), rng.randn(6), rng.randn(4, 6)
    _, cache = lib.layers.affine_forward(x, w, b)
    dx, dw, db = lib.layers.affine_backward(dout, cache)
    return {"dx": dx, "dw": dw, "db": db}


@register("layers.affine_backward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, w, b and dout after affine_forward and affine_backward equal what was passed in")
def _affine_backward_inputs_unmodified(lib):
    rng = np.random.RandomState(13)
    x, w, b, dout = rng.randn(3, 4), rng.randn(4, 2), rng.randn(2), rng.randn(3, 2)
    _, cache = lib.layers.affine_forward(x, w, b)
    lib.layers.affine_backward(dout, cache)
    return {"x": x, "w": w, "b": b, "dout": dout}


@register("layers.relu_forward.random_4d", hint=public.HINT_RELU_FORWARD,
          case="x (2, 3, 4, 5) from randn, another seed")
def _relu_forward_random_4d(lib):
    out, _ = lib.layers.relu_forward(np.random.RandomState(14).randn(2, 3, 4, 5))
    return {"out": out}


@register("layers.relu_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x after relu_forward equals what was passed in")
def _relu_forward_inputs_unmodified(lib):
    x = np.random.RandomState(15).randn(6, 7)
    lib.layers.relu_forward(x)
    return {"x": x}


@register("layers.relu_backward.float32_4d", hint=public.HINT_RELU_BACKWARD, compare=FLOAT32,
          case="x and dout (2, 3, 4, 5), float32, another seed")
def _relu_backward_float32_4d(lib):
    rng = np.random.RandomState(16)
    x, dout = rng.randn(2, 3, 4, 5).astype(np.float32), rng.randn(2, 3, 4, 5).astype(np.float32)
    _, cache = lib.layers.relu_forward(x)
    return {"dx": lib.layers.relu_backward(dout, cache)}


@register("layers.relu_backward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x and dout after relu_forward and relu_backward equal what was passed in")
def _relu_backward_inputs_unmodified(lib):
    rng = np.random.RandomState(17)
    x, dout = rng.randn(5, 6), rng.randn(5, 6)
    _, cache = lib.layers.relu_forward(x)
    lib.layers.relu_backward(dout, cache)
    return {"x": x, "dout": dout}


def _scores(seed, shape, scale):
    rng = np.random.RandomState(seed)
    x = scale * rng.randn(*shape)
    y = rng.randint(shape[1], size=shape[0])
    return x, y


@register("layers.svm_loss.other_shape_and_scale", hint=public.HINT_SVM,
          case="x (7, 3) = 2 * randn (margins both positive and negative), another seed")
def _svm_loss_other_shape(lib):
    loss, dx = lib.layers.svm_loss(*_scores(18, (7, 3), 2.0))
    return {"loss": loss, "dx": dx}


@register("layers.svm_loss.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x and y after svm_loss equal what was passed in")
def _svm_loss_inputs_unmodified(lib):
    x, y = _scores(19, (5, 4), 1.0)
    lib.layers.svm_loss(x, y)
    return {"x": x, "y": y}


@register("layers.softmax_loss.large_logits", hint=public.HINT_SOFTMAX,
          case="x (6, 5) = 1000 + 3 * randn, and one row [1000, 0, 0, 0, 0]: np.exp overflows without the shift")
def _softmax_loss_large_logits(lib):
    x, y = _scores(20, (6, 5), 3.0)
    x += 1000.0
    x[0] = [1000.0, 0.0, 0.0, 0.0, 0.0]
    loss, dx = lib.layers.softmax_loss(x, y)
    return {"loss": loss, "dx": dx}


@register("layers.softmax_loss.other_shape", hint=public.HINT_SOFTMAX, case="x (3, 8) = randn, another seed")
def _softmax_loss_other_shape(lib):
    loss, dx = lib.layers.softmax_loss(*_scores(21, (3, 8), 1.0))
    return {"loss": loss, "dx": dx}


@register("layers.softmax_loss.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x and y after softmax_loss equal what was passed in")
def _softmax_loss_inputs_unmodified(lib):
    x, y = _scores(22, (5, 4), 1.0)
    lib.layers.softmax_loss(x, y)
    return {"x": x, "y": y}


def _warm_up(forward, bn_param, gamma, beta, rng, shape, steps=5):
    for step in range(steps):
        forward(rng.randn(*shape) * (1.5 + step) + 3.0, gamma, beta, bn_param)


@register("layers.batchnorm_forward.test_mode_per_example", hint=public.HINT_BN_FORWARD,
          case="after 5 train-mode calls, test mode on a batch (6, 4) and on each example alone: test mode "
               "uses the running statistics, so each row does not depend on the rest of the batch")
def _batchnorm_forward_test_mode_per_example(lib):
    rng = np.random.RandomState(23)
    gamma, beta = rng.randn(4), rng.randn(4)
    bn_param = {"mode": "train"}
    _warm_up(lib.layers.batchnorm_forward, bn_param, gamma, beta, rng, (8, 4))
    bn_param["mode"] = "test"
    x = 2.0 * rng.randn(6, 4) + 3.0
    batch, _ = lib.layers.batchnorm_forward(x, gamma, beta, bn_param)
    each = [lib.layers.batchnorm_forward(x[i : i + 1], gamma, beta, bn_param)[0] for i in range(6)]
    return {"out_batch": batch, "out_each": np.concatenate(each)}


@register("layers.batchnorm_forward.running_statistics", hint=public.HINT_BN_FORWARD,
          case="momentum 0.7, eps 1e-3, 3 train-mode calls on (9, 5) inputs: running_mean, running_var and the "
               "last output")
def _batchnorm_forward_running_statistics(lib):
    rng = np.random.RandomState(24)
    gamma, beta = rng.randn(5), rng.randn(5)
    bn_param = {"mode": "train", "momentum": 0.7, "eps": 1e-3}
    out = None
    for step in range(3):
        out, _ = lib.layers.batchnorm_forward(rng.randn(9, 5) * (step + 1) - step, gamma, beta, bn_param)
    return {"out": out, "running_mean": bn_param["running_mean"], "running_var": bn_param["running_var"]}


@register("layers.batchnorm_forward.float32", hint=public.HINT_BN_FORWARD, compare=FLOAT32,
          case="x (8, 6), gamma, beta float32, train mode")
def _batchnorm_forward_float32(lib):
    rng = np.random.RandomState(25)
    x = (3 * rng.randn(8, 6) + 1).astype(np.float32)
    gamma, beta = rng.randn(6).astype(np.float32), rng.randn(6).astype(np.float32)
    out, _ = lib.layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    return {"out": out}


@register("layers.batchnorm_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, gamma and beta after train- and test-mode batchnorm_forward equal what was passed in")
def _batchnorm_forward_inputs_unmodified(lib):
    rng = np.random.RandomState(26)
    x, gamma, beta = rng.randn(7, 3) + 2, rng.randn(3), rng.randn(3)
    bn_param = {"mode": "train"}
    lib.layers.batchnorm_forward(x, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    lib.layers.batchnorm_forward(x, gamma, beta, bn_param)
    return {"x": x, "gamma": gamma, "beta": beta}


def _backward_case(lib, forward, backward, seed, shape, gamma_shape, param, *extra):
    rng = np.random.RandomState(seed)
    x = 4 * rng.randn(*shape) + 7
    gamma, beta, dout = rng.randn(*gamma_shape), rng.randn(*gamma_shape), rng.randn(*shape)
    _, cache = forward(x, gamma, beta, *extra, param)
    dx, dgamma, dbeta = backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


def _inputs_after_backward(forward, backward, seed, shape, gamma_shape, param, *extra):
    rng = np.random.RandomState(seed)
    x = 4 * rng.randn(*shape) + 7
    gamma, beta, dout = rng.randn(*gamma_shape), rng.randn(*gamma_shape), rng.randn(*shape)
    _, cache = forward(x, gamma, beta, *extra, param)
    backward(dout, cache)
    return {"x": x, "gamma": gamma, "beta": beta, "dout": dout}


@register("layers.batchnorm_backward.other_shape_eps", hint=public.HINT_BN_BACKWARD,
          case="x (7, 3), eps 1e-3, another seed")
def _batchnorm_backward_other_shape(lib):
    return _backward_case(lib, lib.layers.batchnorm_forward, lib.layers.batchnorm_backward, 27, (7, 3), (3,),
                          {"mode": "train", "eps": 1e-3})


@register("layers.batchnorm_backward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, gamma, beta and dout after batchnorm_forward and batchnorm_backward equal what was passed in")
def _batchnorm_backward_inputs_unmodified(lib):
    return _inputs_after_backward(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward, 28, (5, 4), (4,),
                                  {"mode": "train"})


@register("layers.batchnorm_backward_alt.other_shape", hint=public.HINT_BN_BACKWARD,
          case="x (6, 9), another seed")
def _batchnorm_backward_alt_other_shape(lib):
    return _backward_case(lib, lib.layers.batchnorm_forward, lib.layers.batchnorm_backward_alt, 29, (6, 9), (9,),
                          {"mode": "train"})


@register("layers.layernorm_forward.per_example_other_shape", hint=public.HINT_LN_FORWARD,
          case="x (5, 7), eps 1e-3, random gamma and beta, the batch and each example alone (layer norm does "
               "not mix examples)")
def _layernorm_forward_per_example(lib):
    rng = np.random.RandomState(30)
    x, gamma, beta = 3 * rng.randn(5, 7) - 2, rng.randn(7), rng.randn(7)
    batch, _ = lib.layers.layernorm_forward(x, gamma, beta, {"eps": 1e-3})
    each = [lib.layers.layernorm_forward(x[i : i + 1], gamma, beta, {"eps": 1e-3})[0] for i in range(5)]
    return {"out_batch": batch, "out_each": np.concatenate(each)}


@register("layers.layernorm_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, gamma and beta after layernorm_forward equal what was passed in")
def _layernorm_forward_inputs_unmodified(lib):
    rng = np.random.RandomState(31)
    x, gamma, beta = rng.randn(4, 6), rng.randn(6), rng.randn(6)
    lib.layers.layernorm_forward(x, gamma, beta, {})
    return {"x": x, "gamma": gamma, "beta": beta}


@register("layers.layernorm_backward.other_shape", hint=public.HINT_LN_BACKWARD, case="x (3, 8), another seed")
def _layernorm_backward_other_shape(lib):
    return _backward_case(lib, lib.layers.layernorm_forward, lib.layers.layernorm_backward, 32, (3, 8), (8,), {})


@register("layers.layernorm_backward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, gamma, beta and dout after layernorm_forward and layernorm_backward equal what was passed in")
def _layernorm_backward_inputs_unmodified(lib):
    return _inputs_after_backward(lib.layers.layernorm_forward, lib.layers.layernorm_backward, 33, (4, 5), (5,), {})


OTHER_KEEP_PROBS = (0.1, 0.9, 1.0)


@register("layers.dropout_forward.other_keep_probs", hint=public.HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward(OTHER_KEEP_PROBS), stored=(),
          case="x (20, 30, 40), p = 0.1, 0.9 and 1.0 (keep everything), train and test mode")
def _dropout_forward_other_keep_probs(lib):
    x = np.random.RandomState(34).randn(20, 30, 40) + 5
    outputs = {}
    for index, keep_prob in enumerate(OTHER_KEEP_PROBS):
        train, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": keep_prob})
        test, _ = lib.layers.dropout_forward(x, {"mode": "test", "p": keep_prob})
        outputs.update({f"x{index}": x, f"train{index}": train, f"test{index}": test})
    return outputs


@register("layers.dropout_forward.seeded_repeatable", hint=public.HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward((0.6,)), stored=(),
          case="x (50, 40), p = 0.6, dropout_param['seed'] = 5 twice: the same mask both times")
def _dropout_forward_seeded(lib):
    x = np.random.RandomState(35).randn(50, 40) - 4
    train, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": 0.6, "seed": 5})
    np.random.rand(7)
    again, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": 0.6, "seed": 5})
    test, _ = lib.layers.dropout_forward(x, {"mode": "test", "p": 0.6, "seed": 5})
    return {"x0": x, "train0": train, "again0": again, "test0": test}


@register("layers.dropout_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x after train- and test-mode dropout_forward equals what was passed in")
def _dropout_forward_inputs_unmodified(lib):
    x = np.random.RandomState(36).randn(6, 5) + 3
    lib.layers.dropout_forward(x, {"mode": "train", "p": 0.5})
    lib.layers.dropout_forward(x, {"mode": "test", "p": 0.5})
    return {"x": x}


@register("layers.dropout_backward.test_mode", hint=public.HINT_DROPOUT_BACKWARD,
          compare=compare_dropout_backward(0.3, mode="test"), stored=(), case="test mode, p = 0.3: dx equals dout")
def _dropout_backward_test_mode(lib):
    rng = np.random.RandomState(37)
    x, dout = rng.randn(6, 7) + 4, rng.randn(6, 7)
    out, cache = lib.layers.dropout_forward(x, {"mode": "test", "p": 0.3})
    return {"x": x, "out": out, "dout": dout, "dx": lib.layers.dropout_backward(dout, cache)}


@register("layers.dropout_backward.unseeded_mask_from_cache", hint=public.HINT_DROPOUT_BACKWARD,
          compare=compare_dropout_backward(0.6), stored=(),
          case="train mode, p = 0.6, no seed, x (4, 5, 6): dx must use the forward call's own mask")
def _dropout_backward_unseeded(lib):
    rng = np.random.RandomState(38)
    x, dout = rng.randn(4, 5, 6) + 4, rng.randn(4, 5, 6)
    out, cache = lib.layers.dropout_forward(x, {"mode": "train", "p": 0.6})
    np.random.rand(11)
    return {"x": x, "out": out, "dout": dout, "dx": lib.layers.dropout_backward(dout, cache)}


@register("layers.dropout_backward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x and dout after dropout_forward and dropout_backward equal what was passed in")
def _dropout_backward_inputs_unmodified(lib):
    rng = np.random.RandomState(39)
    x, dout = rng.randn(5, 4) + 4, rng.randn(5, 4)
    _, cache = lib.layers.dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 1})
    lib.layers.dropout_backward(dout, cache)
    return {"x": x, "dout": dout}


def _conv_inputs(seed, x_shape, w_shape, dtype=np.float64):
    rng = np.random.RandomState(seed)
    x, w, b = rng.randn(*x_shape), rng.randn(*w_shape), rng.randn(w_shape[0])
    return x.astype(dtype), w.astype(dtype), b.astype(dtype)


@register("layers.conv_forward_naive.stride2_pad0_nonsquare", hint=public.HINT_CONV_FORWARD,
          case="stride 2, pad 0, non-square 7x5 input, non-square 3x1 filters: x (2, 3, 7, 5), w (4, 3, 3, 1)")
def _conv_forward_stride2_pad0(lib):
    x, w, b = _conv_inputs(40, (2, 3, 7, 5), (4, 3, 3, 1))
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 2, "pad": 0})
    return {"out": out}


@register("layers.conv_forward_naive.nonsquare_filter_pad2", hint=public.HINT_CONV_FORWARD,
          case="stride 1, pad 2, non-square 6x4 input and 5x3 filters: x (1, 2, 6, 4), w (3, 2, 5, 3)")
def _conv_forward_nonsquare_filter(lib):
    x, w, b = _conv_inputs(41, (1, 2, 6, 4), (3, 2, 5, 3))
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 2})
    return {"out": out}


@register("layers.conv_forward_naive.float32", hint=public.HINT_CONV_FORWARD, compare=FLOAT32,
          case="float32 x (2, 3, 6, 6), w (2, 3, 3, 3), stride 1, pad 1")
def _conv_forward_float32(lib):
    x, w, b = _conv_inputs(42, (2, 3, 6, 6), (2, 3, 3, 3), np.float32)
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    return {"out": out}


@register("layers.conv_forward_naive.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, w and b after conv_forward_naive (pad 1) equal what was passed in")
def _conv_forward_inputs_unmodified(lib):
    x, w, b = _conv_inputs(43, (2, 2, 4, 4), (2, 2, 3, 3))
    lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    return {"x": x, "w": w, "b": b}


def _conv_backward(lib, seed, x_shape, w_shape, conv_param):
    x, w, b = _conv_inputs(seed, x_shape, w_shape)
    out, cache = lib.layers.conv_forward_naive(x, w, b, conv_param)
    dout = np.random.RandomState(seed + 100).randn(*out.shape)
    dx, dw, db = lib.layers.conv_backward_naive(dout, cache)
    return {"dx": dx, "dw": dw, "db": db}


@register("layers.conv_backward_naive.stride2_nonsquare", hint=public.HINT_CONV_BACKWARD,
          case="stride 2, pad 1, non-square 7x5 input, 3x1 filters: x (2, 3, 7, 5), w (4, 3, 3, 1)")
def _conv_backward_stride2(lib):
    return _conv_backward(lib, 44, (2, 3, 7, 5), (4, 3, 3, 1), {"stride": 2, "pad": 1})


@register("layers.conv_backward_naive.pad0_nonsquare_filter", hint=public.HINT_CONV_BACKWARD,
          case="stride 1, pad 0, 3x2 filters on a 6x5 input: x (2, 2, 6, 5), w (3, 2, 3, 2)")
def _conv_backward_pad0(lib):
    return _conv_backward(lib, 45, (2, 2, 6, 5), (3, 2, 3, 2), {"stride": 1, "pad": 0})


@register("layers.conv_backward_naive.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, w, b and dout after conv_forward_naive and conv_backward_naive equal what was passed in")
def _conv_backward_inputs_unmodified(lib):
    x, w, b = _conv_inputs(46, (2, 2, 5, 5), (2, 2, 3, 3))
    dout = np.random.RandomState(146).randn(2, 2, 5, 5)
    _, cache = lib.layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    lib.layers.conv_backward_naive(dout, cache)
    return {"x": x, "w": w, "b": b, "dout": dout}


def _pool_param(height, width, stride):
    return {"pool_height": height, "pool_width": width, "stride": stride}


@register("layers.max_pool_forward_naive.overlapping_windows", hint=public.HINT_POOL_FORWARD,
          case="3x3 windows, stride 1 (windows overlap), x (2, 3, 5, 5)")
def _max_pool_forward_overlapping(lib):
    x = np.random.RandomState(47).randn(2, 3, 5, 5)
    out, _ = lib.layers.max_pool_forward_naive(x, _pool_param(3, 3, 1))
    return {"out": out}


@register("layers.max_pool_forward_naive.nonsquare_window", hint=public.HINT_POOL_FORWARD,
          case="2x3 windows, stride 2, non-square 6x7 input: x (2, 2, 6, 7)")
def _max_pool_forward_nonsquare(lib):
    x = np.random.RandomState(48).randn(2, 2, 6, 7)
    out, _ = lib.layers.max_pool_forward_naive(x, _pool_param(2, 3, 2))
    return {"out": out}


@register("layers.max_pool_forward_naive.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x after max_pool_forward_naive equals what was passed in")
def _max_pool_forward_inputs_unmodified(lib):
    x = np.random.RandomState(49).randn(2, 2, 4, 4)
    lib.layers.max_pool_forward_naive(x, _pool_param(2, 2, 2))
    return {"x": x}


def _pool_backward(lib, seed, x_shape, pool_param):
    x = np.random.RandomState(seed).randn(*x_shape)
    out, cache = lib.layers.max_pool_forward_naive(x, pool_param)
    dout = np.random.RandomState(seed + 100).randn(*out.shape)
    return {"dx": lib.layers.max_pool_backward_naive(dout, cache)}


@register("layers.max_pool_backward_naive.overlapping", hint=public.HINT_POOL_BACKWARD,
          case="2x2 windows, stride 1 (windows overlap: one input can be the maximum of several windows), "
               "x (2, 3, 5, 5)")
def _max_pool_backward_overlapping(lib):
    return _pool_backward(lib, 50, (2, 3, 5, 5), _pool_param(2, 2, 1))


@register("layers.max_pool_backward_naive.nonsquare_window", hint=public.HINT_POOL_BACKWARD,
          case="2x3 windows, stride 2 (overlapping along the width), non-square 6x7 input: x (2, 2, 6, 7)")
def _max_pool_backward_nonsquare(lib):
    return _pool_backward(lib, 51, (2, 2, 6, 7), _pool_param(2, 3, 2))


@register("layers.max_pool_backward_naive.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x and dout after max_pool_forward_naive and max_pool_backward_naive equal what was passed in")
def _max_pool_backward_inputs_unmodified(lib):
    rng = np.random.RandomState(52)
    x, dout = rng.randn(2, 2, 4, 4), rng.randn(2, 2, 2, 2)
    _, cache = lib.layers.max_pool_forward_naive(x, _pool_param(2, 2, 2))
    lib.layers.max_pool_backward_naive(dout, cache)
    return {"x": x, "dout": dout}


@register("layers.spatial_batchnorm_forward.test_mode_per_example", hint=public.HINT_SBN_FORWARD,
          case="after 5 train-mode calls on (4, 3, 5, 2) inputs, test mode on a batch and on each example alone")
def _spatial_batchnorm_forward_test_mode(lib):
    rng = np.random.RandomState(53)
    gamma, beta = rng.randn(3), rng.randn(3)
    bn_param = {"mode": "train"}
    _warm_up(lib.layers.spatial_batchnorm_forward, bn_param, gamma, beta, rng, (4, 3, 5, 2))
    bn_param["mode"] = "test"
    x = 2.0 * rng.randn(3, 3, 5, 2) + 3.0
    batch, _ = lib.layers.spatial_batchnorm_forward(x, gamma, beta, bn_param)
    each = [lib.layers.spatial_batchnorm_forward(x[i : i + 1], gamma, beta, bn_param)[0] for i in range(3)]
    return {"out_batch": batch, "out_each": np.concatenate(each)}


@register("layers.spatial_batchnorm_forward.nonsquare_inputs_unmodified", hint=HINT_UNMODIFIED,
          case="train mode on a non-square x (3, 2, 4, 6): the output, and x, gamma, beta left unmodified")
def _spatial_batchnorm_forward_inputs_unmodified(lib):
    rng = np.random.RandomState(54)
    x, gamma, beta = 3 * rng.randn(3, 2, 4, 6) + 1, rng.randn(2), rng.randn(2)
    before = copies(x=x, gamma=gamma, beta=beta)
    out, _ = lib.layers.spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    changed = max(float(np.max(np.abs(before[name] - value))) for name, value in
                  (("x", x), ("gamma", gamma), ("beta", beta)))
    return {"out": out, "inputs_changed_by": np.float64(changed)}


@register("layers.spatial_batchnorm_backward.other_shape", hint=public.HINT_SBN_BACKWARD,
          case="x (3, 4, 2, 5), another seed")
def _spatial_batchnorm_backward_other_shape(lib):
    return _backward_case(lib, lib.layers.spatial_batchnorm_forward, lib.layers.spatial_batchnorm_backward, 55,
                          (3, 4, 2, 5), (4,), {"mode": "train"})


@register("layers.spatial_groupnorm_forward.one_group_and_one_per_channel", hint=public.HINT_GN_FORWARD,
          case="x (2, 4, 3, 5), random gamma and beta, G = 1 (layer norm) and G = 4 = C (instance norm)")
def _spatial_groupnorm_forward_extremes(lib):
    rng = np.random.RandomState(56)
    x = 3 * rng.randn(2, 4, 3, 5) + 2
    gamma, beta = rng.randn(1, 4, 1, 1), rng.randn(1, 4, 1, 1)
    one, _ = lib.layers.spatial_groupnorm_forward(x, gamma, beta, 1, {})
    per_channel, _ = lib.layers.spatial_groupnorm_forward(x, gamma, beta, 4, {})
    return {"out_G1": one, "out_G4": per_channel}


@register("layers.spatial_groupnorm_forward.inputs_unmodified", hint=HINT_UNMODIFIED, compare=UNMODIFIED,
          case="x, gamma and beta after spatial_groupnorm_forward equal what was passed in")
def _spatial_groupnorm_forward_inputs_unmodified(lib):
    rng = np.random.RandomState(57)
    x, gamma, beta = rng.randn(2, 6, 2, 3), rng.randn(1, 6, 1, 1), rng.randn(1, 6, 1, 1)
    lib.layers.spatial_groupnorm_forward(x, gamma, beta, 3, {})
    return {"x": x, "gamma": gamma, "beta": beta}


@register("layers.spatial_groupnorm_backward.other_groups_shape", hint=public.HINT_GN_BACKWARD,
          case="x (3, 6, 3, 7), G = 3, another seed")
def _spatial_groupnorm_backward_other(lib):
    return _backward_case(lib, lib.layers.spatial_groupnorm_forward, lib.layers.spatial_groupnorm_backward, 58,
                          (3, 6, 3, 7), (1, 6, 1, 1), {}, 3)
