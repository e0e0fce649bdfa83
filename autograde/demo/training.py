"""The library half of the demo: train a ThreeLayerConvNet on the loaded dataset and save its pictures."""
import time
from pathlib import Path

import numpy as np


def train_convnet(out_dir, *, num_train=500, num_epochs=3, seed=0, progress=True):
    """Train a small ThreeLayerConvNet with the reference library and write two PNG files into out_dir.

    Writes `loss_curve.png` (loss per iteration, train/val accuracy per epoch) and `conv1_filters.png` (the
    first-layer filters as an image grid). Returns a dict with the dataset description, final accuracies,
    seconds taken and the paths written.
    """
    from course_lib.classifiers.cnn import ThreeLayerConvNet
    from course_lib.data_utils import describe_dataset, get_CIFAR10_data
    from course_lib.solver import Solver
    from course_lib.vis_utils import plot_training_history, visualize_grid
    from matplotlib.figure import Figure

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.random.seed(seed)
    data = get_CIFAR10_data(num_training=num_train, num_validation=200, num_test=200)
    model = ThreeLayerConvNet(num_filters=16, filter_size=5, hidden_dim=64, weight_scale=1e-2, reg=1e-3)
    solver = Solver(model, {k: data[k] for k in ("X_train", "y_train", "X_val", "y_val")},
                    update_rule="adam", optim_config={"learning_rate": 1e-3}, batch_size=50,
                    num_epochs=num_epochs, num_train_samples=None, verbose=False, progress=progress)
    started = time.perf_counter()
    solver.train()
    seconds = time.perf_counter() - started

    loss_png = out_dir / "loss_curve.png"
    plot_training_history(solver).savefig(loss_png, dpi=100)
    filters_png = out_dir / "conv1_filters.png"
    grid = visualize_grid(model.params["W1"].transpose(0, 2, 3, 1))  # (F, HH, WW, C) -> (rows, cols, C)
    figure = Figure(figsize=(4, 4), layout="constrained")
    axes = figure.subplots()
    axes.imshow(grid.astype("uint8"))
    axes.axis("off")
    axes.set_title("First-layer filters")
    figure.savefig(filters_png, dpi=100)
    return {
        "dataset": describe_dataset(data),
        "train_acc": float(solver.train_acc_history[-1]),
        "val_acc": float(solver.best_val_acc),
        "seconds": seconds,
        "files": [str(loss_png), str(filters_png)],
    }
