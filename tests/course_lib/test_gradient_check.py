import numpy as np
import pytest

from course_lib.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    grad_check_sparse,
    rel_error,
)


def test_rel_error_is_zero_for_equal_arrays_and_the_worst_entry_otherwise():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(1 / 5)
    assert rel_error(3.0, 1.0) == pytest.approx(0.5)


def test_rel_error_floors_the_denominator_at_1e_minus_8():
    assert rel_error(np.array([0.0]), np.array([1e-12])) == pytest.approx(1e-4)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


def _quadratic(matrix, vector):
    """f(x) = x^T A x / 2 + v^T x, whose gradient is (A + A^T) x / 2 + v."""
    return lambda x: 0.5 * x.ravel() @ matrix @ x.ravel() + vector @ x.ravel()


def test_eval_numerical_gradient_of_a_quadratic_equals_the_analytic_gradient():
    rng = np.random.default_rng(0)
    matrix, vector = rng.standard_normal((6, 6)), rng.standard_normal(6)
    x = rng.standard_normal((2, 3))

    grad = eval_numerical_gradient(_quadratic(matrix, vector), x, verbose=False)

    expected = ((matrix + matrix.T) @ x.ravel() / 2 + vector).reshape(2, 3)
    assert grad.shape == x.shape
    assert rel_error(grad, expected) < 1e-8


def test_eval_numerical_gradient_leaves_x_exactly_as_it_was():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    original = x.copy()
    eval_numerical_gradient(lambda x_: np.sum(np.sin(x_) * 1e3), x, verbose=False, h=0.1)
    np.testing.assert_array_equal(x, original)


def test_eval_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def failing(x_):
        if x_[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError, match="boom"):
        eval_numerical_gradient(failing, x, verbose=False)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_eval_numerical_gradient_prints_each_entry_when_verbose(capsys):
    eval_numerical_gradient(lambda x_: np.sum(x_**2), np.array([1.0, 2.0]), verbose=True)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2
    assert printed[1].startswith("(1,)") and float(printed[1].split()[-1]) == pytest.approx(4.0)


def test_eval_numerical_gradient_array_applies_the_chain_rule_with_df():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4))
    weights = rng.standard_normal((4, 2))
    df = rng.standard_normal((3, 2))
    original = x.copy()

    grad = eval_numerical_gradient_array(lambda x_: x_ @ weights, x, df)

    assert rel_error(grad, df @ weights.T) < 1e-8
    np.testing.assert_array_equal(x, original)


def test_eval_numerical_gradient_array_copes_with_f_returning_a_view_of_x():
    x = np.array([1.0, -2.0, 3.0])
    df = np.array([1.0, 2.0, 3.0])
    grad = eval_numerical_gradient_array(lambda x_: x_, x, df)
    np.testing.assert_allclose(grad, df, rtol=1e-8)


def test_eval_numerical_gradient_array_rejects_df_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"df must have the shape of f\(x\), \(2,\)"):
        eval_numerical_gradient_array(lambda x_: 2 * x_, np.ones(2), np.ones(3))


@pytest.mark.parametrize("x", [np.arange(3), [1.0, 2.0]])
def test_numeric_gradients_reject_x_that_cannot_be_perturbed_in_place(x):
    with pytest.raises(ValueError, match="eval_numerical_gradient: x must be a"):
        eval_numerical_gradient(np.sum, x, verbose=False)


def test_grad_check_sparse_returns_small_errors_for_a_correct_gradient(capsys):
    np.random.seed(0)
    x = np.random.randn(5, 4)
    original = x.copy()

    errors = grad_check_sparse(lambda x_: np.sum(x_**3), x, 3 * x**2, num_checks=7)

    assert errors.shape == (7,)
    assert np.all(errors < 1e-8)
    np.testing.assert_array_equal(x, original)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 and all(line.startswith("numerical: ") and "relative error: " in line for line in lines)


def test_grad_check_sparse_reports_large_errors_for_a_wrong_gradient(capsys):
    np.random.seed(0)
    x = np.random.randn(5, 4) + 10
    errors = grad_check_sparse(lambda x_: np.sum(x_**3), x, 2 * x**2, num_checks=3)
    assert np.all(errors == pytest.approx(0.2, rel=1e-6))  # |3 - 2| / (3 + 2)
    capsys.readouterr()


def test_grad_check_sparse_rejects_a_gradient_of_another_shape():
    with pytest.raises(ValueError, match=r"analytic_grad must have x's shape \(2, 2\)"):
        grad_check_sparse(np.sum, np.ones((2, 2)), np.ones(4))
