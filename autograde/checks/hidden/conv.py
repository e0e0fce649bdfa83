"""Hidden checks of the naive convolution: the public checks' cases on other values."""
from autograde.checks.public import conv as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register


@register("layers.conv_forward_naive.stride_pad_nonsquare_other_values", hint=public.HINT_CONV_FORWARD,
          repeats=("notebook_case", "stride_pad_nonsquare"),
          case="stride 2, pad 0, non-square 7x5 input, 3x1 filters: x (2, 3, 7, 5), w (4, 3, 3, 1); stride 1, pad 2, "
               "5x3 filters on a 6x4 input: x (1, 2, 6, 4), w (3, 2, 5, 3); other values")
def _conv_forward_stride_pad_other_values(lib):
    return public.conv_forward_strides(lib, 120, strided=((2, 3, 7, 5), (4, 3, 3, 1)),
                                       padded=((1, 2, 6, 4), (3, 2, 5, 3)))


@register("layers.conv_forward_naive.float32_other_values", hint=public.HINT_CONV_FORWARD,
          repeats=("float32_inputs_unmodified",), case="float32 x (2, 3, 6, 6), w (2, 3, 3, 3), stride 1, pad 1, "
                                                      "other values")
def _conv_forward_float32_other_values(lib):
    return values_only(public.conv_forward_float32(lib, 121, x_shape=(2, 3, 6, 6), w_shape=(2, 3, 3, 3)))


@register("layers.conv_backward_naive.other_values", hint=public.HINT_CONV_BACKWARD,
          repeats=("gradient_case", "stride_pad_nonsquare"),
          case="stride 2, pad 1, non-square 7x5 input, 3x1 filters: x (2, 3, 7, 5), w (4, 3, 3, 1); stride 1, pad 0, "
               "3x2 filters on a 6x5 input: x (2, 2, 6, 5), w (3, 2, 3, 2); other values")
def _conv_backward_other_values(lib):
    return public.conv_backward_strides(lib, 122, strided=((2, 3, 7, 5), (4, 3, 3, 1)),
                                        unpadded=((2, 2, 6, 5), (3, 2, 3, 2)))
