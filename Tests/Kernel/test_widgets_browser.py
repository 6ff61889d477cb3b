"""Shoal's widgets in JupyterLab 4 (headless Chromium through selenium, the
harness of test_browser.py): a slider dragged redraws the polynomial's
chart in place, and a stop button interrupts training started by a button,
leaving the kernel idle with its state.
"""
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from test_browser import (CHROMEDRIVER, KERNELSPEC, browser, js, keep_screenshot, kernel_idle,  # noqa: F401
                          open_notebook, outputs, run_all, server, wait_for)

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMEDRIVER), reason="chromium-driver is not installed (make test installs it)")

POLYNOMIAL = """\
let xs = (0..<12).map { Double($0) / 11 }
let ys = xs.enumerated().map { i, x in 1 + 0.8 * x - 0.5 * x * x + (i % 2 == 0 ? 0.06 : -0.06) }
let curveX = (0...100).map { Double($0) / 100 }
interact(1...9, names: ["degree"]) { degree in
    let c = fitPolynomial(x: xs, y: ys, degree: degree)
    return scatterChart(x: xs, y: ys, title: "degree \\(degree)", name: "past").withCurve(x: curveX, y: evaluatePolynomial(c, at: curveX), name: "fit")
}"""

TRAINING = """\
var runs = 0
let points = Points.spirals(count: 1200, classes: 3, seed: 7)
let (train, validation) = points.split(0.8, seed: 42)
var model = Sequential {
    Dense(2, 256)
    ReLU()
    Dense(256, 256)
    ReLU()
    Dense(256, 3)
}
let log = Output()
let go = Button("Train")
let stop = StopButton()
go.onClick(output: log) { model.train(train, validation: validation, epochs: 5000, batchSize: 4) }
VBox([HBox([go, stop]), log])"""


def widgets_notebook(root):
    nb = new_notebook(cells=[new_code_cell(POLYNOMIAL), new_code_cell(TRAINING), new_code_cell("runs += 1\nprint(\"run \\(runs)\")")],
                      metadata={"kernelspec": KERNELSPEC})
    nbformat.write(nb, root / "widgets.ipynb")


def chart_source(driver):
    """The src of the polynomial's chart (the first cell's PNG)."""
    return js(driver, """
        const cell = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[0];
        const img = cell && cell.querySelector('.jp-OutputArea-output img[src^="data:image/png"]');
        return img ? img.src : null;""")


def test_dragging_a_slider_redraws_the_chart_and_a_stop_button_stops_training(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    base, token, root = server
    widgets_notebook(root)
    open_notebook(browser, f"{base}/lab/workspaces/widgets/tree/widgets.ipynb?reset&token={token}")
    run_all(browser)
    handle = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .widget-slider .noUi-handle"),
                      "the degree slider", driver=browser)[0]
    first = wait_for(lambda: chart_source(browser), "the polynomial's chart", driver=browser)
    readout = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .widget-readout")[0]
    assert readout.text.strip() == "5"
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook button.jupyter-button"), "the buttons", driver=browser)
    wait_for(lambda: "run 1" in outputs(browser)[2], "the cells to finish", driver=browser)

    ActionChains(browser).drag_and_drop_by_offset(handle, 120, 0).perform()
    wait_for(lambda: readout.text.strip() not in ("", "5"), "the slider to move", driver=browser)
    redrawn = wait_for(lambda: (lambda s: s if s and s != first else None)(chart_source(browser)),
                       "the chart to be redrawn", timeout=30, driver=browser)
    assert redrawn != first
    pngs = js(browser, """return document.querySelectorAll('.jp-Notebook .jp-CodeCell')[0]
                            .querySelectorAll('.jp-OutputArea-output img').length;""")
    assert pngs == 1, "the chart is replaced in place, not added"
    keep_screenshot(browser, "jupyterlab-widgets-slider.png")

    buttons = {b.text.strip(): b for b in browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook button.jupyter-button")}
    buttons["Train"].click()

    def training_text():
        areas = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .widget-output")
        return areas[0].text if areas else ""

    wait_for(lambda: "/5000" in training_text(), "the training table in the output area", driver=browser)
    assert not kernel_idle(browser)
    buttons["Stop"].click()
    wait_for(lambda: kernel_idle(browser), "the kernel to go idle after the stop button", timeout=30, driver=browser)
    wait_for(lambda: "Interrupted" in training_text(), "the interruption in the output area", timeout=10, driver=browser)
    cells = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")
    cells[2].find_element(By.CSS_SELECTOR, ".cm-content").click()
    from selenium.webdriver.common.keys import Keys
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    wait_for(lambda: "run 2" in outputs(browser)[2], "an earlier cell's variable after the stop", timeout=30, driver=browser)
    keep_screenshot(browser, "jupyterlab-widgets-stopped.png")
