"""Hidden checks of the affine layer and the ReLU: the public checks' cases on other values."""
from autograde.checks.public import affine as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register


@register("layers.affine_forward.other_values", hint=public.HINT_AFFINE_FORWARD,
          repeats=("notebook_case", "float32_inputs_unmodified"),
          case="float32 2-d x (3, 7), w (7, 4), b (4,), and a 4-d x (3, 1, 7, 1), other values")
def _affine_forward_other_values(lib):
    return values_only(public.affine_forward_cases(lib, 101, rows=3, features=7, outputs=4, image=(1, 7, 1)))


@register("layers.affine_backward.other_values", hint=public.HINT_AFFINE_BACKWARD,
          repeats=("gradient_case", "four_d_inputs_unmodified"),
          case="x (4, 3, 2, 2), w (12, 6), b (6,), dout (4, 6), other values")
def _affine_backward_other_values(lib):
    return values_only(public.affine_backward_cases(lib, 102, x_shape=(4, 3, 2, 2), outputs=6))


@register("layers.relu_forward.other_values", hint=public.HINT_RELU_FORWARD,
          repeats=("notebook_case", "random_4d_inputs_unmodified"),
          case="x (3, 2, 4, 5) and a float32 1-d x, other values")
def _relu_forward_other_values(lib):
    return values_only(public.relu_forward_cases(lib, 103, shape=(3, 2, 4, 5)))


@register("layers.relu_backward.other_values", hint=public.HINT_RELU_BACKWARD,
          repeats=("gradient_case", "float32_4d_inputs_unmodified"),
          case="float32 x and dout (2, 3, 4, 5), other values")
def _relu_backward_other_values(lib):
    return values_only(public.relu_backward_cases(lib, 104, shape=(2, 3, 4, 5)))
