"""Pictures of what a network learns and how training went.

The grid functions return numpy images. The plotting functions build a matplotlib Figure without pyplot and
return it, so they work under any backend, in scripts and in tests. In a notebook they also show it below the cell
right away, wherever in the cell they are called, and once only: a cell that ends with the call does not show
it twice. Elsewhere nothing is shown: call fig.savefig(path).
"""

import io
import math

import numpy as np
from matplotlib.figure import Figure


def _ipython():
    """The running IPython shell, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


class NotebookFigure(Figure):
    """A Figure that a notebook shows at most once per cell, as a PNG.

    show_in_notebook() shows it below the running cell; IPython's own display of the figure (a cell that ends with
    it, display(fig)) is skipped in the cell that already showed it, and works as usual in any later cell.
    """

    _shown_in_cell = None

    def show_in_notebook(self):
        """Show the figure below the running cell when IPython runs; do nothing otherwise."""
        shell = _ipython()
        if shell is None:
            return
        from IPython.display import display

        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        display({"image/png": buffer.getvalue(), "text/plain": repr(self)}, raw=True)
        self._shown_in_cell = shell.execution_count

    def _ipython_display_(self):
        shell = _ipython()
        if shell is not None and self._shown_in_cell == shell.execution_count:
            return
        self.show_in_notebook()


def visualize_grid(Xs, ubound=255.0, padding=1):
    """Tile images into one image, each rescaled to [0, ubound] on its own.

    Inputs:
    - Xs: (N, H, W, C) images.
    - ubound: the largest value of each rescaled image.
    - padding: pixels of zeros between neighbouring images.

    Returns: (G*H + (G-1)*padding, G*W + (G-1)*padding, C) grid with G = ceil(sqrt(N)), row-major order.
    """
    Xs = np.asarray(Xs, dtype=np.float64)
    if Xs.ndim != 4:
        raise ValueError(f"visualize_grid: Xs must have shape (N, H, W, C), got {Xs.shape}.")
    num_images, height, width, channels = Xs.shape
    grid_size = int(math.ceil(math.sqrt(num_images)))
    grid_height = grid_size * height + (grid_size - 1) * padding
    grid_width = grid_size * width + (grid_size - 1) * padding
    grid = np.zeros((grid_height, grid_width, channels))
    for index, image in enumerate(Xs):
        row, col = divmod(index, grid_size)
        top, left = row * (height + padding), col * (width + padding)
        low, high = image.min(), image.max()
        scale = ubound / (high - low) if high > low else 0.0
        grid[top:top + height, left:left + width] = (image - low) * scale
    return grid


def vis_grid(Xs):
    """Tile images into a square grid separated by one-pixel lines, rescaled together to [0, 1].

    Inputs:
    - Xs: (N, H, W, C) images.

    Returns: (G*(H+1) - 1, G*(W+1) - 1, C) grid with G = ceil(sqrt(N)); the separators get the smallest value.
    """
    Xs = np.asarray(Xs, dtype=np.float64)
    if Xs.ndim != 4:
        raise ValueError(f"vis_grid: Xs must have shape (N, H, W, C), got {Xs.shape}.")
    num_images, height, width, channels = Xs.shape
    grid_size = int(math.ceil(math.sqrt(num_images)))
    grid = np.full((grid_size * (height + 1) - 1, grid_size * (width + 1) - 1, channels), Xs.min())
    for index, image in enumerate(Xs):
        row, col = divmod(index, grid_size)
        top, left = row * (height + 1), col * (width + 1)
        grid[top:top + height, left:left + width] = image
    low, high = grid.min(), grid.max()
    return (grid - low) / (high - low) if high > low else np.zeros_like(grid)


def vis_nn(rows):
    """Tile a list of rows of images into one image, rescaled together to [0, 1].

    Inputs:
    - rows: a list of R lists, each of K images of shape (H, W, C).

    Returns: (R*(H+1) - 1, K*(W+1) - 1, C) grid; the separators get the smallest value.
    """
    if not rows or not rows[0]:
        raise ValueError("vis_nn: rows must be a non-empty list of non-empty lists of (H, W, C) images.")
    num_rows, num_cols = len(rows), len(rows[0])
    height, width, channels = np.shape(rows[0][0])
    low = min(np.min(image) for row in rows for image in row)
    grid = np.full((num_rows * (height + 1) - 1, num_cols * (width + 1) - 1, channels), float(low))
    for row_index, row in enumerate(rows):
        if len(row) != num_cols:
            raise ValueError(f"vis_nn: every row must hold {num_cols} images; row {row_index} holds {len(row)}.")
        for col_index, image in enumerate(row):
            top, left = row_index * (height + 1), col_index * (width + 1)
            grid[top:top + height, left:left + width] = image
    high = grid.max()
    return (grid - low) / (high - low) if high > low else np.zeros_like(grid)


def _histories(source):
    """Return (loss_history, train_acc_history, val_acc_history) from a Solver or a dict holding them."""
    names = ("loss_history", "train_acc_history", "val_acc_history")
    if isinstance(source, dict):
        missing = [name for name in names if name not in source]
        if missing:
            raise ValueError(f"plot_training_history: the dict is missing {missing}; give a Solver or a dict "
                             f"with keys {list(names)}.")
        return tuple(source[name] for name in names)
    if all(hasattr(source, name) for name in names):
        return tuple(getattr(source, name) for name in names)
    raise ValueError(
        f"plot_training_history: expected a Solver or a dict with keys {list(names)}, got {type(source).__name__}."
    )


def plot_training_history(source, ax=None, show=True):
    """Plot the loss per iteration and the training / validation accuracy per epoch.

    Inputs:
    - source: a Solver, or a dict with loss_history, train_acc_history and val_acc_history.
    - ax: None to make a new figure, or a pair of Axes (loss, accuracy) to draw into.
    - show: in a notebook, show the new figure below the cell right away (only when ax is None: a figure of the
      caller's is the caller's to show).

    Returns the matplotlib Figure drawn into.
    """
    loss_history, train_acc_history, val_acc_history = _histories(source)
    if ax is None:
        figure = NotebookFigure(figsize=(10, 4), layout="constrained")
        loss_ax, acc_ax = figure.subplots(1, 2)
    else:
        loss_ax, acc_ax = ax
        figure = loss_ax.figure
    loss_ax.plot(loss_history, "o", markersize=2, alpha=0.6)
    loss_ax.set_title("Training loss")
    loss_ax.set_xlabel("Iteration")
    loss_ax.set_ylabel("Loss")
    acc_ax.plot(train_acc_history, "-o", label="train")
    acc_ax.plot(val_acc_history, "-o", label="val")
    acc_ax.set_title("Accuracy")
    acc_ax.set_xlabel("Epoch")
    acc_ax.set_ylabel("Accuracy")
    acc_ax.legend(loc="lower right")
    if ax is None and show:
        figure.show_in_notebook()
    return figure


def plot_loss_curves(histories, title="Training loss", show=True):
    """Compare runs (e.g. update rules) side by side, one curve per run.

    Inputs:
    - histories: dict mapping a run's name to a Solver, to a dict with loss_history (and optionally
      train_acc_history, val_acc_history), or to a plain list of losses.
    - title: the title of the loss panel.
    - show: in a notebook, show the figure below the cell right away.

    Returns a Figure with three panels: loss per iteration, training accuracy and validation accuracy per epoch
    (a run given as a plain list of losses has no accuracy curves).
    """
    if not histories:
        raise ValueError("plot_loss_curves: histories is empty; give a dict mapping names to Solvers or histories.")
    figure = NotebookFigure(figsize=(12, 4), layout="constrained")
    loss_ax, train_ax, val_ax = figure.subplots(1, 3)
    for name, source in histories.items():
        if isinstance(source, dict):
            losses = source["loss_history"]
            train_acc, val_acc = source.get("train_acc_history", []), source.get("val_acc_history", [])
        elif hasattr(source, "loss_history"):
            losses = source.loss_history
            train_acc, val_acc = source.train_acc_history, source.val_acc_history
        else:
            losses, train_acc, val_acc = source, [], []
        loss_ax.plot(losses, "o", markersize=2, alpha=0.6, label=name)
        train_ax.plot(train_acc, "-o", label=name)
        val_ax.plot(val_acc, "-o", label=name)
    for axes, axes_title, ylabel, xlabel in (
        (loss_ax, title, "Loss", "Iteration"),
        (train_ax, "Training accuracy", "Accuracy", "Epoch"),
        (val_ax, "Validation accuracy", "Accuracy", "Epoch"),
    ):
        axes.set_title(axes_title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.legend(loc="best")
    if show:
        figure.show_in_notebook()
    return figure
