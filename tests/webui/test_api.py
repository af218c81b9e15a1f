"""The explorer's JSON API, without a browser or a socket (`App.handle`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.render import Format, render
from checker.render.text import render_trace
from checker.trace import NO_VIOLATION, load_trace_file
from checker.webui.app import App
from checker.webui.background import BackgroundSearch
from checker.webui.explorer import Explorer
from tests.engine.toys import Asserting, Graph, inv
from tests.webui.tools import app_for, counterexample, get, take_by_label, view

TICKET = "specs/ticket.dsl"


@pytest.fixture(scope="module")
def ticket() -> App:
    return app_for(TICKET)


def test_model_and_initial_state(ticket: App) -> None:
    info = get(ticket, "/api/model")
    assert info["spec"] == "NaiveTicket" and info["start"] == [0] and info["initialStates"] == 1
    assert info["invariants"] == ["Consistency"] and info["properties"] == ["Consistency", "deadlock"]
    v = view(ticket, [0])
    assert (v["at"], v["last"], v["status"]) == (0, 0, "ok")
    # every client asked every server for a ticket: six messages, six deliveries
    assert len(v["inFlight"]) == 6 and "Client[0] \u2192 Server[0]: RequestTicket()" in v["inFlight"]
    assert [s["label"] for s in v["enabled"]][:2] == ["Server[0] handles RequestTicket() from Client[0]",
                                                     "Server[1] handles RequestTicket() from Client[0]"]
    assert len(v["enabled"]) == 6 and not any(s["fault"] for s in v["enabled"])
    assert [g["name"] for g in v["groups"]] == ["Server[0]", "Server[1]", "Server[2]", "Client[0]", "Client[1]", "global"]
    assert v["invariants"] == [{"name": "Consistency", "holds": True, "values": [], "error": None}]
    assert v["chart"]["body"].startswith("<svg") and "violation-row" not in v["chart"]["body"]


def test_a_step_changes_what_it_changed(ticket: App) -> None:
    path = take_by_label(ticket, [0], "Server[1] handles RequestTicket() from Client[0]")
    v = view(ticket, path)
    assert v["step"]["label"] == "Server[1] handles RequestTicket() from Client[0]" and v["step"]["kind"] == "deliver"
    changed = {r["name"]: (r["old"], r["value"]) for g in v["groups"] for r in g["vars"] if r["changed"]}
    assert set(changed) == {"Server[1].t_max", "network"} and changed["Server[1].t_max"] == ("0", "1")
    assert "Server[1] \u2192 Client[0]: Ticket(t=1)" in v["inFlight"]
    # looking back at step 0 of the longer path: the next step is marked, the chart still holds both
    back = view(ticket, path, at=0)
    assert [s["index"] for s in back["enabled"] if s["next"]] == [path[1]]
    assert back["last"] == 1 and 'data-step="1"' in back["chart"]["body"]


def test_walking_the_overwrite_bug_to_the_violation(ticket: App) -> None:
    trace = counterexample(ticket, "Consistency")
    path = [0]
    for step in trace.steps[1:]:
        path = take_by_label(ticket, path, step.label)
    v = view(ticket, path)
    assert v["last"] == len(trace) == 15
    broken = [i for i in v["invariants"] if not i["holds"]]
    assert [i["name"] for i in broken] == ["Consistency"]
    assert dict(map(tuple, broken[0]["values"])) == trace.violation.values
    assert v["pathViolation"] == {"kind": "invariant", "prop": "Consistency"}
    assert "Consistency violated" in v["chart"]["body"]
    # one step earlier the invariant still held, and the step that breaks it says so
    before = view(ticket, path, at=14)
    assert all(i["holds"] for i in before["invariants"])
    nxt = [s for s in before["enabled"] if s["next"]]
    assert len(nxt) == 1 and nxt[0]["breaks"] == ["Consistency"]


def test_bad_paths_are_clear_errors(ticket: App) -> None:
    assert "not a step 99" in get(ticket, "/api/view?path=0.99", 400)["error"]
    assert "no initial state 3" in get(ticket, "/api/view?path=3", 400)["error"]
    for bad in ("x", "0..1", "0.-1", "0.\u00b2", "0." + "9" * 12):
        assert "step numbers separated by dots" in get(ticket, f"/api/view?path={bad}", 400)["error"]
    assert "no step 5" in get(ticket, "/api/view?path=0.1&at=5", 400)["error"]
    assert "expected a step number" in get(ticket, "/api/view?path=0&at=one", 400)["error"]
    assert "longer than" in get(ticket, "/api/view?path=" + ".".join(["0"] * 10_002), 400)["error"]
    assert get(ticket, "/api/nothing", 404)["error"] == "no such page: /api/nothing"
    assert ticket.handle("POST", "/api/view").status == 405
    assert "choose an initial state" in get(ticket, "/api/export?path=", 400)["error"]


def test_export_is_a_trace_that_show_renders_and_that_opens_again(ticket: App, tmp_path: Path) -> None:
    path = [0, 1, 0, 3]
    resp = ticket.handle("GET", "/api/export?path=0.1.0.3")
    assert resp.status == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["Content-Disposition"].endswith('NaiveTicket-3-steps.trace.json"')
    file = tmp_path / "walk.trace.json"
    file.write_bytes(resp.body)
    trace = load_trace_file(str(file))
    assert len(trace) == 3 and trace.violation.kind == NO_VIOLATION and not trace.violates
    assert trace.options["source"] == "checker explore"
    text = render_trace(trace)
    assert text.startswith("Path: 3 steps (no property is violated at its last step)") and "Violated" not in text
    for fmt in (Format.HTML, Format.MERMAID, Format.ITF, Format.DOT):
        assert "violated" not in render(trace, fmt).replace("no property is violated", "")
    assert main(["show", str(file)]) == 0
    opened = ticket.handle("POST", "/api/trace?name=walk.trace.json", file.read_bytes())
    assert opened.status == 200 and json.loads(opened.body)["path"] == path


def test_a_counterexample_from_run_out_opens_at_its_violation(ticket: App, tmp_path: Path, capsys) -> None:
    assert main(["run", TICKET, "--no-progress", "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    body = (tmp_path / "Consistency.trace.json").read_bytes()
    resp = ticket.handle("POST", "/api/trace?name=Consistency.trace.json", body)
    assert resp.status == 200
    path = json.loads(resp.body)["path"]
    assert len(path) == 16
    v = view(ticket, path)
    assert not v["invariants"][0]["holds"]
    # continue from step 5 with another step: the rest of the trace is replaced
    fork = path[:6] + [0]
    assert view(ticket, fork)["last"] == 6


@pytest.mark.parametrize("body, message", [
    (b"{", "Consistency.trace.json:1:2: not valid JSON"),
    (b"[1, 2]", "a trace file holds a JSON object"),
    (b'{"format": "checker-trace", "version": 1}', "missing fields 'spec', 'nodes'"),
    (b"\xff\xfe", "not UTF-8 text"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_malformed_trace_uploads_are_clear_errors(ticket: App, body: bytes, message: str) -> None:
    resp = ticket.handle("POST", "/api/trace?name=Consistency.trace.json", body)
    assert resp.status == 400 and message in json.loads(resp.body)["error"]


def test_a_trace_of_another_model_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["run", "specs/channel/naive.dsl", "--no-progress", "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    app = app_for(TICKET)
    resp = app.handle("POST", "/api/trace?name=x.trace.json", (tmp_path / "NoCorruption.trace.json").read_bytes())
    error = json.loads(resp.body)["error"]
    assert resp.status == 400 and "not a behaviour of this model" in error and "spec NaiveChannel" in error


def test_fault_steps_are_marked_apart() -> None:
    app = app_for("specs/channel/naive.dsl")
    v = view(app, [0])
    kinds = {s["kind"]: s["fault"] for s in v["enabled"]}
    assert kinds == {"deliver": False, "loss": True, "duplicate": True, "corrupt": True}
    lost = [s for s in v["enabled"] if s["kind"] == "loss"][0]
    after = view(app, [0, lost["index"]])
    assert after["step"]["fault"] and after["step"]["what"] == "message lost"
    assert len(after["inFlight"]) == len(v["inFlight"]) - 1


def test_deadlock_terminal_and_failing_assertion() -> None:
    locks = app_for("specs/locks/two_phase_lock.dsl")
    found = counterexample(locks, "deadlock")
    path = [0]
    for step in found.steps[1:]:
        path = take_by_label(locks, path, step.label)
    v = view(locks, path)
    assert v["status"] == "deadlock" and v["enabled"] == [] and v["pathViolation"]["kind"] == "deadlock"

    ex = Explorer(Asserting(bad=2, bound=5), "toy")
    app = App(ex, BackgroundSearch(ex, None))
    v = view(app, [0, 0, 0])  # x = 2: "double" succeeds, "inc" fails NotBad
    assert [s["label"] for s in v["enabled"]] == ["double()"]
    assert v["failing"] == {"label": "inc(1,)", "prop": "NotBad", "message": "x must not leave 2",
                            "values": [["x", "2"]], "cut": True}
    assert view(app, [0, 0, 0, 0, 0])["status"] == "terminal"  # x = 5 = bound: no step, and a legitimate end


def test_several_initial_states_are_a_choice() -> None:
    model = Graph({0: [(0, 1)], 1: [], 2: [(0, 1)]}, init=[0, 2], terminal={1},
                  invariants=[inv("NotTwo", lambda s: s[0] != 2)])
    ex = Explorer(model, "graph.py")
    app = App(ex, BackgroundSearch(ex, None))
    assert get(app, "/api/model")["start"] == []
    root = view(app, [])
    assert root["at"] == -1 and root["chart"] is None
    assert [(s["label"], s["breaks"]) for s in root["enabled"]] == [("initial state 0", []),
                                                                     ("initial state 1: v0 = 2", ["NotTwo"])]
    v = view(app, [1])
    assert v["invariants"][0]["holds"] is False and v["invariants"][0]["values"] == [["x", "2"]]


def test_the_background_search_offers_the_shortest_paths() -> None:
    app = app_for("specs/channel/naive.dsl", search=True)
    app.search.start()
    assert app.search.wait(120)
    status = get(app, "/api/search")
    assert status["state"] == "done" and status["complete"]
    verdicts = {v["prop"]: v for v in status["verdicts"]}
    assert {p: v["verdict"] for p, v in verdicts.items()} == {
        "NoCorruption": "violated", "AtMostOnce": "violated", "deadlock": "holds", "AllExecuted": "violated"}
    assert verdicts["deadlock"]["path"] is None
    # each path replays to its counterexample's last state, as long as `checker run` says
    assert (verdicts["NoCorruption"]["steps"], verdicts["AtMostOnce"]["steps"]) == (2, 3)
    for prop in ("NoCorruption", "AtMostOnce"):
        path = verdicts[prop]["path"]
        assert len(path) == verdicts[prop]["steps"] + 1
        v = view(app, path)
        assert [i["name"] for i in v["invariants"] if not i["holds"]] == [prop]
    # the liveness counterexample: a lost command, after which the run may stop
    assert (verdicts["AllExecuted"]["steps"], verdicts["AllExecuted"]["loopStart"]) == (2, None)
    assert view(app, verdicts["AllExecuted"]["path"])["step"]["kind"] == "loss"


def test_the_search_is_off_when_asked(ticket: App) -> None:
    assert get(ticket, "/api/search") == {"state": "off", "error": ""}
