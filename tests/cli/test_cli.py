"""The `checker` command as a user runs it: exit codes, messages, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from checker.cli import main
from checker.compile import load_spec
from checker.trace import Trace, replay_trace
from tests.conftest import ROOT

TICKET = str(ROOT / "specs" / "ticket.dsl")
TWOPHASE = str(ROOT / "specs" / "tla" / "twophase.dsl")


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "checker.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def test_ticket_exits_1_with_the_overwrite_trace(capsys):
    assert main(["run", TICKET, "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "Consistency  violated  (15 steps)  expected" in out
    assert "distinct states: 218045" in out
    assert "15. Server[1] handles Execute()" in out or "15. Server[" in out
    assert "Violated: invariant Consistency" in out


def test_holding_spec_exits_0_and_prints_distinct_count(capsys):
    assert main(["run", TWOPHASE, "--const", "RM=5", "--no-progress"]) == 0
    assert "distinct states: 8832" in capsys.readouterr().out


def test_python_model_runs_too(capsys):
    assert main(["run", str(ROOT / "models" / "twophase.py"), "--const", "RM=5", "--no-progress"]) == 0
    assert "distinct states: 8832" in capsys.readouterr().out


def test_bound_cut_exits_3(capsys):
    assert main(["run", TWOPHASE, "--max-depth", "3", "--no-progress"]) == 3
    assert main(["run", TWOPHASE, "--max-states", "10", "--no-progress"]) == 3


def test_usage_errors_exit_2_and_name_the_option(capsys):
    assert main(["run", TWOPHASE, "--const", "Nope=3"]) == 2
    assert "--const Nope" in capsys.readouterr().err
    assert main(["run", TWOPHASE, "--const", "RM"]) == 2
    assert "--const RM: expected NAME=VALUE" in capsys.readouterr().err
    assert main(["run", TWOPHASE, "--max-depth", "x"]) == 2
    assert "--max-depth" in capsys.readouterr().err
    assert main(["run", "no/such.dsl"]) == 2
    assert "no/such.dsl: no such file" in capsys.readouterr().err


def test_malformed_spec_gets_a_positioned_error_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.dsl"
    bad.write_text("spec Bad\nrole S[2] {\n  var x = 0\n  on M() { y = 1 }\n}\n")
    proc = run("run", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:4:12: error: unknown variable 'y'" in proc.stderr
    assert "^" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_same_run_twice_prints_the_same_counts_and_trace():
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "checker.cli", "run", TICKET, "--no-progress"],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        outs.append("\n".join(line for line in proc.stdout.splitlines() if not line.startswith("time:")))
    assert outs[0] == outs[1]


def test_out_writes_a_versioned_trace_that_replays(tmp_path, capsys):
    assert main(["run", TICKET, "--no-progress", "--out", str(tmp_path)]) == 1
    data = json.loads((tmp_path / "Consistency.trace.json").read_text())
    assert data["format"] == "checker-trace" and data["version"] == 1
    trace = Trace.from_json(data)
    assert len(trace) == 15 and trace.violation.prop == "Consistency"
    replay_trace(load_spec(TICKET), trace)


def test_check_gate_and_junit(tmp_path, capsys):
    import junitparser

    report = tmp_path / "report.xml"
    assert main(["check", TICKET, TWOPHASE, "--junit", str(report)]) == 0
    xml = junitparser.JUnitXml.fromfile(str(report))
    cases = [c for suite in xml for c in suite]
    # ticket: 2 proof obligations + 2 expectations; twophase: 2 expectations.
    assert len(cases) == 6 and all(c.is_passed for c in cases)


def test_check_fails_on_a_missed_expectation(tmp_path, capsys):
    spec = tmp_path / "wrong.dsl"
    spec.write_text((ROOT / "specs" / "ticket.dsl").read_text().replace("expect violation Consistency",
                                                                         "expect holds Consistency"))
    assert main(["check", str(spec)]) == 1
    assert "expected holds, got violated" in capsys.readouterr().out


def test_json_output(capsys):
    assert main(["run", TWOPHASE, "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stats"]["distinct"] == 288 and data["verdicts"]["TCConsistent"] == "holds"
