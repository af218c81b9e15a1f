"""`checker explore` in headless Chromium, driven over DevTools with real
mouse clicks (tests/render/cdp.py).

Skipped when Chromium is absent, unless the CI variable is set (then it
fails: .ci/run installs Chromium). Set CHECKER_SCREENSHOT_DIR to keep the
screenshots; by default they go to pytest's temporary directory.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.trace import loads_trace
from checker.webui.app import App
from checker.webui.server import ExplorerServer, listen
from tests.render.cdp import Browser
from tests.webui.tools import app_for, counterexample


class Served:
    """An explorer app served on 127.0.0.1 from a thread of the test."""

    def __init__(self, app: App):
        self.app = app
        self.server: ExplorerServer = listen(app, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        app.search.start()

    def close(self) -> None:
        self.app.search.stop()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def ticket() -> Iterator[Served]:
    served = Served(app_for("specs/ticket.dsl", search=True))
    try:
        yield served
    finally:
        served.close()


def wait_for(browser: Browser, expression: str, timeout: float = 60.0) -> Any:
    """Poll a page expression until it is truthy; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.eval(expression)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {expression}; page errors: {browser.errors()}")


def renders(browser: Browser) -> int:
    return int(browser.eval("window.explorer ? window.explorer.renders() : 0"))


def settle(browser: Browser, before: int) -> None:
    """Wait until the page drew a new view and has nothing in flight."""
    wait_for(browser, f"window.explorer.renders() > {before} && window.explorer.idle()")


def open_explorer(browser: Browser, served: Served) -> None:
    browser.open(served.server.url)
    wait_for(browser, "window.explorer && window.explorer.idle() && window.explorer.renders() > 0")


def click_at(browser: Browser, selector_js: str) -> None:
    """Scroll the element a script finds into view and click its centre."""
    box = browser.eval(f"""(() => {{ const e = {selector_js};
        if (!e) {{ return null; }}
        e.scrollIntoView({{block: "center"}});
        const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
    assert box is not None, f"nothing on the page matches {selector_js}"
    before = renders(browser)
    browser.click(box[0], box[1])
    settle(browser, before)


def step_button(label: str) -> str:
    return ("Array.from(document.querySelectorAll('#side button.step'))"
            f".find(b => b.firstChild.textContent === {json.dumps(label)})")


def page_state(browser: Browser) -> dict[str, Any]:
    return browser.eval("""({
        title: document.getElementById("step-title").textContent,
        verdict: document.getElementById("verdict").textContent,
        broken: Array.from(document.querySelectorAll("#verdict .violation-box")).map(e => e.dataset.prop),
        changed: Array.from(document.querySelectorAll("#state-table tr.changed")).map(e => e.dataset.var),
        enabled: Array.from(document.querySelectorAll("#enabled button.step")).map(b => b.firstChild.textContent),
        faults: Array.from(document.querySelectorAll("#faults button.step")).map(b => b.dataset.kind),
        faultsShown: !document.getElementById("fault-block").hidden,
        at: window.explorer.at(),
        path: window.explorer.path(),
        future: document.querySelectorAll("svg.chart .future").length,
        rows: document.querySelectorAll("svg.chart g.row").length,
        badge: (document.querySelector("svg.chart g.verdict") || {}).textContent || "" })""")


def test_clicking_along_the_overwrite_bug_reaches_the_violation(browser: Browser, ticket: Served, tmp_path: Path) -> None:
    open_explorer(browser, ticket)
    p = page_state(browser)
    assert (p["title"], p["at"], p["rows"]) == ("Step 0 of 0", 0, 1)
    assert len(p["enabled"]) == 6 and not p["faultsShown"] and p["broken"] == []
    assert "every invariant holds" in p["verdict"]

    # the overwrite bug as `checker run` reports it, taken one click at a time
    trace = counterexample(ticket.app, "Consistency")
    for step in trace.steps[1:]:
        click_at(browser, step_button(step.label))
        p = page_state(browser)
        assert p["title"] == f"Step {step.index} of {step.index}" and p["rows"] == step.index + 1
        assert sorted(p["changed"]) == sorted(step.changed)
        if step.index < len(trace):
            assert p["broken"] == [], step.label

    p = page_state(browser)
    assert p["broken"] == ["Consistency"]
    assert "Invariant Consistency violated" in p["verdict"]
    for key, value in trace.violation.values.items():
        assert f"{key}= {value}" in p["verdict"]
    assert "\u2717Consistency violated: a = Server[0]" in p["badge"]
    assert "\u2717 Consistency violated" in browser.eval("document.getElementById('invariants').textContent")

    out = Path(os.environ.get("CHECKER_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    shot = out / "explore-ticket-violation.png"
    browser.eval("window.scrollTo(0, 0)")
    browser.screenshot(shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a real picture, not a blank page
    assert browser.errors() == []
    origin = ticket.server.url.rstrip("/")
    assert all(url.startswith(origin) for url in browser.requests())  # nothing from elsewhere


def test_back_forward_and_continuing_from_an_earlier_step(browser: Browser, ticket: Served) -> None:
    open_explorer(browser, ticket)
    trace = counterexample(ticket.app, "Consistency")
    for step in trace.steps[1:4]:
        click_at(browser, step_button(step.label))
    click_at(browser, "document.getElementById('btn-back')")
    p = page_state(browser)
    assert (p["at"], p["title"], len(p["path"])) == (2, "Step 2 of 3", 4) and p["future"] > 0
    before = renders(browser)
    browser.key("ArrowRight", "ArrowRight", 39)
    settle(browser, before)
    assert page_state(browser)["at"] == 3
    # a click on step 1 of the chart, then another step than the path took: the rest is replaced
    click_at(browser, "document.querySelector('svg.chart g.row[data-step=\"1\"] text.step-label')")
    p = page_state(browser)
    assert p["at"] == 1 and p["future"] > 0
    other = [label for label in p["enabled"] if label != trace.steps[2].label][0]
    click_at(browser, step_button(other))
    p = page_state(browser)
    assert (p["at"], len(p["path"]), p["future"]) == (2, 3, 0)
    assert browser.errors() == []


def test_shortest_path_button_loads_the_counterexample(browser: Browser, ticket: Served) -> None:
    open_explorer(browser, ticket)
    wait_for(browser, "!!document.querySelector('button.shortest[data-prop=\"Consistency\"]')", timeout=300)
    verdicts = browser.eval("document.getElementById('search-body').textContent")
    assert "Consistency" in verdicts and "deadlock" in verdicts and "(complete)" in verdicts
    click_at(browser, "document.querySelector('button.shortest[data-prop=\"Consistency\"]')")
    p = page_state(browser)
    assert (p["at"], p["title"], p["broken"]) == (15, "Step 15 of 15", ["Consistency"])
    wait_for(browser, "!document.getElementById('message').hidden")
    assert "shortest path to the violation of Consistency (15 steps)" in browser.eval(
        "document.getElementById('message').textContent")


def test_open_a_saved_trace_and_export_the_path(browser: Browser, ticket: Served, tmp_path: Path, capsys) -> None:
    assert main(["run", "specs/ticket.dsl", "--no-progress", "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    open_explorer(browser, ticket)
    before = renders(browser)
    doc = browser.page("DOM.getDocument")["root"]["nodeId"]
    node = browser.page("DOM.querySelector", {"nodeId": doc, "selector": "#open-trace"})["nodeId"]
    browser.page("DOM.setFileInputFiles", {"nodeId": node, "files": [str(tmp_path / "Consistency.trace.json")]})
    settle(browser, before)
    wait_for(browser, "!document.getElementById('message').hidden")
    assert "Opened Consistency.trace.json (15 steps)" in browser.eval("document.getElementById('message').textContent")
    p = page_state(browser)
    assert (p["at"], p["broken"]) == (15, ["Consistency"])
    # continue from step 4, then export the path so far
    click_at(browser, "document.querySelector('svg.chart g.row[data-step=\"4\"] text.step-label')")
    exported = browser.eval("fetch(document.getElementById('export').href).then(r => r.text())")
    trace = loads_trace(exported, "exported")
    assert len(trace) == 4 and not trace.violates
    saved = loads_trace((tmp_path / "Consistency.trace.json").read_text(), "run --out")
    assert [s.label for s in trace.steps] == [s.label for s in saved.steps[:5]]
    assert browser.errors() == []


def test_fault_steps_are_listed_apart(browser: Browser) -> None:
    served = Served(app_for("specs/channel/naive.dsl"))
    try:
        open_explorer(browser, served)
        p = page_state(browser)
        assert p["faultsShown"] and set(p["faults"]) == {"loss", "duplicate", "corrupt"}
        assert all(not label.startswith(("loss", "duplicate", "corrupt")) for label in p["enabled"])
        click_at(browser, "document.querySelector('#faults button.step[data-kind=\"loss\"]')")
        assert "fault" in browser.eval("document.getElementById('current-title').textContent")
        assert browser.errors() == []
    finally:
        served.close()
