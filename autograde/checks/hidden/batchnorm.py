"""Hidden checks of batch normalization: the public checks' cases on other values."""
from autograde.checks.public import batchnorm as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register


@register("layers.batchnorm_forward.test_mode_per_example_other_values", hint=public.HINT_BN_FORWARD,
          repeats=("test_mode_per_example",),
          case="after 5 train-mode calls on (9, 5) inputs, test mode on a batch (4, 5) and on each example alone")
def _batchnorm_forward_test_mode_other_values(lib):
    return public.test_mode_per_example(lib.layers.batchnorm_forward, 107, train_shape=(9, 5), test_shape=(4, 5))


@register("layers.batchnorm_forward.momentum_eps_float32_other_values", hint=public.HINT_BN_FORWARD,
          repeats=("train_statistics", "test_statistics", "momentum_eps_float32_inputs_unmodified"),
          case="bn_param momentum 0.7 and eps 1e-3, 3 train-mode calls on (9, 5) inputs, a float32 train-mode call, "
               "a test-mode call, other values")
def _batchnorm_forward_momentum_eps_other_values(lib):
    return values_only(public.batchnorm_forward_cases(lib, 108, shape=(9, 5), momentum=0.7, eps=1e-3))


@register("layers.batchnorm_backward.other_values", hint=public.HINT_BN_BACKWARD,
          repeats=("gradient_case", "eps_inputs_unmodified"), case="x (7, 4), eps 1e-3, other values")
def _batchnorm_backward_other_values(lib):
    return values_only(public.norm_backward_cases(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward,
                                                  "batchnorm_backward", 109, (7, 4), (4,),
                                                  {"mode": "train", "eps": 1e-3}))


@register("layers.batchnorm_backward_alt.other_values", hint=public.HINT_BN_BACKWARD, repeats=("gradient_case",),
          case="x (6, 9), other values")
def _batchnorm_backward_alt_other_values(lib):
    return values_only(public.norm_backward_cases(lib.layers.batchnorm_forward, lib.layers.batchnorm_backward_alt,
                                                  "batchnorm_backward_alt", 110, (6, 9), (9,), {"mode": "train"}))


@register("layers.spatial_batchnorm_forward.other_values", hint=public.HINT_SBN_FORWARD,
          repeats=("train_statistics", "test_mode_per_example_nonsquare"),
          case="after 5 train-mode calls on (3, 2, 3, 4) inputs, test mode on a batch of 4 and on each example "
               "alone; a train-mode call on a non-square x (4, 2, 4, 6), other values")
def _spatial_batchnorm_forward_other_values(lib):
    return values_only(public.spatial_batchnorm_forward_cases(lib, 111, train_shape=(3, 2, 3, 4),
                                                              test_shape=(4, 2, 3, 4)))


@register("layers.spatial_batchnorm_backward.other_values", hint=public.HINT_SBN_BACKWARD, repeats=("gradient_case",),
          case="x (3, 4, 2, 5), other values")
def _spatial_batchnorm_backward_other_values(lib):
    return values_only(public.norm_backward_cases(lib.layers.spatial_batchnorm_forward,
                                                  lib.layers.spatial_batchnorm_backward, "spatial_batchnorm_backward",
                                                  112, (3, 4, 2, 5), (4,), {"mode": "train"}))
