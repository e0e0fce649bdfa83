"""Hidden checks of inverted dropout: the public checks' cases on other values."""
import numpy as np

from autograde.checks.public import dropout as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register

OTHER_KEEP_PROBS = (0.1, 0.9, 1.0)


@register("layers.dropout_forward.other_values", hint=public.HINT_DROPOUT_FORWARD,
          repeats=("train_and_test_statistics", "seeded_repeatable", "keep_everything_inputs_unmodified"),
          compare=public.compare_dropout_forward((*OTHER_KEEP_PROBS, 0.3)), stored=(),
          case="x (20, 30, 40), p = 0.1, 0.9 and 1.0, train and test mode; p = 0.3 with dropout_param['seed'] = 11 "
               "twice, other values")
def _dropout_forward_other_values(lib):
    outputs = public.train_and_test(lib, np.random.RandomState(117).randn(20, 30, 40) + 5, OTHER_KEEP_PROBS)
    outputs.update(public.seeded_repeatable(lib, 118, shape=(30, 20), keep_prob=0.3, dropout_seed=11,
                                            index=len(OTHER_KEEP_PROBS)))
    return outputs


@register("layers.dropout_backward.other_values", hint=public.HINT_DROPOUT_BACKWARD,
          repeats=("gradient_case", "mask_from_cache_inputs_unmodified"),
          compare=public.compare_dropout_backward(0.35), stored=(),
          case="train mode, p = 0.35, no seed, x (3, 7, 2), other random draws before the backward call, other "
               "values")
def _dropout_backward_other_values(lib):
    return values_only(public.dropout_backward_cases(lib, 119, shape=(3, 7, 2), keep_prob=0.35, mode="train"))
