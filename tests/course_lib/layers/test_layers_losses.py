import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient, rel_error
from course_lib.layers import softmax_loss, svm_loss


def _published_scores():
    np.random.seed(231)
    num_classes, num_inputs = 10, 50
    x = 0.001 * np.random.randn(num_inputs, num_classes)
    y = np.random.randint(num_classes, size=num_inputs)
    return x, y


def test_svm_loss_matches_published_value():
    x, y = _published_scores()
    loss, _ = svm_loss(x, y)
    assert rel_error(loss, 8.999602749096233) < 1e-6


def test_softmax_loss_matches_published_value():
    x, y = _published_scores()
    loss, _ = softmax_loss(x, y)
    assert rel_error(loss, 2.3025458445007376) < 1e-6


@pytest.mark.parametrize("loss_function", [svm_loss, softmax_loss])
def test_loss_gradient_matches_numeric_gradient(loss_function):
    x, y = _published_scores()
    dx_num = eval_numerical_gradient(lambda x_: loss_function(x_, y)[0], x, verbose=False)
    _, dx = loss_function(x, y)
    assert dx.shape == x.shape
    assert rel_error(dx, dx_num) < 1e-8


def test_svm_loss_on_a_hand_computed_example():
    x = np.array([[3.0, 1.0, 2.5], [0.0, 2.0, 1.5]])
    y = np.array([0, 2])
    # example 0: max(0, 1 - 3 + 1) + max(0, 2.5 - 3 + 1) = 0 + 0.5; example 1: max(0, 0 - 1.5 + 1) + max(0, 2 - 1.5 + 1)
    loss, dx = svm_loss(x, y)
    assert loss == pytest.approx((0.5 + 0.0 + 1.5) / 2)
    np.testing.assert_allclose(dx, [[-0.5, 0.0, 0.5], [0.0, 0.5, -0.5]])


def test_softmax_loss_is_finite_and_correct_for_large_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0]])
    y = np.array([1, 2])
    loss, dx = softmax_loss(x, y)

    # log-sum-exp of row 1 is 1000 + log(2 + e^-1); row 0 puts all mass on class 0
    expected_loss = (1000.0 + (np.log(2 + np.exp(-1.0)) + 1.0)) / 2
    probs_row1 = np.array([1.0, 1.0, np.exp(-1.0)]) / (2 + np.exp(-1.0))
    expected_dx = np.array([[1.0, -1.0, 0.0], probs_row1 - [0.0, 0.0, 1.0]]) / 2
    assert np.isfinite(loss) and np.all(np.isfinite(dx))
    assert rel_error(loss, expected_loss) < 1e-12
    assert rel_error(dx, expected_dx) < 1e-12


@pytest.mark.parametrize("loss_function", [svm_loss, softmax_loss])
def test_loss_gradient_rows_of_softmax_and_svm_sum_to_zero(loss_function, rng):
    x = rng.standard_normal((7, 5))
    y = rng.integers(5, size=7)
    _, dx = loss_function(x, y)
    np.testing.assert_allclose(dx.sum(axis=1), 0, atol=1e-15)


@pytest.mark.parametrize("loss_function", [svm_loss, softmax_loss])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_preserves_dtype(loss_function, dtype, rng):
    x = rng.standard_normal((6, 4)).astype(dtype)
    y = rng.integers(4, size=6)
    loss, dx = loss_function(x, y)
    assert dx.dtype == dtype
    assert np.asarray(loss).dtype == dtype


@pytest.mark.parametrize("loss_function", [svm_loss, softmax_loss])
def test_loss_does_not_modify_inputs(loss_function, call_without_mutation, rng):
    x = rng.standard_normal((6, 4))
    y = rng.integers(4, size=6)
    call_without_mutation(loss_function, x, y)


@pytest.mark.parametrize("loss_function", [svm_loss, softmax_loss])
@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.zeros(3), np.zeros(3, dtype=int), "x must have 2 dimensions"),
        (np.zeros((3, 4)), np.zeros(2, dtype=int), r"y must have shape \(3,\)"),
        (np.zeros((3, 4)), np.zeros(3), "y must hold integer class labels"),
        (np.zeros((3, 4)), np.array([0, 4, 1]), r"y must hold labels in \[0, 4\)"),
        (np.zeros((0, 4)), np.zeros(0, dtype=int), "x must hold at least one example"),
    ],
)
def test_loss_rejects_bad_scores_or_labels(loss_function, x, y, message):
    with pytest.raises(ValueError, match=f"{loss_function.__name__}: {message}"):
        loss_function(x, y)
