"""Broken solutions: each mutant is one bug put into the corpus of correct solutions (solutions.BASE), with the task
it belongs to and the other tasks it also costs points in (tasks whose checks run the broken code, spec.CALLS).
docs/checks.md shows the same table."""
import dataclasses

from solution_models import FC_NET_IMPORTS, FULLY_CONNECTED_NET
from solutions import BASE

FULLY_CONNECTED_NET_RETURNING_ZEROS = FC_NET_IMPORTS + FULLY_CONNECTED_NET.replace(
    "        grads = {}\n        loss, dout = softmax_loss(scores, y)\n",
    "        return 0.0, {name: np.zeros_like(value) for name, value in self.params.items()}\n"
    "        grads = {}\n        loss, dout = softmax_loss(scores, y)\n")


@dataclasses.dataclass(frozen=True)
class Mutant:
    name: str
    task: str
    file: str
    edits: tuple
    also_fails: frozenset = frozenset()

    def sources(self):
        """BASE with the edits applied: {relative file: source}."""
        text = BASE[self.file]
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.name}: {old!r} occurs {text.count(old)} times in {self.file}"
            text = text.replace(old, new)
        return {**BASE, self.file: text}


MODELS_USING_AFFINE_RELU_SOFTMAX = frozenset({
    "fc_net.TwoLayerNet", "fc_net.FullyConnectedNet", "fc_net.FullyConnectedNet_normalization",
    "fc_net.FullyConnectedNet_dropout", "cnn.ThreeLayerConvNet"})
BATCHNORM_USERS = frozenset({"layers.batchnorm_backward", "layers.batchnorm_backward_alt",
                             "layers.spatial_batchnorm_forward", "layers.spatial_batchnorm_backward",
                             "fc_net.FullyConnectedNet_normalization"})
FULLY_CONNECTED_VARIANTS = frozenset({"fc_net.FullyConnectedNet_normalization", "fc_net.FullyConnectedNet_dropout"})

MUTANTS = (
    Mutant("affine_forward without the bias", "layers.affine_forward", "layers/affine.py",
           (("out[i] = rows[i].dot(w) + b", "out[i] = rows[i].dot(w)"),), MODELS_USING_AFFINE_RELU_SOFTMAX),
    Mutant("affine_forward that flattens 4-d inputs only", "layers.affine_forward", "layers/affine.py",
           (("rows = x.reshape(N, -1)", "rows = x.reshape(N, x.shape[1] * x.shape[2] * x.shape[3])"),),
           MODELS_USING_AFFINE_RELU_SOFTMAX | {"layers.affine_backward"}),
    Mutant("affine_forward returning the notebook's answer", "layers.affine_forward", "layers/affine.py",
           (("    for i in range(N):\n        out[i] = rows[i].dot(w) + b\n",
             "    out = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])\n"),),
           MODELS_USING_AFFINE_RELU_SOFTMAX),
    Mutant("affine_backward without reshaping dx", "layers.affine_backward", "layers/affine.py",
           (("dx = dout.dot(w.T).reshape(x.shape)", "dx = dout.dot(w.T)"),), frozenset({"cnn.ThreeLayerConvNet"})),
    Mutant("affine_backward with db of shape (1, M)", "layers.affine_backward", "layers/affine.py",
           (("db = np.sum(dout, axis=0)", "db = np.sum(dout, axis=0, keepdims=True)"),),
           MODELS_USING_AFFINE_RELU_SOFTMAX),
    Mutant("relu_forward writing into x", "layers.relu_forward", "layers/affine.py",
           (("out = x * (x > 0)", "x[x < 0] = 0\n    out = x"),)),
    Mutant("relu_backward writing into dout", "layers.relu_backward", "layers/affine.py",
           (("dx = np.where(cache > 0, dout, 0)", "dx = dout\n    dx[cache <= 0] = 0"),)),
    Mutant("svm_loss not averaged over the batch", "layers.svm_loss", "layers/losses.py",
           (("loss = margins.sum() / N", "loss = margins.sum()"), ("dx = counts / N", "dx = counts"))),
    Mutant("svm_loss without max(0, .)", "layers.svm_loss", "layers/losses.py",
           (("margins = np.maximum(0, x - x[rows, y][:, None] + 1.0)", "margins = x - x[rows, y][:, None] + 1.0"),)),
    Mutant("softmax_loss not averaged over the batch", "layers.softmax_loss", "layers/losses.py",
           (("loss = -log_probs[np.arange(N), y].mean()", "loss = -log_probs[np.arange(N), y].sum()"),
            ("    dx /= N\n", "")), MODELS_USING_AFFINE_RELU_SOFTMAX),
    Mutant("softmax_loss without the max shift", "layers.softmax_loss", "layers/losses.py",
           (("shifted = x - x.max(axis=1, keepdims=True)", "shifted = x"),)),
    Mutant("softmax_loss taking np.log of the probabilities", "layers.softmax_loss", "layers/losses.py",
           (("log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
             "log_probs = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True))"),)),
    Mutant("softmax_loss shifting x in place", "layers.softmax_loss", "layers/losses.py",
           (("shifted = x - x.max(axis=1, keepdims=True)", "x -= x.max(axis=1, keepdims=True)\n    shifted = x"),)),
    Mutant("batchnorm_forward with the corrected variance", "layers.batchnorm_forward", "layers/batchnorm.py",
           (("var = x.var(axis=0)", "var = x.var(axis=0, ddof=1)"),), BATCHNORM_USERS),
    Mutant("batchnorm_forward not updating the running statistics", "layers.batchnorm_forward",
           "layers/batchnorm.py",
           (("        running_mean = momentum * running_mean + (1 - momentum) * mu\n"
             "        running_var = momentum * running_var + (1 - momentum) * var\n", ""),),
           frozenset({"layers.spatial_batchnorm_forward", "fc_net.FullyConnectedNet_normalization"})),
    Mutant("batchnorm_forward with batch statistics in test mode", "layers.batchnorm_forward", "layers/batchnorm.py",
           (("out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta",
             "out = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta"),),
           frozenset({"layers.spatial_batchnorm_forward", "fc_net.FullyConnectedNet_normalization"})),
    Mutant("batchnorm_forward ignoring bn_param['eps']", "layers.batchnorm_forward", "layers/batchnorm.py",
           (('eps = bn_param.get("eps", 1e-5)', "eps = 1e-5"),), frozenset({"layers.batchnorm_backward"})),
    Mutant("batchnorm_forward with momentum and 1 - momentum swapped", "layers.batchnorm_forward",
           "layers/batchnorm.py",
           (("running_mean = momentum * running_mean + (1 - momentum) * mu",
             "running_mean = (1 - momentum) * running_mean + momentum * mu"),
            ("running_var = momentum * running_var + (1 - momentum) * var",
             "running_var = (1 - momentum) * running_var + momentum * var")),
           frozenset({"layers.spatial_batchnorm_forward", "fc_net.FullyConnectedNet_normalization"})),
    Mutant("batchnorm_backward without the path through the mean", "layers.batchnorm_backward",
           "layers/batchnorm.py", (("dx = dcentered + dmu / N", "dx = dcentered"),),
           frozenset({"layers.spatial_batchnorm_backward", "fc_net.FullyConnectedNet_normalization"})),
    Mutant("batchnorm_backward scaling the cached xhat in place", "layers.batchnorm_backward", "layers/batchnorm.py",
           (("    centered = xhat * std\n    dstd", "    centered = xhat\n    centered *= std\n    dstd"),)),
    Mutant("spatial_batchnorm_forward without moving the channels last", "layers.spatial_batchnorm_forward",
           "layers/batchnorm.py",
           (("batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma",
             "batchnorm_forward(x.reshape(-1, C), gamma"),
            ("out = flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)", "out = flat.reshape(N, C, H, W)")),
           frozenset({"layers.spatial_batchnorm_backward"})),
    Mutant("layernorm_forward over the batch axis", "layers.layernorm_forward", "layers/layernorm.py",
           (("mu = x.mean(axis=1, keepdims=True)", "mu = x.mean(axis=0, keepdims=True)"),
            ("std = np.sqrt(x.var(axis=1, keepdims=True) + eps)", "std = np.sqrt(x.var(axis=0, keepdims=True) + eps)")),
           frozenset({"layers.layernorm_backward", "fc_net.FullyConnectedNet_normalization"})),
    Mutant("spatial_groupnorm_forward dealing channels to groups in turn", "layers.spatial_groupnorm_forward",
           "layers/layernorm.py",
           (("grouped = x.reshape(N, G, C // G, H, W)",
             "grouped = x.reshape(N, C // G, G, H, W).transpose(0, 2, 1, 3, 4)"),
            ("xhat = ((grouped - mu) / std).reshape(N, C, H, W)",
             "xhat = ((grouped - mu) / std).transpose(0, 2, 1, 3, 4).reshape(N, C, H, W)")),
           frozenset({"layers.spatial_groupnorm_backward"})),
    Mutant("dropout_forward without the 1 / p", "layers.dropout_forward", "layers/dropout.py",
           (("out = x * mask / p", "out = x * mask"),), frozenset({"fc_net.FullyConnectedNet_dropout"})),
    Mutant("dropout_forward with p as the probability of dropping", "layers.dropout_forward", "layers/dropout.py",
           (("mask = np.random.rand(*x.shape) < p", "mask = np.random.rand(*x.shape) < 1 - p"),),
           frozenset({"fc_net.FullyConnectedNet_dropout"})),
    Mutant("dropout_forward ignoring the seed", "layers.dropout_forward", "layers/dropout.py",
           (('        np.random.seed(dropout_param["seed"])\n', "        pass\n"),),
           frozenset({"fc_net.FullyConnectedNet_dropout"})),
    Mutant("dropout_backward drawing a new mask", "layers.dropout_backward", "layers/dropout.py",
           (('return dout * mask / dropout_param["p"]',
             'return dout * (np.random.rand(*dout.shape) < dropout_param["p"]) / dropout_param["p"]'),),
           frozenset({"fc_net.FullyConnectedNet_dropout"})),
    Mutant("conv_forward_naive without padding", "layers.conv_forward_naive", "layers/conv.py",
           (('xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")', "xp = x"),),
           frozenset({"layers.conv_backward_naive"})),
    Mutant("conv_forward_naive ignoring the stride", "layers.conv_forward_naive", "layers/conv.py",
           (("window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]",
             "window = xp[:, :, i:i + HH, j:j + WW]"),)),
    Mutant("conv_backward_naive assigning instead of adding", "layers.conv_backward_naive", "layers/conv.py",
           (("dxp[:, :, rows, cols] += np.einsum", "dxp[:, :, rows, cols] = np.einsum"),)),
    Mutant("max_pool_backward_naive assigning instead of adding", "layers.max_pool_backward_naive",
           "layers/pooling.py",
           (("dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += masks",
             "dx[:, :, i * s:i * s + ph, j * s:j * s + pw] = masks"),)),
    Mutant("max_pool_forward_naive with square windows only", "layers.max_pool_forward_naive", "layers/pooling.py",
           (('ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]\n    N, C, H, W',
             'ph, pw, s = pool_param["pool_height"], pool_param["pool_height"], pool_param["stride"]\n'
             '    N, C, H, W'),),
           frozenset({"layers.max_pool_backward_naive"})),
    Mutant("sgd_momentum writing into dw", "optim.sgd_momentum", "optim.py",
           (('v = config["momentum"] * v - config["learning_rate"] * dw',
             'dw *= config["learning_rate"]\n    v = config["momentum"] * v - dw'),)),
    Mutant("sgd_momentum with momentum fixed at 0.9", "optim.sgd_momentum", "optim.py",
           (('v = config["momentum"] * v - config["learning_rate"] * dw',
             'v = 0.9 * v - config["learning_rate"] * dw'),)),
    Mutant("sgd_nesterov_momentum stepping like plain momentum", "optim.sgd_nesterov_momentum", "optim.py",
           (('w += -mu * v_prev + (1 + mu) * config["velocity"]', 'w += config["velocity"]'),)),
    Mutant("rmsprop with epsilon inside the square root", "optim.rmsprop", "optim.py",
           (('(np.sqrt(config["cache"]) + config["epsilon"])', 'np.sqrt(config["cache"] + config["epsilon"])'),)),
    Mutant("adam without bias correction", "optim.adam", "optim.py",
           (("m_hat = m / (1 - b1**t)", "m_hat = m"), ("v_hat = v / (1 - b2**t)", "v_hat = v"))),
    Mutant("TwoLayerNet with reg * sum(W**2) (no 0.5)", "fc_net.TwoLayerNet", "classifiers/fc_net.py",
           (('penalty += 0.5 * self.reg * np.sum(self.params[name] ** 2)',
             'penalty += self.reg * np.sum(self.params[name] ** 2)'),)),
    Mutant("FullyConnectedNet with reg * sum(W**2) (no 0.5)", "fc_net.FullyConnectedNet", "classifiers/fc_net.py",
           (("loss += 0.5 * self.reg * np.sum(W * W)", "loss += self.reg * np.sum(W * W)"),),
           FULLY_CONNECTED_VARIANTS),
    Mutant("FullyConnectedNet leaving batch norm in train mode at test time", "fc_net.FullyConnectedNet_normalization",
           "classifiers/fc_net.py", (("bn_param.update(mode=mode)", "pass"),)),
    Mutant("FullyConnectedNet that never applies dropout", "fc_net.FullyConnectedNet_dropout",
           "classifiers/fc_net.py",
           (("            if self.use_dropout:\n                h, drop_cache",
             "            if False:\n                h, drop_cache"),
            ("            if self.use_dropout:\n                dout = dropout_backward",
             "            if False:\n                dout = dropout_backward"))),
    Mutant("FullyConnectedNet applying dropout at test time", "fc_net.FullyConnectedNet_dropout",
           "classifiers/fc_net.py", (("self.dropout_param.update(mode=mode)", "pass"),)),
    Mutant("ThreeLayerConvNet with padding 1 whatever the filter size", "cnn.ThreeLayerConvNet", "classifiers/cnn.py",
           (('conv_param = {"stride": 1, "pad": (W1.shape[2] - 1) // 2}', 'conv_param = {"stride": 1, "pad": 1}'),)),
)

# Functions that return zeros of the right shapes (what a stub becomes with `return np.zeros(...), cache`): they
# must earn none of their task's points, property checks (inputs unmodified, dropout statistics, gradients against
# the model's own loss) included. A model that returns a zero loss but computes its scores keeps the points of its
# test-mode checks (ZERO_OUTPUTS_STILL_RIGHT).
ZERO_OUTPUTS = {
    "layers.affine_forward": ("layers/affine.py", '''
def affine_forward(x, w, b):
    return np.zeros((x.shape[0], w.shape[1])), (x, w, b)
'''),
    "layers.relu_forward": ("layers/affine.py", '''
def relu_forward(x):
    return np.zeros_like(x), x
'''),
    "layers.relu_backward": ("layers/affine.py", '''
def relu_backward(dout, cache):
    return np.zeros_like(dout)
'''),
    "layers.softmax_loss": ("layers/losses.py", '''
def softmax_loss(x, y):
    return 0.0, np.zeros_like(x)
'''),
    "layers.dropout_forward": ("layers/dropout.py", '''
def dropout_forward(x, dropout_param):
    return np.zeros_like(x), (dropout_param, None)
'''),
    "layers.dropout_backward": ("layers/dropout.py", '''
def dropout_backward(dout, cache):
    return np.zeros_like(dout)
'''),
    "layers.max_pool_backward_naive": ("layers/pooling.py", '''
def max_pool_backward_naive(dout, cache):
    x_shape = cache[0]
    return np.zeros(x_shape)
'''),
    "optim.adam": ("optim.py", '''
def adam(w, dw, config=None):
    return w, {} if config is None else config
'''),
    "fc_net.FullyConnectedNet_dropout": ("classifiers/fc_net.py", FULLY_CONNECTED_NET_RETURNING_ZEROS),
}
ZERO_OUTPUTS_STILL_RIGHT = {"fc_net.FullyConnectedNet_dropout": {"fc_net.FullyConnectedNet_dropout.test_mode_scores"}}
