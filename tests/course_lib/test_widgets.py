import ipywidgets
import numpy as np
import pytest
from sklearn.datasets import load_digits

from course_lib import widgets
from course_lib.solver import Solver


@pytest.fixture(scope="module")
def digits_data():
    digits = load_digits()
    X = digits.data / 16.0 - 0.5
    return {"X_train": X[:300], "y_train": digits.target[:300], "X_val": X[300:400], "y_val": digits.target[300:400]}


FAST = {"hidden_dims": (20,), "num_epochs": 2, "batch_size": 50}


def test_tests_run_outside_a_widget_kernel():
    assert widgets.in_widget_kernel() is False


def test_live_plot_callback_without_a_frontend_draws_once_when_training_ends(digits_data):
    callback = widgets.LivePlotCallback()
    assert callback.live is False
    solver = widgets.train_with({**FAST, "num_epochs": 3}, digits_data, callbacks=[callback])
    assert callback.redraws == 1
    loss_ax, acc_ax = callback.figure.axes
    assert list(loss_ax.lines[0].get_ydata()) == solver.loss_history
    assert list(acc_ax.lines[1].get_ydata()) == solver.val_acc_history


def test_live_plot_callback_in_live_mode_redraws_during_training_and_shows_its_output_once(digits_data, monkeypatch):
    displayed = []
    monkeypatch.setattr(widgets, "display", displayed.append)
    callback = widgets.LivePlotCallback(update_every=3, live=True)
    lengths = []
    original_draw = callback.draw

    def recording_draw(solver):
        lengths.append(len(solver.loss_history))
        return original_draw(solver)

    monkeypatch.setattr(callback, "draw", recording_draw)
    widgets.train_with(FAST, digits_data, callbacks=[callback])
    # 2 epochs of 6 iterations: iterations 3, 6, 9, 12 and the checks after iterations 1, 6 and 12.
    assert lengths == [1, 3, 6, 6, 9, 12, 12]
    assert displayed == [callback.output]
    assert isinstance(callback.output, ipywidgets.Output)


def test_live_plot_callback_rejects_a_non_positive_update_interval():
    with pytest.raises(ValueError, match="update_every must be a positive integer, got 0"):
        widgets.LivePlotCallback(update_every=0)


def test_train_with_builds_the_requested_network_and_is_reproducible_with_a_seed(digits_data):
    params = {**FAST, "normalization": "layernorm", "dropout_keep_ratio": 0.9, "num_train": 100, "seed": 3}
    first = widgets.train_with(params, digits_data)
    second = widgets.train_with(params, digits_data)
    assert isinstance(first, Solver)
    assert first.model.params["W1"].shape == (64, 20) and "gamma1" in first.model.params
    assert first.model.dropout_param["p"] == 0.9
    assert first.X_train.shape == (100, 64)
    assert first.loss_history == second.loss_history
    assert len(first.loss_history) == 2 * 2


def test_train_with_learns_the_digits(digits_data):
    solver = widgets.train_with({**FAST, "num_epochs": 5, "learning_rate": 1e-2, "weight_scale": 0.1}, digits_data)
    assert solver.best_val_acc > 0.7  # chance is 0.1


def test_train_with_rejects_unknown_hyperparameters(digits_data):
    with pytest.raises(ValueError, match=r"unknown hyperparameters \['momentum'\]"):
        widgets.train_with({"momentum": 0.9}, digits_data)


def test_hyperparameter_explorer_trains_with_the_controls_when_train_is_clicked(digits_data):
    explorer = widgets.hyperparameter_explorer(digits_data, **FAST)
    assert isinstance(explorer, ipywidgets.VBox)
    assert explorer.train_button in explorer.children
    explorer.learning_rate_slider.value = 1e-2
    explorer.normalization_dropdown.value = "batchnorm"
    explorer.epochs_slider.value = 3
    assert explorer.solver is None

    explorer.train_button.click()

    solver = explorer.solver
    assert solver is not None and solver.num_epochs == 3
    assert "gamma1" in solver.model.params and solver.model.params["W1"].shape == (64, 20)
    assert solver.optim_configs["W1"]["learning_rate"] == pytest.approx(1e-2)
    assert explorer.runs == [(explorer.current_params(), solver.best_val_acc)]
    assert f"Best validation accuracy {solver.best_val_acc:.3f}" in explorer.status.value
    assert list(explorer.figure.axes[0].lines[0].get_ydata()) == solver.loss_history


def test_hyperparameter_explorer_reports_a_failed_run_in_its_status_line(digits_data):
    explorer = widgets.hyperparameter_explorer({**digits_data, "X_train": digits_data["X_train"][:, :10]}, **FAST)
    explorer.train_button.click()  # ipywidgets logs the exception raised by the handler
    assert explorer.status.value.startswith("Training failed: ")
    assert explorer.solver is None


def test_hyperparameter_explorer_rejects_unknown_settings(digits_data):
    with pytest.raises(ValueError, match=r"unknown settings \['lr'\]"):
        widgets.hyperparameter_explorer(digits_data, lr=1e-3)


def test_filter_browser_redraws_the_filter_the_slider_selects():
    weights = np.random.RandomState(0).randn(6, 3, 5, 5)
    browser = widgets.filter_browser(weights)
    assert browser.figure.axes[1].get_title() == "Filter 0"
    browser.slider.value = 4
    assert browser.slider.max == 5
    grid_ax, selected_ax = browser.figure.axes
    assert selected_ax.get_title() == "Filter 4" and grid_ax.get_title() == "All 6 filters"
    shown = selected_ax.images[0].get_array()
    expected = weights[4].transpose(1, 2, 0)
    assert np.allclose(shown, (expected - expected.min()) / (expected.max() - expected.min()))


def test_filter_figure_draws_grayscale_filters_and_rejects_other_shapes():
    figure = widgets.filter_figure(np.random.RandomState(0).randn(4, 1, 3, 3), 2)
    assert figure.axes[1].images[0].get_array().shape == (3, 3)
    with pytest.raises(ValueError, match=r"\(F, C, HH, WW\) with C = 1 or 3, got \(4, 2, 3, 3\)"):
        widgets.filter_figure(np.zeros((4, 2, 3, 3)), 0)
    with pytest.raises(ValueError, match=r"index must lie in \[0, 4\), got 4"):
        widgets.filter_figure(np.zeros((4, 3, 3, 3)), 4)


def test_explorer_shows_none_as_the_selected_normalization_by_default():
    from course_lib.widgets import HyperparameterExplorer

    tiny = {"X_train": np.zeros((2, 3)), "y_train": np.zeros(2, int), "X_val": np.zeros((2, 3)),
            "y_val": np.zeros(2, int)}
    explorer = HyperparameterExplorer(tiny)
    assert explorer.normalization_dropdown.label == "none"
    assert explorer.normalization_dropdown.value is None


def test_static_widgets_setting_replaces_the_widgets_by_plain_outputs(monkeypatch):
    from IPython.display import Image, Markdown

    from course_lib import widgets

    monkeypatch.setenv(widgets.STATIC_WIDGETS_VARIABLE, "1")
    weights = np.random.RandomState(0).randn(4, 3, 5, 5)
    assert isinstance(widgets.filter_browser(weights), Image)
    tiny = {"X_train": np.zeros((2, 3)), "y_train": np.zeros(2, int), "X_val": np.zeros((2, 3)),
            "y_val": np.zeros(2, int)}
    assert isinstance(widgets.hyperparameter_explorer(tiny), Markdown)
    assert not widgets.in_widget_kernel()
    monkeypatch.setenv(widgets.STATIC_WIDGETS_VARIABLE, "0")
    assert isinstance(widgets.filter_browser(weights), widgets.FilterBrowser)
