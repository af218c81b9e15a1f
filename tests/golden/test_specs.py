"""Golden tests: every spec's verdicts, distinct-state count and
counterexample length are pinned; the DSL and Python versions agree; the
TLA+ translations reproduce TLC's counts exactly."""

from __future__ import annotations

import pytest

from checker.compile import load_spec, load_text
from checker.explore.search import explore
from checker.options import LoadOptions, SearchOptions
from checker.trace import replay_trace
from tests.conftest import SPECS

# spec, consts, verdicts, distinct states, {violated property: trace length}
GOLDEN = [
    ("ticket.dsl", {}, {"Consistency": "violated", "deadlock": "holds"}, 218045, {"Consistency": 15}),
    ("tla/twophase.dsl", {}, {"TCConsistent": "holds", "deadlock": "holds"}, 288, {}),
    ("tla/twophase.dsl", {"RM": "5"}, {"TCConsistent": "holds", "deadlock": "holds"}, 8832, {}),
    ("tla/paxos.dsl", {}, {"Agreement": "holds", "VoteRecorded": "holds", "deadlock": "holds"}, 3921, {}),
    ("tla/simple_allocator.dsl", {}, {"TypeInvariant": "holds", "ResourceMutex": "holds", "deadlock": "holds",
                                      "ClientsWillReturn": "holds", "ClientsWillObtain": "holds",
                                      "InfOftenSatisfied": "holds"}, 400, {}),
    ("tla/bakery.dsl", {"N": "1"}, {"MutualExclusion": "holds", "TypeOK": "holds", "Inv": "holds"}, 204, {}),
]


@pytest.mark.parametrize("spec,consts,verdicts,distinct,lengths", GOLDEN,
                         ids=[f"{g[0]}{g[1] or ''}" for g in GOLDEN])
def test_golden(spec, consts, verdicts, distinct, lengths):
    model = load_spec(str(SPECS / spec), LoadOptions(consts=consts))
    result = explore(model)
    assert result.complete
    assert result.verdicts == verdicts
    assert result.stats.distinct == distinct
    assert {p: len(t) for p, t in result.traces.items()} == lengths
    for outcome in result.compare_expectations(model.expectations):
        assert outcome.met, outcome
    for trace in result.traces.values():
        replay_trace(model, trace)  # a stored trace reproduces itself


@pytest.mark.slow
def test_paxos_actor_style_holds_under_loss_and_duplication():
    model = load_spec(str(SPECS / "paxos.dsl"))
    result = explore(model)
    assert result.verdicts == {"Agreement": "holds", "Validity": "holds", "deadlock": "holds"}
    assert result.stats.distinct == 1376016
    assert result.coverage["loss"] > 0 and result.coverage["duplicate"] > 0


def test_paxos_bug_is_caught_when_a_proposer_ignores_reported_votes():
    """The Agreement check can fail: drop Paxos's key rule (adopt the value
    of the highest-ballot vote) and two values get chosen."""
    text = (SPECS / "paxos.dsl").read_text()
    mutated = text.replace("        value = vval\n", "").replace("faults { loss <= 1, duplicate <= 1 }", "")
    assert mutated != text
    result = explore(load_text(mutated, "paxos_mutant.dsl"))
    assert result.verdicts["Agreement"] == "violated"
    assert len(result.traces["Agreement"]) == 12


def test_tla_paxos_depth_matches_tlc():
    model = load_spec(str(SPECS / "tla/paxos.dsl"))
    result = explore(model)
    # TLC reports depth 17 counting the initial state; we count steps.
    assert result.stats.max_depth == 16


@pytest.mark.slow
def test_dsl_and_python_models_agree():
    from models import ticket, twophase

    for dsl, py, consts in [("tla/twophase.dsl", twophase.build_model(RM=3), {}),
                            ("tla/twophase.dsl", twophase.build_model(RM=5), {"RM": "5"}),
                            ("ticket.dsl", ticket.build_model(), {})]:
        a = explore(load_spec(str(SPECS / dsl), LoadOptions(consts=consts)))
        b = explore(py)
        assert a.stats.distinct == b.stats.distinct, dsl
        assert a.verdicts == b.verdicts, dsl
        assert {p: len(t) for p, t in a.traces.items()} == {p: len(t) for p, t in b.traces.items()}


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["ticket.dsl", "tla/twophase.dsl"])
def test_bfs_and_dfs_agree_on_verdicts(spec):
    model = load_spec(str(SPECS / spec))
    bfs, dfs = explore(model, SearchOptions(strategy="bfs")), explore(model, SearchOptions(strategy="dfs"))
    assert bfs.verdicts == dfs.verdicts
    for prop, trace in bfs.traces.items():
        assert len(trace) <= len(dfs.traces[prop])  # BFS traces are shortest
