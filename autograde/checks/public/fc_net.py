"""Public checks of course_lib.classifiers.fc_net: TwoLayerNet and FullyConnectedNet as the notebooks test them."""
import numpy as np

from autograde.checks.public._probes import (
    compare_gradient_directions,
    compare_initialisation,
    gradient_directions,
    linspace_array,
)
from autograde.checks.spec import register

HINT_TWO_LAYER_INIT = ("W1 = weight_scale * np.random.randn(D, H), W2 likewise (H, C); b1 and b2 zeros of shape "
                       "(H,), (C,)")
HINT_TWO_LAYER = ("scores = affine(relu(affine(X, W1, b1)), W2, b2); loss = softmax loss + 0.5 * reg * "
                  "(sum(W1**2) + sum(W2**2)); add reg * W to dW1 and dW2")
HINT_FC_INIT = ("draw W1..WL in layer order as weight_scale * np.random.randn(in, out), biases zeros (out,); with "
                "normalization gamma ones and beta zeros for every hidden layer")
HINT_FC = ("loop over the hidden layers {affine - [norm] - relu - [dropout]} keeping each cache, last affine, "
           "softmax; backward in reverse order; L2 0.5 * reg * sum(W**2) over every W, reg * W in every dW")
HINT_FC_NORM = ("after each hidden affine call batchnorm_forward / layernorm_forward with gamma{i}, beta{i} and "
                "self.bn_params[i - 1], and the matching backward; grads must hold gamma{i} and beta{i}")
HINT_FC_DROPOUT = ("after each hidden relu call dropout_forward(h, self.dropout_param) when self.use_dropout, and "
                   "dropout_backward with that call's cache; test mode (y is None) applies no dropout")


def _two_layer_model(lib, reg=0.0):
    """The notebook's TwoLayerNet (D, H, C = 5, 50, 7) with parameters and inputs from linspace."""
    model = lib.fc_net.TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=1e-3, reg=reg)
    model.params["W1"] = linspace_array(-0.7, 0.3, (5, 50))
    model.params["b1"] = np.linspace(-0.1, 0.9, num=50)
    model.params["W2"] = linspace_array(-0.3, 0.4, (50, 7))
    model.params["b2"] = np.linspace(-0.9, 0.1, num=7)
    X = np.linspace(-5.5, 4.5, num=15).reshape(5, 3).T
    return model, X


def loss_and_grads(model, X, y, label=""):
    """{'loss<label>': loss, 'd<param><label>': grad} for every gradient the model returns."""
    loss, grads = model.loss(X, y)
    outputs = {f"loss{label}": loss}
    outputs.update({f"d{name}{label}": grad for name, grad in grads.items()})
    return outputs


@register("fc_net.TwoLayerNet.init", hint=HINT_TWO_LAYER_INIT,
          compare=compare_initialisation({"W1": (100, 60), "b1": (60,), "W2": (60, 50), "b2": (50,)}, 1e-2),
          stored=(), case="TwoLayerNet(input_dim=100, hidden_dim=60, num_classes=50, weight_scale=1e-2)")
def _two_layer_init(lib):
    np.random.seed(231)
    model = lib.fc_net.TwoLayerNet(input_dim=100, hidden_dim=60, num_classes=50, weight_scale=1e-2)
    return dict(model.params)


@register("fc_net.TwoLayerNet.test_scores", hint=HINT_TWO_LAYER,
          case="D, H, C = 5, 50, 7, parameters and X (3, 5) from linspace, test mode (y is None)")
def _two_layer_test_scores(lib):
    model, X = _two_layer_model(lib)
    return {"scores": model.loss(X)}


@register("fc_net.TwoLayerNet.loss_and_grads", points=2, hint=HINT_TWO_LAYER,
          case="D, H, C = 5, 50, 7, parameters and X (3, 5) from linspace, y = [0, 5, 1], reg 0 and 1.0")
def _two_layer_loss_and_grads(lib):
    model, X = _two_layer_model(lib)
    y = np.array([0, 5, 1])
    outputs = loss_and_grads(model, X, y, "_reg0")
    model.reg = 1.0
    outputs.update(loss_and_grads(model, X, y, "_reg1"))
    return outputs


def notebook_inputs():
    """The notebooks' FullyConnectedNet inputs: seed 231, X (2, 15), y (2,) in [0, 10)."""
    np.random.seed(231)
    X = np.random.randn(2, 15)
    y = np.random.randint(10, size=(2,))
    return X, y


def notebook_model(lib, **options):
    """FullyConnectedNet([20, 30], input_dim=15, num_classes=10, weight_scale=5e-2, dtype=float64, **options)."""
    return lib.fc_net.FullyConnectedNet([20, 30], input_dim=15, num_classes=10, weight_scale=5e-2,
                                        dtype=np.float64, **options)


def _fc_shapes(dims, normalization=False):
    shapes = {}
    for layer, (dim_in, dim_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        shapes[f"W{layer}"], shapes[f"b{layer}"] = (dim_in, dim_out), (dim_out,)
        if normalization and layer < len(dims) - 1:
            shapes[f"gamma{layer}"], shapes[f"beta{layer}"] = (dim_out,), (dim_out,)
    return shapes


@register("fc_net.FullyConnectedNet.init", hint=HINT_FC_INIT,
          compare=compare_initialisation(_fc_shapes([100, 60, 40, 30]), 2e-2), stored=(),
          case="FullyConnectedNet([60, 40], input_dim=100, num_classes=30, weight_scale=2e-2, dtype=float64)")
def _fc_init(lib):
    np.random.seed(231)
    model = lib.fc_net.FullyConnectedNet([60, 40], input_dim=100, num_classes=30, weight_scale=2e-2,
                                         dtype=np.float64)
    return dict(model.params)


@register("fc_net.FullyConnectedNet.initial_loss_and_grads", points=2, hint=HINT_FC,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], weight_scale=5e-2, float64), reg 0 and 3.14 "
               "(initial loss 2.3004790897684924 at reg 0)")
def _fc_initial_loss_and_grads(lib):
    X, y = notebook_inputs()
    outputs = {}
    for reg, label in ((0.0, "_reg0"), (3.14, "_reg3.14")):
        outputs.update(loss_and_grads(notebook_model(lib, reg=reg), X, y, label))
    return outputs


@register("fc_net.FullyConnectedNet_normalization.init", hint=HINT_FC_INIT,
          compare=compare_initialisation(_fc_shapes([100, 60, 40, 30], normalization=True), 2e-2), stored=(),
          case="FullyConnectedNet([60, 40], input_dim=100, num_classes=30, normalization='batchnorm')")
def _fc_normalization_init(lib):
    np.random.seed(231)
    model = lib.fc_net.FullyConnectedNet([60, 40], input_dim=100, num_classes=30, weight_scale=2e-2,
                                         dtype=np.float64, normalization="batchnorm")
    return dict(model.params)


def _normalized_losses(lib, normalization):
    X, y = notebook_inputs()
    outputs = {}
    for reg, label in ((0.0, "_reg0"), (3.14, "_reg3.14")):
        outputs.update(loss_and_grads(notebook_model(lib, reg=reg, normalization=normalization), X, y, label))
    return outputs


@register("fc_net.FullyConnectedNet_normalization.batchnorm_loss_and_grads", points=2, hint=HINT_FC_NORM,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], normalization='batchnorm', float64), "
               "reg 0 and 3.14")
def _fc_batchnorm_loss_and_grads(lib):
    return _normalized_losses(lib, "batchnorm")


@register("fc_net.FullyConnectedNet_normalization.layernorm_loss_and_grads", points=2, hint=HINT_FC_NORM,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], normalization='layernorm', float64), "
               "reg 0 and 3.14")
def _fc_layernorm_loss_and_grads(lib):
    return _normalized_losses(lib, "layernorm")


def dropout_gradient_outputs(model, X, y, *, seed, label):
    """Loss twice (same seed: must agree) and directional derivatives of the model's own loss."""
    loss, grads = model.loss(X, y)
    again, _ = model.loss(X, y)
    outputs = {f"repeat_loss{label}": np.array([loss, again])}
    directions = gradient_directions(lambda: model.loss(X, y)[0], model.params, grads, seed=seed)
    outputs.update({f"{name}{label}": value for name, value in directions.items()})
    return outputs


@register("fc_net.FullyConnectedNet_dropout.gradient_check", points=2, hint=HINT_FC_DROPOUT,
          compare=compare_gradient_directions(), stored=(),
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, seed=123), dropout_keep_ratio 0.75 "
               "and 0.5: analytic gradients against numeric derivatives of the same loss")
def _fc_dropout_gradient_check(lib):
    X, y = notebook_inputs()
    outputs = {}
    for keep_ratio in (0.75, 0.5):
        model = notebook_model(lib, dropout_keep_ratio=keep_ratio, seed=123)
        outputs.update(dropout_gradient_outputs(model, X, y, seed=7, label=f"@{keep_ratio}"))
    return outputs


@register("fc_net.FullyConnectedNet_dropout.keep_ratio_1_is_plain", hint=HINT_FC_DROPOUT,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, dropout_keep_ratio=1, seed=123)")
def _fc_dropout_keep_ratio_1(lib):
    X, y = notebook_inputs()
    return loss_and_grads(notebook_model(lib, dropout_keep_ratio=1, seed=123), X, y)


@register("fc_net.FullyConnectedNet_dropout.test_mode_scores", hint=HINT_FC_DROPOUT,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, dropout_keep_ratio=0.5, seed=123), "
               "test mode (y is None): no dropout")
def _fc_dropout_test_mode_scores(lib):
    X, _ = notebook_inputs()
    return {"scores": notebook_model(lib, dropout_keep_ratio=0.5, seed=123).loss(X)}
