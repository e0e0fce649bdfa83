"""Public checks of the losses (course_lib/layers/losses.py): the notebook's cases, margins on both sides of zero,
scores near 1000 (np.exp overflows and probabilities underflow unless the loss is computed in log space), other
shapes, and x and y left unmodified. The `*_cases` builders serve the hidden checks too, with other values."""
import numpy as np

from autograde.checks.compare import compare_close
from autograde.checks.public._probes import InputWatch
from autograde.checks.spec import register

HINT_SVM = ("margins max(0, x_j - x_y + 1) for j != y; each positive margin adds +1 to dx[j] and -1 to dx[y]; "
            "divide by N")
HINT_SOFTMAX = ("subtract each row's maximum before np.exp; loss = mean of -log p[y] with log p computed as "
                "shifted - log(sum(exp(shifted))); dx = (p - one_hot(y)) / N")


def notebook_scores():
    """The notebook's scores and labels: seed 231, x (50, 10) = 0.001 * randn, y (50,) in [0, 10)."""
    np.random.seed(231)
    x = 0.001 * np.random.randn(50, 10)
    return x, np.random.randint(10, size=50)


def scores_and_labels(seed, shape, *, scale=1.0, offset=0.0):
    """x = offset + scale * randn(shape) and labels y (N,) in [0, C) from one seed."""
    rng = np.random.RandomState(seed)
    x = offset + scale * rng.randn(*shape)
    return x, rng.randint(shape[1], size=shape[0])


def loss_cases(loss_function, call, x, y):
    """loss and dx of `loss_function(x, y)`, with x and y watched for changes in place."""
    watch = InputWatch(x=x, y=y)
    loss, dx = loss_function(x, y)
    return {"loss": loss, "dx": dx, **watch.after(call, x=x, y=y)}


def large_logits(seed, shape):
    """Scores near 1000 (x = 1000 + 3 * randn) with one row [1000, 0, ..., 0] whose label is not 0, and labels."""
    x, y = scores_and_labels(seed, shape, scale=3.0, offset=1000.0)
    x[0] = 0.0
    x[0, 0] = 1000.0
    y[0] = 1
    return x, y


def compare_large_logits(got, expected, reveal=True):
    """compare_close, after naming the cause of a loss that is not finite for large scores: the probabilities in
    dx are right (each row of dx sums to 0) but the log of one underflowed, or np.exp overflowed."""
    loss, dx = got.get("loss"), got.get("dx")
    if loss is not None and loss.size == 1 and not np.isfinite(loss).all():
        rows_sum_to_zero = dx is not None and dx.ndim == 2 and np.all(np.isfinite(dx)) and \
            np.allclose(dx.sum(axis=1), 0, atol=1e-6 / max(len(dx), 1))
        if rows_sum_to_zero:
            return False, (f"loss is {loss.item()}: log of an underflowed probability (exp(-1000) is 0 in floating "
                           "point): compute the log-probabilities as shifted - log(sum(exp(shifted))) instead of "
                           "np.log of the probabilities")
        return False, (f"loss is {loss.item()} and the probabilities in dx do not sum to 1: np.exp overflowed; "
                       "subtract each row's maximum before np.exp")
    return compare_close()(got, expected, reveal)


@register("layers.svm_loss.notebook_case", hint=HINT_SVM,
          case="seed 231, x (50, 10) = 0.001 * randn, y (50,)")
def _svm_loss_notebook_case(lib):
    loss, dx = lib.layers.svm_loss(*notebook_scores())
    return {"loss": loss, "dx": dx}


@register("layers.svm_loss.mixed_margins_inputs_unmodified", hint=HINT_SVM,
          case="x (6, 4) = 2 * randn (margins both positive and negative); x and y must be left unmodified")
def _svm_loss_mixed_margins(lib):
    return loss_cases(lib.layers.svm_loss, "svm_loss", *scores_and_labels(9, (6, 4), scale=2.0))


@register("layers.softmax_loss.notebook_case", hint=HINT_SOFTMAX,
          case="seed 231, x (50, 10) = 0.001 * randn, y (50,)")
def _softmax_loss_notebook_case(lib):
    loss, dx = lib.layers.softmax_loss(*notebook_scores())
    return {"loss": loss, "dx": dx}


@register("layers.softmax_loss.large_logits", hint=HINT_SOFTMAX, compare=compare_large_logits,
          case="x (4, 5) = 1000 + 3 * randn and a row [1000, 0, 0, 0, 0] with label 1: np.exp overflows without "
               "the shift, and p underflows to 0 for that row")
def _softmax_loss_large_logits(lib):
    x, y = large_logits(10, (4, 5))
    loss, dx = lib.layers.softmax_loss(x, y)
    return {"loss": loss, "dx": dx}


@register("layers.softmax_loss.other_shape_inputs_unmodified", hint=HINT_SOFTMAX,
          case="x (3, 8) = randn; x and y must be left unmodified")
def _softmax_loss_other_shape(lib):
    return loss_cases(lib.layers.softmax_loss, "softmax_loss", *scores_and_labels(11, (3, 8)))
