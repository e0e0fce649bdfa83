"""Hidden checks of course_lib.classifiers.fc_net: the public checks' cases on other values."""
from autograde.checks.compare import compare_all
from autograde.checks.public import fc_net as public
from autograde.checks.public._models import compare_gradient_directions, loss_and_grads
from autograde.checks.spec import register


@register("fc_net.TwoLayerNet.other_values", hint=public.HINT_TWO_LAYER,
          repeats=("test_scores", "loss_and_grads", "image_shaped_input"),
          case="X (5, 3, 2) (flattened to D = 6), H 8, C 4, random parameters, reg 0.7: loss, grads and test-mode "
               "scores, other values")
def _two_layer_other_values(lib):
    return public.two_layer_image_cases(lib, 130, input_shape=(5, 3, 2), hidden_dim=8, num_classes=4, reg=0.7)


@register("fc_net.FullyConnectedNet.other_values", hint=public.HINT_FC,
          repeats=("initial_loss_and_grads", "depths_and_test_scores"),
          case="no hidden layer (reg 0.5) and four hidden layers [8, 6, 5, 4] (reg 0.7), X (4, 3, 3); test-mode "
               "scores of the batch and of each example alone, other values")
def _fc_other_values(lib):
    return public.depth_cases(lib, 131, deep_dims=[8, 6, 5, 4], input_shape=(4, 3, 3), num_classes=6)


@register("fc_net.FullyConnectedNet_normalization.batchnorm_other_values", hint=public.HINT_FC_NORM,
          repeats=("batchnorm_loss_and_grads",), case="batchnorm, hidden layers [7, 6, 5], reg 0.5, random "
                                                      "parameters, X (4, 8)")
def _fc_batchnorm_other_values(lib):
    return loss_and_grads(*public.fc_case(lib, 132, [7, 6, 5], (4, 8), 5, reg=0.5, normalization="batchnorm"))


@register("fc_net.FullyConnectedNet_normalization.layernorm_other_values", hint=public.HINT_FC_NORM,
          repeats=("layernorm_loss_and_grads",), case="layernorm, hidden layers [7, 6, 5], reg 0.5, random "
                                                      "parameters, X (4, 8)")
def _fc_layernorm_other_values(lib):
    return loss_and_grads(*public.fc_case(lib, 133, [7, 6, 5], (4, 8), 5, reg=0.5, normalization="layernorm"))


@register("fc_net.FullyConnectedNet_normalization.running_statistics_other_values", hint=public.HINT_FC_NORM,
          repeats=("running_statistics_and_test_scores",),
          case="hidden layers [6, 5, 4], X (5, 7), 3 training calls: running statistics of each bn_params entry, "
               "test-mode scores of a batch and of each example alone (batchnorm and layernorm), other values")
def _fc_running_statistics_other_values(lib):
    return public.running_statistics_cases(lib, 134, hidden_dims=[6, 5, 4], input_shape=(5, 7), num_classes=4)


@register("fc_net.FullyConnectedNet_dropout.other_values", hint=public.HINT_FC_DROPOUT,
          repeats=("gradient_check", "train_mode_applies_dropout", "deeper_reg_gradient_check"),
          compare=compare_all(public.compare_dropout_applied, compare_gradient_directions()),
          stored=("loss_plain", "scores"),
          case="hidden layers [9, 8, 7], keep ratio 0.5 with seeds 1, 2, 3 against no dropout; keep ratio 0.7, "
               "reg 0.4, X (3, 6): gradients against numeric derivatives of the same loss; test-mode scores")
def _fc_dropout_other_values(lib):
    outputs = public.dropout_applied_cases(lib, 135, hidden_dims=[9, 8, 7], input_shape=(3, 6), num_classes=5)
    outputs.update(public.dropout_deeper_reg_cases(lib, 136, hidden_dims=[9, 8, 7], input_shape=(3, 6),
                                                   num_classes=5, keep_ratio=0.7, dropout_seed=4, reg=0.4))
    return outputs
