"""Numeric gradients by centered differences, and the relative error used to compare them with analytic ones.

Each function perturbs one entry of x in place, evaluates f, and puts the entry back, so x holds exactly its
original values afterwards (also when f raises).
"""
import numpy as np


def rel_error(x, y):
    """Largest elementwise relative error max(|x - y| / max(1e-8, |x| + |y|)) between two arrays (or scalars)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def _require_float_array(caller, x):
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{caller}: x must be a numpy array (it is perturbed in place), got {type(x).__name__}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{caller}: x must be a floating-point array (it is perturbed by h), got dtype {x.dtype}")


def _centered_difference(f, x, index, h):
    """Return (f(x + h e_index), f(x - h e_index)) as copies, restoring x[index] afterwards."""
    original = x[index]
    try:
        x[index] = original + h
        f_plus = np.array(f(x), dtype=float)
        x[index] = original - h
        f_minus = np.array(f(x), dtype=float)
    finally:
        x[index] = original
    return f_plus, f_minus


def eval_numerical_gradient(f, x, verbose=True, h=1e-5):
    """Numeric gradient of a scalar function f at x, by centered differences (f(x + h) - f(x - h)) / (2h).

    Inputs:
    - f: function taking an array shaped like x and returning a scalar
    - x: floating-point array, the point to evaluate the gradient at (restored after each perturbation)
    - verbose: print each index and its gradient entry
    - h: step size

    Returns:
    - grad: array of x's shape (float64), grad[i] ~ df/dx[i]
    """
    _require_float_array("eval_numerical_gradient", x)
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(x.shape):
        f_plus, f_minus = _centered_difference(f, x, index, h)
        grad[index] = (f_plus - f_minus) / (2 * h)
        if verbose:
            print(index, grad[index])
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numeric gradient of sum(f(x) * df) at x: the chain rule through an array-valued f with upstream df.

    Inputs:
    - f: function taking an array shaped like x and returning an array shaped like df
    - x: floating-point array, the point to evaluate the gradient at (restored after each perturbation)
    - df: upstream derivative, the shape of f(x)
    - h: step size

    Returns:
    - grad: array of x's shape (float64)
    """
    _require_float_array("eval_numerical_gradient_array", x)
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(x.shape):
        f_plus, f_minus = _centered_difference(f, x, index, h)
        if f_plus.shape != np.shape(df):
            raise ValueError(
                f"eval_numerical_gradient_array: df must have the shape of f(x), {f_plus.shape}, got {np.shape(df)}"
            )
        grad[index] = np.sum((f_plus - f_minus) * df) / (2 * h)
    return grad


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5):
    """Compare an analytic gradient with numeric ones at num_checks random entries of x; print each comparison.

    Inputs:
    - f: function taking an array shaped like x and returning a scalar
    - x: floating-point array (restored after each perturbation)
    - analytic_grad: array of x's shape, the gradient to check
    - num_checks: number of random entries to compare (drawn with np.random)
    - h: step size

    Returns:
    - errors: (num_checks,) relative error at each checked entry
    """
    _require_float_array("grad_check_sparse", x)
    if np.shape(analytic_grad) != x.shape:
        raise ValueError(
            f"grad_check_sparse: analytic_grad must have x's shape {x.shape}, got {np.shape(analytic_grad)}"
        )
    errors = np.zeros(num_checks)
    for check in range(num_checks):
        index = tuple(np.random.randint(size) for size in x.shape)
        f_plus, f_minus = _centered_difference(f, x, index, h)
        numeric = float((f_plus - f_minus) / (2 * h))
        analytic = float(analytic_grad[index])
        errors[check] = rel_error(numeric, analytic)
        print(f"numerical: {numeric:f} analytic: {analytic:f}, relative error: {errors[check]:e}")
    return errors
