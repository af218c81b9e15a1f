"""`checker explore` on every spec in specs/: it loads, serves its page, its
initial state and its steps, takes a step of each kind it offers, and
exports the path as a trace that replays."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.trace import loads_trace
from checker.webui.view import MAX_INITIAL_CHOICES
from tests.webui.tools import app_for, get, view

SPECS = sorted(str(p) for p in Path("specs").rglob("*.dsl"))


def test_specs_are_found() -> None:
    assert len(SPECS) >= 20


@pytest.mark.parametrize("spec", SPECS)
def test_explore_serves_every_spec(spec: str) -> None:
    app = app_for(spec)
    page = app.handle("GET", "/")
    assert page.status == 200 and b"checker explore" in page.body
    info = get(app, "/api/model")
    start = info["start"]
    if not start:  # several initial states: the page offers the choice
        root = view(app, [])
        assert info["initialStates"] > 1
        assert len(root["enabled"]) == min(info["initialStates"], MAX_INITIAL_CHOICES)
        assert root["more"] == info["initialStates"] - len(root["enabled"])
        start = [0]
    v = view(app, start)
    assert v["at"] == 0 and v["groups"] and v["chart"]["body"].startswith("<svg")
    assert v["status"] in ("ok", "terminal", "deadlock")
    assert len(v["invariants"]) == len(info["invariants"])
    # take the first step of each kind on offer (a delivery, an action, a fault, ...)
    first_of_kind: dict[str, int] = {}
    for s in v["enabled"]:
        first_of_kind.setdefault(s["kind"], s["index"])
    assert first_of_kind or v["status"] != "ok"
    for kind, index in first_of_kind.items():
        after = view(app, start + [index])
        assert after["step"]["kind"] == kind and after["last"] == 1
    if first_of_kind:
        path = start + [min(first_of_kind.values())]
        exported = app.handle("GET", "/api/export?path=" + ".".join(map(str, path)))
        assert exported.status == 200
        trace = loads_trace(exported.body.decode(), spec)
        assert app.ex.open_trace(trace, spec) == path
