import numpy as np
import pytest

from course_lib.classifiers import FullyConnectedNet, TwoLayerNet
from course_lib.gradient_check import eval_numerical_gradient, rel_error


def assert_gradients_match_numeric(model, X, y):
    """Compare every analytic gradient of model.loss with a centered-difference one.

    An elementwise tolerance (rtol 1e-5, atol 1e-7) rather than rel_error alone: gradients that are exactly zero
    in theory (biases feeding batchnorm) come out as noise near 1e-11 numerically, which rel_error blows up.
    """
    _, grads = model.loss(X, y)
    assert set(grads) == set(model.params)
    for name in sorted(model.params):
        numeric = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params[name], verbose=False, h=1e-5)
        assert grads[name].shape == model.params[name].shape, name
        assert np.allclose(grads[name], numeric, rtol=1e-5, atol=1e-7), (
            f"{name}: rel_error {rel_error(grads[name], numeric):.2e}, "
            f"max abs difference {np.max(np.abs(grads[name] - numeric)):.2e}"
        )


def test_two_layer_net_draws_weights_with_weight_scale_and_zero_biases():
    np.random.seed(0)
    model = TwoLayerNet(input_dim=50, hidden_dim=40, num_classes=10, weight_scale=1e-2)
    assert model.params["W1"].shape == (50, 40) and model.params["W2"].shape == (40, 10)
    assert np.all(model.params["b1"] == 0) and model.params["b1"].shape == (40,)
    assert np.all(model.params["b2"] == 0) and model.params["b2"].shape == (10,)
    assert abs(model.params["W1"].std() - 1e-2) < 1e-3
    assert abs(model.params["W2"].std() - 1e-2) < 2e-3


@pytest.fixture
def two_layer_net_with_published_params():
    N, D, H, C = 3, 5, 50, 7
    np.random.seed(231)
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=1e-2)
    model.params["W1"] = np.linspace(-0.7, 0.3, num=D * H).reshape(D, H)
    model.params["b1"] = np.linspace(-0.1, 0.9, num=H)
    model.params["W2"] = np.linspace(-0.3, 0.4, num=H * C).reshape(H, C)
    model.params["b2"] = np.linspace(-0.9, 0.1, num=C)
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    return model, X


def test_two_layer_net_test_time_scores_match_the_published_values(two_layer_net_with_published_params):
    model, X = two_layer_net_with_published_params
    correct_scores = np.asarray([
        [11.53165108, 12.2917344, 13.05181771, 13.81190102, 14.57198434, 15.33206765, 16.09215096],
        [12.05769098, 12.74614105, 13.43459113, 14.1230412, 14.81149128, 15.49994135, 16.18839143],
        [12.58373087, 13.20054771, 13.81736455, 14.43418138, 15.05099822, 15.66781506, 16.2846319],
    ])
    assert rel_error(model.loss(X), correct_scores) < 1e-6


@pytest.mark.parametrize("reg, published_loss", [(0.0, 3.4702243556), (1.0, 26.5948426952)])
def test_two_layer_net_training_loss_matches_the_published_values(two_layer_net_with_published_params, reg,
                                                                  published_loss):
    model, X = two_layer_net_with_published_params
    model.reg = reg
    loss, _ = model.loss(X, np.asarray([0, 5, 1]))
    assert rel_error(loss, published_loss) < 1e-10


@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_two_layer_net_gradients_match_numeric_gradients(reg):
    np.random.seed(231)
    N, D, H, C = 3, 5, 50, 7
    X = np.random.randn(N, D)
    y = np.random.randint(C, size=N)
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=1e-1, reg=reg)
    assert_gradients_match_numeric(model, X, y)


def test_fully_connected_net_initial_losses_match_the_published_values():
    """The notebook builds one net per reg in a loop, so the second net's weights follow the first's draws."""
    np.random.seed(231)
    N, D, H1, H2, C = 2, 15, 20, 30, 10
    X = np.random.randn(N, D)
    y = np.random.randint(C, size=(N,))
    for reg, published in [(0, 2.3004790897684924), (3.14, 7.052114776533016)]:
        model = FullyConnectedNet([H1, H2], input_dim=D, num_classes=C, reg=reg, weight_scale=5e-2, dtype=np.float64)
        loss, _ = model.loss(X, y)
        assert rel_error(loss, published) < 1e-10, reg


def test_fully_connected_net_draws_weights_in_layer_order_and_casts_to_dtype():
    np.random.seed(7)
    model = FullyConnectedNet([4, 3], input_dim=6, num_classes=2, weight_scale=0.5, normalization="batchnorm")
    np.random.seed(7)
    expected_W1 = 0.5 * np.random.randn(6, 4)
    expected_W2 = 0.5 * np.random.randn(4, 3)
    expected_W3 = 0.5 * np.random.randn(3, 2)
    assert rel_error(model.params["W1"], expected_W1) < 1e-6
    assert rel_error(model.params["W2"], expected_W2) < 1e-6
    assert rel_error(model.params["W3"], expected_W3) < 1e-6
    assert sorted(model.params) == ["W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    assert all(value.dtype == np.float32 for value in model.params.values())
    assert np.all(model.params["gamma2"] == 1) and np.all(model.params["beta2"] == 0)
    assert np.all(model.params["b3"] == 0) and model.params["b3"].shape == (2,)
    assert model.bn_params == [{"mode": "train"}, {"mode": "train"}]


def test_fully_connected_net_sets_dropout_param_from_keep_ratio_and_seed():
    model = FullyConnectedNet([5], input_dim=4, dropout_keep_ratio=0.25, seed=123)
    assert model.dropout_param == {"mode": "train", "p": 0.25, "seed": 123}
    assert FullyConnectedNet([5], input_dim=4, dropout_keep_ratio=0.25).dropout_param == {"mode": "train", "p": 0.25}
    assert FullyConnectedNet([5], input_dim=4).dropout_param == {}


def test_fully_connected_net_adds_half_reg_times_squared_weights_to_the_loss():
    np.random.seed(0)
    X, y = np.random.randn(4, 6), np.array([0, 1, 2, 1])
    model = FullyConnectedNet([5, 5], input_dim=6, num_classes=3, weight_scale=0.3, dtype=np.float64,
                              normalization="layernorm")
    unregularized, _ = model.loss(X, y)
    model.reg = 2.5
    regularized, _ = model.loss(X, y)
    squared_weights = sum(np.sum(model.params[f"W{layer}"] ** 2) for layer in (1, 2, 3))
    assert rel_error(regularized, unregularized + 0.5 * 2.5 * squared_weights) < 1e-12


CONFIGURATIONS = [
    pytest.param(dict(reg=0.0), id="plain-reg0"),
    pytest.param(dict(reg=3.14), id="plain-reg3.14"),
    pytest.param(dict(reg=0.0, normalization="batchnorm"), id="batchnorm-reg0"),
    pytest.param(dict(reg=3.14, normalization="batchnorm"), id="batchnorm-reg3.14"),
    pytest.param(dict(reg=0.0, normalization="layernorm"), id="layernorm-reg0"),
    pytest.param(dict(reg=3.14, normalization="layernorm"), id="layernorm-reg3.14"),
    pytest.param(dict(reg=0.0, dropout_keep_ratio=0.5, seed=123), id="dropout-reg0"),
    pytest.param(dict(reg=3.14, dropout_keep_ratio=0.5, seed=123, normalization="batchnorm"),
                 id="dropout-batchnorm-reg3.14"),
]


@pytest.mark.parametrize("options", CONFIGURATIONS)
def test_fully_connected_net_gradients_match_numeric_gradients(options):
    np.random.seed(231)
    # Six examples, not two: batchnorm over a batch of two maps every feature to +-1 and hides most gradients.
    N, D, H1, H2, C = 6, 8, 10, 12, 5
    X = np.random.randn(N, D)
    y = np.random.randint(C, size=(N,))
    model = FullyConnectedNet([H1, H2], input_dim=D, num_classes=C, weight_scale=5e-2, dtype=np.float64, **options)
    assert_gradients_match_numeric(model, X, y)


@pytest.mark.parametrize(
    "options",
    [dict(), dict(normalization="batchnorm"), dict(normalization="layernorm"), dict(dropout_keep_ratio=0.5)],
    ids=["plain", "batchnorm", "layernorm", "dropout"],
)
def test_fully_connected_net_test_mode_scores_each_example_on_its_own(options):
    np.random.seed(0)
    X = np.random.randn(6, 3, 2, 2)
    y = np.random.randint(4, size=6)
    model = FullyConnectedNet([7, 5], input_dim=12, num_classes=4, weight_scale=0.3, dtype=np.float64, **options)
    for _ in range(3):
        model.loss(X, y)  # training steps fill batchnorm's running statistics
    batch_scores = model.loss(X)
    assert batch_scores.shape == (6, 4)
    single_scores = np.concatenate([model.loss(X[i:i + 1]) for i in range(6)])
    assert rel_error(batch_scores, single_scores) < 1e-12
    assert rel_error(model.loss(X), batch_scores) < 1e-12


def test_fully_connected_net_batchnorm_test_mode_uses_running_statistics_not_the_batch():
    np.random.seed(1)
    X = 3 + 2 * np.random.randn(8, 5)
    model = FullyConnectedNet([4], input_dim=5, num_classes=3, normalization="batchnorm", dtype=np.float64)
    model.loss(X, np.zeros(8, dtype=int))
    assert model.bn_params[0]["mode"] == "train"
    model.loss(X)
    assert model.bn_params[0]["mode"] == "test"
    assert "running_mean" in model.bn_params[0] and "running_var" in model.bn_params[0]


@pytest.mark.parametrize("model_factory", [
    lambda: TwoLayerNet(input_dim=6, hidden_dim=4, num_classes=3, weight_scale=0.1),
    lambda: FullyConnectedNet([4, 4], input_dim=6, num_classes=3, normalization="batchnorm",
                              dropout_keep_ratio=0.5, dtype=np.float64),
], ids=["two-layer", "fully-connected"])
def test_models_do_not_modify_x(model_factory):
    np.random.seed(2)
    X = np.random.randn(5, 6)
    X_before = X.copy()
    model = model_factory()
    model.loss(X, np.array([0, 1, 2, 0, 1]))
    model.loss(X)
    assert np.array_equal(X, X_before)


def test_fully_connected_net_without_hidden_layers_is_softmax_regression():
    np.random.seed(3)
    X, y = np.random.randn(4, 6), np.array([0, 1, 2, 1])
    model = FullyConnectedNet([], input_dim=6, num_classes=3, weight_scale=0.1, dtype=np.float64)
    assert sorted(model.params) == ["W1", "b1"]
    assert rel_error(model.loss(X), X @ model.params["W1"]) < 1e-12
    assert_gradients_match_numeric(model, X, y)


def test_fully_connected_net_rejects_an_unknown_normalization_naming_the_allowed_ones():
    allowed = r"\(None, 'batchnorm', 'layernorm'\)"
    with pytest.raises(ValueError, match=rf"normalization must be one of {allowed}, got 'groupnorm'"):
        FullyConnectedNet([10], normalization="groupnorm")


@pytest.mark.parametrize("keep_ratio", [0, -0.5, 1.5])
def test_fully_connected_net_rejects_a_keep_ratio_outside_zero_one(keep_ratio):
    with pytest.raises(ValueError, match="dropout_keep_ratio"):
        FullyConnectedNet([10], dropout_keep_ratio=keep_ratio)


def test_fully_connected_net_rejects_labels_that_do_not_match_x():
    model = FullyConnectedNet([3], input_dim=4, num_classes=3)
    with pytest.raises(ValueError, match=r"FullyConnectedNet.loss: y must have shape \(N,\) = \(2,\)"):
        model.loss(np.zeros((2, 4)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"labels in y must lie in \[0, 3\)"):
        model.loss(np.zeros((2, 4)), np.array([0, 3]))
