"""Every renderer on the real counterexample of models/ticket.py, as found by
the engine (`checker.explore.search.explore`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import itf_py
import pytest

from checker.explore.search import explore
from checker.render.chart import build_chart
from checker.render.dot import StateGraphTooLarge, render_state_graph, render_trace_dot
from checker.render.itf import render_itf
from checker.render.mermaid import render_mermaid
from checker.render.sequence import render_html
from checker.trace import Trace, replay_trace
from models import ticket
from tests.render.cdp import Browser
from tests.render.test_itf import norm_itf, norm_trace
from tests.render.test_mermaid import check_mermaid
from tests.render.tools import chromium


@pytest.fixture(scope="module")
def real() -> Trace:
    result = explore(ticket.build_model())
    assert result.verdicts["Consistency"] == "violated"
    return result.traces["Consistency"]


def test_chart_of_the_real_trace(real: Trace) -> None:
    chart = build_chart(real)
    assert chart.lanes == list(real.nodes)
    delivered = [a for a in chart.arrows if a.fate == "delivered"]
    assert len(delivered) == sum(s.kind == "deliver" for s in real.steps) == len(real)
    # the clients' first requests are in the network from the start (no send step)
    assert {a.origin for a in delivered if a.text == "RequestTicket()"} == {"initial"}
    assert all(a.origin == "send" for a in delivered if a.text != "RequestTicket()")


def test_text_renderers_on_the_real_trace(real: Trace, tmp_path: Path) -> None:
    text = render_mermaid(real)
    assert len(check_mermaid(text)["->>"]) == len(real)
    itf = itf_py.trace_from_json(json.loads(render_itf(real)))
    assert len(itf.states) == len(real.steps)
    for step, state in zip(real.steps, itf.states):
        assert {k: norm_itf(v) for k, v in state.values.items()} == {k: norm_trace(v) for k, v in step.state.items()}
    assert len(re.findall(r"^  t\d+ -> t\d+ ", render_trace_dot(real), re.M)) == len(real)
    model = ticket.build_model()
    with pytest.raises(StateGraphTooLarge, match="more than 200 states"):
        render_state_graph(model, limit=200, highlight_path=[s for _, s in replay_trace(model, real)])


def test_real_trace_in_chromium(real: Trace, tmp_path: Path) -> None:
    b = Browser(chromium(), tmp_path / "profile")
    try:
        page = tmp_path / "real.html"
        page.write_text(render_html(real), encoding="utf-8")
        b.open(page.as_uri())
        assert b.errors() == [] and b.requests() == [page.as_uri()]
        assert b.eval('document.querySelectorAll("svg.chart line.lifeline").length') == len(real.nodes)
        assert b.eval('document.querySelectorAll("svg.chart g.msg.delivered").length') == len(real)
        b.eval("window.traceViewer.select(0); window.traceViewer.select(window.traceViewer.last)")
        assert "Consistency" in b.eval('document.getElementById("panel-violation").textContent')
        b.screenshot(tmp_path / "real.png")
    finally:
        b.close()
