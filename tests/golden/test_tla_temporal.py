"""The TLA+ translations that need fairness per action, strong fairness,
``always eventually`` and an initial predicate: each reproduces TLC's
figures (run on the original modules of tlaplus/Examples; TLC's depth
counts states, ours steps: one less).

- SimpleAllocator.tla, SimpleAllocator.cfg (3 clients, 2 resources): 400
  distinct states, depth 6, every property holds; with WF instead of SF on
  Allocate, and under SimpleAllocator2 (a client must return its resources
  only once its request is met), ClientsWillReturn holds and
  ClientsWillObtain and InfOftenSatisfied are violated (one TLC run per
  property; the same 400 states).
- MCBakery (ISpec == Inv /\\ [][Next]_vars, MaxNat = 2): 655,200 distinct
  states, depth 1, no error with N = 2; 204 states, depth 1 with N = 1.
"""

from __future__ import annotations

import pytest

from checker.compile import load_spec, load_text
from checker.explore.search import explore
from checker.options import LoadOptions
from tests.conftest import SPECS

ALLOCATOR = (SPECS / "tla" / "simple_allocator.dsl").read_text()
WEAK_ALLOCATE = ALLOCATOR.replace("strong fair per c action Allocate", "fair per c action Allocate")
ALLOCATOR2 = ALLOCATOR.replace("fair per c action ReturnAll(c in Clients) when alloc[c] != {}",
                               "fair per c action ReturnAll(c in Clients) when unsat[c] == {} and alloc[c] != {}")
SAFE = {"TypeInvariant": "holds", "ResourceMutex": "holds", "deadlock": "holds"}


def test_simple_allocator_holds_under_strong_fairness():
    r = explore(load_text(ALLOCATOR, "simple_allocator.dsl"))
    assert r.complete and (r.stats.distinct, r.stats.max_depth) == (400, 5)
    assert r.verdicts == {**SAFE, "ClientsWillReturn": "holds", "ClientsWillObtain": "holds",
                          "InfOftenSatisfied": "holds"}
    assert any("strong fairness" in n for n in r.notes)


@pytest.mark.parametrize("text", [WEAK_ALLOCATE, ALLOCATOR2], ids=["weak-allocate", "SimpleAllocator2"])
def test_simple_allocator_variants_fail_where_tlc_says(text):
    assert text != ALLOCATOR
    r = explore(load_text(text, "variant.dsl"))
    assert r.stats.distinct == 400
    assert r.verdicts == {**SAFE, "ClientsWillReturn": "holds", "ClientsWillObtain": "violated",
                          "InfOftenSatisfied": "violated"}
    for prop in ("ClientsWillObtain", "InfOftenSatisfied"):
        trace = r.traces[prop]
        assert trace.violation.kind == "liveness" and trace.violation.values["c"] == '"c1"'


def test_under_weak_fairness_others_take_turns_forever():
    """The lasso of the weak variant: c1 waits for r1 while the resource
    goes round; Allocate(c1) is enabled again and again, never throughout."""
    trace = explore(load_text(WEAK_ALLOCATE, "variant.dsl")).traces["ClientsWillObtain"]
    assert trace.loop_start is not None
    loop = [s.label for s in trace.steps[trace.loop_start + 1:]]
    assert any(label.startswith("Allocate(") for label in loop)
    assert not any('c="c1"' in label for label in loop)


def test_bakery_one_process():
    r = explore(load_spec(str(SPECS / "tla" / "bakery.dsl"), LoadOptions(consts={"N": "1"})))
    assert (r.stats.distinct, r.stats.max_depth) == (204, 0)
    assert r.verdicts == {"MutualExclusion": "holds", "TypeOK": "holds", "Inv": "holds"}


@pytest.mark.slow
def test_bakery_starts_from_every_state_of_its_inductive_invariant():
    """MCBakery: 655,200 initial states (of 1,679,616 type-correct ones), and
    every step stays among them (about 3 minutes here; TLC: 40 s)."""
    r = explore(load_spec(str(SPECS / "tla" / "bakery.dsl")))
    assert r.complete and (r.stats.distinct, r.stats.max_depth) == (655200, 0)
    assert r.verdicts == {"MutualExclusion": "holds", "TypeOK": "holds", "Inv": "holds"}
