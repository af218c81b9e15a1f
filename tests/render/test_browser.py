"""The sequence-chart page in headless Chromium, driven over DevTools.

Skipped when Chromium is absent, unless the CI variable is set (then it
fails: CI installs Chromium). Set CHECKER_SCREENSHOT_DIR to keep the
screenshots; by default they go to pytest's temporary directory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.render.mermaid import render_mermaid
from checker.render.sequence import render_html
from checker.trace import Trace
from tests.render.cdp import Browser
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace
from tests.render.tools import chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    b = Browser(chromium(), tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


def open_trace(browser: Browser, trace: Trace, where: Path, name: str = "trace") -> None:
    page = where / f"{name}.html"
    page.write_text(render_html(trace), encoding="utf-8")
    browser.open(page.as_uri())
    assert browser.errors() == []
    assert browser.requests() == [page.as_uri()]  # nothing but the page itself


def center(browser: Browser, selector: str) -> tuple[float, float]:
    """Scroll the element into view and return its centre on the screen."""
    box = browser.eval(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
        e.scrollIntoView({{block: "center", inline: "center"}});
        const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
    return box[0], box[1]


def panel(browser: Browser) -> dict[str, Any]:
    return browser.eval("""({
        title: document.getElementById("panel-title").textContent,
        step: document.getElementById("panel-step").textContent,
        violationShown: !document.getElementById("panel-violation").hidden,
        violation: document.getElementById("panel-violation").textContent,
        changed: Array.from(document.querySelectorAll("#state-table tr.changed td.var")).map(e => e.textContent),
        current: window.traceViewer.current(),
        slider: document.getElementById("slider").value })""")


def test_ticket_chart_in_chromium(browser: Browser, tmp_path: Path) -> None:
    trace = ticket_trace()
    open_trace(browser, trace, tmp_path)
    counts = browser.eval("""({
        lifelines: Array.from(document.querySelectorAll("svg.chart line.lifeline")).map(e => e.dataset.lane),
        heads: Array.from(document.querySelectorAll("svg.lanes-head .lane-head")).map(e => e.dataset.lane),
        delivered: document.querySelectorAll("svg.chart g.msg.delivered").length,
        drawn: Array.from(document.querySelectorAll("svg.chart g.msg.delivered path.line"))
                    .filter(p => p.getTotalLength() > 20).length,
        lost: document.querySelectorAll("svg.chart g.msg.lost path.cross").length,
        inFlight: document.querySelectorAll("svg.chart g.msg.in-flight").length,
        title: document.querySelector("h1").textContent })""")
    assert counts["lifelines"] == list(trace.nodes) == counts["heads"]
    deliveries = sum(s.kind == "deliver" for s in trace.steps)
    assert counts["delivered"] == counts["drawn"] == deliveries
    assert (counts["lost"], counts["inFlight"]) == (1, 3)
    assert counts["title"] == "NaiveTicket: Consistency violated"

    # the page opens on the last step; go to the start with the slider
    browser.eval('const s = document.getElementById("slider"); s.value = "0"; s.dispatchEvent(new Event("input"));')
    p = panel(browser)
    assert (p["current"], p["title"], p["violationShown"]) == (0, "Initial stateinitial state", False)
    # every message is still in the future (dimmed)
    assert browser.eval('document.querySelectorAll("svg.chart g.msg.future").length') == deliveries + 1 + 3

    x, y = center(browser, '#btn-next')  # a real mouse click on "next"
    browser.click(x, y)
    assert panel(browser)["current"] == 1
    x, y = center(browser, 'svg.chart g.row[data-step="5"] text.step-label')  # click a step's row
    browser.click(x, y)
    p = panel(browser)
    assert (p["current"], p["slider"]) == (5, "5")
    assert p["changed"] == ["tickets", "network"] and "Ticket(t=1)" in p["step"]
    browser.key("End", "End", 35)  # the keyboard reaches the last step
    p = panel(browser)
    assert p["current"] == len(trace.steps) - 1
    assert p["violationShown"] and "Consistency" in p["violation"] and '"c2"' in p["violation"]
    assert p["changed"] == ["executed", "network"]
    assert browser.eval('document.querySelectorAll("#state-table tr.broke").length') == 2
    assert browser.eval('document.querySelectorAll("svg.chart .future").length') == 0
    # the global variables have their own heading, not the last node's
    rows = browser.eval('Array.from(document.querySelectorAll("#state-table tr")).map(r => r.textContent)')
    network = next(k for k, text in enumerate(rows) if text.startswith("network"))
    assert [r for r in rows[:network] if r in ("global", "Client[1]")][-1] == "global"
    assert browser.errors() == []


def test_screenshot(browser: Browser, tmp_path: Path) -> None:
    out = Path(os.environ.get("CHECKER_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    open_trace(browser, ticket_trace(), tmp_path)
    shot = out / "ticket-sequence.png"
    browser.screenshot(shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a real picture, not a blank page
    open_trace(browser, ticket_lasso(), tmp_path, "lasso")
    browser.eval('window.traceViewer.select(9); window.scrollTo(0, 150);')
    browser.screenshot(out / "ticket-lasso.png")
    print(f"screenshots in {out}")


def test_lasso_in_chromium(browser: Browser, tmp_path: Path) -> None:
    trace = ticket_lasso()
    open_trace(browser, trace, tmp_path)
    assert browser.eval('document.querySelector("svg.chart g.loop").dataset.loopStart') == "9"
    browser.eval("window.traceViewer.select(9)")
    assert "loop starts here" in panel(browser)["step"].lower()
    browser.eval(f"window.traceViewer.select({len(trace.steps) - 1})")
    p = panel(browser)
    assert "back to step 9" in p["step"] and "EventuallyExecuted" in p["violation"]


def test_hostile_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    trace = kitchen_sink_trace()
    open_trace(browser, trace, tmp_path)  # also: no alert() dialog, no errors
    assert browser.eval("document.title") == "Sink<script>alert(1)</script>: Safe<&> violated"
    assert browser.eval("document.scripts.length") == 2
    assert browser.eval('document.querySelectorAll("b").length') == 0
    assert browser.eval('document.querySelectorAll("svg.chart line.lifeline").length') == len(trace.nodes) + 1
    browser.eval("window.traceViewer.select(2)")
    assert '</script><b>x</b>' in panel(browser)["step"]


def test_mermaid_draws_in_chromium(browser: Browser, tmp_path: Path) -> None:
    """Mermaid itself parses and draws our diagrams, when its script is at
    hand (CHECKER_MERMAID_JS=/path/to/mermaid.min.js, e.g. from npm)."""
    script = os.environ.get("CHECKER_MERMAID_JS")
    if not script or not Path(script).is_file():
        pytest.skip("set CHECKER_MERMAID_JS to a mermaid.min.js to run Mermaid itself")
    page = tmp_path / "mermaid.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="out"></div>'
                    f'<script src="{Path(script).resolve().as_uri()}"></script>'
                    f'<script>mermaid.initialize({{startOnLoad: false}});</script></body></html>')
    browser.open(page.as_uri())
    for trace in (ticket_trace(), ticket_lasso(), kitchen_sink_trace()):
        text = render_mermaid(trace)
        result = browser.eval(f"""(async () => {{ try {{
            const out = document.getElementById("out"); out.textContent = "";
            const pre = document.createElement("pre"); pre.className = "mermaid";
            pre.textContent = {json.dumps(text)}; out.appendChild(pre);
            await mermaid.run({{nodes: [pre]}});
            return out.querySelectorAll("svg").length + " " + out.textContent; }}
            catch (e) {{ return "error: " + e.message; }} }})()""")
        assert result.startswith("1 "), result
        assert trace.violation.prop in result and "#59;" not in result
