"""Every golden spec gives the same result however its states are stored
(64-bit fingerprints or whole states, the frontier as states or encoded)
and however many workers explore it: the same verdicts, counts, depth, coverage and counterexamples.
(specs/paxos.dsl, 1.4 million states, is compared up to 200,000 states to
keep CI short.)

The parallel runs hand the search to the workers at the first level
(``parallel_threshold=0``), so every level of every spec goes through the
partitioned search; the extra cases below stop part-way through a level
(a state bound, a depth bound, every property violated), which the
parallel engine hands back to one process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.explore.search import explore
from checker.loader import load_model
from checker.options import LoadOptions, SearchOptions
from tests.golden import test_faults, test_raft, test_specs

SPECS = Path(__file__).resolve().parents[2] / "specs"

# (spec, consts, faults, search bounds) of every golden test
CASES: list[tuple[str, dict[str, str], dict[str, int] | None, dict[str, Any]]] = (
    [(g[0], g[1], None, {}) for g in test_specs.GOLDEN]
    + [(g[0], g[1], g[2], {}) for g in test_faults.GOLDEN]
    + [("tla/raft.dsl", g[0], None, {}) for g in test_raft.TLA_RAFT]
    + [("raft.dsl", g[0], g[1], {}) for g in test_raft.ACTOR_RAFT]
    + [(f"raft_bugs/{g[0]}", {}, None, {}) for g in test_raft.RAFT_BUGS]
    + [("paxos_flexible.dsl", {}, None, {}), ("raft_pysyncobj.dsl", {}, None, {})]
)

# Searches that stop inside a level.
CUT_CASES = [
    ("paxos.dsl", {}, None, {"max_states": 200_000}),
    ("ticket.dsl", {}, None, {"max_states": 150_000}),
    ("ticket.dsl", {}, None, {"max_depth": 11}),
    ("tla/raft.dsl", {"MaxLogLen": "1"}, None, {"max_states": 1999}),
]


#: cases that take under a few seconds in all three modes; the rest are slow
QUICK = {("tla/twophase.dsl", ()), ("tla/paxos.dsl", ()), ("channel/naive.dsl", ()), ("cap.dsl", ()),
         ("raft_bugs/vote_without_log_check.dsl", ())}


def params(cases: list) -> list:
    out = []
    for c in cases:
        quick = (c[0], tuple(c[1].items())) in QUICK and not c[2] and not c[3]
        out.append(pytest.param(*c, id=f"{c[0]}{c[1] or ''}{c[2] or ''}{c[3] or ''}",
                                marks=() if quick else pytest.mark.slow))
    return out


def outcome(result) -> dict[str, Any]:
    """Everything of a result that must not depend on storage or workers."""
    s = result.stats
    return {"verdicts": result.verdicts, "complete": result.complete, "reason": result.reason,
            "distinct": s.distinct, "generated": s.generated, "depth": s.max_depth, "queue": s.queue,
            "coverage": result.coverage, "traces": {p: t.to_json() for p, t in result.traces.items()}}


def load(spec: str, consts: dict[str, str], faults: dict[str, int] | None):
    return load_model(str(SPECS / spec), LoadOptions(consts=consts, faults=faults))


@pytest.mark.parametrize("spec,consts,faults,bounds", params(CASES + CUT_CASES))
def test_exact_states_fingerprints_and_two_workers_agree(spec, consts, faults, bounds):
    model = load(spec, consts, faults)
    exact = explore(model, SearchOptions(exact_states=True, **bounds))
    one = explore(model, SearchOptions(**bounds))
    assert outcome(one) == outcome(exact)
    assert exact.stats.collision is None and one.stats.collision is not None
    compact = explore(model, SearchOptions(compact_frontier=0, **bounds))  # every frontier encoded
    assert outcome(compact) == outcome(one)
    two = explore(model, SearchOptions(workers=2, parallel_threshold=0, **bounds))
    assert outcome(two) == outcome(one)
    if not model.liveness:  # the liveness graph is built in one process
        assert two.stats.workers == 2


@pytest.mark.slow
def test_a_search_violating_every_property_stops_where_one_process_does(tmp_path):
    """Without the deadlock check the ticket spec has one property; the
    search stops at its first violation, part-way through level 15."""
    text = (SPECS / "ticket.dsl").read_text()
    spec = tmp_path / "ticket_no_deadlock.dsl"
    spec.write_text(text.replace("network unordered", "network unordered\nterminal true", 1))
    model = load_model(str(spec))
    one = explore(model)
    assert one.reason == "stopped early: every property is violated"
    two = explore(model, SearchOptions(workers=2, parallel_threshold=0))
    assert outcome(two) == outcome(one)
    assert two.stats.workers == 2


@pytest.mark.parametrize("spec,consts", [("tla/twophase.dsl", {"RM": "5"}), ("tla/paxos.dsl", {})])
def test_a_frontier_encoded_in_its_large_levels_only_gives_the_same_result(spec, consts):
    """Levels grow past the bound and shrink below half of it again: the
    search switches to the encoded frontier mid-level and back."""
    model = load(spec, consts, None)
    assert outcome(explore(model, SearchOptions(compact_frontier=300))) == outcome(explore(model))
