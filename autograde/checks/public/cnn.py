"""Public checks of course_lib.classifiers.cnn: ThreeLayerConvNet as the notebook tests it, and on non-square inputs
with test mode per example. The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.compare import compare_close
from autograde.checks.public._models import compare_initialisation, loss_and_grads, scores_batch_and_each
from autograde.checks.spec import register

HINT_CNN_INIT = ("W1 (F, C, filter_size, filter_size), W2 (F * (H // 2) * (W // 2), hidden_dim), W3 (hidden_dim, "
                 "num_classes) drawn in that order as weight_scale * np.random.randn(...); b1, b2, b3 zeros")
HINT_CNN = ("conv_relu_pool_forward (stride 1, pad (filter_size - 1) // 2, 2x2 pool stride 2), affine_relu_forward, "
            "affine_forward, softmax_loss; backward in reverse order; 0.5 * reg * sum(W**2) for W1, W2, W3")


def init_shapes(input_dim, num_filters, filter_size, hidden_dim, num_classes):
    """The shape of each parameter of a ThreeLayerConvNet."""
    channels, height, width = input_dim
    return {"W1": (num_filters, channels, filter_size, filter_size), "b1": (num_filters,),
            "W2": (num_filters * (height // 2) * (width // 2), hidden_dim), "b2": (hidden_dim,),
            "W3": (hidden_dim, num_classes), "b3": (num_classes,)}


def init_params(lib, seed, **options):
    """model.params of a float64 ThreeLayerConvNet(**options) drawn after np.random.seed(seed)."""
    np.random.seed(seed)
    return dict(lib.cnn.ThreeLayerConvNet(dtype=np.float64, **options).params)


def nonsquare_cases(lib, seed, *, input_shape, num_filters, filter_size, hidden_dim, num_classes, reg):
    """A float64 ThreeLayerConvNet with random parameters on non-square X: loss and grads with reg, and test-mode
    scores of the batch and of each example alone."""
    rng = np.random.RandomState(seed)
    X, y = rng.randn(*input_shape), rng.randint(num_classes, size=input_shape[0])
    model = lib.cnn.ThreeLayerConvNet(input_dim=input_shape[1:], num_filters=num_filters, filter_size=filter_size,
                                      hidden_dim=hidden_dim, num_classes=num_classes, reg=reg, dtype=np.float64)
    for name in sorted(model.params):
        model.params[name] = 0.3 * rng.randn(*model.params[name].shape)
    return {**loss_and_grads(model, X, y), **scores_batch_and_each(model, X)}


NOTEBOOK_INIT = {"input_dim": (3, 16, 16), "num_filters": 20, "filter_size": 5, "hidden_dim": 50, "num_classes": 10}
NONSQUARE_INIT = {"input_dim": (2, 10, 6), "num_filters": 8, "filter_size": 3, "hidden_dim": 30, "num_classes": 6}


@register("cnn.ThreeLayerConvNet.init", hint=HINT_CNN_INIT,
          compare=compare_initialisation(init_shapes(**NOTEBOOK_INIT), 1e-2),
          stored=(), case="ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=20, filter_size=5, hidden_dim=50, "
                          "weight_scale=1e-2)")
def _cnn_init(lib):
    return init_params(lib, 231, weight_scale=1e-2, **NOTEBOOK_INIT)


@register("cnn.ThreeLayerConvNet.sanity_loss", hint=HINT_CNN, compare=compare_close(1e-4, floor=1e-2),
          case="seed 231, default ThreeLayerConvNet (float32), X (5, 3, 32, 32), reg 0 (loss near log(10)) and "
               "reg 0.5")
def _cnn_sanity_loss(lib):
    np.random.seed(231)
    model = lib.cnn.ThreeLayerConvNet()
    X = np.random.randn(5, 3, 32, 32)
    y = np.random.randint(10, size=5)
    loss_plain, _ = model.loss(X, y)
    model.reg = 0.5
    loss_reg, _ = model.loss(X, y)
    return {"loss_reg0": np.float64(loss_plain), "loss_reg0.5": np.float64(loss_reg)}


@register("cnn.ThreeLayerConvNet.loss_and_grads", points=2, hint=HINT_CNN,
          case="seed 231, X (2, 3, 16, 16), ThreeLayerConvNet(num_filters=3, filter_size=3, hidden_dim=7, "
               "dtype=float64)")
def _cnn_loss_and_grads(lib):
    np.random.seed(231)
    X = np.random.randn(2, 3, 16, 16)
    y = np.random.randint(10, size=2)
    model = lib.cnn.ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=(3, 16, 16), hidden_dim=7,
                                      dtype=np.float64)
    return loss_and_grads(model, X, y)


@register("cnn.ThreeLayerConvNet.init_nonsquare_input", hint=HINT_CNN_INIT,
          compare=compare_initialisation(init_shapes(**NONSQUARE_INIT), 3e-2), stored=(),
          case="ThreeLayerConvNet(input_dim=(2, 10, 6), num_filters=8, filter_size=3, hidden_dim=30, num_classes=6, "
               "weight_scale=3e-2): W2 has F * (H // 2) * (W // 2) = 120 rows")
def _cnn_init_nonsquare(lib):
    return init_params(lib, 35, weight_scale=3e-2, **NONSQUARE_INIT)


@register("cnn.ThreeLayerConvNet.nonsquare_input_reg_test_scores", hint=HINT_CNN,
          case="X (3, 2, 8, 6) (non-square), 3 filters of 5x5, hidden_dim 4, 5 classes, reg 0.3, random parameters, "
               "float64: loss and grads; test-mode scores of the batch and of each example alone")
def _cnn_nonsquare_reg(lib):
    return nonsquare_cases(lib, 36, input_shape=(3, 2, 8, 6), num_filters=3, filter_size=5, hidden_dim=4,
                           num_classes=5, reg=0.3)
