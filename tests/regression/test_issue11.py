"""Issue 11's wrong answers, each pinned with TLC's figures.

Every spec under ``specs/`` here states the TLA+ model TLC checked and what
TLC printed (its depth counts states, ours steps: one less). Each is run
through the compiled engine and through the reference interpreter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import reference
from checker.compile import load_spec, load_text
from checker.explore.search import explore

HERE = Path(__file__).resolve().parent / "specs"
SPECS = Path(__file__).resolve().parents[2] / "specs"

# spec, TLC's distinct states, TLC's depth - 1, verdicts
CASES = [
    ("choose_in_role_init.dsl", 4, 0, {"Y": "holds"}),
    ("choose_keeps_locals.dsl", 3, 1, {"Small": "holds"}),
    ("parameter_assignment.dsl", 4, 2, {"Keys": "holds"}),
    ("stuttering_fairness.dsl", 2, 1, {"Reach": "holds"}),
    ("constraint_liveness.dsl", 3, 2, {"deadlock": "holds", "Reach": "holds"}),
    ("sent_history.dsl", 3, 2, {"OneSent": "holds"}),
]


@pytest.mark.parametrize("spec,distinct,depth,verdicts", CASES, ids=[c[0] for c in CASES])
def test_the_engine_gives_tlcs_answer(spec, distinct, depth, verdicts):
    result = explore(load_spec(str(HERE / spec)))
    assert result.complete, result.reason
    assert (result.stats.distinct, result.stats.max_depth, result.verdicts) == (distinct, depth, verdicts)


@pytest.mark.parametrize("spec,distinct,depth,verdicts", CASES, ids=[c[0] for c in CASES])
def test_the_reference_gives_tlcs_answer(spec, distinct, depth, verdicts):
    result = reference.check_file(HERE / spec)
    assert result.error is None and result.complete
    assert (result.distinct, result.depth, result.verdicts) == (distinct, depth, verdicts)


def test_a_ballot_one_prepare_is_eventually_sent_in_tla_paxos():
    """Bug 2 on specs/tla/paxos.dsl: re-deliveries in a set network change
    nothing. TLC (Paxos.tla, 3 acceptors, 2 values, ballots 0..1, WF_vars(Next)
    or WF on each of our fairness classes): 3,921 states, depth 17, holds."""
    text = (SPECS / "tla" / "paxos.dsl").read_text()
    text += "property SentP1a1: eventually exists m in sent: m is P1a and m.bal == 1\n"
    result = explore(load_text(text, "paxos_live.dsl"))
    assert result.verdicts["SentP1a1"] == "holds"
    assert (result.stats.distinct, result.stats.max_depth) == (3921, 16)
