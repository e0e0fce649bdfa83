"""Hidden checks of layer and group normalization: the public checks' cases on other values."""
from autograde.checks.public import layernorm as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register


@register("layers.layernorm_forward.other_values", hint=public.HINT_LN_FORWARD,
          repeats=("statistics", "per_example_eps_inputs_unmodified"),
          case="x (5, 7), eps 1e-3, random gamma and beta, the batch and each example alone, other values")
def _layernorm_forward_other_values(lib):
    return values_only(public.layernorm_forward_cases(lib, 113, shape=(5, 7), eps=1e-3))


@register("layers.layernorm_backward.other_values", hint=public.HINT_LN_BACKWARD,
          repeats=("gradient_case", "eps_inputs_unmodified"), case="x (4, 8), eps 1e-3, other values")
def _layernorm_backward_other_values(lib):
    return values_only(public.layernorm_backward_cases(lib, 114, shape=(4, 8), eps=1e-3))


@register("layers.spatial_groupnorm_forward.other_values", hint=public.HINT_GN_FORWARD,
          repeats=("statistics", "one_group_and_one_per_channel"),
          case="x (2, 6, 3, 5), random gamma and beta, G = 1, G = 3 and G = 6 = C, other values")
def _spatial_groupnorm_forward_other_values(lib):
    return values_only(public.groupnorm_forward_cases(lib, 115, shape=(2, 6, 3, 5), groups=3))


@register("layers.spatial_groupnorm_backward.other_values", hint=public.HINT_GN_BACKWARD, repeats=("gradient_case",),
          compare=public.COMPARE_GROUPNORM_BACKWARD, case="x (3, 6, 3, 7), G = 3, other values")
def _spatial_groupnorm_backward_other_values(lib):
    return values_only(public.groupnorm_backward(lib, 116, shape=(3, 6, 3, 7), groups=3))
