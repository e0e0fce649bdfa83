"""Hidden checks of course_lib.classifiers.cnn: the public checks' cases on other values."""
from autograde.checks.public import cnn as public
from autograde.checks.spec import register


@register("cnn.ThreeLayerConvNet.other_values", hint=public.HINT_CNN,
          repeats=("loss_and_grads", "nonsquare_input_reg_test_scores"),
          case="X (2, 3, 6, 10) (non-square), 4 filters of 3x3, hidden_dim 6, 4 classes, reg 0.2, random parameters, "
               "float64; test-mode scores of the batch and of each example alone")
def _cnn_other_values(lib):
    return public.nonsquare_cases(lib, 129, input_shape=(2, 3, 6, 10), num_filters=4, filter_size=3, hidden_dim=6,
                                  num_classes=4, reg=0.2)
