"""Real-browser check: index.html and a report open in headless Chromium, show their verdict
tables, and log no console errors; at a phone's width (390 px) nothing runs off the right
edge; no file of the reports names a folder of the machine that made them.

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

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
#: The shipped study whose report the README shows: four claims, two on one binary outcome.
FLAGSHIP = "raisi-dehkordi-2019"
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
#: What sticks out past the right edge of the viewport: the page itself, and any badge or
#: table wrapper (or a table outside a wrapper).
OVERFLOW = """(() => {
  const width = window.innerWidth;
  const out = [];
  const boxes = document.querySelectorAll(
    ".rea-badge, .rea-scroll, .table-scroll, table:not(.rea-scroll table):not(.table-scroll table), img, svg, .rea-plain");
  for (const element of boxes) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      out.push(element.className + " " + element.tagName + " right " + box.right);
    }
  }
  return {width: width, scrollWidth: document.documentElement.scrollWidth,
          badges: document.querySelectorAll(".rea-badge").length,
          wrappers: document.querySelectorAll(".rea-scroll, .table-scroll").length,
          overflowing: out};
})()"""
PHONE_WIDTH = 390


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

    def set_width(self, width: int, height: int = 900) -> None:
        """Lay pages out as a screen ``width`` CSS pixels wide (a phone at 390)."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

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
    shutil.copy(ROOT / "notebooks" / "claim_check.ipynb", workspace / "notebooks")
    shutil.copy(ROOT / "data" / f"{FLAGSHIP}.yaml", workspace / "studies")
    (workspace / "analyses").mkdir()
    (workspace / "analyses" / "synthetic-counts.yaml").write_text(
        "study: ../studies/synthetic-counts.yaml\n"
        f"notebook: {workspace / 'notebooks' / 'claim_check.ipynb'}\n", encoding="utf-8")
    (workspace / "analyses" / f"{FLAGSHIP}.yaml").write_text(
        f"study: ../studies/{FLAGSHIP}.yaml\nnotebook: ../notebooks/claim_check.ipynb\n",
        encoding="utf-8")
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
    assert table["rows"] == 3
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
    provenance = browser.evaluate("""(() => { const d = document.querySelector(
        "details.rea-provenance"); return d && {open: d.open, last: !d.parentElement.closest(
        ".jp-Cell").nextElementSibling}; })()""")
    assert provenance == {"open": False, "last": True}  # collapsed, at the end
    assert all(image["complete"] and image["width"] > 0 for image in images)
    assert browser.console_errors() == []


def test_flagship_report_opens_with_its_bottom_line(browser, reports):
    """The verdicts come first, each claim's sentence in the order of the study file; the
    significance map of the outcome two claims share is drawn once."""
    browser.open((reports / f"{FLAGSHIP}.html").as_uri())
    order = browser.evaluate("""(() => {
      const top = element => element.getBoundingClientRect().top + window.scrollY;
      const items = Array.from(document.querySelectorAll("ul.rea-bottom-line li strong"));
      return {title: document.querySelector("h1.rea-title").innerText,
              claims: items.map(item => item.innerText),
              table: top(document.querySelector("table.rea-verdicts")),
              legend: top(document.querySelector(".rea-legend")),
              details: top(document.querySelector(".rea-claim")),
              maps: Array.from(document.querySelectorAll("h4")).filter(
                h => h.innerText === "Significance map").length};
    })()""")
    assert order["title"] == "Raisi Dehkordi et al. 2019"
    assert order["claims"] == ["baseline-similar", "lower-epds", "fewer-depressed",
                               "adjusted-odds"]
    assert order["table"] < order["details"] and order["legend"] < order["details"]
    assert order["maps"] == 1  # fewer-depressed and adjusted-odds share ppd_post
    assert browser.console_errors() == []


@pytest.mark.parametrize("page", ["index.html", f"{FLAGSHIP}.html"])
def test_nothing_runs_off_a_phone_screen(browser, reports, page):
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open((reports / page).as_uri())
        layout = browser.evaluate(OVERFLOW)
    finally:
        browser.set_width(1280)
    assert layout["width"] == PHONE_WIDTH
    assert layout["badges"] > 0 and layout["wrappers"] > 0  # the check is not vacuous
    assert layout["overflowing"] == []
    assert layout["scrollWidth"] <= layout["width"]


def test_the_cutoff_section_fits_a_phone_and_stays_legible(browser, reports):
    """The flagship's exact bounds beyond a cut-off: its sentence and both arms' pictures fit
    390 px, scaled down no further than a phone can read (their text stays text)."""
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open((reports / f"{FLAGSHIP}.html").as_uri())
        section = browser.evaluate("""(() => {
          const heading = Array.from(document.querySelectorAll("h4")).find(
            h => h.innerText.startsWith("What the printed means and SDs allow"));
          if (!heading) { return null; }
          const box = heading.closest(".rea");
          const figures = Array.from(box.querySelectorAll("div.rea-figure svg"));
          return {sentence: box.querySelector(".rea-plain").innerText,
                  right: Math.max(...Array.from(box.querySelectorAll("*")).map(
                    e => e.getBoundingClientRect().right)),
                  figures: figures.map(svg => ({
                    shown: svg.getBoundingClientRect().width,
                    drawn: svg.viewBox.baseVal.width,
                    titles: Array.from(svg.querySelectorAll("text")).map(t => t.textContent)
                      .filter(t => t.includes("possible counts"))}))};
        })()""")
    finally:
        browser.set_width(1280)
    assert section is not None
    assert "only if the cut-off is 9 to 11" in section["sentence"]
    assert section["right"] <= PHONE_WIDTH
    assert len(section["figures"]) == 2
    for figure in section["figures"]:
        assert figure["titles"]
        # 11 pt text (drawn in points) shown at two thirds of its size or more: 9.8 px or more
        assert figure["shown"] / (figure["drawn"] * 4 / 3) > 0.66, figure


def test_overflow_check_catches_a_wide_page(browser, tmp_path):
    """The check above is not vacuous: a badge past the right edge is caught."""
    page = tmp_path / "synthetic-wide.html"
    page.write_text('<!DOCTYPE html><html><head><meta name="viewport" '
                    'content="width=device-width, initial-scale=1"></head><body>'
                    '<div class="table-scroll"></div><span class="rea-badge" '
                    'style="position: relative; left: 500px">reproduced</span></body></html>',
                    encoding="utf-8")
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open(page.as_uri())
        layout = browser.evaluate(OVERFLOW)
    finally:
        browser.set_width(1280)
    assert layout["overflowing"] and layout["scrollWidth"] > PHONE_WIDTH


def test_no_report_file_names_a_folder_of_the_machine(reports):
    """Every file under reports/ (HTML, notebooks, JSON, index, CSV) is free of the project's
    absolute path, the checkout's and the home folder."""
    machine = {str(reports.parent), str(ROOT), str(Path.home())}
    files = [path for path in reports.rglob("*") if path.is_file()]
    assert {path.suffix for path in files} >= {".html", ".ipynb", ".json", ".csv"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for folder in machine:
            assert folder + "/" not in text, (path.name, folder)
    data = json.loads((reports / f"{FLAGSHIP}.json").read_text(encoding="utf-8"))
    assert data["path"] == f"studies/{FLAGSHIP}.yaml"
    assert data["analysis"]["study"] == f"studies/{FLAGSHIP}.yaml"


@pytest.fixture(scope="module")
def review_reports(tmp_path_factory):
    """The shipped Michael 2013 review and a synthetic one through the review template."""
    from reanalyse.runner import RunOptions, run_analyses

    workspace = tmp_path_factory.mktemp("browser-reviews")
    (workspace / "reviews").mkdir()
    shutil.copy(ROOT / "reviews" / "michael-2013.yaml", workspace / "reviews")
    shutil.copy(ROOT / "tests" / "reviews" / "synthetic-rests-on-impossible.yaml",
                workspace / "reviews")
    (workspace / "studies").mkdir()
    shutil.copy(ROOT / "tests" / "studies" / "synthetic-impossible-mean.yaml",
                workspace / "studies")
    (workspace / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "review.ipynb", workspace / "notebooks")
    report = run_analyses([workspace / "reviews"], RunOptions(out=workspace / "reports"))
    assert {run.status for run in report.runs} == {"ran"}
    return workspace / "reports"


FOREST = """(() => {
  const svg = Array.from(document.querySelectorAll("div.rea-figure svg")).find(
    s => (s.getAttribute("aria-label") || "").startsWith("Forest plot of"));
  if (!svg) { return null; }
  const box = svg.getBoundingClientRect();
  const sizes = Array.from(svg.querySelectorAll("text")).map(t => t.getBoundingClientRect().height)
    .filter(h => h > 0);
  return {right: box.right, shown: box.width, drawn: svg.viewBox.baseVal.width,
          texts: sizes.length, smallest: Math.min(...sizes),
          bottom: document.body.innerText.indexOf("Bottom line"),
          plot: document.body.innerText.indexOf("Pooled line by pooled line")};
})()"""


@pytest.mark.parametrize("page", ["michael-2013.html", "synthetic-rests-on-impossible.html",
                                  "index.html"])
def test_a_review_fits_a_phone_and_its_forest_plot_stays_legible(browser, review_reports,
                                                                  page):
    """At 390 px nothing runs off the edge, and the forest plot is shown near its drawn size:
    its smallest text (8.5 pt) is at least 10 px tall on the screen."""
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open((review_reports / page).as_uri())
        layout = browser.evaluate(OVERFLOW)
        forest = browser.evaluate(FOREST)
        errors = browser.console_errors()
    finally:
        browser.set_width(1280)
    assert errors == []
    assert layout["overflowing"] == [] and layout["scrollWidth"] <= layout["width"]
    if page == "index.html":
        return
    assert forest is not None and forest["right"] <= PHONE_WIDTH
    assert forest["texts"] > 20
    assert forest["smallest"] >= 10, forest
    assert 0 <= forest["bottom"] < forest["plot"]


#: At a phone's width: each card table's cells (where they end, whether they show), each
#: figure's scale (shown width over drawn width), and the page's text.
PHONE_READING = """(() => {
  const width = window.innerWidth;
  const cells = Array.from(document.querySelectorAll("table.rea-table td[data-label]")).map(
    cell => { const box = cell.getBoundingClientRect();
              return {label: cell.dataset.label, text: cell.innerText, right: box.right,
                      shown: box.width > 0 && box.height > 0
                             && getComputedStyle(cell).visibility === "visible"}; });
  const scrolled = Array.from(document.querySelectorAll(".rea-scroll")).filter(
    box => box.scrollWidth > box.clientWidth + 1).length;
  const images = Array.from(document.querySelectorAll("img.rea-figure")).map(
    image => image.getBoundingClientRect().width / image.naturalWidth);
  const svgs = Array.from(document.querySelectorAll("div.rea-figure svg")).map(
    svg => svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width * 4 / 3));
  return {width: width, cells: cells, scrolled: scrolled, scales: images.concat(svgs),
          bottom: Array.from(document.querySelectorAll("ul.rea-bottom-line li")).map(
            item => item.innerText),
          text: document.body.innerText};
})()"""


def test_a_phone_reads_every_table_and_plot_without_sideways_scrolling(browser, reports):
    """At 390 px the key columns (the tests' decision at alpha, the arms' SD) are on screen
    with their column's name, no table needs sideways scrolling, every figure is shown at two
    thirds of its drawn size or more (11 pt text stays about 10 px), and no sentence points to
    another claim instead of saying its finding."""
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open((reports / f"{FLAGSHIP}.html").as_uri())
        page = browser.evaluate(PHONE_READING)
    finally:
        browser.set_width(1280)
    assert page["width"] == PHONE_WIDTH
    decisions = [cell for cell in page["cells"] if cell["label"] == "At alpha = 0.05"]
    sds = [cell for cell in page["cells"] if cell["label"] == "SD"]
    # lower-epds: 2 rebuilt tests; fewer-depressed: 5 and the printed statistic; adjusted-odds:
    # 5 as context and the CI's p (a shared outcome's tests are shown under each claim)
    assert len(decisions) >= 8 and len(sds) == 2
    assert [cell["text"] for cell in sds] == ["2.18", "2.04"]
    for cell in decisions + sds:
        assert cell["shown"] and cell["right"] <= PHONE_WIDTH, cell
    assert all(cell["right"] <= PHONE_WIDTH for cell in page["cells"])
    assert page["scrolled"] == 0
    assert len(page["scales"]) >= 5  # p-interval plots, the map, the cut-off bands
    assert min(page["scales"]) > 0.66, page["scales"]
    assert "The same cut-off bounds as" not in page["text"]
    # each claim's paragraph is result[claim].explain(), word for word
    import reanalyse as ra

    flat = " ".join(page["text"].split())
    for claim in ra.check(reports.parent / "studies" / f"{FLAGSHIP}.yaml"):
        assert " ".join(claim.explain().split()) in flat, claim.id
    finding = "only if the cut-off is 9 to 11"
    assert [finding in item for item in page["bottom"]] == [False, False, True, True]


def test_the_card_check_catches_a_column_off_screen(browser, tmp_path):
    """The check above is not vacuous: a plain wide table's last column is caught."""
    cells = "".join(f'<td data-label="column {k}">{"x" * 30}</td>' for k in range(6))
    page = tmp_path / "synthetic-wide-table.html"
    page.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-'
                    'width, initial-scale=1"></head><body><div class="rea"><div class="rea-'
                    'scroll" style="overflow-x: auto"><table class="rea-table"><tbody><tr>'
                    f"{cells}</tr></tbody></table></div></div></body></html>", encoding="utf-8")
    browser.set_width(PHONE_WIDTH)
    try:
        browser.open(page.as_uri())
        layout = browser.evaluate(PHONE_READING)
    finally:
        browser.set_width(1280)
    assert layout["scrolled"] == 1
    assert max(cell["right"] for cell in layout["cells"]) > PHONE_WIDTH
