"""The fault-tolerance path from the command line: --faults, liveness
verdicts and lassos, --liveness-max-states, exit codes, --out files."""

from __future__ import annotations

import json

from checker.cli import main
from checker.compile import load_spec
from checker.options import LoadOptions
from checker.trace import Trace, replay_trace
from tests.conftest import ROOT, SPECS


def test_fault_steps_and_liveness_in_the_text_report(capsys):
    assert main(["run", str(SPECS / "replication/primary.dsl"), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "AllApplied  violated  (1 step)  expected" in out
    assert "Counterexample: liveness AllApplied (1 step)" in out
    assert "1. crash Primary" in out and "crashed: {} -> {Primary}" in out
    assert "the run can stop after step 1 (no step is enabled)" in out


def test_faults_option_overrides_the_spec(capsys):
    spec = str(SPECS / "replication/primary.dsl")
    assert main(["run", spec, "--faults", "crash=0", "--no-progress"]) == 0
    assert "AllApplied  holds" in capsys.readouterr().out
    assert main(["run", spec, "--faults", "crash:Replica=1", "--no-progress"]) == 1
    assert "crash Replica" in capsys.readouterr().out


def test_bad_faults_option_exits_2(capsys):
    spec = str(SPECS / "channel/sequence_numbers.dsl")
    assert main(["run", spec, "--faults", "loss=many"]) == 2
    assert "--faults loss=many: the bound must be a non-negative integer" in capsys.readouterr().err
    assert main(["run", spec, "--faults", "reorder=1"]) == 2
    assert "does not apply to an 'unordered' network" in capsys.readouterr().err
    assert main(["run", str(ROOT / "models" / "ticket.py"), "--faults", "loss=1"]) == 2
    assert "--faults applies to specs" in capsys.readouterr().err


def test_liveness_graph_too_large_exits_3_with_statistics(capsys):
    spec = str(SPECS / "channel/sequence_numbers.dsl")
    assert main(["run", spec, "--liveness-max-states", "100", "--no-progress"]) == 3
    out = capsys.readouterr().out
    assert "AllExecuted         unknown" in out
    assert "search: incomplete (bfs): liveness-max-states 100 reached" in out
    assert "distinct states: 382" in out
    assert main(["check", spec, "--liveness-max-states", "100", "--no-progress"]) == 3


def test_lasso_written_with_out_replays(tmp_path, capsys):
    spec = str(SPECS / "cap.dsl")
    assert main(["run", spec, "--const", "Mode=CP", "--out", str(tmp_path), "--no-progress"]) == 1
    data = json.loads((tmp_path / "Availability.trace.json").read_text())
    trace = Trace.from_json(data)
    assert trace.violation.kind == "liveness" and trace.violation.values["r"] == "Replica[0]"
    replay_trace(load_spec(spec, LoadOptions(consts={"Mode": "CP"})), trace)
    assert (tmp_path / "Availability.html").exists()


def test_check_gate_passes_on_every_fault_tolerance_spec(capsys):
    dirs = [str(SPECS / d) for d in ("channel", "replication", "locks")]
    assert main(["check", *dirs, str(SPECS / "cap.dsl"), str(SPECS / "consistent_hashing.dsl"), "--no-progress"]) == 0
    assert "9 spec(s), 30 of 30 check(s) as expected" in capsys.readouterr().out
