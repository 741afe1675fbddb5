"""Real-browser check: index.html and a report open in headless Chromium, show their verdict
tables, and log no console errors.

Drives Debian's ``chromium`` over the Chrome DevTools protocol (``websocket-client``).  Skipped
only when no Chromium binary is installed (``apt-get install -y chromium``).
"""

import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser")
                 if shutil.which(name)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH; install Debian's chromium package "
                             "(apt-get install -y chromium) to run the real-browser check")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "run"
VISIBLE_TABLE = """(() => {
  const table = document.querySelector(%r);
  if (!table) { return null; }
  const box = table.getBoundingClientRect();
  const style = getComputedStyle(table);
  return {width: box.width, height: box.height, display: style.display,
          visibility: style.visibility, opacity: style.opacity,
          rows: table.querySelectorAll("tbody tr").length, text: table.innerText};
})()"""
IMAGES = """Array.from(document.images).map(image => ({
  complete: image.complete, width: image.naturalWidth}))"""


class Browser:
    """Headless Chromium driven over the DevTools protocol: open pages, read console errors."""

    def __init__(self, profile: Path):
        import websocket

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                                  suppress_origin=True)
        self.next_id = 0
        self.events = []
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event (events from earlier pages are dropped)."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 60
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            self.events.append(json.loads(self.socket.recv()))
        self.evaluate("0")  # let console messages queued during the load arrive

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors of the current page."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                errors.append(" ".join(str(arg.get("value", arg.get("description")))
                                       for arg in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"]["text"])
        return errors

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    session = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield session
    session.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Reports of two synthetic studies, one through the shipped claim_check template."""
    from reanalyse.runner import RunOptions, run_analyses

    workspace = tmp_path_factory.mktemp("browser-reports")
    for part in ("studies", "notebooks"):
        shutil.copytree(FIXTURES / part, workspace / part)
    (workspace / "analyses").mkdir()
    (workspace / "analyses" / "synthetic-counts.yaml").write_text(
        "study: ../studies/synthetic-counts.yaml\n"
        f"notebook: {ROOT / 'notebooks' / 'claim_check.ipynb'}\n", encoding="utf-8")
    (workspace / "analyses" / "synthetic-clear-difference.yaml").write_text(
        "study: ../studies/synthetic-clear-difference.yaml\n"
        "notebook: ../notebooks/synthetic_minimal.ipynb\n", encoding="utf-8")
    report = run_analyses([workspace / "analyses"],
                          RunOptions(out=workspace / "reports", allow_outside=True))
    assert {run.status for run in report.runs} == {"ran"}
    return workspace / "reports"


def test_console_errors_are_detected(browser, tmp_path):
    """The check below is not vacuous: a page that logs an error is caught."""
    page = tmp_path / "synthetic-error.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p>"
                    "<script>console.error('synthetic console error')</script></body></html>",
                    encoding="utf-8")
    browser.open(page.as_uri())
    assert browser.console_errors() == ["synthetic console error"]


def test_index_shows_the_verdict_table_without_console_errors(browser, reports):
    browser.open((reports / "index.html").as_uri())
    table = browser.evaluate(VISIBLE_TABLE % "table#verdicts")
    assert table is not None
    assert table["width"] > 0 and table["height"] > 0
    assert (table["display"], table["visibility"], table["opacity"]) == ("table", "visible", "1")
    assert table["rows"] == 2
    assert "fewer-relapses" in table["text"] and "fragile" in table["text"]
    assert browser.console_errors() == []


def test_report_shows_the_verdict_table_and_plots_without_console_errors(browser, reports):
    browser.open((reports / "synthetic-counts.html").as_uri())
    table = browser.evaluate(VISIBLE_TABLE % "table.rea-verdicts")
    assert table is not None
    assert table["width"] > 0 and table["height"] > 0
    assert (table["display"], table["visibility"]) == ("table", "visible")
    assert table["rows"] == 1
    assert "fragile" in table["text"]
    images = browser.evaluate(IMAGES)
    assert len(images) == 2  # the p-interval plot and the significance map
    assert all(image["complete"] and image["width"] > 0 for image in images)
    assert browser.console_errors() == []
