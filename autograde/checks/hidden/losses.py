"""Hidden checks of the SVM and softmax losses: the public checks' cases on other values."""
from autograde.checks.public import losses as public
from autograde.checks.public._probes import values_only
from autograde.checks.spec import register


@register("layers.svm_loss.other_values", hint=public.HINT_SVM,
          repeats=("notebook_case", "mixed_margins_inputs_unmodified"),
          case="x (7, 3) = 2 * randn (margins both positive and negative), other values")
def _svm_loss_other_values(lib):
    x, y = public.scores_and_labels(105, (7, 3), scale=2.0)
    return values_only(public.loss_cases(lib.layers.svm_loss, "svm_loss", x, y))


@register("layers.softmax_loss.other_values", hint=public.HINT_SOFTMAX, compare=public.compare_large_logits,
          repeats=("large_logits", "other_shape_inputs_unmodified"),
          case="x (7, 6) = 1000 + 3 * randn with a row [1000, 0, ..., 0] whose label is 1, other values")
def _softmax_loss_other_values(lib):
    x, y = public.large_logits(106, (7, 6))
    loss, dx = lib.layers.softmax_loss(x, y)
    return {"loss": loss, "dx": dx}
