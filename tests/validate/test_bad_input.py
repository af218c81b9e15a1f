"""Bad logs and bad mappings: a positioned error and exit 2, never a
traceback, never an event silently skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT

SPEC = str(ROOT / "specs" / "ticket.dsl")
DATA = Path(__file__).with_name("data")
MAP = str(DATA / "ticket.toml")
GOOD = (DATA / "ticket_ok.jsonl").read_text().splitlines()


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, err.strip()


def log_with(tmp_path: Path, line3: str) -> str:
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join(GOOD[:2] + [line3] + GOOD[2:]) + "\n")
    return str(p)


@pytest.mark.parametrize("line3,message", [
    ('{"event": "ticket_issued", "server": "s0", ', "not valid JSON (column"),
    ("[1, 2]", "an event must be a JSON object, not an array"),
    ('{"server": "s0"}', "the event has no field 'event' (its kind)"),
    ('{"event": 7}', "field 'event' (the event kind) must be a string, not a number"),
    ('{"event": "gossip"}', "unknown event kind 'gossip': the mapping has no [events.gossip] and does not skip it"),
    ('{"event": "ticket_issued", "client": "c0", "t": 1}',
     "event 'ticket_issued' has no field 'server' (the mapping's [events.ticket_issued] node needs it)"),
    ('{"event": "stored", "server": "s0", "client": "c0", "cmd": "c1"}',
     "event 'stored' has no field 't' (the mapping's [events.stored] fields.t needs it)"),
    ('{"event": "ticket_issued", "server": "s9", "t": 1}',
     "field 'server' = 's9' names no node: it is not in the mapping's [nodes]"),
])
def test_bad_log_line(capsys, tmp_path, line3, message):
    log = log_with(tmp_path, line3)
    code, err = run(capsys, SPEC, "--log", log, "--map", MAP)
    assert code == 2
    assert err.startswith(f"{log}:3: error: "), err
    assert message in err


def test_missing_and_non_utf8_logs(capsys, tmp_path):
    code, err = run(capsys, SPEC, "--log", str(tmp_path / "none.jsonl"), "--map", MAP)
    assert code == 2 and "cannot read the log" in err
    p = tmp_path / "bin.jsonl"
    p.write_bytes(b'{"event": "debug"}\n{"event": "\xff\xfe"}\n')
    code, err = run(capsys, SPEC, "--log", str(p), "--map", MAP)
    assert code == 2 and err.startswith(f"{p}:2:12: error: not UTF-8 text: byte 0xff"), err


def test_merge_needs_ordered_times(capsys, tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"event": "debug", "ts": 2}\n{"event": "debug", "ts": 1}\n')
    b = tmp_path / "b.jsonl"
    b.write_text('{"event": "debug", "ts": 1}\n')
    mp = tmp_path / "m.toml"
    mp.write_text(Path(MAP).read_text().replace('kind = "event"', 'kind = "event"\ntime = "ts"'))
    code, err = run(capsys, SPEC, "--log", str(a), "--log", str(b), "--map", str(mp))
    assert code == 2 and f"{a}:2: error: field 'ts' goes back in time" in err


MAPPING_ERRORS = [
    ('[events.x]\nstep = "Server.on Foo"\nnode = "n"\n', 2, "[events.x] step: no step 'Server.on Foo' in the model"),
    ('[events.x]\nstep = "Server.on Propose"\nnode = "n"\nfields = { tt = "t" }\n', 4,
     "message Propose has no field 'tt' (fields: t, cmd)"),
    ('[events.x]\nnode = "n"\n\nstep = "Server.on Propose"\nstpe = 1\n', 5, "[events.x] unknown key 'stpe'"),
    ('[events.x]\nstep = "Server.on Propose"\nnode = "n"\nobserve = { "t_max +" = "t" }\n', 4,
     "'t_max +' is neither a variable of role Server nor a valid expression"),
    ('[events.x]\nstep = "Server.on Propose"\nnode = "n"\n[events.x.observe]\nbogus = "b"\n', 5,
     "'bogus' is neither a variable of role Server nor a valid expression: unknown name 'bogus'"),
    ('[log]\nkind = "event"\n[events.x\n', 3, "not valid TOML"),
    ('[nodes]\nn1 = "Server[7]"\n[events.x]\nstep = "Server.on Propose"\nnode = "n"\n', 2,
     "the model has no node Server[7]"),
    ('[validate]\nmax_candidates = 0\n[events.x]\nstep = "Server.on Propose"\nnode = "n"\n', 2,
     "[validate] max_candidates must be an integer >= 1"),
    ('[validate]\nsilent = ["lost"]\n[events.x]\nstep = "Server.on Propose"\nnode = "n"\n', 2,
     "[validate] silent: no step 'lost' in the model"),
    ('[events.x]\nstep = "Server.on Propose"\n', 2, "[events.x] needs `node`"),
    ('[events.x]\nstep = "send"\nnode = "n"\n', 2, "a send event needs `message`"),
    ('[events.x]\nstep = "Server.on Propose"\nnode = "n"\nparams = { k = "k" }\n', 4,
     "step 'Server.on Propose' has no parameters"),
    ('[events.x]\nstep = 3\n', 2, "[events.x] `step` must be a string or a non-empty list of strings"),
    ('[events.x]\nnode = "n"\n', 1, "[events.x] needs `step`"),
    ('[events."a.b"]\nstep = "Server.on Propose"\nnode = "n"\n[events."a.b".fields]\nt = "t"\nzz = "z"\n', 6,
     '[events."a.b"] fields: message Propose has no field \'zz\''),
    ('[log]\nkind = "event"\nskip = ["x"]\n[events.x]\nstep = "Server.on Propose"\nnode = "n"\n', 4,
     "event kind 'x' is both mapped and in [log] skip"),
    ('[log]\n', 0, "the mapping has no [events.KIND] table"),
    ('[events.x]\nstep = "Server.on Propose"\nnode = "n"\n[events.x.sent]\nmessage = "Nope"\n', 4,
     "[events.x.sent] message: no message type 'Nope'"),
    ('[wat]\n', 1, "unknown key 'wat'"),
]


@pytest.mark.parametrize("text,line,message", MAPPING_ERRORS, ids=[m[2][:40] for m in MAPPING_ERRORS])
def test_bad_mapping(capsys, tmp_path, text, line, message):
    mp = tmp_path / "m.toml"
    mp.write_text(text)
    code, err = run(capsys, SPEC, "--log", str(DATA / "ticket_ok.jsonl"), "--map", str(mp))
    assert code == 2
    where = f"{mp}:{line}: error: " if line else f"{mp}: error: "
    assert err.startswith(where), err
    assert message in err, err


def test_usage_errors(capsys, tmp_path):
    code, err = run(capsys, SPEC, "--map", MAP)
    assert code == 2 and "--log" in err
    # a Python model without a validation view
    code, err = run(capsys, str(ROOT / "models" / "twophase.py"), "--log", str(DATA / "ticket_ok.jsonl"), "--map", MAP)
    assert code == 2 and "models/twophase.py: this model cannot be validated against logs" in err, err
    code, err = run(capsys, SPEC, "--log", str(DATA / "ticket_ok.jsonl"), "--map", str(tmp_path / "none.toml"))
    assert code == 2 and "cannot read the mapping" in err


def test_a_spec_error_is_positioned(capsys, tmp_path):
    spec = tmp_path / "bad.dsl"
    spec.write_text("spec B\nrole S[2] { var x = y }\n")
    code, err = run(capsys, str(spec), "--log", str(DATA / "ticket_ok.jsonl"), "--map", MAP)
    assert code == 2 and f"{spec}:2:" in err


def test_event_log_errors_do_not_depend_on_json_key_order(tmp_path, capsys):
    p = tmp_path / "l.jsonl"
    p.write_text(json.dumps({"t": 1, "server": "s0", "event": "ticket_issued", "client": "c0"}) + "\n")
    code, _ = run(capsys, SPEC, "--log", str(p), "--map", MAP)
    assert code == 0
