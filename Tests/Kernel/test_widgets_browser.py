"""Shoal's widgets in JupyterLab 4 and Notebook 7 (headless Chromium
through selenium, the harness of test_browser.py): a slider dragged redraws
the polynomial's chart in place, and a stop button interrupts training
started by a button, leaving the kernel idle with its state; lesson 5's
threshold slider redraws the confusion matrix with precision and recall,
and lesson 4's learning-rate (log scale) and epochs sliders retrain the
head; in Notebook 7, the polynomial's slider redraws its chart too.
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


THRESHOLD = """\
let points = Points.spirals(count: 300, classes: 3, seed: 7)
let (train, validation) = points.split(0.8, seed: 42)
var model = Sequential { Dense(2, 32); ReLU(); Dense(32, 3) }
model.train(train, epochs: 3, batchSize: 16)
let result = model.evaluate(validation)
result.thresholdExplorer(positive: "arm 2")"""

HEAD = """\
let fish = Fish.synthetic(seed: 7, perClass: 8)
let (train, validation) = fish.split(0.75, seed: 42)
var model = ImageClassifier(classes: fish.classes)
model.headExplorer(train, validation: validation, batchSize: 8)"""

WEIGHTS = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "shoal", "efficientnet-lite0.safetensors")


def chart_source(driver, cell=0):
    """The src of a cell's chart (its PNG)."""
    return js(driver, """
        const cell = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[arguments[0]];
        const img = cell && cell.querySelector('.jp-OutputArea-output img[src^="data:image/png"]');
        return img ? img.src : null;""", cell)


def png_count_in(driver, cell=0):
    return js(driver, """return document.querySelectorAll('.jp-Notebook .jp-CodeCell')[arguments[0]]
                            .querySelectorAll('.jp-OutputArea-output img').length;""", cell)


def one_cell_notebook(root, name, source):
    nbformat.write(new_notebook(cells=[new_code_cell(source)], metadata={"kernelspec": KERNELSPEC}), root / name)


def sliders(driver, cell=0):
    """(handle, readout text) of each slider in a cell, in order."""
    from selenium.webdriver.common.by import By

    c = driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")[cell]
    return list(zip(c.find_elements(By.CSS_SELECTOR, ".widget-slider .noUi-handle"),
                    [r.text.strip() for r in c.find_elements(By.CSS_SELECTOR, ".widget-readout")]))


def readouts(driver, cell=0):
    return [text for _, text in sliders(driver, cell)]


def drag_redraws(driver, slider, offset, cell=0):
    """Drags a slider of a cell by `offset` pixels and lets go; returns
    (readout before, readout after, chart before, chart after) once the chart
    was redrawn."""
    from selenium.webdriver.common.action_chains import ActionChains

    first = wait_for(lambda: chart_source(driver, cell), "the cell's chart", driver=driver)
    handle, before = sliders(driver, cell)[slider]
    if offset == "start":   # to the track's left end
        offset = js(driver, """const h = arguments[0].getBoundingClientRect();
            const track = arguments[0].closest('.noUi-base').getBoundingClientRect();
            return Math.floor(track.left - (h.left + h.width / 2)) - 1;""", handle)
    ActionChains(driver).drag_and_drop_by_offset(handle, offset, 0).perform()
    after = wait_for(lambda: (lambda r: r if r not in ("", before) else None)(readouts(driver, cell)[slider]),
                     "the slider to move", driver=driver)
    redrawn = wait_for(lambda: (lambda s: s if s and s != first else None)(chart_source(driver, cell)),
                       "the chart to be redrawn", timeout=60, driver=driver)
    wait_for(lambda: kernel_idle(driver), "the kernel to go idle after the redraw", timeout=60, driver=driver)
    assert png_count_in(driver, cell) == 1, "the chart is replaced in place, not added"
    return before, after, first, redrawn


def test_dragging_a_slider_redraws_the_chart_and_a_stop_button_stops_training(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    base, token, root = server
    widgets_notebook(root)
    open_notebook(browser, f"{base}/lab/workspaces/widgets/tree/widgets.ipynb?reset&token={token}")
    run_all(browser)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .widget-slider .noUi-handle"),
             "the degree slider", driver=browser)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook button.jupyter-button"), "the buttons", driver=browser)
    wait_for(lambda: "run 1" in outputs(browser)[2], "the cells to finish", driver=browser)
    assert readouts(browser)[0] == "5"
    before, after, first, redrawn = drag_redraws(browser, 0, 120)
    assert int(after) > 5
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


def test_jupyterlab_threshold_slider_redraws_the_confusion_matrix(server, browser):
    base, token, root = server
    one_cell_notebook(root, "threshold.ipynb", THRESHOLD)
    open_notebook(browser, f"{base}/lab/workspaces/threshold/tree/threshold.ipynb?reset&token={token}")
    run_all(browser)
    wait_for(lambda: sliders(browser), "the threshold slider", timeout=120, driver=browser)
    wait_for(lambda: kernel_idle(browser), "the cell to finish", driver=browser)
    assert readouts(browser) == ["0.50"]
    before, after, first, redrawn = drag_redraws(browser, 0, 150)
    assert float(after) > 0.5, "dragged to the right: a higher threshold"
    keep_screenshot(browser, "jupyterlab-threshold-explorer.png")
    # Back to the left end: every picture counts as the class.
    before, after, _, _ = drag_redraws(browser, 0, "start")
    assert after == "0.00"
    keep_screenshot(browser, "jupyterlab-threshold-explorer-zero.png")


@pytest.mark.skipif(not os.path.exists(WEIGHTS), reason="needs EfficientNet-Lite0's weights (`shoal models fetch`; make test runs it)")
def test_jupyterlab_head_explorer_retrains_when_a_slider_is_let_go(server, browser):
    base, token, root = server
    one_cell_notebook(root, "head.ipynb", HEAD)
    open_notebook(browser, f"{base}/lab/workspaces/head/tree/head.ipynb?reset&token={token}")
    run_all(browser)
    wait_for(lambda: len(sliders(browser)) == 2, "the learning-rate and epochs sliders", timeout=180, driver=browser)
    wait_for(lambda: chart_source(browser), "the training curves", timeout=180, driver=browser)
    wait_for(lambda: kernel_idle(browser), "the cell to finish", timeout=180, driver=browser)
    assert readouts(browser) == ["0.001", "20"], "a log-scale learning rate shown as a rate, and 20 epochs"
    _, epochs, _, _ = drag_redraws(browser, 1, -30)
    assert 1 < int(epochs) < 20
    _, rate, _, _ = drag_redraws(browser, 0, 30)
    assert float(rate) > 0.001, "dragged right on the log scale: a larger learning rate"
    keep_screenshot(browser, "jupyterlab-head-explorer.png")


def test_notebook7_dragging_a_slider_redraws_the_chart(server, browser):
    base, token, root = server
    one_cell_notebook(root, "polynomial7.ipynb", POLYNOMIAL)
    open_notebook(browser, f"{base}/notebooks/polynomial7.ipynb?token={token}")
    run_all(browser)
    wait_for(lambda: sliders(browser), "the degree slider", driver=browser)
    wait_for(lambda: kernel_idle(browser), "the cell to finish", driver=browser)
    assert readouts(browser) == ["5"]
    before, after, first, redrawn = drag_redraws(browser, 0, -120)
    assert int(after) < 5
    keep_screenshot(browser, "notebook7-widgets-slider.png")
