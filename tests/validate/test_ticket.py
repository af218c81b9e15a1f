"""`checker validate` on the ticket protocol: accepted, rejected (with the
line and the explanation), inconclusive (a bound was hit), outputs."""

from __future__ import annotations

import json
from pathlib import Path

from checker.cli import main
from tests.conftest import ROOT

SPEC = str(ROOT / "specs" / "ticket.dsl")
DATA = Path(__file__).with_name("data")
MAP = str(DATA / "ticket.toml")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, lines: list[dict | str]) -> str:
    p = tmp_path / name
    p.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return str(p)


def ok_lines() -> list[str]:
    return (DATA / "ticket_ok.jsonl").read_text().splitlines()


def test_accepted(capsys):
    code, out, _ = run(capsys, SPEC, "--log", str(DATA / "ticket_ok.jsonl"), "--map", MAP)
    assert code == 0, out
    assert "ACCEPTED: all 12 events" in out
    assert "1 skipped by the mapping" in out


def test_rejected_at_the_line_with_expected_and_observed(capsys, tmp_path):
    lines = ok_lines()
    lines[8] = lines[8].replace('"t": 1, "cmd": "c1"', '"t": 2, "cmd": "c1"')  # line 9: a ticket s0 never issued
    log = write(tmp_path, "bad.jsonl", lines)
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP)
    assert code == 1
    assert f"REJECTED at {log}:9" in out
    assert "matched prefix: 6 event(s)" in out  # the debug line is skipped, the blank one ignored
    assert 'Propose(t=1, cmd="c1")' in out and "t: model 1, log 2" in out


def test_rejected_observation_names_the_variable(capsys, tmp_path):
    lines = ok_lines()
    lines[0] = lines[0].replace('"t": 1', '"t": 5')
    log = write(tmp_path, "bad.jsonl", lines)
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP)
    assert code == 1 and f"{log}:1" in out
    assert "Server[0].t_max: model 1, log 5" in out


def test_guard_explanation_names_the_false_conjunct(capsys, tmp_path):
    spec = tmp_path / "guarded.dsl"
    spec.write_text("spec G\nrole S[1] {\n  var x = 0\n  var on = false\n"
                    "  action inc(k in 1..2) when on and x < 3 { x = x + k }\n"
                    "  action flip when not on { on = true }\n}\nterminal true\n")
    mapping = tmp_path / "g.toml"
    mapping.write_text('[events.inc]\nstep = "S.inc"\nparams = { k = "k" }\nobserve = { x = "x" }\n'
                       '[events.flip]\nstep = "S.flip"\n')
    log = write(tmp_path, "g.jsonl", [{"event": "inc", "k": 1, "x": 1}])
    code, out, _ = run(capsys, str(spec), "--log", log, "--map", str(mapping))
    assert code == 1
    assert "`on` (on = false) is false" in out
    log = write(tmp_path, "g2.jsonl", [{"event": "flip"}, {"event": "inc", "k": 2, "x": 1}])
    code, out, _ = run(capsys, str(spec), "--log", log, "--map", str(mapping))
    assert code == 1 and "S[0].x: model 2, log 1" in out


def test_a_message_logged_as_sent_twice_is_rejected(capsys, tmp_path):
    lines = ok_lines()
    lines.insert(2, lines[1])  # s0 sends its Ticket to c0 twice (the model sends it once)
    log = write(tmp_path, "twice.jsonl", lines)
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP)
    assert code == 1 and f"{log}:3" in out
    assert "an earlier send event already matched it" in out


def test_inconclusive_when_candidates_were_dropped(capsys):
    log = str(DATA / "ticket_ambiguous.jsonl")
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP, "--max-candidates", "1")
    assert code == 3, out
    assert f"INCONCLUSIVE at {log}:2" in out and "max_candidates" in out
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP)
    assert code == 0
    assert "candidate states after each event: 2 (event 1), 1 (event 2)" in out


def test_inconclusive_on_time_limit(capsys, tmp_path):
    from checker.validate import prepare, validate

    model, mp, bindings = prepare(SPEC, MAP)
    lines = ok_lines() * 1  # 12 events
    log = write(tmp_path, "ok.jsonl", lines)
    out = validate(model, mp, bindings, [log], time_limit=1e-9)
    assert out.verdict in ("accepted", "inconclusive")  # the clock is read every 256 events


def test_json_and_out_dir(capsys, tmp_path):
    lines = ok_lines()
    lines[12] = lines[12].replace('"cmd": "c1"', '"cmd": "c2"')  # line 13
    log = write(tmp_path, "bad.jsonl", lines)
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, SPEC, "--log", log, "--map", MAP, "--json", "--out", str(out_dir))
    assert code == 1
    data = json.loads(out)
    assert data["verdict"] == "rejected" and data["failed_event"]["line"] == 13
    assert data["events_matched"] == 10
    assert data["candidates_per_event"] == [{"first": 1, "last": 10, "from": f"{log}:1", "to": f"{log}:12",
                                             "candidates": 1}]
    mismatch = data["candidates"][0]["steps"][0]["mismatch"]
    assert 'Server[0].executed: model "c1", log "c2"' in mismatch
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["rejected.dot", "rejected.html", "rejected.itf.json", "rejected.mmd", "rejected.trace.json"]
    trace = json.loads((out_dir / "rejected.trace.json").read_text())
    # the initial state and 8 steps: the 2 send events check a step's sends
    assert len(trace["steps"]) == 9
    assert trace["steps"][1]["label"] == "Server[0] handles RequestTicket() from Client[0]  [bad.jsonl:1]"
    assert trace["failing_step"].startswith(f"{log}:13: executed")
    itf = json.loads((out_dir / "rejected.itf.json").read_text())
    assert len(itf["states"]) == 9


def test_accepted_out_dir_writes_the_behaviour(capsys, tmp_path):
    code, out, _ = run(capsys, SPEC, "--log", str(DATA / "ticket_ok.jsonl"), "--map", MAP, "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accepted.itf.json", "accepted.trace.json"]


def test_random_walks_are_accepted_and_any_changed_value_rejected(tmp_path):
    """A log from the model itself is accepted; changing one observed value
    of one event gets that line rejected."""
    from checker.compile import load_spec
    from checker.validate import parse_mapping, prepare, validate
    from checker.validate.synth import generic_mapping, random_walk_log

    model = load_spec(SPEC)
    mp = tmp_path / "generic.toml"
    mp.write_text(generic_mapping(model))
    for seed in range(5):
        events = list(random_walk_log(model, 40, seed=seed))
        log = write(tmp_path, f"walk{seed}.jsonl", events)
        m, mapping, b = prepare(SPEC, str(mp))
        assert validate(m, mapping, b, [log]).verdict == "accepted"
        k = len(events) // 2
        bad = dict(events[k])
        var = "t_max" if "t_max" in bad else "phase"
        bad[var] = 99
        log = write(tmp_path, f"bad{seed}.jsonl", events[:k] + [bad] + events[k + 1:])
        out = validate(m, mapping, b, [log])
        assert out.verdict == "rejected" and out.failed.line == k + 1
    assert parse_mapping(mp.read_text()).events


def test_two_logs_merged_on_time(capsys, tmp_path):
    lines = [json.loads(x) for x in ok_lines() if x.strip()]
    for i, e in enumerate(lines):
        e["ts"] = i
    servers = [e for e in lines if "server" in e and e["event"] in ("ticket_issued", "ticket_sent", "stored",
                                                                      "executed")]
    clients = [e for e in lines if e not in servers]
    a, b = write(tmp_path, "servers.jsonl", servers), write(tmp_path, "clients.jsonl", clients)
    mapping = tmp_path / "m.toml"
    mapping.write_text(Path(MAP).read_text().replace('kind = "event"', 'kind = "event"\ntime = "ts"'))
    code, out, _ = run(capsys, SPEC, "--log", a, "--log", b, "--map", str(mapping))
    assert code == 0, out
    code, out, err = run(capsys, SPEC, "--log", a, "--log", b, "--map", MAP)
    assert code == 2 and "time field" in err
