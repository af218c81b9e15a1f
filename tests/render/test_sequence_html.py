"""The HTML sequence chart without a browser: self-contained, escaped, complete."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from checker.render.sequence import render_html
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace


class _Collect(HTMLParser):
    """Tags with their attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def having(self, tag: str, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and cls in a.get("class", "").split()]


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    return p


def test_page_is_self_contained() -> None:
    html = render_html(ticket_trace())
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    page = _parse(html)
    for tag, attrs in page.tags:  # nothing is loaded from anywhere
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert [t for t, _ in page.tags].count("script") == 2


def test_chart_elements() -> None:
    trace = ticket_trace()
    page = _parse(render_html(trace))
    assert [a["data-lane"] for a in page.having("line", "lifeline")] == list(trace.nodes)
    delivered = page.having("g", "delivered")
    assert len(delivered) == sum(s.kind == "deliver" for s in trace.steps)
    assert len(page.having("g", "lost")) == 1
    assert len(page.having("g", "in-flight")) == 3
    assert [a["data-lane"] for a in page.having("g", "crash")] == ["Server[2]"]
    assert [a["data-step"] for a in page.having("g", "row")] == [str(i) for i in range(len(trace.steps))]
    assert sorted(a["data-lane"] for a in page.having("circle", "culprit")) == ["Server[0]", "Server[1]"]
    assert len(page.having("g", "verdict")) == 1
    assert not page.having("g", "loop")


def test_title_legend_and_data() -> None:
    trace = ticket_trace()
    html = render_html(trace)
    assert "<title>NaiveTicket: Consistency violated</title>" in html
    page = _parse(html)
    legend = {a["data-legend"] for a in page.having("span", "legend-item")}
    assert {"delivered", "lost", "in-flight", "crash", "action", "violation"} <= legend
    assert "partition" not in legend  # only symbols this chart uses
    data = json.loads(page.scripts[0])
    assert len(data["steps"]) == len(trace.steps)
    assert data["steps"][22]["changed"] == ["Server[1].executed", "network"]
    assert data["violation"]["values"] == {"Server[0].executed": '"c1"', "Server[1].executed": '"c2"'}
    assert len(data["inFlight"][-1]) == 3


def test_lasso_page_marks_the_loop() -> None:
    trace = ticket_lasso()
    page = _parse(render_html(trace))
    [loop] = page.having("g", "loop")
    assert loop["data-loop-start"] == "9"
    assert json.loads(page.scripts[0])["loopStart"] == 9


def test_user_text_is_escaped() -> None:
    html = render_html(kitchen_sink_trace())
    assert "<script>alert(1)" not in html
    assert "</script><b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = _parse(html)
    assert [t for t, _ in page.tags].count("script") == 2
    assert "b" not in {t for t, _ in page.tags}
    data = json.loads(page.scripts[0])  # the JSON survives the escaping intact
    assert data["spec"] == "Sink<script>alert(1)</script>"
    assert page.having("line", "lifeline")[0]["data-lane"] == "env"
    assert len(page.having("line", "lifeline")) == 3
    assert len(page.having("g", "attempt")) == 1


def test_odd_traces_render_everywhere() -> None:
    """A model without nodes, a self-message, and a deadlock."""
    from checker.render.dot import render_trace_dot
    from checker.render.itf import render_itf
    from checker.render.mermaid import render_mermaid
    from checker.trace import Step, Trace, Violation
    from tests.render.test_mermaid import check_mermaid

    plain = Trace("Plain", (), (
        Step(0, "init", "initial state", None, None, (), {"x": 0}, {"x": "0"}, ()),
        Step(1, "action", "inc", None, None, (), {"x": 1}, {"x": "1"}, ("x",)),
    ), Violation("deadlock", "deadlock"))
    selfie = Trace("Self", ("A",), (
        Step(0, "init", "initial state", None, None, ({"src": "A", "dst": "A", "text": "Tick()"},), {}, {}, ()),
        Step(1, "deliver", "A handles Tick()", "A", {"src": "A", "dst": "A", "text": "Tick()"}, (), {}, {}, ()),
    ), Violation("Inv", "invariant"))
    for trace in (plain, selfie):
        page = _parse(render_html(trace))
        check_mermaid(render_mermaid(trace))
        assert json.loads(render_itf(trace))["states"]
        assert render_trace_dot(trace).startswith("digraph")
        assert len(page.having("line", "lifeline")) == max(1, len(trace.nodes))
    assert "<h1><span class=\"spec\">Plain</span>: <span class=\"prop\">deadlock</span></h1>" in render_html(plain)
    assert "Note over system: [1] inc" in render_mermaid(plain)
    assert "A->>A: [1] Tick()" in render_mermaid(selfie)
    assert len(_parse(render_html(selfie)).having("g", "delivered")) == 1
