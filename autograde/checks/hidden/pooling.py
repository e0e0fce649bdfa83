"""Hidden checks of naive max pooling: the public checks' cases on other values."""
from autograde.checks.public import pooling as public
from autograde.checks.spec import register


@register("layers.max_pool_forward_naive.other_values", hint=public.HINT_POOL_FORWARD,
          repeats=("notebook_case", "overlapping_nonsquare_windows"),
          case="3x3 windows at stride 1 on x (2, 3, 6, 6), 2x3 windows at stride 2 on x (1, 2, 6, 9), other values")
def _max_pool_forward_other_values(lib):
    return public.overlapping_forward_cases(lib, 123, square=(2, 3, 6, 6), nonsquare=(1, 2, 6, 9))


@register("layers.max_pool_backward_naive.other_values", hint=public.HINT_POOL_BACKWARD,
          repeats=("gradient_case", "overlapping_windows"),
          case="2x2 windows at stride 1 on x (2, 3, 5, 5), 2x3 windows at stride 2 on x (2, 2, 6, 7), other values")
def _max_pool_backward_other_values(lib):
    return public.overlapping_backward_cases(lib, 124, square=(2, 3, 5, 5), nonsquare=(2, 2, 6, 7))
