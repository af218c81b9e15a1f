"""An invariant is evaluated again only where a step changed a slot it
reads (`Invariant.reads`): every golden spec gives the same outcome as a
search that evaluates every invariant on every new state."""

from __future__ import annotations

import dataclasses

import pytest

from checker.explore.search import explore
from checker.options import SearchOptions
from tests.golden.test_scale_modes import CASES, load, outcome, params


@pytest.mark.parametrize("spec,consts,faults,bounds", params(CASES))
def test_skipping_invariants_of_unchanged_slots_changes_nothing(spec, consts, faults, bounds):
    model = load(spec, consts, faults)
    skipping = explore(model, SearchOptions(**bounds))
    model.invariants = [dataclasses.replace(inv, reads=None) for inv in model.invariants]
    assert outcome(explore(model, SearchOptions(**bounds))) == outcome(skipping)


@pytest.mark.parametrize("spec,consts,faults,bounds", [c for c in params(CASES) if not c.marks])
def test_depth_first_too(spec, consts, faults, bounds):
    dfs = SearchOptions(strategy="dfs", **bounds)
    skipping = explore(load(spec, consts, faults), dfs)
    model = load(spec, consts, faults)
    model.invariants = [dataclasses.replace(inv, reads=None) for inv in model.invariants]
    assert outcome(explore(model, dfs)) == outcome(skipping)


def test_the_slots_an_invariant_reads():
    model = load("tla/raft.dsl", {}, None)
    one, ever = model.invariants
    # state and currentTerm of the two servers (slots 0-3), the history of elections
    assert (one.reads, ever.reads) == ((0, 1, 2, 3), (20,))
    # a test of a few slots without a loop is cheaper than comparing them with the parent's
    assert load("tla/twophase.dsl", {"RM": "3"}, None).invariants[0].reads is None
