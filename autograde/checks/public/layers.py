"""Public checks of course_lib.layers: the cases the notebooks show, with the CS231n inputs."""
import numpy as np

from autograde.checks.public._probes import compare_dropout_backward, compare_dropout_forward, linspace_array
from autograde.checks.spec import register

HINT_AFFINE_FORWARD = "flatten each example to a row with x.reshape(N, -1), then out = x_flat @ w + b"
HINT_AFFINE_BACKWARD = "dx = dout @ w.T reshaped to x's shape, dw = x_flat.T @ dout, db = dout summed over examples"
HINT_RELU_FORWARD = "out = np.maximum(0, x); build a new array instead of editing x in place"
HINT_RELU_BACKWARD = "dx = dout where x > 0 and 0 elsewhere; do not edit dout in place"
HINT_SVM = ("margins max(0, x_j - x_y + 1) for j != y; each positive margin adds +1 to dx[j] and -1 to dx[y]; "
            "divide by N")
HINT_SOFTMAX = ("subtract each row's maximum before np.exp; loss = mean of -log p[y]; dx = (p - one_hot(y)) / N")
HINT_BN_FORWARD = ("train mode: normalise with the minibatch mean and the uncorrected variance (np.var), "
                   "then update running_mean/running_var = momentum * running + (1 - momentum) * batch statistic "
                   "and store them in bn_param; test mode: normalise with the running statistics")
HINT_BN_BACKWARD = ("backpropagate through x_hat = (x - mean) / sqrt(var + eps) including the paths through mean and "
                    "var; dgamma = sum(dout * x_hat, axis=0), dbeta = sum(dout, axis=0)")
HINT_LN_FORWARD = "normalise each ROW (one example) over its D features, then scale by gamma and shift by beta"
HINT_LN_BACKWARD = "the batch-norm backward with the statistics taken over each row (axis=1) instead of each column"
HINT_DROPOUT_FORWARD = ("p is the probability of KEEPING a unit: mask = (np.random.rand(*x.shape) < p) / p in train "
                        "mode, out = x * mask; test mode returns x unchanged")
HINT_DROPOUT_BACKWARD = "dx = dout * mask with the mask from the cache in train mode; dx = dout in test mode"
HINT_CONV_FORWARD = ("zero-pad x by pad on each side (np.pad), H' = 1 + (H + 2 * pad - HH) // stride, and for each "
                     "output position sum x_window * w[f] over (C, HH, WW) plus b[f]")
HINT_CONV_BACKWARD = ("each output position adds dout * w[f] to the padded dx window and dout * x_window to dw[f]; "
                      "strip the padding from dx at the end; db sums dout over (N, H', W')")
HINT_POOL_FORWARD = "take the maximum of each pool_height x pool_width window, moving by stride"
HINT_POOL_BACKWARD = ("route each dout entry to the position of its window's maximum, and ADD (+=) when windows "
                      "overlap so that a position chosen by several windows gets all their gradients")
HINT_SBN_FORWARD = ("move channels last and flatten: x.transpose(0, 2, 3, 1).reshape(-1, C), use batchnorm_forward, "
                    "then reshape and transpose back")
HINT_SBN_BACKWARD = "the same transpose/reshape around batchnorm_backward, and back again for dx"
HINT_GN_FORWARD = ("reshape x to (N, G, C // G * H * W), normalise each (example, group) row, reshape back, then "
                   "apply gamma and beta of shape (1, C, 1, 1)")
HINT_GN_BACKWARD = ("the layer-norm backward on the (N * G, C // G * H * W) rows; dgamma and dbeta sum over N, H, W "
                    "and keep shape (1, C, 1, 1)")


@register("layers.affine_forward.notebook_case", hint=HINT_AFFINE_FORWARD,
          case="x (2, 4, 5, 6) = linspace(-0.1, 0.5), w (120, 3), b (3,)")
def _affine_forward_notebook_case(lib):
    x = linspace_array(-0.1, 0.5, (2, 4, 5, 6))
    w = linspace_array(-0.2, 0.3, (120, 3))
    b = np.linspace(-0.3, 0.1, num=3)
    out, _ = lib.layers.affine_forward(x, w, b)
    return {"out": out}


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


@register("layers.relu_forward.notebook_case", hint=HINT_RELU_FORWARD,
          case="x (3, 4) = linspace(-0.5, 0.5)")
def _relu_forward_notebook_case(lib):
    out, _ = lib.layers.relu_forward(linspace_array(-0.5, 0.5, (3, 4)))
    return {"out": out}


@register("layers.relu_backward.gradient_case", hint=HINT_RELU_BACKWARD, case="seed 231, x (10, 10), dout (10, 10)")
def _relu_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(10, 10)
    dout = np.random.randn(*x.shape)
    _, cache = lib.layers.relu_forward(x)
    return {"dx": lib.layers.relu_backward(dout, cache)}


def _loss_inputs():
    np.random.seed(231)
    num_classes, num_inputs = 10, 50
    x = 0.001 * np.random.randn(num_inputs, num_classes)
    y = np.random.randint(num_classes, size=num_inputs)
    return x, y


@register("layers.svm_loss.notebook_case", hint=HINT_SVM,
          case="seed 231, x (50, 10) = 0.001 * randn, y (50,)")
def _svm_loss_notebook_case(lib):
    loss, dx = lib.layers.svm_loss(*_loss_inputs())
    return {"loss": loss, "dx": dx}


@register("layers.softmax_loss.notebook_case", hint=HINT_SOFTMAX,
          case="seed 231, x (50, 10) = 0.001 * randn, y (50,)")
def _softmax_loss_notebook_case(lib):
    loss, dx = lib.layers.softmax_loss(*_loss_inputs())
    return {"loss": loss, "dx": dx}


@register("layers.batchnorm_forward.train_statistics", hint=HINT_BN_FORWARD,
          case="seed 231, a (200, 3) = relu(X W1) W2, train mode, gamma ones / beta zeros and gamma [1, 2, 3] / "
               "beta [11, 12, 13]")
def _batchnorm_forward_train_statistics(lib):
    np.random.seed(231)
    X = np.random.randn(200, 50)
    W1 = np.random.randn(50, 60)
    W2 = np.random.randn(60, 3)
    a = np.maximum(0, X @ W1) @ W2
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


def _norm_backward_inputs(shape, gamma_shape):
    np.random.seed(231)
    x = 5 * np.random.randn(*shape) + 12
    gamma = np.random.randn(*gamma_shape)
    beta = np.random.randn(*gamma_shape)
    dout = np.random.randn(*shape)
    return x, gamma, beta, dout


@register("layers.batchnorm_backward.gradient_case", points=2, hint=HINT_BN_BACKWARD,
          case="seed 231, x (4, 5) = 5 * randn + 12, gamma and beta (5,), dout (4, 5), train mode")
def _batchnorm_backward_gradient_case(lib):
    x, gamma, beta, dout = _norm_backward_inputs((4, 5), (5,))
    _, cache = lib.layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = lib.layers.batchnorm_backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


@register("layers.batchnorm_backward_alt.gradient_case", hint=HINT_BN_BACKWARD,
          case="seed 231, x (100, 50) = 5 * randn + 12, gamma and beta (50,), dout (100, 50), train mode")
def _batchnorm_backward_alt_gradient_case(lib):
    x, gamma, beta, dout = _norm_backward_inputs((100, 50), (50,))
    _, cache = lib.layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = lib.layers.batchnorm_backward_alt(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


@register("layers.layernorm_forward.statistics", hint=HINT_LN_FORWARD,
          case="seed 231, a (4, 3) = relu(X W1) W2, gamma ones / beta zeros and gamma [3, 3, 3] / beta [5, 5, 5]")
def _layernorm_forward_statistics(lib):
    np.random.seed(231)
    X = np.random.randn(4, 50)
    W1 = np.random.randn(50, 60)
    W2 = np.random.randn(60, 3)
    a = np.maximum(0, X @ W1) @ W2
    plain, _ = lib.layers.layernorm_forward(a, np.ones(3), np.zeros(3), {})
    scaled, _ = lib.layers.layernorm_forward(a, np.full(3, 3.0), np.full(3, 5.0), {})
    return {"out_plain": plain, "out_scaled": scaled}


@register("layers.layernorm_backward.gradient_case", points=2, hint=HINT_LN_BACKWARD,
          case="seed 231, x (4, 5) = 5 * randn + 12, gamma and beta (5,), dout (4, 5)")
def _layernorm_backward_gradient_case(lib):
    x, gamma, beta, dout = _norm_backward_inputs((4, 5), (5,))
    _, cache = lib.layers.layernorm_forward(x, gamma, beta, {})
    dx, dgamma, dbeta = lib.layers.layernorm_backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


DROPOUT_KEEP_PROBS = (0.25, 0.4, 0.7)


@register("layers.dropout_forward.train_and_test_statistics", points=2, hint=HINT_DROPOUT_FORWARD,
          compare=compare_dropout_forward(DROPOUT_KEEP_PROBS), stored=(),
          case="seed 231, x (200, 200) = randn + 10, p = 0.25, 0.4, 0.7, train and test mode")
def _dropout_forward_statistics(lib):
    np.random.seed(231)
    x = np.random.randn(200, 200) + 10
    outputs = {}
    for index, keep_prob in enumerate(DROPOUT_KEEP_PROBS):
        train, _ = lib.layers.dropout_forward(x, {"mode": "train", "p": keep_prob})
        test, _ = lib.layers.dropout_forward(x, {"mode": "test", "p": keep_prob})
        outputs.update({f"x{index}": x, f"train{index}": train, f"test{index}": test})
    return outputs


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


@register("layers.conv_forward_naive.notebook_case", points=2, hint=HINT_CONV_FORWARD,
          case="x (2, 3, 4, 4), w (3, 3, 4, 4), b (3,) from linspace, stride 2, pad 1")
def _conv_forward_notebook_case(lib):
    x = linspace_array(-0.1, 0.5, (2, 3, 4, 4))
    w = linspace_array(-0.2, 0.3, (3, 3, 4, 4))
    b = np.linspace(-0.1, 0.2, num=3)
    out, _ = lib.layers.conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    return {"out": out}


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


@register("layers.max_pool_forward_naive.notebook_case", hint=HINT_POOL_FORWARD,
          case="x (2, 3, 4, 4) = linspace(-0.3, 0.4), 2x2 pool, stride 2")
def _max_pool_forward_notebook_case(lib):
    x = linspace_array(-0.3, 0.4, (2, 3, 4, 4))
    out, _ = lib.layers.max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    return {"out": out}


@register("layers.max_pool_backward_naive.gradient_case", points=2, hint=HINT_POOL_BACKWARD,
          case="seed 231, x (3, 2, 8, 8), dout (3, 2, 4, 4), 2x2 pool, stride 2")
def _max_pool_backward_gradient_case(lib):
    np.random.seed(231)
    x = np.random.randn(3, 2, 8, 8)
    dout = np.random.randn(3, 2, 4, 4)
    _, cache = lib.layers.max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    return {"dx": lib.layers.max_pool_backward_naive(dout, cache)}


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


@register("layers.spatial_batchnorm_backward.gradient_case", hint=HINT_SBN_BACKWARD,
          case="seed 231, x (2, 3, 4, 5) = 5 * randn + 12, gamma and beta (3,), train mode")
def _spatial_batchnorm_backward_gradient_case(lib):
    x, gamma, beta, dout = _norm_backward_inputs((2, 3, 4, 5), (3,))
    _, cache = lib.layers.spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = lib.layers.spatial_batchnorm_backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


@register("layers.spatial_groupnorm_forward.statistics", hint=HINT_GN_FORWARD,
          case="seed 231, x (2, 6, 4, 5) = 4 * randn + 10, G = 2, gamma ones / beta zeros (1, 6, 1, 1)")
def _spatial_groupnorm_forward_statistics(lib):
    np.random.seed(231)
    x = 4 * np.random.randn(2, 6, 4, 5) + 10
    out, _ = lib.layers.spatial_groupnorm_forward(x, np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1)), 2, {})
    return {"out": out}


@register("layers.spatial_groupnorm_backward.gradient_case", hint=HINT_GN_BACKWARD,
          case="seed 231, x (2, 6, 4, 5) = 5 * randn + 12, G = 2, gamma and beta (1, 6, 1, 1)")
def _spatial_groupnorm_backward_gradient_case(lib):
    x, gamma, beta, dout = _norm_backward_inputs((2, 6, 4, 5), (1, 6, 1, 1))
    _, cache = lib.layers.spatial_groupnorm_forward(x, gamma, beta, 2, {})
    dx, dgamma, dbeta = lib.layers.spatial_groupnorm_backward(dout, cache)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}
