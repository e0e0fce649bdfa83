"""Public checks of layer and group normalization (course_lib/layers/layernorm.py): the notebook's cases, each
example normalized on its own, eps from the param dict, one group and one group per channel, and inputs, dout and
the cache left unmodified. The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.compare import compare_close
from autograde.checks.public._probes import InputWatch
from autograde.checks.public.batchnorm import norm_backward_cases, notebook_activations, notebook_norm_backward
from autograde.checks.spec import register

HINT_LN_FORWARD = ("normalise each ROW (one example) over its D features with eps from ln_param, then scale by gamma "
                   "and shift by beta")
HINT_LN_BACKWARD = "the batch-norm backward with the statistics taken over each row (axis=1) instead of each column"
HINT_GN_FORWARD = ("reshape x to (N, G, C // G * H * W), normalise each (example, group) row, reshape back, then "
                   "apply gamma and beta of shape (1, C, 1, 1)")
HINT_GN_BACKWARD = ("the layer-norm backward on the (N * G, C // G * H * W) rows; dgamma and dbeta sum over N, H, W "
                    "(shape (1, C, 1, 1) or (C,))")
# CS231n's docstrings give dgamma and dbeta of group norm both as (C,) and as (1, C, 1, 1): either is accepted.
COMPARE_GROUPNORM_BACKWARD = compare_close(any_layout=("dgamma", "dbeta"))


def layernorm_forward_cases(lib, seed, *, shape, eps):
    """layernorm_forward with eps on a batch (watched for changes in place) and on each example alone."""
    rng = np.random.RandomState(seed)
    x, gamma, beta = 3 * rng.randn(*shape) - 2, rng.randn(shape[1]), rng.randn(shape[1])
    watch = InputWatch(x=x, gamma=gamma, beta=beta)
    batch, _ = lib.layers.layernorm_forward(x, gamma, beta, {"eps": eps})
    outputs = {"out_batch": batch, **watch.after("layernorm_forward", x=x, gamma=gamma, beta=beta)}
    each = [lib.layers.layernorm_forward(x[i : i + 1], gamma, beta, {"eps": eps})[0] for i in range(shape[0])]
    outputs["out_each"] = np.concatenate(each)
    return outputs


def groupnorm_forward_cases(lib, seed, *, shape, groups):
    """spatial_groupnorm_forward with G = 1 (layer norm), watched for changes in place, G = groups and G = C
    (instance norm)."""
    rng = np.random.RandomState(seed)
    channels = shape[1]
    x = 3 * rng.randn(*shape) + 2
    gamma, beta = rng.randn(1, channels, 1, 1), rng.randn(1, channels, 1, 1)
    watch = InputWatch(x=x, gamma=gamma, beta=beta)
    one, _ = lib.layers.spatial_groupnorm_forward(x, gamma, beta, 1, {})
    outputs = {"out_G1": one, **watch.after("spatial_groupnorm_forward", x=x, gamma=gamma, beta=beta)}
    outputs["out_G_middle"], _ = lib.layers.spatial_groupnorm_forward(x, gamma, beta, groups, {})
    outputs["out_G_is_C"], _ = lib.layers.spatial_groupnorm_forward(x, gamma, beta, channels, {})
    return outputs


def layernorm_backward_cases(lib, seed, *, shape, eps):
    """layernorm_backward twice with the same cache (eps from ln_param): gradients, inputs and cache unchanged."""
    return norm_backward_cases(lib.layers.layernorm_forward, lib.layers.layernorm_backward, "layernorm_backward", seed,
                               shape, (shape[1],), {"eps": eps})


def groupnorm_backward(lib, seed, *, shape, groups):
    """dx, dgamma, dbeta of spatial_groupnorm_backward for G = groups on an x of `shape`."""
    return norm_backward_cases(lib.layers.spatial_groupnorm_forward, lib.layers.spatial_groupnorm_backward,
                               "spatial_groupnorm_backward", seed, shape, (1, shape[1], 1, 1), {}, groups)


@register("layers.layernorm_forward.statistics", hint=HINT_LN_FORWARD,
          case="seed 231, a (4, 3) = relu(X W1) W2, gamma ones / beta zeros and gamma [3, 3, 3] / beta [5, 5, 5]")
def _layernorm_forward_statistics(lib):
    a = notebook_activations(4)
    plain, _ = lib.layers.layernorm_forward(a, np.ones(3), np.zeros(3), {})
    scaled, _ = lib.layers.layernorm_forward(a, np.full(3, 3.0), np.full(3, 5.0), {})
    return {"out_plain": plain, "out_scaled": scaled}


@register("layers.layernorm_forward.per_example_eps_inputs_unmodified", hint=HINT_LN_FORWARD,
          case="x (4, 6), eps 1e-2, random gamma and beta, the batch and each example alone (layer norm does not "
               "mix examples); x, gamma and beta must be left unmodified")
def _layernorm_forward_per_example(lib):
    return layernorm_forward_cases(lib, 16, shape=(4, 6), eps=1e-2)


@register("layers.layernorm_backward.gradient_case", points=2, hint=HINT_LN_BACKWARD,
          case="seed 231, x (4, 5) = 5 * randn + 12, gamma and beta (5,), dout (4, 5)")
def _layernorm_backward_gradient_case(lib):
    return notebook_norm_backward(lib.layers.layernorm_forward, lib.layers.layernorm_backward, (4, 5), (5,), {})


@register("layers.layernorm_backward.eps_inputs_unmodified", hint=HINT_LN_BACKWARD,
          case="x (3, 7), eps 1e-2, layernorm_backward called twice with the same cache; x, gamma, beta, dout and "
               "the cache must be left unmodified")
def _layernorm_backward_eps_inputs_unmodified(lib):
    return layernorm_backward_cases(lib, 17, shape=(3, 7), eps=1e-2)


@register("layers.spatial_groupnorm_forward.statistics", hint=HINT_GN_FORWARD,
          case="seed 231, x (2, 6, 4, 5) = 4 * randn + 10, G = 2, gamma ones / beta zeros (1, 6, 1, 1)")
def _spatial_groupnorm_forward_statistics(lib):
    np.random.seed(231)
    x = 4 * np.random.randn(2, 6, 4, 5) + 10
    out, _ = lib.layers.spatial_groupnorm_forward(x, np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1)), 2, {})
    return {"out": out}


@register("layers.spatial_groupnorm_forward.one_group_and_one_per_channel", hint=HINT_GN_FORWARD,
          case="x (2, 4, 3, 2), random gamma and beta (1, 4, 1, 1), G = 1 (layer norm), G = 2 and G = 4 = C "
               "(instance norm); x, gamma and beta must be left unmodified")
def _spatial_groupnorm_forward_extremes(lib):
    return groupnorm_forward_cases(lib, 18, shape=(2, 4, 3, 2), groups=2)


@register("layers.spatial_groupnorm_backward.gradient_case", hint=HINT_GN_BACKWARD, compare=COMPARE_GROUPNORM_BACKWARD,
          case="seed 231, x (2, 6, 4, 5) = 5 * randn + 12, G = 2, gamma and beta (1, 6, 1, 1)")
def _spatial_groupnorm_backward_gradient_case(lib):
    return notebook_norm_backward(lib.layers.spatial_groupnorm_forward, lib.layers.spatial_groupnorm_backward,
                                  (2, 6, 4, 5), (1, 6, 1, 1), {}, 2)
