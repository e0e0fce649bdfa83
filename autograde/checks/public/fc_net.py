"""Public checks of course_lib.classifiers.fc_net: TwoLayerNet and FullyConnectedNet as the notebooks test them, and
image-shaped inputs, other depths, test mode per example, running statistics and dropout in training. The
`*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.public._models import (
    compare_gradient_directions,
    compare_initialisation,
    dropout_gradient_outputs,
    loss_and_grads,
    random_params,
    scores_batch_and_each,
)
from autograde.checks.public._probes import linspace_array
from autograde.checks.spec import register

HINT_TWO_LAYER_INIT = ("W1 = weight_scale * np.random.randn(D, H), W2 likewise (H, C); b1 and b2 zeros of shape "
                       "(H,), (C,)")
HINT_TWO_LAYER = ("scores = affine(relu(affine(X, W1, b1)), W2, b2) with X flattened to (N, D); loss = softmax loss + "
                  "0.5 * reg * (sum(W1**2) + sum(W2**2)); add reg * W to dW1 and dW2")
HINT_FC_INIT = ("draw W1..WL in layer order as weight_scale * np.random.randn(in, out), biases zeros (out,); with "
                "normalization gamma ones and beta zeros for every hidden layer")
HINT_FC = ("loop over the hidden layers {affine - [norm] - relu - [dropout]} keeping each cache (no hidden layer at "
           "all when hidden_dims is empty), last affine, softmax; backward in reverse order; L2 0.5 * reg * "
           "sum(W**2) over every W, reg * W in every dW")
HINT_FC_NORM = ("after each hidden affine call batchnorm_forward / layernorm_forward with gamma{i}, beta{i} and "
                "self.bn_params[i - 1] (the same dict every call, so its running statistics accumulate), and the "
                "matching backward; grads must hold gamma{i} and beta{i}")
HINT_FC_DROPOUT = ("after each hidden relu call dropout_forward(h, self.dropout_param) when self.use_dropout, and "
                   "dropout_backward with that call's cache; test mode (y is None) applies no dropout")


def inputs(seed, shape, num_classes):
    """X of `shape` from randn and labels y (N,) in [0, num_classes), one seed."""
    rng = np.random.RandomState(seed)
    return rng.randn(*shape), rng.randint(num_classes, size=shape[0])


def fc_case(lib, data_seed, hidden_dims, input_shape, num_classes, **options):
    """A float64 FullyConnectedNet with seeded random parameters for inputs of `input_shape`, and its X, y."""
    X, y = inputs(data_seed, input_shape, num_classes)
    model = lib.fc_net.FullyConnectedNet(hidden_dims, input_dim=int(np.prod(input_shape[1:])),
                                         num_classes=num_classes, dtype=np.float64, **options)
    return random_params(model, data_seed + 1), X, y


def two_layer_image_cases(lib, seed, *, input_shape, hidden_dim, num_classes, reg):
    """A TwoLayerNet with random parameters on image-shaped X (N, d_1, d_2): loss, grads and test-mode scores."""
    X, y = inputs(seed, input_shape, num_classes)
    model = lib.fc_net.TwoLayerNet(input_dim=int(np.prod(input_shape[1:])), hidden_dim=hidden_dim,
                                   num_classes=num_classes, reg=reg)
    random_params(model, seed + 1)
    return {**loss_and_grads(model, X, y), "scores": model.loss(X)}


def depth_cases(lib, seed, *, deep_dims, input_shape, num_classes):
    """No hidden layer (reg 0.5) and `deep_dims` hidden layers (reg 0.7) on image-shaped X: losses and grads;
    test-mode scores of the deep net on the batch and on each example alone."""
    shallow, X, y = fc_case(lib, seed, [], input_shape, num_classes, reg=0.5)
    outputs = loss_and_grads(shallow, X, y, "_shallow")
    deep, X, y = fc_case(lib, seed + 2, deep_dims, input_shape, num_classes, reg=0.7)
    outputs.update(loss_and_grads(deep, X, y, "_deep"))
    outputs.update(scores_batch_and_each(deep, X))
    return outputs


def running_statistics_cases(lib, seed, *, hidden_dims, input_shape, num_classes):
    """After 3 training calls of loss(X, y): each bn_params entry's running statistics (batchnorm), and test-mode
    scores on the batch and on each example alone (batchnorm with running statistics, and layernorm)."""
    outputs = {}
    for offset, normalization in enumerate(("batchnorm", "layernorm")):
        model, X, _ = fc_case(lib, seed + 4 * offset, hidden_dims, input_shape, num_classes,
                              normalization=normalization)
        rng = np.random.RandomState(seed + 4 * offset + 2)
        for step in range(3):
            model.loss(rng.randn(*input_shape) * (1 + step) + step, rng.randint(num_classes, size=input_shape[0]))
        if normalization == "batchnorm":
            for index, bn_param in enumerate(model.bn_params, start=1):
                outputs[f"running_mean{index}"] = bn_param["running_mean"]
                outputs[f"running_var{index}"] = bn_param["running_var"]
        outputs.update(scores_batch_and_each(model, X, f"_{normalization}"))
    return outputs


def compare_dropout_applied(got, expected, reveal=True):
    """The loss without dropout equals the stored one, and every training loss with dropout differs from it."""
    plain = got["loss_plain"]
    if not np.isclose(plain, expected["loss_plain"], rtol=1e-6):
        return False, "without dropout the loss is wrong, so dropout cannot be judged"
    same = [name for name in sorted(got) if name.startswith("loss_dropout") and np.isclose(got[name], plain,
                                                                                            rtol=1e-9)]
    if same:
        return False, ("in training mode with keep ratio 0.5 the loss equals the loss without dropout "
                       f"({', '.join(same)}): dropout is not applied after the hidden ReLUs")
    return True, ""


def dropout_applied_cases(lib, seed, *, hidden_dims, input_shape, num_classes):
    """The training loss without dropout, and with keep ratio 0.5 and seeds 1, 2, 3 (same parameters)."""
    plain, X, y = fc_case(lib, seed, hidden_dims, input_shape, num_classes)
    outputs = {"loss_plain": plain.loss(X, y)[0]}
    for dropout_seed in (1, 2, 3):
        model, _, _ = fc_case(lib, seed, hidden_dims, input_shape, num_classes, dropout_keep_ratio=0.5,
                              seed=dropout_seed)
        outputs[f"loss_dropout_seed{dropout_seed}"] = model.loss(X, y)[0]
    return outputs


def dropout_deeper_reg_cases(lib, seed, *, hidden_dims, input_shape, num_classes, keep_ratio, dropout_seed, reg):
    """Gradients of a deeper net with dropout and reg against numeric derivatives of its own loss, and its test-mode
    scores."""
    model, X, y = fc_case(lib, seed, hidden_dims, input_shape, num_classes, dropout_keep_ratio=keep_ratio,
                          seed=dropout_seed, reg=reg)
    return dropout_gradient_outputs(model, X, y, seed=seed + 1, label="")


def _two_layer_model(lib, reg=0.0):
    """The notebook's TwoLayerNet (D, H, C = 5, 50, 7) with parameters and inputs from linspace."""
    model = lib.fc_net.TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=1e-3, reg=reg)
    model.params["W1"] = linspace_array(-0.7, 0.3, (5, 50))
    model.params["b1"] = np.linspace(-0.1, 0.9, num=50)
    model.params["W2"] = linspace_array(-0.3, 0.4, (50, 7))
    model.params["b2"] = np.linspace(-0.9, 0.1, num=7)
    X = np.linspace(-5.5, 4.5, num=15).reshape(5, 3).T
    return model, X


def _notebook_inputs():
    """The notebooks' FullyConnectedNet inputs: seed 231, X (2, 15), y (2,) in [0, 10)."""
    np.random.seed(231)
    X = np.random.randn(2, 15)
    y = np.random.randint(10, size=(2,))
    return X, y


def _notebook_model(lib, **options):
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


def _notebook_losses(lib, **options):
    X, y = _notebook_inputs()
    outputs = {}
    for reg, label in ((0.0, "_reg0"), (3.14, "_reg3.14")):
        outputs.update(loss_and_grads(_notebook_model(lib, reg=reg, **options), X, y, label))
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


@register("fc_net.TwoLayerNet.image_shaped_input", hint=HINT_TWO_LAYER,
          case="X (4, 2, 3) (flattened to D = 6), H 5, C 3, random parameters, reg 0.5: loss, grads and test-mode "
               "scores")
def _two_layer_image_shaped_input(lib):
    return two_layer_image_cases(lib, 30, input_shape=(4, 2, 3), hidden_dim=5, num_classes=3, reg=0.5)


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
    return _notebook_losses(lib)


@register("fc_net.FullyConnectedNet.depths_and_test_scores", hint=HINT_FC,
          case="no hidden layer (reg 0.5) and three hidden layers [6, 5, 4] (reg 0.7) with random parameters, "
               "X (3, 2, 4); test-mode scores of the batch and of each example alone")
def _fc_depths_and_test_scores(lib):
    return depth_cases(lib, 31, deep_dims=[6, 5, 4], input_shape=(3, 2, 4), num_classes=5)


@register("fc_net.FullyConnectedNet_normalization.init", hint=HINT_FC_INIT,
          compare=compare_initialisation(_fc_shapes([100, 60, 40, 30], normalization=True), 2e-2), stored=(),
          case="FullyConnectedNet([60, 40], input_dim=100, num_classes=30, normalization='batchnorm')")
def _fc_normalization_init(lib):
    np.random.seed(231)
    model = lib.fc_net.FullyConnectedNet([60, 40], input_dim=100, num_classes=30, weight_scale=2e-2,
                                         dtype=np.float64, normalization="batchnorm")
    return dict(model.params)


@register("fc_net.FullyConnectedNet_normalization.batchnorm_loss_and_grads", points=2, hint=HINT_FC_NORM,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], normalization='batchnorm', float64), "
               "reg 0 and 3.14")
def _fc_batchnorm_loss_and_grads(lib):
    return _notebook_losses(lib, normalization="batchnorm")


@register("fc_net.FullyConnectedNet_normalization.layernorm_loss_and_grads", points=2, hint=HINT_FC_NORM,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], normalization='layernorm', float64), "
               "reg 0 and 3.14")
def _fc_layernorm_loss_and_grads(lib):
    return _notebook_losses(lib, normalization="layernorm")


@register("fc_net.FullyConnectedNet_normalization.running_statistics_and_test_scores", hint=HINT_FC_NORM,
          case="hidden layers [5, 4], X (4, 6), 3 training calls of loss(X, y): running_mean and running_var of "
               "each bn_params entry; then test-mode scores of a batch and of each example alone, batchnorm "
               "(running statistics) and layernorm")
def _fc_running_statistics(lib):
    return running_statistics_cases(lib, 32, hidden_dims=[5, 4], input_shape=(4, 6), num_classes=3)


@register("fc_net.FullyConnectedNet_dropout.gradient_check", points=2, hint=HINT_FC_DROPOUT,
          compare=compare_gradient_directions(), stored=("scores@0.75", "scores@0.5"),
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, seed=123), dropout_keep_ratio 0.75 "
               "and 0.5: analytic gradients against numeric derivatives of the same loss; test-mode scores")
def _fc_dropout_gradient_check(lib):
    X, y = _notebook_inputs()
    outputs = {}
    for keep_ratio in (0.75, 0.5):
        model = _notebook_model(lib, dropout_keep_ratio=keep_ratio, seed=123)
        outputs.update(dropout_gradient_outputs(model, X, y, seed=7, label=f"@{keep_ratio}"))
    return outputs


@register("fc_net.FullyConnectedNet_dropout.keep_ratio_1_is_plain", hint=HINT_FC_DROPOUT,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, dropout_keep_ratio=1, seed=123)")
def _fc_dropout_keep_ratio_1(lib):
    X, y = _notebook_inputs()
    return loss_and_grads(_notebook_model(lib, dropout_keep_ratio=1, seed=123), X, y)


@register("fc_net.FullyConnectedNet_dropout.test_mode_scores", hint=HINT_FC_DROPOUT,
          case="seed 231, X (2, 15), FullyConnectedNet([20, 30], float64, dropout_keep_ratio=0.5, seed=123), "
               "test mode (y is None): no dropout")
def _fc_dropout_test_mode_scores(lib):
    X, _ = _notebook_inputs()
    return {"scores": _notebook_model(lib, dropout_keep_ratio=0.5, seed=123).loss(X)}


@register("fc_net.FullyConnectedNet_dropout.train_mode_applies_dropout", hint=HINT_FC_DROPOUT,
          compare=compare_dropout_applied, stored=("loss_plain",),
          case="hidden layers [8, 7], X (3, 5), keep ratio 0.5 with seeds 1, 2, 3: the training loss differs from "
               "the loss without dropout (same parameters)")
def _fc_dropout_applied(lib):
    return dropout_applied_cases(lib, 33, hidden_dims=[8, 7], input_shape=(3, 5), num_classes=4)


@register("fc_net.FullyConnectedNet_dropout.deeper_reg_gradient_check", hint=HINT_FC_DROPOUT,
          compare=compare_gradient_directions(), stored=("scores",),
          case="keep ratio 0.8, seed 9, hidden layers [6, 5, 4], reg 0.3, X (2, 2, 3): gradients against numeric "
               "derivatives of the same loss; test-mode scores")
def _fc_dropout_deeper_reg(lib):
    return dropout_deeper_reg_cases(lib, 34, hidden_dims=[6, 5, 4], input_shape=(2, 2, 3), num_classes=4,
                                    keep_ratio=0.8, dropout_seed=9, reg=0.3)
