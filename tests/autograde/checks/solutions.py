"""Independent correct solutions of every graded course_lib function, written the ways CS231n allows: the corpus
the checks must give full marks, and the base the mutants of test_checks_mutants.py edit.

BASE holds one solution of every function: loops over positions, caches other than the reference's (a dict for
batch norm, the padded x for the convolution, the argmax masks for pooling), a boolean dropout mask drawn with
np.random.rand, group-norm gradients of shape (C,), update rules that change w in place (`w += ...; next_w = w`).
solution_variants.VARIANTS holds other correct ways to write some of them.

Each entry is the full source of a top-level function or class, written for the module that defines it in the
reference (course_lib_copies.replace_definitions puts it there).
"""
from solution_models import MODELS

AFFINE = '''
def affine_forward(x, w, b):
    N = x.shape[0]
    rows = x.reshape(N, -1)
    out = np.zeros((N, w.shape[1]), dtype=np.result_type(x, w, b))
    for i in range(N):
        out[i] = rows[i].dot(w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    out = x * (x > 0)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    dx = np.where(cache > 0, dout, 0)
    return dx
'''

LOSSES = '''
def svm_loss(x, y):
    N = x.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0, x - x[rows, y][:, None] + 1.0)
    margins[rows, y] = 0
    loss = margins.sum() / N
    counts = (margins > 0).astype(x.dtype)
    counts[rows, y] = -counts.sum(axis=1)
    dx = counts / N
    return loss, dx


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
'''

BATCHNORM = '''
def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    cache = None
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        std = np.sqrt(var + eps)
        xhat = (x - mu) / std
        out = gamma * xhat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        cache = {"xhat": xhat, "std": std, "gamma": gamma}
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, std, gamma = cache["xhat"], cache["std"], cache["gamma"]
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    centered = xhat * std
    dstd = -(dxhat * centered).sum(axis=0) / std**2
    dvar = dstd * 0.5 / std
    dcentered = dxhat / std + 2 * centered * dvar / N
    dmu = -dcentered.sum(axis=0)
    dx = dcentered + dmu / N
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    xhat, std, gamma = cache["xhat"], cache["std"], cache["gamma"]
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = gamma / (N * std) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    flat, cache = batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param)
    out = flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    flat, dgamma, dbeta = batchnorm_backward(dout.transpose(0, 2, 3, 1).reshape(-1, C), cache)
    dx = flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta
'''

LAYERNORM = '''
def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=1, keepdims=True)
    std = np.sqrt(x.var(axis=1, keepdims=True) + eps)
    xhat = (x - mu) / std
    out = gamma * xhat + beta
    cache = (xhat, std, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    xhat, std, gamma = cache
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (D * dxhat - dxhat.sum(axis=1, keepdims=True) - xhat * (dxhat * xhat).sum(axis=1, keepdims=True)) / (D * std)
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    grouped = x.reshape(N, G, C // G, H, W)
    mu = grouped.mean(axis=(2, 3, 4), keepdims=True)
    std = np.sqrt(grouped.var(axis=(2, 3, 4), keepdims=True) + eps)
    xhat = ((grouped - mu) / std).reshape(N, C, H, W)
    out = gamma * xhat + beta
    cache = (G, xhat, std, gamma)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    G, xhat, std, gamma = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    dxhat = (dout * gamma).reshape(N, G, -1)
    xg = xhat.reshape(N, G, -1)
    M = xg.shape[2]
    dx = (M * dxhat - dxhat.sum(axis=2, keepdims=True) - xg * (dxhat * xg).sum(axis=2, keepdims=True))
    dx = dx / (M * std.reshape(N, G, 1))
    return dx.reshape(N, C, H, W), dgamma, dbeta
'''

DROPOUT = '''
def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = np.random.rand(*x.shape) < p
        out = x * mask / p
    else:
        out = x
    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask / dropout_param["p"]
    return dout
'''

CONV = '''
def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b
    cache = (xp, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    xp, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out, W_out = dout.shape[2:]
    HH, WW = w.shape[2:]
    dxp = np.zeros(xp.shape, dtype=np.result_type(xp, dout))
    dw = np.zeros(w.shape, dtype=np.result_type(w, dout))
    db = dout.sum(axis=(0, 2, 3))
    for i in range(H_out):
        for j in range(W_out):
            rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
    dx = dxp[:, :, pad:xp.shape[2] - pad, pad:xp.shape[3] - pad]
    return dx, dw, db
'''

POOLING = '''
def max_pool_forward_naive(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    masks = np.zeros((N, C, H_out, W_out, ph, pw), dtype=bool)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * s:i * s + ph, j * s:j * s + pw]
            out[:, :, i, j] = window.max(axis=(2, 3))
            masks[:, :, i, j] = window == out[:, :, i, j][:, :, None, None]
    cache = (x.shape, masks, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    x_shape, masks, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += masks[:, :, i, j] * dout[:, :, i, j][:, :, None, None]
    return dx
'''

OPTIM = '''
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    w += v
    next_w = w
    config["velocity"] = v
    return next_w, config


def sgd_nesterov_momentum(w, dw, config=None):
    config = config if config is not None else {}
    lr, mu = config.setdefault("learning_rate", 1e-2), config.setdefault("momentum", 0.9)
    v_prev = config["velocity"] if "velocity" in config else np.zeros_like(w)
    config["velocity"] = mu * v_prev - lr * dw
    w += -mu * v_prev + (1 + mu) * config["velocity"]
    return w, config


def rmsprop(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    rho = config["decay_rate"]
    config["cache"] = rho * config["cache"] + (1 - rho) * dw**2
    w -= config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    next_w = w
    return next_w, config


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * (dw * dw)
    config.update(t=t, m=m, v=v)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w -= config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    next_w = w
    return next_w, config
'''

BASE = {"layers/affine.py": AFFINE, "layers/losses.py": LOSSES, "layers/batchnorm.py": BATCHNORM,
        "layers/layernorm.py": LAYERNORM, "layers/dropout.py": DROPOUT, "layers/conv.py": CONV,
        "layers/pooling.py": POOLING, "optim.py": OPTIM, **MODELS}
