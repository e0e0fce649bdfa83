"""Interactive front ends for the notebooks, built on ipywidgets.

- LivePlotCallback: a Solver callback that redraws the loss and accuracy curves while a model trains.
- hyperparameter_explorer(data): sliders and a Train button around train_with(params, data).
- filter_browser(weights): a slider through first-layer convolution filters.

Every widget can be built outside a Jupyter kernel (for tests and scripts): then nothing is displayed, and the
latest figure is kept in the object's `figure` attribute instead.
"""

import io
import os

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from course_lib._validate import NORMALIZATIONS
from course_lib.classifiers.fc_net import FullyConnectedNet
from course_lib.solver import UPDATE_RULES, Solver
from course_lib.vis_utils import plot_training_history, visualize_grid


def _ipython_shell():
    """Return the running IPython shell, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


# Set to 1 where notebooks run with no one to look at them (the autograder, tests): the widgets then show static
# plots. A kernel cannot tell whether its frontend renders widgets, and headless runs that display widgets can stall
# a cell until its timeout (seen with nbclient), which would cost a student minutes of grading time for nothing.
STATIC_WIDGETS_VARIABLE = "COURSE_STATIC_WIDGETS"


def static_widgets():
    """Return True when widgets must degrade to static plots (COURSE_STATIC_WIDGETS=1)."""
    return os.environ.get(STATIC_WIDGETS_VARIABLE, "") == "1"


def in_widget_kernel():
    """Return True when running inside an IPython kernel, where a frontend can render widgets."""
    shell = _ipython_shell()
    return shell is not None and getattr(shell, "kernel", None) is not None and not static_widgets()


def display(obj):
    """Show obj through IPython's display machinery when IPython runs; do nothing otherwise."""
    if _ipython_shell() is not None:
        from IPython.display import display as ipython_display

        ipython_display(obj)


def _figure_as_image(figure):
    """Render a Figure to a PNG IPython Image, which displays under any matplotlib backend."""
    from IPython.display import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Image(data=buffer.getvalue(), format="png")


def _show_in(output, figure):
    """Replace what output shows with figure (only inside a kernel; a no-op elsewhere)."""
    if not in_widget_kernel():
        return
    with output:
        from IPython.display import clear_output

        clear_output(wait=True)
        display(_figure_as_image(figure))


class LivePlotCallback:
    """Solver callback that shows the loss and accuracy curves while training runs.

    Pass it to a Solver: `Solver(model, data, callbacks=[LivePlotCallback()])`. Inside a Jupyter kernel it
    displays an ipywidgets Output below the cell and redraws into it every `update_every` iterations and at
    every accuracy check. Without a widget frontend (a script, a test, plain Python) it draws once, when training
    ends, and shows that static figure if IPython is running. The latest figure is always in `self.figure`.
    """

    def __init__(self, update_every=20, live=None):
        """
        Inputs:
        - update_every: redraw every this many iterations (accuracy checks always redraw).
        - live: True to redraw during training, False to draw only at the end; None decides by whether a
          Jupyter kernel is running.
        """
        if update_every < 1:
            raise ValueError(f"LivePlotCallback: update_every must be a positive integer, got {update_every}.")
        self.update_every = update_every
        self.live = in_widget_kernel() if live is None else live
        self.output = widgets.Output()
        self.figure = None
        self.redraws = 0
        self._output_shown = False

    def __call__(self, solver, event):
        finished = event == "epoch" and solver.epoch >= solver.num_epochs
        if self.live:
            due = event == "epoch" or (event == "iteration" and solver.iteration % self.update_every == 0)
            if due:
                self.draw(solver)
                if not self._output_shown:
                    display(self.output)
                    self._output_shown = True
                _show_in(self.output, self.figure)
        elif finished:
            self.draw(solver)
            if _ipython_shell() is not None:
                display(_figure_as_image(self.figure))

    def draw(self, solver):
        """Draw solver's current curves into a new figure, keep it in self.figure and return it."""
        self.figure = plot_training_history(solver, show=False)
        self.redraws += 1
        return self.figure


EXPLORER_DEFAULTS = {
    "hidden_dims": (100, 100),
    "learning_rate": 1e-3,
    "weight_scale": 1e-2,
    "dropout_keep_ratio": 1.0,
    "normalization": None,
    "reg": 0.0,
    "update_rule": "adam",
    "num_epochs": 5,
    "batch_size": 100,
    "num_train": None,
    "seed": 0,
}


def train_with(params, data, verbose=False, callbacks=()):
    """Train a FullyConnectedNet on data with the hyperparameters in params and return the Solver.

    Inputs:
    - params: dict overriding any of EXPLORER_DEFAULTS: hidden_dims, learning_rate, weight_scale,
      dropout_keep_ratio, normalization, reg, update_rule, num_epochs, batch_size, num_train (train on the
      first num_train examples; None for all) and seed (seeds numpy before the weights are drawn; None leaves
      numpy's random state alone).
    - data: dict with X_train, y_train, X_val, y_val as get_CIFAR10_data returns.
    - verbose, callbacks: passed on to the Solver.

    Returns the trained Solver; solver.model is the model with its best parameters.
    """
    unknown = sorted(set(params) - set(EXPLORER_DEFAULTS))
    if unknown:
        raise ValueError(
            f"train_with: unknown hyperparameters {unknown}; the known ones are {sorted(EXPLORER_DEFAULTS)}."
        )
    settings = {**EXPLORER_DEFAULTS, **params}
    num_train = settings["num_train"]
    X_train, y_train = data["X_train"][:num_train], data["y_train"][:num_train]
    num_classes = int(max(np.max(data["y_train"]), np.max(data["y_val"]))) + 1

    if settings["seed"] is not None:
        np.random.seed(settings["seed"])
    model = FullyConnectedNet(
        list(settings["hidden_dims"]),
        input_dim=int(np.prod(X_train.shape[1:])),
        num_classes=num_classes,
        dropout_keep_ratio=settings["dropout_keep_ratio"],
        normalization=settings["normalization"],
        reg=settings["reg"],
        weight_scale=settings["weight_scale"],
    )
    solver = Solver(
        model,
        {"X_train": X_train, "y_train": y_train, "X_val": data["X_val"], "y_val": data["y_val"]},
        update_rule=settings["update_rule"],
        optim_config={"learning_rate": settings["learning_rate"]},
        num_epochs=settings["num_epochs"],
        batch_size=settings["batch_size"],
        verbose=verbose,
        callbacks=callbacks,
    )
    solver.train()
    return solver


class HyperparameterExplorer(widgets.VBox):
    """Sliders for the main hyperparameters, a Train button and the curves of the last run.

    Attributes: the controls (learning_rate_slider, weight_scale_slider, keep_prob_slider, normalization_dropdown,
    update_rule_dropdown, epochs_slider, train_button), status (an HTML line with the result), plot_output,
    solver (the last trained Solver), figure (its curves) and runs (a list of (params, best_val_acc)).
    """

    def __init__(self, data, **defaults):
        settings = {**EXPLORER_DEFAULTS, **defaults}
        self.data = data
        self.fixed_params = dict(defaults)
        label = {"description_width": "initial"}  # the default width cuts labels such as "learning rate"
        self.learning_rate_slider = widgets.FloatLogSlider(
            value=settings["learning_rate"], base=10, min=-5, max=-1, step=0.25, description="learning rate",
            style=label,
        )
        self.weight_scale_slider = widgets.FloatLogSlider(
            value=settings["weight_scale"], base=10, min=-4, max=0, step=0.25, description="weight scale",
            style=label,
        )
        self.keep_prob_slider = widgets.FloatSlider(
            value=settings["dropout_keep_ratio"], min=0.1, max=1.0, step=0.05, description="keep prob", style=label
        )
        # Selected by index: ipywidgets reads value=None as "nothing selected" and would show a blank for "none".
        self.normalization_dropdown = widgets.Dropdown(
            options=[("none" if name is None else name, name) for name in NORMALIZATIONS],
            index=list(NORMALIZATIONS).index(settings["normalization"]),
            description="normalization",
            style=label,
        )
        self.update_rule_dropdown = widgets.Dropdown(
            options=list(UPDATE_RULES), value=settings["update_rule"], description="update rule", style=label
        )
        self.epochs_slider = widgets.IntSlider(value=settings["num_epochs"], min=1, max=20, description="epochs",
                                               style=label)
        self.train_button = widgets.Button(description="Train", button_style="primary")
        self.status = widgets.HTML(value="Pick hyperparameters and press Train.")
        self.plot_output = widgets.Output()
        self.solver = None
        self.figure = None
        self.runs = []
        self.train_button.on_click(self._on_train_clicked)
        controls = [
            self.learning_rate_slider, self.weight_scale_slider, self.keep_prob_slider,
            self.normalization_dropdown, self.update_rule_dropdown, self.epochs_slider,
        ]
        super().__init__(children=[*controls, self.train_button, self.status, self.plot_output])

    def current_params(self):
        """Return the hyperparameters the controls show, merged over the ones given at construction."""
        return {
            **self.fixed_params,
            "learning_rate": self.learning_rate_slider.value,
            "weight_scale": self.weight_scale_slider.value,
            "dropout_keep_ratio": self.keep_prob_slider.value,
            "normalization": self.normalization_dropdown.value,
            "update_rule": self.update_rule_dropdown.value,
            "num_epochs": self.epochs_slider.value,
        }

    def _on_train_clicked(self, _button):
        params = self.current_params()
        self.status.value = "Training..."
        try:
            solver = train_with(params, self.data)
        except Exception as error:
            self.status.value = f"Training failed: {type(error).__name__}: {error}"
            raise
        self.solver = solver
        self.runs.append((params, solver.best_val_acc))
        self.status.value = (
            f"Best validation accuracy {solver.best_val_acc:.3f}; final training accuracy "
            f"{solver.train_acc_history[-1]:.3f}; final loss {solver.loss_history[-1]:.3f}."
        )
        self.figure = plot_training_history(solver, show=False)
        _show_in(self.plot_output, self.figure)


def hyperparameter_explorer(data, **defaults):
    """Return a widget box to try hyperparameters of a small FullyConnectedNet on data.

    Inputs:
    - data: dict with X_train, y_train, X_val, y_val.
    - defaults: starting values of the controls and fixed settings, any keys of EXPLORER_DEFAULTS
      (e.g. hidden_dims=(50,), num_train=500).

    Pressing Train calls train_with(explorer.current_params(), data) and plots the curves below. With
    COURSE_STATIC_WIDGETS=1 (headless runs) it returns a short note instead, since nobody can press Train there.
    """
    unknown = sorted(set(defaults) - set(EXPLORER_DEFAULTS))
    if unknown:
        raise ValueError(
            f"hyperparameter_explorer: unknown settings {unknown}; the known ones are {sorted(EXPLORER_DEFAULTS)}."
        )
    if static_widgets():
        from IPython.display import Markdown

        return Markdown("*The hyperparameter explorer is interactive: open this notebook in JupyterLab to use it.*")
    return HyperparameterExplorer(data, **defaults)


def filter_figure(weights, index):
    """Draw all first-layer filters in a grid and filter `index` enlarged beside it.

    Inputs:
    - weights: (F, C, HH, WW) convolution filters with C = 1 or 3.
    - index: which filter to enlarge, in [0, F).

    Returns the Figure.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 4 or weights.shape[1] not in (1, 3):
        raise ValueError(
            f"filter_figure: weights must be first-layer filters of shape (F, C, HH, WW) with C = 1 or 3, "
            f"got {weights.shape}."
        )
    num_filters = weights.shape[0]
    if not 0 <= index < num_filters:
        raise ValueError(f"filter_figure: index must lie in [0, {num_filters}), got {index}.")
    images = weights.transpose(0, 2, 3, 1)  # (F, C, HH, WW) -> (F, HH, WW, C)
    grid = visualize_grid(images, ubound=1.0)
    selected = visualize_grid(images[index:index + 1], ubound=1.0)
    figure = Figure(figsize=(9, 4), layout="constrained")
    grid_ax, selected_ax = figure.subplots(1, 2)
    grayscale = images.shape[-1] == 1
    grid_ax.imshow(grid[..., 0] if grayscale else grid, cmap="gray" if grayscale else None)
    grid_ax.set_title(f"All {num_filters} filters")
    selected_ax.imshow(selected[..., 0] if grayscale else selected, cmap="gray" if grayscale else None)
    selected_ax.set_title(f"Filter {index}")
    for axes in (grid_ax, selected_ax):
        axes.axis("off")
    return figure


class FilterBrowser(widgets.VBox):
    """A slider through first-layer filters; attributes slider, output and figure (the current drawing)."""

    def __init__(self, weights):
        self.weights = np.asarray(weights)
        self.figure = filter_figure(self.weights, 0)
        self.slider = widgets.IntSlider(value=0, min=0, max=self.weights.shape[0] - 1, description="filter")
        self.output = widgets.Output()
        self.slider.observe(self._on_index_changed, names="value")
        super().__init__(children=[self.slider, self.output])
        _show_in(self.output, self.figure)

    def _on_index_changed(self, change):
        self.figure = filter_figure(self.weights, change["new"])
        _show_in(self.output, self.figure)


def filter_browser(weights):
    """Return a widget that browses first-layer convolution filters.

    Inputs:
    - weights: (F, C, HH, WW) filters with C = 1 or 3, e.g. model.params["W1"] of a ThreeLayerConvNet.

    With COURSE_STATIC_WIDGETS=1 (headless runs) it returns the static drawing of filter 0 as a PNG image.
    """
    if static_widgets():
        return _figure_as_image(filter_figure(weights, 0))
    return FilterBrowser(weights)
