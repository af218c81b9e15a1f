"""Units of trace validation: value matching, mapping lines, silent steps,
optional fields, expression observers, bounded paths."""

from __future__ import annotations

import json
from pathlib import Path

from checker.compile import load_text
from checker.validate import parse_mapping, validate
from checker.validate.bind import Binder
from checker.validate.mapping import _Lines
from checker.validate.match import NodeTable, eq
from checker.values import FALSE, NONE, TRUE, make_bag, make_map, make_set, node, shape_tag, string

PINGS = """
spec Pings
network fifo
faults { loss <= 2 }
role S[1] {
  var n = 0
  action ping(k in 1..3) when n < 6 { n = n + 1; send M(n, k) to R[0] }
}
role R[1] {
  var got = []
  var seen = {}
  on M(i, k) from s { got = append(got, i); seen = seen + {k} }
}
terminal true
"""

MAP = """
[events.ping]
step = "S.ping"
params = { k = "k?" }
observe = { n = "n" }
[events.recv]
step = "R.on M"
fields = { i = "i" }
observe = { got = "got", "size(seen)" = "kinds?" }
"""


def setup(mapping: str = MAP, **consts):
    model = load_text(PINGS, "pings.dsl")
    mp = parse_mapping(mapping, "m.toml")
    return model, mp, Binder(model, mp).bind()


def write(tmp_path: Path, events: list[dict]) -> str:
    p = tmp_path / "log.jsonl"
    p.write_text("".join(json.dumps(e) + "\n" for e in events))
    return str(p)


def test_eq_is_directed_by_the_model_value():
    model = load_text(PINGS, "pings.dsl")
    names = model.names
    nodes = NodeTable(names, {"r0": "R[0]"})
    s = string("x")
    assert eq(3, 3, nodes) and not eq(3, True, nodes) and not eq(TRUE, 1, nodes) and eq(TRUE, True, nodes)
    assert eq(FALSE, False, nodes) and not eq(FALSE, 0, nodes)
    assert eq(s, "x", nodes) and not eq(s, "y", nodes)
    assert eq(NONE, None, nodes) and not eq(NONE, 0, nodes)
    r0 = node(names.nodes.index("R[0]"))
    assert eq(r0, "r0", nodes) and eq(r0, "R[0]", nodes) and not eq(r0, "S[0]", nodes)
    assert eq((1, 2), [1, 2], nodes) and not eq((1, 2), [2, 1], nodes)
    assert eq(make_set((1, 2)), [2, 1], nodes) and not eq(make_set((1, 2)), [1], nodes)
    assert eq(make_bag((1, 1)), [1, 1], nodes) and not eq(make_bag((1, 1)), [1], nodes)
    assert eq(make_map([(r0, 3)]), {"r0": 3}, nodes) and eq(make_map([(1, 3)]), {"1": 3}, nodes)
    assert eq(make_map([(r0, 3)]), [["R[0]", 3]], nodes) and not eq(make_map([(r0, 3)]), {"r0": 4}, nodes)
    shape = next(i for i, sh in enumerate(names.shapes) if sh.name == "M")
    m = (shape_tag(shape), node(0), r0, 1, 2)
    assert eq(m, {"i": 1}, nodes) and eq(m, {"i": 1, "k": 2, "type": "M"}, nodes) and eq(m, [1, 2], nodes)
    assert not eq(m, {"i": 2}, nodes) and not eq(m, {"j": 1}, nodes) and not eq(m, {"type": "N"}, nodes)


def test_lines_of_tables_and_keys():
    text = '[a]\nx = 1\n[b.c]\n"y z" = 2\nd = { e = 1 }\n[events."k.v"]\nstep = "s"\nf.g = 3\n'
    lines = _Lines(text)
    assert lines.line_of("a", "x") == 2 and lines.line_of("b.c", "y z") == 4
    assert lines.line_of("b.c.d", "e") == 5  # an inline table: its key's line
    assert lines.line_of('events."k.v"', "step") == 7 and lines.line_of('events."k.v"') == 6
    assert lines.line_of('events."k.v".f', "g") == 8
    assert lines.line_of("nope", "x") == 0


def test_accepts_with_expression_observer_and_optional_fields(tmp_path):
    model, mp, b = setup()
    log = write(tmp_path, [{"event": "ping", "k": 2, "n": 1}, {"event": "ping", "n": 2},
                           {"event": "recv", "i": 1, "got": [1], "kinds": 1}, {"event": "recv", "i": 2, "got": [1, 2]}])
    out = validate(model, mp, b, [log])
    assert out.verdict == "accepted", out.reports
    # the second ping's k is not logged: 3 candidates, told apart by nothing
    assert [r[4] for r in out.runs] == [1, 3]
    log = write(tmp_path, [{"event": "ping", "k": 2, "n": 1}, {"event": "ping", "k": 2, "n": 2},
                           {"event": "recv", "i": 1, "got": [1], "kinds": 1},
                           {"event": "recv", "i": 2, "got": [1, 2], "kinds": 2}])
    out = validate(model, mp, b, [log])
    assert out.verdict == "rejected" and out.failed.line == 4
    assert "size(seen): model 1, log 2" in out.reports[0].reasons[0][1]


def test_unlogged_loss_needs_silent_steps(tmp_path):
    events = [{"event": "ping", "k": 1, "n": 1}, {"event": "ping", "k": 1, "n": 2},
              {"event": "recv", "i": 2, "got": [2]}]
    log = write(tmp_path, events)
    model, mp, b = setup()
    out = validate(model, mp, b, [log])
    assert out.verdict == "rejected" and out.failed.line == 3
    assert "in flight: S[0] -> R[0] M(i=1, k=1), but i: model 1, log 2" in out.reports[0].reasons[0][1]
    model, mp, b = setup('[validate]\nsilent = ["loss"]\n' + MAP)
    out = validate(model, mp, b, [log])
    assert out.verdict == "accepted" and out.silent_used == 1
    assert [n.silent for n in out.path] == [False, False, False, True, False]
    # the bound on silent steps per event
    events = [{"event": "ping", "k": 1, "n": i} for i in (1, 2, 3)] + [{"event": "recv", "i": 3, "got": [3]}]
    log = write(tmp_path, events)
    assert validate(model, mp, b, [log]).verdict == "rejected"
    assert validate(model, mp, b, [log], max_silent=2).verdict == "accepted"
    model, mp, b = setup('[validate]\nsilent = ["loss"]\nsilent_mode = "eager"\nmax_silent = 2\n' + MAP)
    assert validate(model, mp, b, [log]).verdict == "accepted"


def test_a_logged_loss_is_a_step(tmp_path):
    mapping = MAP + '[events.drop]\nstep = "loss"\nmessage = "M"\nnode = "from"\nto = "to"\nfields = { i = "i" }\n'
    model, mp, b = setup(mapping)
    log = write(tmp_path, [{"event": "ping", "k": 1, "n": 1}, {"event": "ping", "k": 1, "n": 2},
                           {"event": "drop", "from": "S[0]", "to": "R[0]", "i": 1},
                           {"event": "recv", "i": 2, "got": [2]}])
    out = validate(model, mp, b, [log])
    assert out.verdict == "accepted", out.reports
    log = write(tmp_path, [{"event": "ping", "k": 1, "n": 1}, {"event": "drop", "from": "S[0]", "to": "R[0]", "i": 5}])
    out = validate(model, mp, b, [log])
    assert out.verdict == "rejected" and "i: model 1, log 5" in out.reports[0].reasons[0][1]


def test_paths_are_cut_to_the_window(tmp_path):
    spec = "spec T\nrole C[1] {\n  var x = 0\n  action tick { x = (x + 1) % 3 }\n}\nterminal true\n"
    model = load_text(spec, "t.dsl")
    mp = parse_mapping('[events.tick]\nstep = "C.tick"\nobserve = { x = "x" }\n')
    b = Binder(model, mp).bind()
    log = write(tmp_path, [{"event": "tick", "x": (i + 1) % 3} for i in range(2500)])
    out = validate(model, mp, b, [log], window=100)
    assert out.verdict == "accepted" and out.events == 2500
    assert 100 <= len(out.path) <= 201 and out.window_cut
    from checker.validate.report import outcome_trace

    trace = outcome_trace(out, model, "t.dsl")
    assert "earlier steps omitted" in trace.steps[0].label
    assert trace.steps[-1].label == "C[0] action tick()  [log.jsonl:2500]"


def test_unknown_node_field_means_any_node(tmp_path):
    model = load_text("spec U\nrole C[2] {\n  var x = 0\n  action inc { x = x + 1 }\n}\nterminal true\n", "u.dsl")
    mp = parse_mapping('[events.inc]\nstep = "C.inc"\nnode = "node?"\nobserve = { x = "x" }\n')
    b = Binder(model, mp).bind()
    log = write(tmp_path, [{"event": "inc", "x": 1}, {"event": "inc", "node": "C[0]", "x": 2},
                           {"event": "inc", "x": 1}])
    out = validate(model, mp, b, [log])
    assert out.verdict == "accepted" and [r[4] for r in out.runs] == [2, 1]


def test_mapping_consts_and_cli_consts(tmp_path):
    from checker.validate import prepare

    spec = tmp_path / "c.dsl"
    spec.write_text("spec C\nconst K = 1\nrole P[1] {\n  var x = K\n  action a { x = x + 1 }\n}\nterminal true\n")
    mp = tmp_path / "m.toml"
    mp.write_text('[validate]\nconsts = { K = 5 }\n[events.a]\nstep = "P.a"\nobserve = { x = "x" }\n')
    log = write(tmp_path, [{"event": "a", "x": 6}])
    model, mapping, b = prepare(str(spec), str(mp))
    assert validate(model, mapping, b, [log]).verdict == "accepted"
    model, mapping, b = prepare(str(spec), str(mp), {"K": "6"})
    assert validate(model, mapping, b, [log]).verdict == "rejected"


def test_progress_callback_on_long_logs(tmp_path, monkeypatch):
    from checker.validate import engine

    monkeypatch.setattr(engine, "PROGRESS_INTERVAL", 0.0)
    spec = "spec T\nrole C[1] {\n  var x = 0\n  action tick { x = (x + 1) % 3 }\n}\nterminal true\n"
    model = load_text(spec, "t.dsl")
    mp = parse_mapping('[events.tick]\nstep = "C.tick"\n')
    b = Binder(model, mp).bind()
    log = write(tmp_path, [{"event": "tick"}] * 1000)
    seen = []
    out = validate(model, mp, b, [log], progress=seen.append)
    assert out.verdict == "accepted" and [p.events for p in seen] == [256, 512, 768]
    assert seen[0].where == f"{log}:256" and seen[0].candidates == 1 and seen[0].rate > 0


def test_crash_and_restart_faults_of_the_model(tmp_path):
    """A spec with crash/restart faults: the steps are matched through the
    model's own successors (crashes gate deliveries and actions there)."""
    from checker.validate import prepare
    from checker.validate.synth import generic_mapping, random_walk_log

    spec = tmp_path / "cr.dsl"
    spec.write_text(
        "spec CR\nnetwork unordered\nfaults { crash P <= 1, restart P <= 1 }\n"
        "role P[2] {\n  persistent var n = 0\n  var v = 0\n"
        "  action step when n < 4 { n = n + 1; v = v + 1 }\n  on restart { v = 0 }\n}\nterminal true\n")
    from checker.compile import load_spec

    model = load_spec(str(spec))
    kinds = {k.name: k.kind for k in model.action_kinds}
    assert kinds["crash P"] == "crash" and kinds["restart P"] == "restart"
    mp = tmp_path / "m.toml"
    mp.write_text(generic_mapping(model))
    events = None
    for seed in range(40):  # a walk that crashes and restarts a node
        events = list(random_walk_log(model, 12, seed=seed))
        if {"crash P", "restart P"} <= {e["event"] for e in events}:
            break
    log = write(tmp_path, events)
    m, mapping, b = prepare(str(spec), str(mp))
    assert validate(m, mapping, b, [log]).verdict == "accepted"
    crash = next(i for i, e in enumerate(events) if e["event"] == "crash P")
    node = events[crash]["node"]
    before = [e for e in events[:crash] if e["event"] == "P.step" and e["node"] == node]
    n, v = (before[-1]["n"], before[-1]["v"]) if before else (0, 0)
    # the crashed node takes a step it could take if it were up
    bad = events[:crash + 1] + [{"event": "P.step", "node": node, "n": n + 1, "v": v + 1}]
    out = validate(m, mapping, b, [write(tmp_path, bad)])
    assert out.verdict == "rejected" and out.failed.line == crash + 2
    assert f"no 'P.step' step of {node} is enabled" in out.reports[0].reasons[0][1]
