"""Golden tests of the quorum obligations in the specs, and of the flexible
Paxos variant whose quorums do not intersect (both the proof and the
model check see it)."""

from __future__ import annotations

from checker.compile import load_spec
from checker.explore.search import explore
from checker.gate import prove_resolved
from checker.trace import replay_trace
from tests.conftest import SPECS


def statuses(spec: str) -> dict[str, tuple[str, bool]]:
    results = prove_resolved(load_spec(str(SPECS / spec)).resolved)
    return {r.name: (r.status, r.ok) for r in results}


def test_paxos_and_ticket_obligations_are_proved_for_every_n():
    assert statuses("paxos.dsl") == {
        "intersect(Majority, Majority) for all N": ("proved", True),
        "available(Majority, crashes = (N - 1) / 2) for all N": ("proved", True),
        "one_side(Majority) for all N": ("proved", True),
    }
    assert statuses("ticket.dsl") == {
        "intersect(Majority, Majority) for all N": ("proved", True),
        "available(Majority, crashes = (N - 1) / 2) for all N": ("proved", True),
    }


def test_flexible_paxos_obligations():
    assert statuses("paxos_flexible.dsl") == {
        "intersect(Phase1, Phase2) for all N": ("refuted", True),
        "intersect(Phase1, Phase2) for N = Acceptors": ("refuted", True),
        "available(Phase2, crashes = N - Q2) for all N": ("proved", True),
    }


def test_flexible_paxos_model_chooses_two_values():
    model = load_spec(str(SPECS / "paxos_flexible.dsl"))
    result = explore(model)
    assert result.complete
    assert result.verdicts == {"Agreement": "violated", "deadlock": "holds"}
    assert result.stats.distinct == 24137
    assert {p: len(t) for p, t in result.traces.items()} == {"Agreement": 10}
    assert all(o.met for o in result.compare_expectations(model.expectations))
    replay_trace(model, result.traces["Agreement"])
