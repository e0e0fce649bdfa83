"""Other correct ways to write some course_lib functions, each replacing the functions of the same name in
solutions.BASE: softmax through log-sum-exp in a loop, dropout masks from np.random.binomial or np.random.choice,
a batch-norm cache as a tuple in another order, update rules that return a new array."""

VARIANTS = {
    "softmax as log-sum-exp, looping over examples": {"layers/losses.py": '''
def softmax_loss(x, y):
    N = x.shape[0]
    loss = 0.0
    dx = np.empty(x.shape)
    for i in range(N):
        top = np.max(x[i])
        log_sum = top + np.log(np.sum(np.exp(x[i] - top)))
        loss += log_sum - x[i, y[i]]
        dx[i] = np.exp(x[i] - log_sum)
        dx[i, y[i]] -= 1
    return loss / N, dx / N
'''},
    "dropout mask from np.random.binomial, as floats scaled by 1/p": {"layers/dropout.py": '''
def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    out = x.copy()
    if mode == "train":
        mask = np.random.binomial(1, p, size=x.shape) / p
        out = x * mask
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout.copy()
'''},
    "dropout mask from np.random.choice": {"layers/dropout.py": '''
def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if dropout_param.get("seed") is not None:
        np.random.seed(dropout_param["seed"])
    if mode == "test":
        return x, (dropout_param, None)
    mask = np.random.choice([0.0, 1.0], size=x.shape, p=[1 - p, p]).astype(x.dtype)
    return x * mask / p, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "test":
        return dout
    return dout * mask / dropout_param["p"]
'''},
    "batch norm cache as a tuple in another order, vectorised backward": {"layers/batchnorm.py": '''
def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(x.shape[1], dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(x.shape[1], dtype=x.dtype))
    if mode == "test":
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * xhat + beta, None
    mean = np.mean(x, axis=0)
    var = np.mean((x - mean) ** 2, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return gamma * xhat + beta, (gamma, inv_std, x - mean)


def batchnorm_backward(dout, cache):
    gamma, inv_std, centered = cache
    N = dout.shape[0]
    xhat = centered * inv_std
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dxhat = dout * gamma
    dx = inv_std * (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0))
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    return batchnorm_backward(dout, cache)
'''},
    "update rules that return a new array": {"optim.py": '''
def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.9)
    config["learning_rate"], config["momentum"] = lr, mu
    config["velocity"] = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
    return w + config["velocity"], config


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    for key, default in (("learning_rate", 1e-2), ("decay_rate", 0.99), ("epsilon", 1e-8)):
        config.setdefault(key, default)
    cache = config.get("cache", np.zeros_like(w))
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * (dw * dw)
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
'''},
}
