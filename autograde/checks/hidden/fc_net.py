"""Hidden checks of course_lib.classifiers.fc_net: other depths, regularisation strengths, normalization types,
test mode per example, running statistics and dropout in other configurations."""
import numpy as np

from autograde.checks.public import fc_net as public
from autograde.checks.public._probes import compare_gradient_directions, compare_initialisation
from autograde.checks.spec import register


def _random_params(model, seed, scale=0.5):
    """Replace every parameter by seeded random values (gamma near 1) so that the check does not depend on how
    the model drew its initial weights."""
    rng = np.random.RandomState(seed)
    for name in sorted(model.params):
        shape = model.params[name].shape
        value = scale * rng.randn(*shape)
        model.params[name] = value + 1.0 if name.startswith("gamma") else value
    return model


def _inputs(seed, shape, num_classes):
    rng = np.random.RandomState(seed)
    return rng.randn(*shape), rng.randint(num_classes, size=shape[0])


@register("fc_net.TwoLayerNet.init_other_sizes", hint=public.HINT_TWO_LAYER_INIT,
          compare=compare_initialisation({"W1": (30, 80), "b1": (80,), "W2": (80, 20), "b2": (20,)}, 5e-2),
          stored=(), case="TwoLayerNet(input_dim=30, hidden_dim=80, num_classes=20, weight_scale=5e-2)")
def _two_layer_init_other_sizes(lib):
    np.random.seed(61)
    return dict(lib.fc_net.TwoLayerNet(input_dim=30, hidden_dim=80, num_classes=20, weight_scale=5e-2).params)


@register("fc_net.TwoLayerNet.random_params_reg", hint=public.HINT_TWO_LAYER,
          case="D, H, C = 6, 8, 4, X (5, 2, 3) (flattened to D), random parameters, reg 0.7: loss, grads and "
               "test-mode scores")
def _two_layer_random_params_reg(lib):
    X, y = _inputs(62, (5, 2, 3), 4)
    model = _random_params(lib.fc_net.TwoLayerNet(input_dim=6, hidden_dim=8, num_classes=4, reg=0.7), 63)
    outputs = public.loss_and_grads(model, X, y)
    outputs["scores"] = model.loss(X)
    return outputs


def _fc_case(lib, data_seed, hidden_dims, input_shape, num_classes, **options):
    X, y = _inputs(data_seed, input_shape, num_classes)
    model = lib.fc_net.FullyConnectedNet(hidden_dims, input_dim=int(np.prod(input_shape[1:])),
                                         num_classes=num_classes, dtype=np.float64, **options)
    return _random_params(model, data_seed + 1), X, y


@register("fc_net.FullyConnectedNet.depths_and_reg", hint=public.HINT_FC,
          case="no hidden layer (reg 0.5) and four hidden layers [8, 6, 5, 4] (reg 0.7) with random parameters, "
               "X (3, 2, 5)")
def _fc_depths_and_reg(lib):
    shallow, X, y = _fc_case(lib, 64, [], (3, 2, 5), 6, reg=0.5)
    outputs = public.loss_and_grads(shallow, X, y, "_shallow")
    deep, X, y = _fc_case(lib, 66, [8, 6, 5, 4], (3, 2, 5), 6, reg=0.7)
    outputs.update(public.loss_and_grads(deep, X, y, "_deep"))
    return outputs


@register("fc_net.FullyConnectedNet.test_scores_per_example", hint=public.HINT_FC,
          case="test mode (y is None) on a batch of 4 and on each example alone, hidden layers [7, 5]")
def _fc_test_scores_per_example(lib):
    model, X, _ = _fc_case(lib, 68, [7, 5], (4, 9), 3)
    each = [model.loss(X[i : i + 1]) for i in range(4)]
    return {"scores_batch": model.loss(X), "scores_each": np.concatenate(each)}


@register("fc_net.FullyConnectedNet_normalization.batchnorm_deeper_reg", hint=public.HINT_FC_NORM,
          case="batchnorm, hidden layers [7, 6, 5], reg 0.5, random parameters, X (4, 8)")
def _fc_batchnorm_deeper(lib):
    model, X, y = _fc_case(lib, 70, [7, 6, 5], (4, 8), 5, reg=0.5, normalization="batchnorm")
    return public.loss_and_grads(model, X, y)


@register("fc_net.FullyConnectedNet_normalization.layernorm_deeper_reg", hint=public.HINT_FC_NORM,
          case="layernorm, hidden layers [7, 6, 5], reg 0.5, random parameters, X (4, 8)")
def _fc_layernorm_deeper(lib):
    model, X, y = _fc_case(lib, 72, [7, 6, 5], (4, 8), 5, reg=0.5, normalization="layernorm")
    return public.loss_and_grads(model, X, y)


def _after_training_steps(lib, normalization, seed):
    model, X, y = _fc_case(lib, seed, [6, 5], (5, 7), 4, normalization=normalization)
    rng = np.random.RandomState(seed + 2)
    for step in range(3):
        model.loss(rng.randn(5, 7) * (1 + step) + step, rng.randint(4, size=5))
    return model, X


@register("fc_net.FullyConnectedNet_normalization.batchnorm_running_statistics", hint=public.HINT_FC_NORM,
          case="batchnorm, hidden layers [6, 5]: running_mean and running_var of each bn_params entry after 3 "
               "training calls of loss(X, y)")
def _fc_batchnorm_running_statistics(lib):
    model, _ = _after_training_steps(lib, "batchnorm", 74)
    outputs = {}
    for index, bn_param in enumerate(model.bn_params):
        outputs[f"running_mean{index + 1}"] = bn_param["running_mean"]
        outputs[f"running_var{index + 1}"] = bn_param["running_var"]
    return outputs


@register("fc_net.FullyConnectedNet_normalization.test_scores_per_example", hint=public.HINT_FC_NORM,
          case="after 3 training calls, test-mode scores on a batch of 5 and on each example alone, batchnorm "
               "(running statistics) and layernorm")
def _fc_normalization_test_scores(lib):
    outputs = {}
    for normalization, seed in (("batchnorm", 76), ("layernorm", 78)):
        model, X = _after_training_steps(lib, normalization, seed)
        each = [model.loss(X[i : i + 1]) for i in range(5)]
        outputs[f"scores_batch_{normalization}"] = model.loss(X)
        outputs[f"scores_each_{normalization}"] = np.concatenate(each)
    return outputs


def _compare_dropout_applied(got, expected, reveal=True):
    plain = got["loss_plain"]
    if not np.isclose(plain, expected["loss_plain"], rtol=1e-6):
        return False, "without dropout the loss is wrong, so dropout cannot be judged"
    same = [name for name in sorted(got) if name.startswith("loss_dropout") and np.isclose(got[name], plain,
                                                                                            rtol=1e-9)]
    if same:
        return False, ("in training mode with keep ratio 0.5 the loss equals the loss without dropout "
                       f"({', '.join(same)}): dropout is not applied after the hidden ReLUs")
    return True, ""


@register("fc_net.FullyConnectedNet_dropout.train_mode_applies_dropout", hint=public.HINT_FC_DROPOUT,
          case="keep ratio 0.5 with seeds 1, 2, 3: the training loss differs from the loss without dropout "
               "(same parameters)", compare=_compare_dropout_applied, stored=("loss_plain",))
def _fc_dropout_applied(lib):
    plain, X, y = _fc_case(lib, 80, [10, 9], (3, 6), 4)
    outputs = {"loss_plain": plain.loss(X, y)[0]}
    for seed in (1, 2, 3):
        model, _, _ = _fc_case(lib, 80, [10, 9], (3, 6), 4, dropout_keep_ratio=0.5, seed=seed)
        outputs[f"loss_dropout_seed{seed}"] = model.loss(X, y)[0]
    return outputs


@register("fc_net.FullyConnectedNet_dropout.batchnorm_gradient_check", hint=public.HINT_FC_DROPOUT,
          compare=compare_gradient_directions(), stored=(),
          case="keep ratio 0.6, seed 5, batchnorm, hidden layers [6, 7], X (3, 5): gradients against numeric "
               "derivatives of the same loss")
def _fc_dropout_batchnorm_gradients(lib):
    model, X, y = _fc_case(lib, 82, [6, 7], (3, 5), 4, dropout_keep_ratio=0.6, seed=5, normalization="batchnorm")
    return public.dropout_gradient_outputs(model, X, y, seed=83, label="")


@register("fc_net.FullyConnectedNet_dropout.deeper_reg_gradient_check", hint=public.HINT_FC_DROPOUT,
          compare=compare_gradient_directions(), stored=(),
          case="keep ratio 0.8, seed 9, hidden layers [9, 8, 7], reg 0.3, X (2, 6): gradients against numeric "
               "derivatives of the same loss")
def _fc_dropout_deeper_gradients(lib):
    model, X, y = _fc_case(lib, 84, [9, 8, 7], (2, 6), 5, dropout_keep_ratio=0.8, seed=9, reg=0.3)
    return public.dropout_gradient_outputs(model, X, y, seed=85, label="")
