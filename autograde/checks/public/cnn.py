"""Public checks of course_lib.classifiers.cnn: ThreeLayerConvNet as the notebook tests it."""
import numpy as np

from autograde.checks.public._probes import compare_initialisation
from autograde.checks.public.fc_net import loss_and_grads
from autograde.checks.compare import compare_close
from autograde.checks.spec import register

HINT_CNN_INIT = ("W1 (F, C, filter_size, filter_size), W2 (F * H/2 * W/2, hidden_dim), W3 (hidden_dim, num_classes) "
                 "drawn in that order as weight_scale * np.random.randn(...); b1, b2, b3 zeros")
HINT_CNN = ("conv_relu_pool_forward (stride 1, pad (filter_size - 1) // 2, 2x2 pool stride 2), affine_relu_forward, "
            "affine_forward, softmax_loss; backward in reverse order; 0.5 * reg * sum(W**2) for W1, W2, W3")


@register("cnn.ThreeLayerConvNet.init", hint=HINT_CNN_INIT,
          compare=compare_initialisation({"W1": (20, 3, 5, 5), "b1": (20,), "W2": (1280, 50), "b2": (50,),
                                          "W3": (50, 10), "b3": (10,)}, 1e-2),
          stored=(), case="ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=20, filter_size=5, hidden_dim=50, "
                          "weight_scale=1e-2)")
def _cnn_init(lib):
    np.random.seed(231)
    model = lib.cnn.ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=20, filter_size=5, hidden_dim=50,
                                      weight_scale=1e-2, dtype=np.float64)
    return dict(model.params)


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
