"""Mapping language v2: events matched by several fields, model values built
from log fields, lookup tables, observe-only and effect lines (multi-line
steps), array constants, require_send, fault counts left to the log, the
closest-candidate explanation, and validation of a Python model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.compile import load_text
from checker.options import LoadOptions
from checker.validate import parse_mapping, prepare, validate
from checker.validate.bind import Binder
from checker.validate.logvalues import evaluate, parse_value
from tests.conftest import ROOT

DATA = ROOT / "tests" / "validate" / "data"

# A counter that logs its step over two lines, a sender whose messages may
# be lost, and a list of (term, cmd) records.
SPEC = """
spec Two
const Cmds = ["x"]
network fifo
faults { loss <= 2 }
role S[1] {
  var n = 0
  var log = []
  action put(c in set(Cmds)) when n < 30 { n = n + 1; log = append(log, (term: n, cmd: c)); send M(n) to R[0] }
}
role R[1] {
  var got = 0
  on M(i) from s { got = i }
}
terminal true
"""


def write(tmp_path: Path, events: list[dict], name: str = "log.jsonl") -> str:
    p = tmp_path / name
    p.write_text("".join(json.dumps(e) + "\n" for e in events))
    return str(p)


def setup(mapping: str, consts: dict | None = None):
    mp = parse_mapping(mapping, "m.toml")
    model = load_text(SPEC, "two.dsl", LoadOptions(consts={**mp.consts, **(consts or {})}))
    return model, mp, Binder(model, mp).bind()


def test_value_expressions_build_model_values():
    def ev(v, data, tables=None):
        return evaluate(parse_value(v, ValueError, set(tables or {})), data, tables or {})

    entry = {"index": 3, "term": 2, "op": "append", "args": ["a"]}
    assert ev({"record": {"term": "term", "cmd": {"first": ["args.0", "op"]}}}, entry) == {"term": 2, "cmd": "a"}
    assert ev({"first": ["args.0", "op"]}, {"op": "noop", "args": []}) == "noop"
    assert ev({"each": "es", "value": {"tuple": ["term", "index"]}}, {"es": [entry, entry]}) == [[2, 3], [2, 3]]
    assert ev({"lookup": "role", "key": "r"}, {"r": 2}, {"role": {"2": "leader"}}) == "leader"
    assert ev({"lookup": "v", "key": "x", "default": "x"}, {"x": "n1"}, {"v": {"0": None}}) == "n1"
    assert ev({"int": "t"}, {"t": "42"}) == 42
    assert ev({"null": True}, {}) is None
    with pytest.raises(ValueError, match="a value table must be one of"):
        parse_value({"recrod": {}}, ValueError)


def test_match_several_fields_effects_and_lookup(tmp_path):
    mapping = """
[log]
kind = "kind"
[tables.cmd]
"1" = "x"
[events.put]
match = { kind = "op", ctx = "client" }
step = "S.put"
params = { c = { lookup = "cmd", key = "code" } }
[events.put_effect]
match = { kind = "op" }
step = "effect"
node = { value = "S[0]" }
observe = { n = "n", "log[$n - 1]" = { record = { term = "n", cmd = { lookup = "cmd", key = "code" } } } }
[events.recv]
match = { kind = "recv" }
step = "R.on M"
fields = { i = "i" }
"""
    model, mp, b = setup(mapping)
    events = [{"kind": "op", "ctx": "client", "code": 1}, {"kind": "op", "ctx": "apply", "n": 1, "code": 1},
              {"kind": "recv", "i": 1}]
    out = validate(model, mp, b, [write(tmp_path, events)])
    assert out.verdict == "accepted", out.reports
    assert out.events == 3 and out.runs[-1][4] == 1
    # the effect line's value differs: rejected at that line, not at the step's
    events[1]["n"] = 2
    out = validate(model, mp, b, [write(tmp_path, events)])
    assert out.verdict == "rejected" and out.failed.line == 2, out.reports
    assert "S[0].n: model 1, log 2" in out.reports[0].reasons[0][1]


def test_observe_only_checks_state_without_a_step(tmp_path):
    mapping = """
[events.put]
step = "S.put"
[events.state]
step = "observe"
node = { value = "S[0]" }
observe = { n = "n" }
"""
    model, mp, b = setup(mapping)
    ok = write(tmp_path, [{"event": "put"}, {"event": "state", "n": 1}, {"event": "state", "n": 1}])
    assert validate(model, mp, b, [ok]).verdict == "accepted"
    bad = write(tmp_path, [{"event": "put"}, {"event": "state", "n": 2}])
    out = validate(model, mp, b, [bad])
    assert out.verdict == "rejected" and out.failed.line == 2


def test_array_constants_and_require_send(tmp_path):
    mapping = """
[validate]
consts = { Cmds = ["x", "y"] }
require_send = true
[events.put]
step = "S.put"
params = { c = "c" }
[events.sent]
step = "send"
message = "M"
node = { value = "S[0]" }
fields = { i = "i" }
[events.recv]
step = "R.on M"
fields = { i = "i" }
"""
    model, mp, b = setup(mapping)
    good = [{"event": "put", "c": "y"}, {"event": "sent", "i": 1}, {"event": "recv", "i": 1}]
    assert validate(model, mp, b, [write(tmp_path, good)]).verdict == "accepted"
    orphan = [{"event": "put", "c": "y"}, {"event": "recv", "i": 1}]
    out = validate(model, mp, b, [write(tmp_path, orphan)])
    assert out.verdict == "rejected" and out.failed.line == 2
    assert "the log shows no send of it before this receive (require_send)" in out.reports[0].reasons[0][1]
    # without the option the same log is accepted
    model, mp, b = setup(mapping.replace("require_send = true", "require_send = false"))
    assert validate(model, mp, b, [write(tmp_path, orphan)]).verdict == "accepted"


def test_fault_bounds_do_not_cap_validation(tmp_path, capsys):
    """The spec allows 2 losses; the log has 25: the log decides."""
    spec = tmp_path / "two.dsl"
    spec.write_text(SPEC)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[events.put]\nstep = "S.put"\n[events.drop]\nstep = "loss"\nmessage = "M"\n'
                       'node = { value = "S[0]" }\nto = { value = "R[0]" }\nfields = { i = "i" }\n')
    events = []
    for i in range(1, 26):
        events += [{"event": "put"}, {"event": "drop", "i": i}]
    log = write(tmp_path, events)
    code = main(["validate", str(spec), "--log", log, "--map", str(mapping), "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 0, out


def test_the_closest_candidate_is_named_through_silent_steps(tmp_path):
    mapping = """
[validate]
silent = ["loss"]
max_silent = 2
[events.put]
step = "S.put"
[events.recv]
step = "R.on M"
fields = { i = "i" }
observe = { got = "got" }
"""
    model, mp, b = setup(mapping)
    # M(1) and M(2) are lost silently; M(3) arrives, but the log says got 4
    events = [{"event": "put"}] * 3 + [{"event": "recv", "i": 3, "got": 4}]
    out = validate(model, mp, b, [write(tmp_path, events)])
    assert out.verdict == "rejected" and out.failed.line == 4
    best = out.reports[0]
    assert best.closest and len(best.silent) == 2 and best.differences == 1
    assert "R[0].got: model 3, log 4" in best.reasons[0][1]
    from checker.validate.report import render_text

    text = render_text(out, model, "two.dsl", ["log.jsonl"], "m.toml")
    assert "closest: candidate 1 after 2 silent step(s), differing in 1 value(s); first: R[0].got: model 3, log 4" \
        in text


@pytest.mark.parametrize("mapping,line,message", [
    ('[events.a]\nmatch = { kind = { regex = "(" } }\nstep = "S.put"\n', 2, "not a regular expression"),
    ('[events.a]\nmatch = "x"\nstep = "S.put"\n', 2, "match must be a table of FIELD = value"),
    ('[events.a]\nstep = "S.put"\nparams = { c = { lookup = "nope", key = "k" } }\n', 3, "no table [tables.nope]"),
    ('[events.a]\nstep = "S.put"\nparams = { c = { each = 3 } }\n', 3, "a value table must be one of"),
    ('[validate]\nconsts = { Cmds = [{ a = 1 }] }\n[events.a]\nstep = "S.put"\n', 2, "or an array of them"),
    ('[validate]\nrequire_send = 1\n[events.a]\nstep = "S.put"\n', 2, "require_send must be true or false"),
    ('[events.a]\nmatch = { k = 1 }\nstep = "skip"\nnode = "n"\n', 3, 'step = "skip" ignores the events'),
    ('[events.a]\nstep = "effect"\nobserve = { n = "n" }\n', 2, "an effect event needs `node`"),
    ('[events.a]\nstep = "observe"\n', 2, "an observe-only event needs `observe`"),
    ('[log]\norder = "random"\n[events.a]\nstep = "S.put"\n', 2, "order must be one of time, lines"),
])
def test_bad_v2_mappings_are_positioned(tmp_path, capsys, mapping, line, message):
    spec = tmp_path / "two.dsl"
    spec.write_text(SPEC)
    mp = tmp_path / "m.toml"
    mp.write_text(mapping)
    code = main(["validate", str(spec), "--log", write(tmp_path, []), "--map", str(mp), "--no-progress"])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith(f"{mp}:{line}: error: "), err
    assert message in err and "Traceback" not in err


def test_a_bad_lookup_or_int_in_the_log_is_positioned(tmp_path, capsys):
    spec = tmp_path / "two.dsl"
    spec.write_text(SPEC)
    mp = tmp_path / "m.toml"
    mp.write_text('[tables.c]\n"1" = "x"\n[events.put]\nstep = "S.put"\nparams = { c = { lookup = "c", key = "k" } }\n'
                  '[events.recv]\nstep = "R.on M"\nfields = { i = { int = "i" } }\n')
    log = write(tmp_path, [{"event": "put", "k": 1}, {"event": "put", "k": 7}])
    assert main(["validate", str(spec), "--log", log, "--map", str(mp), "--no-progress"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"{log}:2: error: [tables.c] has no entry 7"), err
    log = write(tmp_path, [{"event": "put", "k": 1}, {"event": "recv", "i": "one"}])
    assert main(["validate", str(spec), "--log", log, "--map", str(mp), "--no-progress"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"{log}:2: error: event 'recv' has no field 'i (as an integer: \"one\")'"), err


@pytest.mark.parametrize("spec", ["specs/ticket.dsl", "models/ticket.py"])
def test_a_python_model_validates_like_its_spec(capsys, tmp_path, spec):
    """The same log and mapping against the DSL spec and the hand-written
    Python model (through its ValidationView): same verdicts, same lines."""
    model, mp, b = prepare(str(ROOT / spec), str(DATA / "ticket.toml"))
    out = validate(model, mp, b, [str(DATA / "ticket_ok.jsonl")])
    assert out.verdict == "accepted" and out.events == 12
    lines = (DATA / "ticket_ok.jsonl").read_text().splitlines()
    lines[8] = lines[8].replace('"t": 1', '"t": 2')  # a Propose with a ticket never issued
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    out = validate(model, mp, b, [str(bad)])
    assert out.verdict == "rejected" and out.failed.line == 9
    assert "t: model 1, log 2" in out.reports[0].reasons[0][1]
