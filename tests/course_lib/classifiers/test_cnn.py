import numpy as np
import pytest

from course_lib.classifiers import ThreeLayerConvNet
from course_lib.gradient_check import eval_numerical_gradient, rel_error


def test_three_layer_conv_net_has_cs231n_parameter_shapes_and_draw_order():
    np.random.seed(5)
    model = ThreeLayerConvNet(input_dim=(3, 8, 6), num_filters=4, filter_size=3, hidden_dim=7, num_classes=5,
                              weight_scale=0.1)
    np.random.seed(5)
    expected_W1 = 0.1 * np.random.randn(4, 3, 3, 3)
    expected_W2 = 0.1 * np.random.randn(4 * 4 * 3, 7)
    expected_W3 = 0.1 * np.random.randn(7, 5)
    assert rel_error(model.params["W1"], expected_W1) < 1e-6
    assert rel_error(model.params["W2"], expected_W2) < 1e-6
    assert rel_error(model.params["W3"], expected_W3) < 1e-6
    for name, size in (("b1", 4), ("b2", 7), ("b3", 5)):
        assert model.params[name].shape == (size,) and np.all(model.params[name] == 0)
    assert all(value.dtype == np.float32 for value in model.params.values())


def test_three_layer_conv_net_initial_loss_is_about_log_of_the_number_of_classes():
    np.random.seed(231)
    X = np.random.randn(10, 3, 32, 32)
    y = np.random.randint(10, size=10)
    model = ThreeLayerConvNet(num_filters=8, hidden_dim=20)
    loss, grads = model.loss(X, y)
    assert abs(loss - np.log(10)) < 0.02
    assert sorted(grads) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert all(grads[name].shape == model.params[name].shape for name in grads)


def test_three_layer_conv_net_loss_grows_with_regularization():
    np.random.seed(231)
    X = np.random.randn(4, 3, 16, 16)
    y = np.random.randint(10, size=4)
    model = ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=4, hidden_dim=10, weight_scale=1e-2,
                              dtype=np.float64)
    loss_without_reg, _ = model.loss(X, y)
    model.reg = 0.5
    loss_with_reg, _ = model.loss(X, y)
    squared_weights = sum(np.sum(model.params[name] ** 2) for name in ("W1", "W2", "W3"))
    assert loss_with_reg > loss_without_reg
    assert rel_error(loss_with_reg, loss_without_reg + 0.25 * squared_weights) < 1e-12


@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_three_layer_conv_net_gradients_match_numeric_gradients(reg):
    np.random.seed(231)
    num_inputs, input_dim, num_classes = 2, (2, 6, 6), 10
    X = np.random.randn(num_inputs, *input_dim)
    y = np.random.randint(num_classes, size=num_inputs)
    model = ThreeLayerConvNet(num_filters=3, filter_size=3, input_dim=input_dim, hidden_dim=6, reg=reg,
                              weight_scale=1e-1, dtype=np.float64)
    _, grads = model.loss(X, y)
    for name in sorted(model.params):
        numeric = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params[name], verbose=False, h=1e-6)
        assert np.allclose(grads[name], numeric, rtol=1e-5, atol=1e-7), (
            f"{name}: rel_error {rel_error(grads[name], numeric):.2e}"
        )


def test_three_layer_conv_net_scores_each_example_on_its_own_and_keeps_x():
    np.random.seed(0)
    X = np.random.randn(3, 1, 6, 6)
    X_before = X.copy()
    model = ThreeLayerConvNet(input_dim=(1, 6, 6), num_filters=2, filter_size=3, hidden_dim=5, num_classes=4,
                              weight_scale=0.5, dtype=np.float64)
    scores = model.loss(X)
    assert scores.shape == (3, 4)
    assert rel_error(scores, np.concatenate([model.loss(X[i:i + 1]) for i in range(3)])) < 1e-12
    assert np.array_equal(X, X_before)


def test_three_layer_conv_net_overfits_a_small_batch():
    np.random.seed(231)
    X = np.random.randn(10, 3, 8, 8)
    y = np.arange(10)
    model = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=6, filter_size=3, hidden_dim=30, weight_scale=1e-1,
                              dtype=np.float64)
    for _ in range(60):
        loss, grads = model.loss(X, y)
        for name in model.params:
            model.params[name] -= 0.1 * grads[name]
    assert np.mean(np.argmax(model.loss(X), axis=1) == y) == 1.0


def test_three_layer_conv_net_rejects_an_even_filter_size():
    with pytest.raises(ValueError, match="filter_size must be odd"):
        ThreeLayerConvNet(filter_size=4)


def test_three_layer_conv_net_rejects_inputs_that_are_not_four_dimensional():
    model = ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=2, filter_size=3, hidden_dim=3)
    with pytest.raises(ValueError, match=r"X must have shape \(N, C, H, W\)"):
        model.loss(np.zeros((2, 16)))
