"""course_lib.widgets as a person sees them: a real JupyterLab server, a notebook that shows the hyperparameter
explorer and the filter browser, and Debian's Chromium driven through Playwright to run it, press Train and move
the filter slider."""
import base64
import contextlib
import functools
import io
import re
import time

import nbformat
import numpy as np
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from course_lib.widgets import filter_figure

NOTEBOOK_NAME = "widgets.ipynb"
NOTEBOOK_CELLS = [
    "from course_lib.data_utils import get_CIFAR10_data\n"
    "from course_lib.widgets import filter_browser, hyperparameter_explorer\n"
    "\n"
    "data = get_CIFAR10_data(num_training=300, num_validation=100, num_test=10)",
    "hyperparameter_explorer(data, hidden_dims=(50,), num_epochs=3)",
    "import numpy as np\n"
    "\n"
    "weights = np.random.RandomState(0).randn(8, 3, 5, 5)\n"
    "filter_browser(weights)",
]
FILTER_WEIGHTS = np.random.RandomState(0).randn(8, 3, 5, 5)  # the weights the notebook's last cell browses
# Loading JupyterLab, starting the kernel and importing numpy, sklearn and matplotlib take ~15 s on 2 busy cores.
WIDGET_TIMEOUT_MS = 60_000
TRAINING_TIMEOUT_MS = 45_000
FILTER_TIMEOUT_S = 20
PNG_DATA_URL = re.compile(r"^data:image/png;base64,[A-Za-z0-9+/=]{1000,}$")


@functools.cache
def _filter_png_data_urls():
    """The data URL of each filter's drawing, made here the way the kernel makes it (same figure, same PNG writer),
    so that the page must show exactly one of these pictures."""
    urls = []
    for index in range(len(FILTER_WEIGHTS)):
        buffer = io.BytesIO()
        filter_figure(FILTER_WEIGHTS, index).savefig(buffer, format="png")
        urls.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))
    return urls


def _wait_until_filter_shown(page, filter_image, index):
    """Wait until filter_image shows filter `index`; on timeout say which filter, if any, it shows instead."""
    deadline = time.monotonic() + FILTER_TIMEOUT_S
    while True:
        src = filter_image.get_attribute("src")
        if src == _filter_png_data_urls()[index]:
            return
        if time.monotonic() > deadline:
            shown = _filter_png_data_urls().index(src) if src in _filter_png_data_urls() else "no filter's drawing"
            raise AssertionError(f"the filter browser should show filter {index} but shows {shown}")
        page.wait_for_timeout(200)


def _write_notebook(path):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, path)


def _notebook_outputs(page):
    """The text of every cell output on the page (a traceback shows up here)."""
    try:
        return "\n---\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    except PlaywrightError as error:
        return f"(could not read the outputs: {error})"


@contextlib.contextmanager
def _explained_failures(page, server, screenshot_path):
    """On a failed step, save a screenshot and add the cell outputs, browser console errors and server log."""
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    try:
        yield
    except (AssertionError, PlaywrightError) as error:
        page.screenshot(path=screenshot_path, full_page=True)
        raise AssertionError(
            f"{error}\n\nscreenshot: {screenshot_path}\n\ncell outputs:\n{_notebook_outputs(page)}\n\n"
            "browser console errors:\n" + "\n".join(console_errors[-20:]) + f"\n\njupyter lab log:\n{server.log_tail()}"
        ) from error


def _run_all_cells(page):
    """Run every cell through the Run menu, as a person would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


@pytest.mark.slow
@pytest.mark.browser
def test_widgets_render_train_and_browse_filters_in_jupyterlab(jupyter_lab, chromium_browser, tmp_path):
    screenshots = tmp_path / "screenshots"
    screenshots.mkdir()
    _write_notebook(jupyter_lab.root_dir / NOTEBOOK_NAME)
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 1600})
    with _explained_failures(page, jupyter_lab, screenshots / "failure.png"):
        page.goto(jupyter_lab.url(f"/lab/tree/{NOTEBOOK_NAME}"))
        expect(page.locator(".jp-Notebook .jp-CodeCell")).to_have_count(len(NOTEBOOK_CELLS), timeout=WIDGET_TIMEOUT_MS)
        # The status bar says "Idle" only once the kernel is connected (the toolbar's indicator starts out "idle"),
        # and Run All before that silently skips every cell.
        kernel_status = page.get_by_role("contentinfo").get_by_role("button", name=re.compile(r"\| Idle$"))
        expect(kernel_status).to_be_visible(timeout=WIDGET_TIMEOUT_MS)
        _run_all_cells(page)
        expect(page.locator(".jp-InputPrompt").first).to_have_text(re.compile(r"\[(\*|1)\]"))

        train_button = page.locator("button.jupyter-widgets.widget-button", has_text="Train")
        expect(train_button).to_be_visible(timeout=WIDGET_TIMEOUT_MS)
        explorer = page.locator(".widget-vbox").filter(has=train_button)
        curves = explorer.locator(".widget-output img")
        expect(curves).to_have_count(0)
        page.screenshot(path=screenshots / "1-widgets-rendered.png", full_page=True)

        train_button.click()
        expect(curves).to_have_count(1, timeout=TRAINING_TIMEOUT_MS)
        assert PNG_DATA_URL.match(curves.get_attribute("src"))
        assert curves.evaluate("image => image.naturalWidth") > 0, "the browser could not decode the curves PNG"
        status = explorer.locator(".widget-html")
        expect(status).to_contain_text("Best validation accuracy")
        best_val_acc = float(re.search(r"Best validation accuracy ([0-9.]+)", status.inner_text()).group(1))
        assert best_val_acc > 0.5, f"training from the browser reached only {best_val_acc} (chance is 0.1)"
        page.screenshot(path=screenshots / "2-after-training.png", full_page=True)

        filter_slider = page.locator(".widget-hslider").filter(
            has=page.locator("label.widget-label", has_text=re.compile(r"^filter$"))
        )
        filter_image = page.locator(".widget-vbox").filter(has=filter_slider).locator(".widget-output img")
        expect(filter_slider.locator(".widget-readout")).to_have_text("0")
        _wait_until_filter_shown(page, filter_image, 0)
        filter_slider.locator(".noUi-handle").focus()
        for index in (1, 2):
            page.keyboard.press("ArrowRight")
            expect(filter_slider.locator(".widget-readout")).to_have_text(str(index))
            _wait_until_filter_shown(page, filter_image, index)
        page.screenshot(path=screenshots / "3-filter-2.png", full_page=True)
