"""`checker prove` and the proof cases of `checker check`: exit codes,
table, JSON, JUnit, and witnesses that re-check without z3."""

from __future__ import annotations

import json
from pathlib import Path

from checker.cli import main
from checker.compile import load_spec
from checker.proofs import is_quorum
from tests.conftest import ROOT

PAXOS = str(ROOT / "specs" / "paxos.dsl")
FLEXIBLE = str(ROOT / "specs" / "paxos_flexible.dsl")
TICKET = str(ROOT / "specs" / "ticket.dsl")

SMALL = """spec Small
const Servers = 3
role Server[Servers] { var x = 0 }
quorum Majority of Server: size > N / 2
quorum One of Server: size >= 1
quorum Sq of Server: size * size > N
terminal true
"""


def write(tmp_path: Path, body: str, name: str = "s.dsl") -> str:
    path = tmp_path / name
    path.write_text(SMALL + body)
    return str(path)


def test_paxos_majorities_intersect_for_every_n(capsys):
    assert main(["prove", PAXOS]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == PAXOS
    row = next(line for line in lines if line.startswith("intersect(Majority, Majority) for all N"))
    assert row.split()[5] == "proved" and row.endswith("holds for N >= 1")
    assert any(line.startswith("one_side(Majority) for all N") for line in lines)
    assert lines[-1] == "3 proved, 0 refuted, 0 unknown; all as expected"


def test_flexible_paxos_is_refuted_as_expected_with_a_witness_that_rechecks(capsys):
    assert main(["prove", FLEXIBLE, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "proofs" and doc["exit_code"] == 0
    (spec,) = doc["specs"]
    results = {r["obligation"]: r for r in spec["results"]}
    every = results["intersect(Phase1, Phase2) for all N"]
    assert (every["status"], every["expect"], every["ok"]) == ("refuted", "refuted", True)
    # Re-check the witness here, with the rules the model uses and no z3.
    quorums = load_spec(FLEXIBLE).resolved.quorums
    for r in spec["results"]:
        if r["status"] != "refuted":
            continue
        w = r["witness"]
        sets = {label: frozenset(int(name[len("Acceptor["):-1]) for name in nodes)
                for label, nodes in w["sets"].items()}
        assert is_quorum(quorums["Phase1"].rule, sets["Phase1"], w["N"])
        assert is_quorum(quorums["Phase2"].rule, sets["Phase2"], w["N"])
        assert not sets["Phase1"] & sets["Phase2"]
    assert every["witness"]["N"] == 2  # the smallest counterexample


def test_exit_1_when_a_proof_is_refuted_unexpectedly(tmp_path, capsys):
    spec = write(tmp_path, "prove intersect(One, Majority) for all N\n")
    assert main(["prove", spec]) == 1
    out = capsys.readouterr().out
    assert "REFUTED (expected proved)" in out and "One = {Server[" in out


def test_exit_1_when_a_refutation_is_proved(tmp_path, capsys):
    spec = write(tmp_path, "expect refuted intersect(Majority, Majority) for N in 1..7\n")
    assert main(["prove", spec]) == 1
    assert "proved (expected refuted)" in capsys.readouterr().out


def test_exit_3_when_unknown(tmp_path, capsys):
    spec = write(tmp_path, "prove intersect(Sq, Sq) for all N\n")
    assert main(["prove", spec, "--timeout", "5"]) == 3
    assert "nonlinear" in capsys.readouterr().out


def test_exit_2_with_a_positioned_error(tmp_path, capsys):
    spec = write(tmp_path, "prove intersect(Majority, Minority) for N = 0\n")
    assert main(["prove", spec]) == 2
    err = capsys.readouterr().err
    assert f"{spec}:8:27: error: unknown quorum 'Minority'" in err and "^^^^^^^^" in err


def test_usage_errors(capsys):
    assert main(["prove", PAXOS, "--timeout", "0"]) == 2
    assert "--timeout must be > 0" in capsys.readouterr().err
    assert main(["prove", str(ROOT / "models" / "ticket.py")]) == 2
    assert "prove needs a .dsl spec" in capsys.readouterr().err


def test_prove_junit(tmp_path, capsys):
    import junitparser

    bad = write(tmp_path, "prove intersect(One, Majority) for N = 3\nprove one_side(Majority) for N = 3\n")
    report = tmp_path / "proofs.xml"
    assert main(["prove", bad, PAXOS, "--junit", str(report)]) == 1
    xml = junitparser.JUnitXml.fromfile(str(report))
    cases = {c.name: c for suite in xml for c in suite}
    assert len(cases) == 5
    failed = cases["intersect(One, Majority) for N = 3"]
    (failure,) = failed.result
    assert failure.type == "refuted" and "counterexample at N = 3" in failure.text


def test_check_runs_obligations_and_expectations_with_one_junit_case_each(tmp_path, capsys):
    import junitparser

    report = tmp_path / "out.xml"
    assert main(["check", TICKET, FLEXIBLE, "--no-progress", "--junit", str(report)]) == 0
    xml = junitparser.JUnitXml.fromfile(str(report))
    names = {suite.name: [c.name for c in suite] for suite in xml}
    assert names[TICKET] == [
        "prove intersect(Majority, Majority) for all N",
        "prove available(Majority, crashes = (N - 1) / 2) for all N",
        "expect violated Consistency", "expect holds deadlock"]
    assert names[FLEXIBLE] == [
        "expect refuted intersect(Phase1, Phase2) for all N",
        "expect refuted intersect(Phase1, Phase2) for N = Acceptors",
        "prove available(Phase2, crashes = N - Q2) for all N",
        "expect violated Agreement", "expect holds deadlock"]
    assert all(c.is_passed for suite in xml for c in suite)


def test_check_fails_with_the_witness_when_a_proof_misses(tmp_path, capsys):
    import junitparser

    text = Path(FLEXIBLE).read_text().replace("expect refuted intersect(Phase1, Phase2) for all N",
                                              "prove intersect(Phase1, Phase2) for all N")
    spec = tmp_path / "flexible_wrong.dsl"
    spec.write_text(text)
    report = tmp_path / "out.xml"
    assert main(["check", str(spec), "--no-progress", "--junit", str(report)]) == 1
    out = capsys.readouterr().out
    assert "prove intersect(Phase1, Phase2) for all N: refuted, expected proved: N = 2" in out
    (suite,) = junitparser.JUnitXml.fromfile(str(report))
    (failure,) = next(c for c in suite if c.name.startswith("prove intersect")).result
    assert "Phase1 = {Acceptor[0]}" in failure.text and "Phase2 = {Acceptor[1]}" in failure.text


def test_check_exits_3_on_an_unknown_proof(tmp_path, capsys):
    spec = write(tmp_path, "prove intersect(Sq, Sq) for all N\n")
    assert main(["check", spec, "--no-progress", "--proof-timeout", "5"]) == 3
