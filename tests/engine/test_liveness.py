"""Liveness under weak fairness on tiny hand-written graphs (never the DSL)."""

from __future__ import annotations

from typing import Iterator

from checker.explore.graph import build_graph
from checker.explore.lasso import fair_cycle
from checker.explore.search import explore
from checker.model import Action, LivenessProperty, Model, State
from checker.options import SearchOptions
from checker.render.text import render_trace
from checker.trace import replay_path


class Fair(Model):
    """An explicit graph; ``edges[n]`` lists (class name or None, next node).
    A None class is a fault: never forced. States are (node,)."""

    def __init__(self, edges: dict[int, list[tuple[str | None, int]]], liveness: list[LivenessProperty],
                 init: tuple[int, ...] = (0,)):
        self.name = "Fair"
        self.edges = edges
        self.init = init
        self.kinds = sorted({k or "fault" for out in edges.values() for k, _ in out})
        self.action_names = self.kinds
        self.invariants = []
        self.liveness = liveness
        self.check_deadlock = False

    def initial_states(self) -> list[State]:
        return [(n,) for n in self.init]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        for kind, nxt in self.edges.get(state[0], []):
            yield (self.kinds.index(kind or "fault"), nxt), (nxt,)

    def fairness_class(self, action: Action):
        name = self.kinds[action[0]]
        return None if name == "fault" else name


def at(*nodes: int):
    return lambda s: s[0] in nodes


def eventually(*nodes: int) -> list[LivenessProperty]:
    return [LivenessProperty("Done", "eventually", at(*nodes))]


def states_of(trace) -> list[int]:
    return [s.state["v0"] for s in trace.steps]


def test_fair_cycle_that_never_reaches_the_goal_is_a_lasso():
    # 0 -> 1 -> 2 -> 0 forever; "finish" (to 3) is enabled only in 2, so a
    # weakly fair behaviour may keep cycling.
    m = Fair({0: [("a", 1)], 1: [("a", 2)], 2: [("a", 0), ("finish", 3)]}, eventually(3))
    r = explore(m)
    assert r.verdicts == {"Done": "violated"}
    t = r.traces["Done"]
    assert t.loop_start == 0 and states_of(t) == [0, 1, 2, 0]
    assert t.violation.kind == "liveness"
    text = render_trace(t)
    assert "-- loop starts here: steps 1..3 repeat forever --\n1." in text and "leads back to step 0" in text
    assert r.exit_code == 1


def test_class_enabled_everywhere_in_the_cycle_must_be_taken():
    # "finish" is enabled in every state of the cycle: fairness forces it.
    m = Fair({0: [("a", 1), ("finish", 3)], 1: [("a", 0), ("finish", 3)]}, eventually(3))
    assert explore(m).verdicts == {"Done": "holds"}


def test_a_fault_is_never_forced():
    # Only a fault leads to the goal: the behaviour may stop in 0.
    m = Fair({0: [(None, 1)]}, eventually(1))
    r = explore(m)
    assert r.verdicts == {"Done": "violated"}
    t = r.traces["Done"]
    assert t.loop_start is None and len(t) == 0
    assert "only faults or unfair steps are enabled" in t.violation.message


def test_deadlock_where_the_goal_never_held():
    m = Fair({0: [("a", 1)], 1: []}, eventually(2))
    t = explore(m).traces["Done"]
    assert states_of(t) == [0, 1] and t.loop_start is None
    assert "no step is enabled" in t.violation.message


def test_goal_in_the_initial_state_holds():
    m = Fair({0: [("a", 0)]}, eventually(0))
    assert explore(m).verdicts == {"Done": "holds"}


def test_steps_that_change_nothing_neither_enable_nor_take_a_class():
    # TLA+'s WF_vars(A) is about <<A>>_vars steps: a step from a state to
    # itself does not count as taking its class, nor as enabling it.
    unfair = Fair({0: [("a", 0), ("b", 1)]}, eventually(1))
    assert explore(unfair).verdicts == {"Done": "holds"}
    # c's step to 1 is enabled forever in 0, and its step back to 0 does
    # not discharge it: every fair behaviour reaches 1.
    forced = Fair({0: [("a", 0), ("b", 0), ("c", 1), ("c", 0)]}, eventually(1))
    assert explore(forced).verdicts == {"Done": "holds"}
    # Only steps that change nothing: the behaviour may stop in 0.
    idle = Fair({0: [("a", 0)]}, eventually(1))
    t = explore(idle).traces["Done"]
    assert states_of(t) == [0] and t.loop_start is None
    assert "every enabled step changes nothing" in t.violation.message


def test_shortest_prefix_to_the_nearest_bad_component():
    # Two bad cycles: one at depth 3, one at depth 1.
    m = Fair({0: [("a", 1), ("b", 5)], 1: [("a", 2)], 2: [("a", 3)], 3: [("a", 3)],
              5: [("b", 6)], 6: [("b", 5)]}, eventually(9))
    t = explore(m).traces["Done"]
    assert states_of(t)[:2] == [0, 5] and t.loop_start == 1


def test_leadsto_from_a_reachable_trigger():
    # 0 -> 1 (request) -> 2 (grant) -> 0; from 1 a fault may lead to 3,
    # where the request waits forever.
    prop = [LivenessProperty("Granted", "leadsto", at(1, 3), at(2))]
    m = Fair({0: [("req", 1)], 1: [("grant", 2), (None, 3)], 2: [("done", 0)], 3: [("idle", 3)]}, prop)
    r = explore(m)
    t = r.traces["Granted"]
    assert states_of(t) == [0, 1, 3] and t.loop_start is None  # "idle" changes nothing: it may stop in 3
    assert t.violation.values["left side holds at step"] == "1"
    without_fault = Fair({0: [("req", 1)], 1: [("grant", 2)], 2: [("done", 0)]}, prop)
    assert explore(without_fault).verdicts == {"Granted": "holds"}


def test_leadsto_prefix_is_shortest_when_a_state_is_reached_the_long_way_first():
    # 0 and 1 are initial and both trigger; 0 -> 1; the run may stop in 1.
    # (1, after the trigger) is reached from (0, after the trigger) in one
    # step before 1's own trigger is seen, which costs none.
    prop = [LivenessProperty("Never", "leadsto", at(0, 1), at(9))]
    m = Fair({0: [("a", 1)], 1: []}, prop, init=(0, 1))
    t = explore(m).traces["Never"]
    assert states_of(t) == [1] and t.loop_start is None


def test_printed_cycle_is_fair_on_its_own():
    # "c" is enabled in 0 and 1 but not in 2, so the component does not
    # need it; but the short cycle 0 -> 1 -> 0 would leave it enabled
    # throughout, so the printed cycle must pass through 2.
    edges = {0: [("a", 1), ("c", 9)], 1: [("a", 0), ("b", 2), ("c", 9)], 2: [("b", 0)], 9: []}
    m = Fair(edges, eventually(9))
    g = build_graph(m, 100)
    nodes = {g.index[(n,)] for n in (0, 1, 2)}
    cycle = fair_cycle(g, nodes, set(), g.index[(0,)])
    visited = {g.states[g.dst[k]][0] for _, k in cycle}
    assert 2 in visited
    t = explore(m).traces["Done"]
    assert 2 in states_of(t)


def test_several_entries_of_one_property_share_its_verdict():
    props = [LivenessProperty("Each", "eventually", at(n), binding={"n": str(n)}) for n in (1, 2)]
    m = Fair({0: [("a", 1)], 1: [("a", 1)]}, props)
    r = explore(m)
    assert r.verdicts == {"Each": "violated"}
    assert r.traces["Each"].violation.values["n"] == "2"


def test_graph_too_large_is_incomplete_with_exit_3():
    edges = {n: [("a", n + 1)] for n in range(100)}
    m = Fair(edges, eventually(1000))
    r = explore(m, SearchOptions(liveness_max_states=10))
    assert r.verdicts == {"Done": "unknown"} and not r.complete
    assert "liveness-max-states 10 reached" in r.reason and r.exit_code == 3
    assert r.stats.distinct == 101  # the safety search's figures stay


def test_depth_bound_leaves_liveness_unknown():
    m = Fair({0: [("a", 1)], 1: [("a", 2)], 2: []}, eventually(5))
    r = explore(m, SearchOptions(max_depth=1))
    assert r.verdicts == {"Done": "unknown"}
    assert any("liveness not checked" in n for n in r.notes)


def test_lasso_replays_through_the_model():
    m = Fair({0: [("a", 1)], 1: [("a", 2)], 2: [("a", 0), ("finish", 3)]}, eventually(3))
    t = explore(m).traces["Done"]
    path = [(None, (0,))] + [(None, (s,)) for s in states_of(t)[1:]]
    assert len(path) == 4
    replay_path(m, [(None, (0,)), ((0, 1), (1,)), ((0, 2), (2,)), ((0, 0), (0,))])
