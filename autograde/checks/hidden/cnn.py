"""Hidden checks of course_lib.classifiers.cnn: other input sizes, filter sizes and reg, test mode per example."""
import numpy as np

from autograde.checks.public import cnn as public
from autograde.checks.public._probes import compare_initialisation
from autograde.checks.public.fc_net import loss_and_grads
from autograde.checks.spec import register


def _model_with_random_params(lib, seed, **options):
    model = lib.cnn.ThreeLayerConvNet(dtype=np.float64, **options)
    rng = np.random.RandomState(seed)
    for name in sorted(model.params):
        model.params[name] = 0.3 * rng.randn(*model.params[name].shape)
    return model


@register("cnn.ThreeLayerConvNet.init_nonsquare_input", hint=public.HINT_CNN_INIT,
          compare=compare_initialisation({"W1": (16, 2, 3, 3), "b1": (16,), "W2": (384, 40), "b2": (40,),
                                          "W3": (40, 6), "b3": (6,)}, 3e-2),
          stored=(), case="ThreeLayerConvNet(input_dim=(2, 12, 8), num_filters=16, filter_size=3, hidden_dim=40, "
                          "num_classes=6, weight_scale=3e-2): W2 has F * (H // 2) * (W // 2) = 384 rows")
def _cnn_init_nonsquare(lib):
    np.random.seed(91)
    model = lib.cnn.ThreeLayerConvNet(input_dim=(2, 12, 8), num_filters=16, filter_size=3, hidden_dim=40,
                                      num_classes=6, weight_scale=3e-2, dtype=np.float64)
    return dict(model.params)


@register("cnn.ThreeLayerConvNet.nonsquare_input_reg", hint=public.HINT_CNN,
          case="X (3, 3, 10, 6) (non-square), 4 filters of 5x5, hidden_dim 6, 5 classes, reg 0.3, random "
               "parameters, float64")
def _cnn_nonsquare_reg(lib):
    rng = np.random.RandomState(92)
    X, y = rng.randn(3, 3, 10, 6), rng.randint(5, size=3)
    model = _model_with_random_params(lib, 93, input_dim=(3, 10, 6), num_filters=4, filter_size=5, hidden_dim=6,
                                      num_classes=5, reg=0.3)
    return loss_and_grads(model, X, y)


@register("cnn.ThreeLayerConvNet.test_scores_per_example", hint=public.HINT_CNN,
          case="test mode (y is None) on a batch of 3 and on each example alone, input (2, 8, 8)")
def _cnn_test_scores_per_example(lib):
    X = np.random.RandomState(94).randn(3, 2, 8, 8)
    model = _model_with_random_params(lib, 95, input_dim=(2, 8, 8), num_filters=3, filter_size=3, hidden_dim=5,
                                      num_classes=4)
    each = [model.loss(X[i : i + 1]) for i in range(3)]
    return {"scores_batch": model.loss(X), "scores_each": np.concatenate(each)}
