"""Public checks of batch normalization (course_lib/layers/batchnorm.py): the notebook's cases, test mode that
treats each example on its own, momentum and eps taken from bn_param, float32, non-square spatial inputs, and inputs,
dout and the cache left unmodified. The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.public._probes import InputWatch, backward_twice
from autograde.checks.spec import register

HINT_BN_FORWARD = ("train mode: normalise with the minibatch mean and the uncorrected variance (np.var), "
                   "then update running_mean/running_var = momentum * running + (1 - momentum) * batch statistic "
                   "and store them in bn_param; test mode: normalise with the running statistics; read eps and "
                   "momentum from bn_param")
HINT_BN_BACKWARD = ("backpropagate through x_hat = (x - mean) / sqrt(var + eps) including the paths through mean and "
                    "var; dgamma = sum(dout * x_hat, axis=0), dbeta = sum(dout, axis=0)")
HINT_SBN_FORWARD = ("move channels last and flatten: x.transpose(0, 2, 3, 1).reshape(-1, C), use batchnorm_forward, "
                    "then reshape and transpose back")
HINT_SBN_BACKWARD = "the same transpose/reshape around batchnorm_backward, and back again for dx"


def notebook_norm_backward(forward, backward, shape, gamma_shape, param, *extra):
    """The notebooks' check of a normalization backward pass: seed 231, x = 5 * randn + 12, gamma, beta and dout
    from randn; dx, dgamma, dbeta of backward(dout, cache) after forward(x, gamma, beta, *extra, param)."""
    np.random.seed(231)
    x = 5 * np.random.randn(*shape) + 12
    gamma = np.random.randn(*gamma_shape)
    beta = np.random.randn(*gamma_shape)
    dout = np.random.randn(*shape)
    _, cache = forward(x, gamma, beta, *extra, param)
    dx, dgamma, dbeta = backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


def notebook_activations(num_examples):
    """The notebooks' normalization inputs: seed 231, a = relu(X W1) W2 with X (N, 50), W1 (50, 60), W2 (60, 3)."""
    np.random.seed(231)
    X = np.random.randn(num_examples, 50)
    W1 = np.random.randn(50, 60)
    W2 = np.random.randn(60, 3)
    return np.maximum(0, X @ W1) @ W2


def test_mode_per_example(forward, seed, *, train_shape, test_shape):
    """After 5 train-mode calls, test-mode outputs on a batch and on each example alone (equal when test mode uses
    the running statistics)."""
    rng = np.random.RandomState(seed)
    channels = train_shape[1]
    gamma, beta = rng.randn(channels), rng.randn(channels)
    bn_param = {"mode": "train"}
    for step in range(5):
        forward(rng.randn(*train_shape) * (1.5 + step) + 3.0, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    x = 2.0 * rng.randn(*test_shape) + 3.0
    batch, _ = forward(x, gamma, beta, bn_param)
    each = [forward(x[i : i + 1], gamma, beta, bn_param)[0] for i in range(test_shape[0])]
    return {"out_batch": batch, "out_each": np.concatenate(each)}


def batchnorm_forward_cases(lib, seed, *, shape, momentum, eps):
    """3 train-mode calls with bn_param momentum and eps (running statistics, last output), a float32 train-mode
    call watched for changes in place of x, gamma and beta, then a test-mode call watched too."""
    rng = np.random.RandomState(seed)
    features = shape[1]
    gamma, beta = rng.randn(features), rng.randn(features)
    bn_param = {"mode": "train", "momentum": momentum, "eps": eps}
    for step in range(3):
        out, _ = lib.layers.batchnorm_forward(rng.randn(*shape) * (step + 1) - step, gamma, beta, bn_param)
    outputs = {"out": out, "running_mean": bn_param["running_mean"], "running_var": bn_param["running_var"]}
    x = (3 * rng.randn(*shape) + 1).astype(np.float32)
    gamma32, beta32 = gamma.astype(np.float32), beta.astype(np.float32)
    watch = InputWatch(x=x, gamma=gamma32, beta=beta32)
    outputs["out_float32"], _ = lib.layers.batchnorm_forward(x, gamma32, beta32, {"mode": "train"})
    outputs.update(watch.after("batchnorm_forward in train mode", x=x, gamma=gamma32, beta=beta32))
    bn_param["mode"] = "test"
    x = rng.randn(*shape)
    watch = InputWatch(x=x, gamma=gamma, beta=beta)
    outputs["out_test"], _ = lib.layers.batchnorm_forward(x, gamma, beta, bn_param)
    outputs.update(watch.after("batchnorm_forward in test mode", x=x, gamma=gamma, beta=beta))
    return outputs


def norm_backward_cases(forward, backward, call, seed, shape, gamma_shape, param, *extra):
    """A normalization backward pass (`call`) twice with the same cache of forward(x, gamma, beta, *extra, param):
    dx, dgamma, dbeta, dout and the cache unchanged."""
    rng = np.random.RandomState(seed)
    x = 4 * rng.randn(*shape) + 7
    gamma, beta, dout = rng.randn(*gamma_shape), rng.randn(*gamma_shape), rng.randn(*shape)
    watch = InputWatch(x=x, gamma=gamma, beta=beta, dout=dout)
    _, cache = forward(x, gamma, beta, *extra, param)
    watch.seen(x=x, gamma=gamma, beta=beta)
    return backward_twice(call, backward, ("dx", "dgamma", "dbeta"), dout, cache, watch, x=x, gamma=gamma, beta=beta)


def spatial_batchnorm_forward_cases(lib, seed, *, train_shape, test_shape):
    """Test mode per example after training, and a train-mode call on a non-square x watched for changes."""
    outputs = test_mode_per_example(lib.layers.spatial_batchnorm_forward, seed, train_shape=train_shape,
                                    test_shape=test_shape)
    rng = np.random.RandomState(seed + 1)
    x = 3 * rng.randn(test_shape[0], train_shape[1], 4, 6) + 1
    gamma, beta = rng.randn(train_shape[1]), rng.randn(train_shape[1])
    watch = InputWatch(x=x, gamma=gamma, beta=beta)
    outputs["out_nonsquare"], _ = lib.layers.spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    outputs.update(watch.after("spatial_batchnorm_forward", x=x, gamma=gamma, beta=beta))
    return outputs


@register("layers.batchnorm_forward.train_statistics", hint=HINT_BN_FORWARD,
          case="seed 231, a (200, 3) = relu(X W1) W2, train mode, gamma ones / beta zeros and gamma [1, 2, 3] / "
               "beta [11, 12, 13]")
def _batchnorm_forward_train_statistics(lib):
    a = notebook_activations(200)
    plain, _ = lib.layers.batchnorm_forward(a, np.ones(3), np.zeros(3), {"mode": "train"})
    scaled, _ = lib.layers.batchnorm_forward(a, np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0]),
                                             {"mode": "train"})
    return {"out_plain": plain, "out_scaled": scaled}


@register("layers.batchnorm_forward.test_statistics", hint=HINT_BN_FORWARD,
          case="seed 231, 50 train-mode calls on a (200, 3), then test mode; running_mean and running_var")
def _batchnorm_forward_test_statistics(lib):
    np.random.seed(231)
    W1 = np.random.randn(50, 60)
    W2 = np.random.randn(60, 3)
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(3), np.zeros(3)
    for _ in range(50):
        a = np.maximum(0, np.random.randn(200, 50) @ W1) @ W2
        lib.layers.batchnorm_forward(a, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    a = np.maximum(0, np.random.randn(200, 50) @ W1) @ W2
    out, _ = lib.layers.batchnorm_forward(a, gamma, beta, bn_param)
    return {"out": out, "running_mean": bn_param["running_mean"], "running_var": bn_param["running_var"]}


@register("layers.batchnorm_forward.test_mode_per_example", hint=HINT_BN_FORWARD,
          case="after 5 train-mode calls on (8, 4) inputs, test mode on a batch (6, 4) and on each example alone: "
               "test mode uses the running statistics, so a row does not depend on the rest of the batch")
def _batchnorm_forward_test_mode_per_example(lib):
    return test_mode_per_example(lib.layers.batchnorm_forward, 12, train_shape=(8, 4), test_shape=(6, 4))


@register("layers.batchnorm_forward.momentum_eps_float32_inputs_unmodified", hint=HINT_BN_FORWARD,
          case="bn_param momentum 0.8 and eps 1e-2, 3 train-mode calls on (7, 3) inputs (running statistics), a "
               "float32 train-mode call, a test-mode call; x, gamma and beta must be left unmodified")
def _batchnorm_forward_momentum_eps_float32(lib):
    return batchnorm_forward_cases(lib, 13, shape=(7, 3), momentum=0.8, eps=1e-2)


@register("layers.batchnorm_backward.gradient_case", points=2, hint=HINT_BN_BACKWARD,
          case="seed 231, x (4, 5) = 5 * randn + 12, gamma and beta (5,), dout (4, 5), train mode")
def _batchnorm_backward_gradient_case(lib):
    return notebook_norm_backward(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward, (4, 5), (5,),
                                  {"mode": "train"})


@register("layers.batchnorm_backward.eps_inputs_unmodified", hint=HINT_BN_BACKWARD,
          case="x (6, 3), eps 1e-2, batchnorm_backward called twice with the same cache; x, gamma, beta, dout and "
               "the cache must be left unmodified")
def _batchnorm_backward_eps_inputs_unmodified(lib):
    return norm_backward_cases(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward, "batchnorm_backward", 14,
                               (6, 3), (3,), {"mode": "train", "eps": 1e-2})


@register("layers.batchnorm_backward_alt.gradient_case", hint=HINT_BN_BACKWARD,
          case="seed 231, x (100, 50) = 5 * randn + 12, gamma and beta (50,), dout (100, 50), train mode")
def _batchnorm_backward_alt_gradient_case(lib):
    return notebook_norm_backward(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward_alt, (100, 50), (50,),
                                  {"mode": "train"})


@register("layers.spatial_batchnorm_forward.train_statistics", hint=HINT_SBN_FORWARD,
          case="seed 231, x (2, 3, 4, 5) = 4 * randn + 10, train mode, gamma ones / beta zeros and "
               "gamma [3, 4, 5] / beta [6, 7, 8]")
def _spatial_batchnorm_forward_train_statistics(lib):
    np.random.seed(231)
    x = 4 * np.random.randn(2, 3, 4, 5) + 10
    plain, _ = lib.layers.spatial_batchnorm_forward(x, np.ones(3), np.zeros(3), {"mode": "train"})
    scaled, _ = lib.layers.spatial_batchnorm_forward(x, np.array([3.0, 4.0, 5.0]), np.array([6.0, 7.0, 8.0]),
                                                     {"mode": "train"})
    return {"out_plain": plain, "out_scaled": scaled}


@register("layers.spatial_batchnorm_forward.test_statistics", hint=HINT_SBN_FORWARD,
          case="seed 231, 50 train-mode calls on x (10, 4, 11, 12) = 2.3 * randn + 13, then test mode")
def _spatial_batchnorm_forward_test_statistics(lib):
    np.random.seed(231)
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(4), np.zeros(4)
    for _ in range(50):
        lib.layers.spatial_batchnorm_forward(2.3 * np.random.randn(10, 4, 11, 12) + 13, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    out, _ = lib.layers.spatial_batchnorm_forward(2.3 * np.random.randn(10, 4, 11, 12) + 13, gamma, beta, bn_param)
    return {"out": out}


@register("layers.spatial_batchnorm_forward.test_mode_per_example_nonsquare", hint=HINT_SBN_FORWARD,
          case="after 5 train-mode calls on (4, 3, 5, 2) inputs, test mode on a batch of 3 and on each example "
               "alone; a train-mode call on a non-square x (3, 3, 4, 6); x, gamma and beta must be left unmodified")
def _spatial_batchnorm_forward_test_mode_nonsquare(lib):
    return spatial_batchnorm_forward_cases(lib, 15, train_shape=(4, 3, 5, 2), test_shape=(3, 3, 5, 2))


@register("layers.spatial_batchnorm_backward.gradient_case", hint=HINT_SBN_BACKWARD,
          case="seed 231, x (2, 3, 4, 5) = 5 * randn + 12, gamma and beta (3,), train mode")
def _spatial_batchnorm_backward_gradient_case(lib):
    return notebook_norm_backward(lib.layers.spatial_batchnorm_forward, lib.layers.spatial_batchnorm_backward,
                                  (2, 3, 4, 5), (3,), {"mode": "train"})
