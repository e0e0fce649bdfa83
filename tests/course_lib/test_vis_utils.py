import numpy as np
import pytest
from matplotlib.figure import Figure

from course_lib import vis_utils


def test_visualize_grid_tiles_images_row_major_with_padding_and_rescales_each():
    Xs = np.stack([np.full((2, 3, 1), value) for value in range(5)]).astype(float)
    Xs[:, 0, 0, 0] = -1.0  # every image spans [-1, value], so each rescales on its own
    grid = vis_utils.visualize_grid(Xs, ubound=10.0, padding=1)
    assert grid.shape == (3 * 2 + 2, 3 * 3 + 2, 1)
    # Image 4 sits in row 1, column 1 of the 3x3 grid.
    assert grid[3, 4, 0] == 0.0 and grid[3, 5, 0] == 10.0
    # Padding and the unused cells stay zero.
    assert np.all(grid[2, :, 0] == 0) and np.all(grid[:, 3, 0] == 0) and np.all(grid[6:, 4:, 0] == 0)


def test_visualize_grid_maps_a_constant_image_to_zero_instead_of_dividing_by_zero():
    grid = vis_utils.visualize_grid(np.ones((1, 2, 2, 3)))
    assert grid.shape == (2, 2, 3) and np.all(grid == 0)


def test_visualize_grid_rejects_images_without_a_channel_axis():
    with pytest.raises(ValueError, match=r"visualize_grid: Xs must have shape \(N, H, W, C\), got \(4, 5, 5\)"):
        vis_utils.visualize_grid(np.zeros((4, 5, 5)))


def test_vis_grid_rescales_all_images_together_and_separates_them():
    Xs = np.arange(4, dtype=float).reshape(4, 1, 1, 1) + 1
    grid = vis_utils.vis_grid(Xs)
    assert grid.shape == (3, 3, 1)
    assert grid[0, 0, 0] == 0.0 and grid[2, 2, 0] == 1.0
    assert grid[0, 2, 0] == pytest.approx(1 / 3) and grid[1, 1, 0] == 0.0


def test_vis_nn_lays_out_rows_of_images():
    rows = [[np.full((2, 2, 1), 1.0), np.full((2, 2, 1), 2.0)], [np.full((2, 2, 1), 3.0), np.full((2, 2, 1), 5.0)]]
    grid = vis_utils.vis_nn(rows)
    assert grid.shape == (5, 5, 1)
    assert grid[0, 0, 0] == 0.0 and grid[4, 4, 0] == 1.0 and grid[3, 0, 0] == pytest.approx(0.5)


def history():
    return {"loss_history": [2.3, 2.0, 1.5, 1.2], "train_acc_history": [0.1, 0.5, 0.7],
            "val_acc_history": [0.1, 0.4, 0.6]}


def test_plot_training_history_draws_the_loss_and_both_accuracies():
    figure = vis_utils.plot_training_history(history())
    assert isinstance(figure, Figure)
    loss_ax, acc_ax = figure.axes
    assert list(loss_ax.lines[0].get_ydata()) == [2.3, 2.0, 1.5, 1.2]
    assert [line.get_label() for line in acc_ax.lines] == ["train", "val"]
    assert list(acc_ax.lines[1].get_ydata()) == [0.1, 0.4, 0.6]


def test_plot_training_history_reads_a_solver_and_draws_into_given_axes():
    class FakeSolver:
        loss_history, train_acc_history, val_acc_history = [1.0, 0.5], [0.2, 0.9], [0.1, 0.8]

    figure = Figure()
    axes = figure.subplots(1, 2)
    assert vis_utils.plot_training_history(FakeSolver(), ax=axes) is figure
    assert list(axes[1].lines[0].get_ydata()) == [0.2, 0.9]
    assert figure.axes[0].get_title() == "Training loss"


def test_plot_training_history_says_what_it_needs_when_given_something_else():
    with pytest.raises(ValueError, match=r"missing \['val_acc_history'\]"):
        vis_utils.plot_training_history({"loss_history": [], "train_acc_history": []})


def test_plot_loss_curves_draws_one_curve_per_run_in_every_panel():
    figure = vis_utils.plot_loss_curves({"sgd": history(), "adam": [2.0, 1.0, 0.5]})
    loss_ax, train_ax, val_ax = figure.axes
    assert [line.get_label() for line in loss_ax.lines] == ["sgd", "adam"]
    assert list(loss_ax.lines[1].get_ydata()) == [2.0, 1.0, 0.5]
    assert list(val_ax.lines[0].get_ydata()) == [0.1, 0.4, 0.6] and len(val_ax.lines[1].get_ydata()) == 0


def test_plotting_functions_do_not_register_figures_with_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    vis_utils.plot_training_history(history())
    vis_utils.plot_loss_curves({"run": history()})
    assert plt.get_fignums() == before


@pytest.fixture
def notebook_shell():
    """An in-process IPython shell whose displayed outputs are recorded, with `history` in its namespace."""
    from IPython.core.displaypub import CapturingDisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.display_pub = CapturingDisplayPublisher()
    shell.user_ns.update(plot_training_history=vis_utils.plot_training_history,
                         plot_loss_curves=vis_utils.plot_loss_curves, history=history())
    yield shell
    InteractiveShell.clear_instance()


def run_cell_and_count_pngs(shell, code):
    """Run one notebook cell; return how many PNG images it showed."""
    shell.display_pub.outputs.clear()
    result = shell.run_cell(code, store_history=True)
    result.raise_error()
    return sum("image/png" in output["data"] for output in shell.display_pub.outputs)


@pytest.mark.parametrize("cell", [
    "figure = plot_training_history(history)\nprint('trained')",
    "plot_training_history(history)",
    "figure = plot_training_history(history)\nfigure",
    "plot_loss_curves({'run': history})",
])
def test_a_plot_shows_once_in_a_notebook_cell_wherever_the_call_is(notebook_shell, cell):
    assert run_cell_and_count_pngs(notebook_shell, cell) == 1


def test_a_plot_shown_in_one_cell_shows_again_when_a_later_cell_displays_it(notebook_shell):
    assert run_cell_and_count_pngs(notebook_shell, "figure = plot_training_history(history)") == 1
    assert run_cell_and_count_pngs(notebook_shell, "figure") == 1
    assert run_cell_and_count_pngs(notebook_shell, "from IPython.display import display\ndisplay(figure)") == 1


def test_a_plot_with_show_false_or_into_given_axes_is_not_shown(notebook_shell):
    assert run_cell_and_count_pngs(notebook_shell, "figure = plot_training_history(history, show=False)") == 0
    cell = "from matplotlib.figure import Figure\nplot_training_history(history, ax=Figure().subplots(1, 2))\n1"
    assert run_cell_and_count_pngs(notebook_shell, cell) == 0


def test_plotting_outside_ipython_shows_nothing_and_returns_the_figure(capsys):
    figure = vis_utils.plot_training_history(history())
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    assert capsys.readouterr().out == ""
