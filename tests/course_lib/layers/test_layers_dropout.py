import numpy as np
import pytest

from course_lib.gradient_check import eval_numerical_gradient_array, rel_error
from course_lib.layers import dropout_backward, dropout_forward


@pytest.mark.parametrize("keep_prob", [0.25, 0.4, 0.7, 0.8])
def test_dropout_keeps_a_fraction_p_and_preserves_the_mean(keep_prob, rng):
    x = rng.standard_normal((500, 500)) + 10

    out_train, _ = dropout_forward(x, {"mode": "train", "p": keep_prob, "seed": 123})
    out_test, _ = dropout_forward(x, {"mode": "test", "p": keep_prob})

    assert np.mean(out_train != 0) == pytest.approx(keep_prob, abs=0.01)
    assert out_train.mean() == pytest.approx(x.mean(), rel=0.01)
    np.testing.assert_array_equal(out_test, x)


def test_dropout_mask_is_the_documented_draw_scaled_by_one_over_p(rng):
    x = rng.standard_normal((4, 5))
    keep_prob = 0.6

    out, (cached_param, mask) = dropout_forward(x, {"mode": "train", "p": keep_prob, "seed": 7})

    np.random.seed(7)
    expected_mask = (np.random.rand(4, 5) < keep_prob) / keep_prob
    np.testing.assert_array_equal(mask, expected_mask)
    np.testing.assert_array_equal(out, x * expected_mask)
    assert cached_param == {"mode": "train", "p": keep_prob, "seed": 7}


def test_dropout_with_the_same_seed_gives_the_same_mask(rng):
    x = rng.standard_normal((3, 6))
    first, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 1})
    second, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 1})
    third, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 2})
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, third)


def test_dropout_with_p_one_is_the_identity_in_train_mode(rng):
    x = rng.standard_normal((3, 4))
    out, _ = dropout_forward(x, {"mode": "train", "p": 1.0})
    np.testing.assert_array_equal(out, x)


def test_dropout_backward_matches_numeric_gradient(rng):
    x = rng.standard_normal((10, 10)) + 10
    dout = rng.standard_normal(x.shape)
    dropout_param = {"mode": "train", "p": 0.2, "seed": 123}

    dx_num = eval_numerical_gradient_array(lambda x_: dropout_forward(x_, dropout_param)[0], x, dout)
    dx = dropout_backward(dout, dropout_forward(x, dropout_param)[1])

    assert rel_error(dx, dx_num) < 1e-10


def test_dropout_backward_in_test_mode_passes_dout_through(rng):
    dout = rng.standard_normal((3, 4))
    _, cache = dropout_forward(rng.standard_normal((3, 4)), {"mode": "test", "p": 0.3})
    dx = dropout_backward(dout, cache)
    np.testing.assert_array_equal(dx, dout)
    assert dx is not dout


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["train", "test"])
def test_dropout_preserves_dtype(dtype, mode, rng):
    x = rng.standard_normal((4, 5)).astype(dtype)
    out, cache = dropout_forward(x, {"mode": mode, "p": 0.3, "seed": 0})
    dx = dropout_backward(np.ones_like(x), cache)
    assert out.dtype == dtype and dx.dtype == dtype


@pytest.mark.parametrize("mode", ["train", "test"])
def test_dropout_does_not_modify_inputs(mode, call_without_mutation, rng):
    x = rng.standard_normal((4, 5))
    out, cache = call_without_mutation(dropout_forward, x, {"mode": mode, "p": 0.5, "seed": 3})
    call_without_mutation(dropout_backward, rng.standard_normal(out.shape), cache)


@pytest.mark.parametrize("keep_prob", [0, -0.1, 1.5, "0.5", None])
def test_dropout_rejects_p_outside_zero_one(keep_prob):
    with pytest.raises(ValueError, match=r"dropout_forward: dropout_param\['p'\] is the probability of keeping"):
        dropout_forward(np.ones((2, 2)), {"mode": "train", "p": keep_prob})


@pytest.mark.parametrize(
    ("dropout_param", "message"),
    [
        ({"mode": "train"}, "dropout_param must contain the key 'p'"),
        ({"p": 0.5}, "dropout_param must contain the key 'mode'"),
        ({"p": 0.5, "mode": "eval"}, r"dropout_param\['mode'\] must be one of \('train', 'test'\), got 'eval'"),
    ],
)
def test_dropout_rejects_missing_keys_and_unknown_mode(dropout_param, message):
    with pytest.raises(ValueError, match=f"dropout_forward: {message}"):
        dropout_forward(np.ones((2, 2)), dropout_param)


def test_dropout_rejects_integer_input():
    with pytest.raises(ValueError, match="dropout_forward: x must be a floating-point array"):
        dropout_forward(np.ones((2, 2), dtype=int), {"mode": "train", "p": 0.5})


def test_dropout_backward_rejects_dout_of_another_shape():
    _, cache = dropout_forward(np.ones((2, 3)), {"mode": "train", "p": 0.5, "seed": 0})
    with pytest.raises(ValueError, match=r"dropout_backward: dout must have shape \(2, 3\)"):
        dropout_backward(np.ones((3, 2)), cache)
