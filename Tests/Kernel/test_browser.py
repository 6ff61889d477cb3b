"""Shoal in the browser, where every learner meets it: JupyterLab 4 and
Notebook 7 in headless Chromium (Debian's chromium and chromium-driver),
driven by selenium.

- JupyterLab: a lesson (a copy, with an error cell added at its end) runs
  with Run All Cells; its PNG charts and the training table appear, and the
  error cell shows its message. A long training shows its table filling in
  live; the stop button interrupts it, the kernel goes idle and a variable
  from an earlier cell is still there.
- Notebook 7: the same lesson runs with Run All Cells, charts and error message shown.
"""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import conftest  # noqa: F401  (installs the kernelspec)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LESSON = "02-epochs-batches-iterations.ipynb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
KERNELSPEC = {"name": "shoal", "display_name": "Swift (Shoal)", "language": "swift"}

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMEDRIVER), reason="chromium-driver is not installed (make test installs it)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebooks(folder):
    """The lesson with an error cell at its end, and a long training to stop."""
    lesson = nbformat.read(os.path.join(ROOT, "instructor", LESSON), as_version=4)
    for cell in lesson.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    lesson.cells.append(new_code_cell("let batchSizes = [8, 32, 128]\nbatchSizes[3]"))
    nbformat.write(lesson, folder / "lesson.ipynb")
    stop = new_notebook(cells=[
        new_markdown_cell("# Stop me"),
        new_code_cell("let before = 41 + 1"),
        new_code_cell("let points = Points.spirals(count: 1200, classes: 3, seed: 7)\n"
                      "let (train, validation) = points.split(0.8, seed: 42)"),
        new_code_cell("var model = Sequential {\n    Dense(2, 256)\n    ReLU()\n    Dense(256, 256)\n    ReLU()\n    Dense(256, 3)\n}\n"
                      "let history = model.train(train, validation: validation, epochs: 5000, batchSize: 4)"),
        new_code_cell("before"),
    ], metadata={"kernelspec": KERNELSPEC})
    nbformat.write(stop, folder / "stop.ipynb")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-notebooks")
    notebooks(root)
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("browser-home")
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    lab = os.path.join(os.path.dirname(sys.executable), "jupyter-lab")
    args = [lab, "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={token}",
            f"--ServerApp.root_dir={root}", "--LabApp.news_url=None", "--ServerApp.disable_check_xsrf=True",
            f"--LabApp.workspaces_dir={home / 'workspaces'}", f"--LabApp.user_settings_dir={home / 'settings'}"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    # Every cell rendered (JupyterLab leaves cells out of view unrendered by default), and no news toast.
    for extension, settings in (("notebook-extension/tracker", '{"windowingMode": "none"}'),
                                ("apputils-extension/notification", '{"fetchNews": "false"}')):
        path = home / "settings" / "@jupyterlab" / f"{extension}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(settings)
    log = open(home / "server.log", "w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the Jupyter server did not start: " + (home / "server.log").read_text()[-2000:])
            time.sleep(0.3)
    yield base, token, root
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def wait_for(predicate, what, timeout=120, driver=None, every=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    shot = ""
    if driver is not None:
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"shoal-browser-{int(time.time())}.png")
        driver.save_screenshot(path)
        shot = f" (screenshot: {path})"
    pytest.fail(f"timed out waiting for {what}{shot}")


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def outputs(driver):
    """The text of each code cell's output area, in order."""
    return js(driver, """
        return Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell')).map(
            c => (c.querySelector('.jp-Cell-outputArea') || {innerText: ''}).innerText);""")


def png_count(driver):
    return js(driver, "return document.querySelectorAll('.jp-OutputArea-output img[src^=\"data:image/png\"]').length;")


def run_all(driver):
    """Run → Run All Cells, through the menu bar as a person would."""
    from selenium.webdriver.common.by import By

    menu = wait_for(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item") if e.text.strip() == "Run"],
                    "the Run menu", driver=driver)
    menu[0].click()
    item = wait_for(lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu-item")
                             if e.text.strip().startswith("Run All Cells")], "Run All Cells", driver=driver)
    item[0].click()


def kernel_idle(driver):
    return js(driver, """
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
        if (s && s.getAttribute('data-status')) return s.getAttribute('data-status') === 'idle';
        const k = document.querySelector('.jp-KernelStatus, .jp-Toolbar-kernelStatus');
        return !!k && /idle/i.test(k.getAttribute('title') || k.innerText || '');""")


def open_notebook(driver, url):
    driver.get(url)
    wait_for(lambda: js(driver, "return document.querySelectorAll('.jp-Notebook .jp-Cell').length") > 0, "the notebook", driver=driver)
    wait_for(lambda: kernel_idle(driver), "the Shoal kernel to start", driver=driver)
    for _ in range(20):   # the notebook has the focus (cells may still be re-rendered: retry)
        try:
            driver.find_element("css selector", ".jp-Notebook .jp-Cell").click()
            break
        except Exception:
            time.sleep(0.3)


def check_lesson_ran(driver):
    texts = wait_for(lambda: (lambda t: t if t and "IndexError" in t[-1] else None)(outputs(driver)),
                     "the error cell's message", timeout=240, driver=driver)
    assert "index 3 is out of range" in texts[-1] or "out of range" in texts[-1], texts[-1]
    assert png_count(driver) >= 2, "the lesson's charts should show as PNG images"
    assert any(re.search(r"12/12", t) for t in texts), ("the training table should show every epoch", [t[:300] for t in texts])
    assert not any("Error" in t for t in texts[:-1]), [t[:200] for t in texts if "Error" in t]


def keep_screenshot(driver, name):
    """Leaves what the browser showed in .build/browser/, for people to look at."""
    folder = os.path.join(ROOT, ".build", "browser")
    os.makedirs(folder, exist_ok=True)
    driver.save_screenshot(os.path.join(folder, name))


def test_jupyterlab_runs_a_lesson_shows_charts_and_errors(server, browser):
    base, token, _ = server
    open_notebook(browser, f"{base}/lab/workspaces/lesson/tree/lesson.ipynb?reset&token={token}")
    run_all(browser)
    check_lesson_ran(browser)
    keep_screenshot(browser, "jupyterlab-lesson.png")


def test_jupyterlab_training_table_updates_live_and_the_stop_button_keeps_state(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, token, _ = server
    open_notebook(browser, f"{base}/lab/workspaces/stop/tree/stop.ipynb?reset&token={token}")
    run_all(browser)

    def epochs_shown():
        texts = outputs(browser)
        found = re.findall(r"\b(\d+)/5000\b", texts[2]) if len(texts) > 2 else []
        return max(map(int, found)) if found else 0

    first = wait_for(epochs_shown, "the live training table", driver=browser, every=0.1)
    wait_for(lambda: epochs_shown() > first, "the training table to grow while training runs", driver=browser, every=0.1)
    assert not kernel_idle(browser)
    stop = browser.find_elements(By.CSS_SELECTOR, '[data-jp-item-name="interrupt"] button, [data-command="notebook:interrupt-kernel"]')
    assert stop, "the stop button"
    stop[0].click()
    wait_for(lambda: kernel_idle(browser), "the kernel to go idle after the stop button", timeout=30, driver=browser)
    texts = outputs(browser)
    assert "Interrupted" in texts[2], texts[2][-500:]
    # The cell after the training was not run (its request was aborted); run it now.
    cells = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")
    cells[3].find_element(By.CSS_SELECTOR, ".cm-content").click()
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    wait_for(lambda: "42" in outputs(browser)[3], "an earlier cell's variable after the interrupt", timeout=30, driver=browser)
    keep_screenshot(browser, "jupyterlab-stopped.png")


def test_notebook7_runs_a_lesson_shows_charts_and_errors(server, browser):
    base, token, _ = server
    open_notebook(browser, f"{base}/notebooks/lesson.ipynb?token={token}")
    run_all(browser)
    check_lesson_ran(browser)
    keep_screenshot(browser, "notebook7-lesson.png")
