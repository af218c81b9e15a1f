"""Strong fairness, the temporal operators and step properties on tiny
hand-written graphs (never the DSL)."""

from __future__ import annotations

from typing import Iterator

import pytest

from checker.explore.fairness import fair_components
from checker.explore.graph import build_graph
from checker.explore.search import explore
from checker.model import Action, Fairness, LivenessProperty, Model, State, StepProperty, Temporal
from tests.engine.test_liveness import Fair, at, states_of


class Strong(Fair):
    """`Fair` whose classes named in ``strong`` are strongly fair."""

    def __init__(self, edges, liveness, strong=(), init=(0,)):
        super().__init__(edges, liveness, init)
        self.strong = set(strong)

    def class_fairness(self, cls):
        return Fairness.STRONG if cls in self.strong else Fairness.WEAK


# 0 <-> 1 by "t"; "go" (from 1 only) leads to 2: enabled every other state.
FLIP = {0: [("t", 1)], 1: [("t", 0), ("go", 2)], 2: [("t", 2)]}


def prop(kind: Temporal, *nodes: int) -> list[LivenessProperty]:
    return [LivenessProperty("P", kind, at(*nodes))]


def test_weak_fairness_lets_an_intermittent_step_wait_forever():
    r = explore(Strong(FLIP, prop(Temporal.EVENTUALLY, 2)))
    assert r.verdicts == {"P": "violated"} and states_of(r.traces["P"]) == [0, 1, 0]


def test_strong_fairness_takes_it():
    assert explore(Strong(FLIP, prop(Temporal.EVENTUALLY, 2), strong={"go"})).verdicts == {"P": "holds"}


def test_a_component_failing_a_strong_class_keeps_its_fair_part():
    # 0 <-> 1 -> 3 <-> 4 -> 1; "go" is enabled in 1 only. Under SF on "go"
    # the component {0, 1, 3, 4} is unfair, but its part {3, 4} (a cycle
    # where "go" is never enabled) is fair and never reaches 2.
    edges = {0: [("t", 1)], 1: [("t", 0), ("go", 2), ("u", 3)], 3: [("u", 4)], 4: [("u", 3), ("w", 1)], 2: []}
    m = Strong(edges, prop(Temporal.EVENTUALLY, 2), strong={"go"})
    r = explore(m)
    assert r.verdicts == {"P": "violated"}
    t = r.traces["P"]
    assert set(states_of(t)[t.loop_start:]) == {3, 4}  # the loop avoids 1, where "go" is enabled
    g = build_graph(m, 100)
    region = bytearray(0 if s == (2,) else 1 for s in g.states)
    comps = fair_components(g, region)
    assert [{g.states[i][0] for i in c.nodes} for c in comps] == [{3, 4}]


def test_a_weak_class_enabled_throughout_discards_the_component_and_its_parts():
    edges = {0: [("t", 1), ("go", 2)], 1: [("t", 0), ("go", 2)], 2: []}
    g = build_graph(Strong(edges, []), 100)
    region = bytearray(0 if s == (2,) else 1 for s in g.states)
    assert fair_components(g, region) == []


def test_always_eventually_is_violated_by_a_fair_suffix_without_it():
    # 0 -> 1 <-> 2; P holds in 0 only: after the first step it never holds again.
    edges = {0: [("a", 1)], 1: [("a", 2)], 2: [("a", 1)]}
    r = explore(Strong(edges, prop(Temporal.ALWAYS_EVENTUALLY, 0)))
    t = r.traces["P"]
    assert r.verdicts == {"P": "violated"} and t.loop_start == 1
    assert t.violation.values["condition fails for good from step"] == "1"
    assert explore(Strong({0: [("a", 1)], 1: [("a", 0)]}, prop(Temporal.ALWAYS_EVENTUALLY, 0))).verdicts == {
        "P": "holds"}


def test_eventually_always_loops_through_a_state_where_it_fails():
    # 0 -> 1 <-> 2 -> 3 (stays); P fails in 2: the fair loop 1 <-> 2 must pass it.
    edges = {0: [("a", 1)], 1: [("a", 2)], 2: [("a", 1), (None, 3)], 3: []}
    r = explore(Strong(edges, prop(Temporal.EVENTUALLY_ALWAYS, 0, 1, 3)))
    t = r.traces["P"]
    assert 2 in states_of(t)[t.loop_start:]
    # Without the loop, every fair behaviour settles in 3, where P holds.
    settles = {0: [("a", 1)], 1: [("a", 2)], 2: [("b", 3)], 3: []}
    assert explore(Strong(settles, prop(Temporal.EVENTUALLY_ALWAYS, 0, 1, 3))).verdicts == {"P": "holds"}


def test_eventually_always_may_stop_only_where_it_fails():
    stuck_bad = explore(Strong({0: [("a", 1)], 1: []}, prop(Temporal.EVENTUALLY_ALWAYS, 0)))
    t = stuck_bad.traces["P"]
    assert states_of(t) == [0, 1] and t.loop_start is None
    assert explore(Strong({0: [("a", 1)], 1: []}, prop(Temporal.EVENTUALLY_ALWAYS, 1))).verdicts == {"P": "holds"}


def test_a_liveness_property_checks_its_kind():
    with pytest.raises(ValueError, match="sometimes"):
        LivenessProperty("P", "sometimes", at(0))
    with pytest.raises(ValueError, match="right side of a leadsto"):
        LivenessProperty("P", "eventually", at(0), at(1))


class Steps(Model):
    """A counter 0..3 with a reset to 0 and a step to itself."""

    name = "Steps"
    action_names = ["inc", "reset", "nop"]
    invariants: list = []
    check_deadlock = False

    def __init__(self, props: list[StepProperty]):
        self.step_properties = props

    def initial_states(self) -> list[State]:
        return [(0,)]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        x = state[0]
        if x < 3:
            yield (0,), (x + 1,)
        else:
            yield (1,), (0,)
        yield (2,), state


def test_a_step_property_is_checked_on_every_step_that_changes_the_state():
    grows = StepProperty("Grows", lambda s, t: t[0] >= s[0], lambda s, t: {"from": str(s[0]), "to": str(t[0])})
    changes = StepProperty("Changes", lambda s, t: t != s)  # stuttering satisfies [A]_vars
    r = explore(Steps([grows, changes]))
    assert r.verdicts == {"Grows": "violated", "Changes": "holds"}
    t = r.traces["Grows"]
    assert [s.state["v0"] for s in t.steps] == [0, 1, 2, 3, 0] and t.violation.values == {"from": "3", "to": "0"}
    assert r.stats.distinct == 4
