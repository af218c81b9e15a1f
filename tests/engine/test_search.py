"""The search engine on tiny Python models: counts, verdicts, traces."""

from __future__ import annotations

import pytest

import checker.explore.sequential as search_mod
from checker.explore import explore
from checker.model import Expectation
from checker.options import OptionError, SearchOptions
from checker.trace import replay_trace
from tests.engine.toys import Asserting, Bits, Counter, Graph, inv


def states_of(trace):
    return [tuple(s.state.values()) for s in trace.steps]


def test_bounded_counter_counts_and_holds():
    r = explore(Counter(5, invariants=[inv("Small", lambda s: s[0] <= 5)]))
    assert r.stats.distinct == 6
    assert r.stats.generated == 5
    assert r.stats.max_depth == 5
    assert r.stats.queue == 0
    assert r.verdicts == {"Small": "holds", "deadlock": "holds"}
    assert r.complete and r.reason == "" and r.exit_code == 0
    assert r.traces == {}


def test_invariant_violation_gives_shortest_trace_and_explain_values():
    r = explore(Counter(10, invariants=[inv("Below3", lambda s: s[0] < 3)]))
    assert r.verdicts["Below3"] == "violated"
    assert r.exit_code == 1
    t = r.traces["Below3"]
    assert len(t) == 3
    assert states_of(t) == [(0,), (1,), (2,), (3,)]
    assert t.violation.kind == "invariant"
    assert t.violation.values == {"x": "3"}
    # deadlock still undecided-by-violation, so the search went on to the end
    assert r.complete and r.stats.distinct == 11
    assert r.verdicts["deadlock"] == "holds"


def test_invariant_checked_on_initial_state():
    r = explore(Counter(3, invariants=[inv("Positive", lambda s: s[0] > 0)]))
    assert r.verdicts["Positive"] == "violated"
    assert len(r.traces["Positive"]) == 0


def test_deadlock_terminal_and_self_loop():
    # 0 -> 1 -> 3 (terminal); 0 -> 2 -> 4 (stuck); 5 only loops to itself
    g = Graph({0: [(0, 1), (0, 2)], 1: [(0, 3)], 2: [(0, 4)], 5: [(1, 5)]}, init=[0, 5], terminal={3})
    r = explore(g)
    assert r.stats.distinct == 6
    assert r.stats.generated == 5
    assert r.verdicts == {"deadlock": "violated"}
    t = r.traces["deadlock"]
    assert states_of(t) == [(0,), (2,), (4,)]
    assert t.violation.kind == "deadlock"
    # every property violated: the search stopped right there
    assert not r.complete and r.reason == "stopped early: every property is violated"
    assert r.exit_code == 1


def test_no_deadlock_check_when_disabled():
    g = Graph({0: [(0, 1)]}, init=[0])
    g.check_deadlock = False
    r = explore(g)
    assert r.verdicts == {}
    assert r.complete and r.exit_code == 0


def test_step_assertion_failure():
    r = explore(Asserting(bad=2, bound=5))
    assert r.verdicts["NotBad"] == "violated"
    t = r.traces["NotBad"]
    assert states_of(t) == [(0,), (1,), (2,)]
    assert t.failing_step == "inc(1,)"
    assert t.violation.kind == "assertion"
    assert t.violation.message == "x must not leave 2"
    assert t.violation.values == {"x": "2"}
    # the "double" step yielded before the failure was explored: 0,1,2,4,5
    assert r.stats.distinct == 5
    assert r.assertion_cuts == 1 and r.notes
    assert r.verdicts["deadlock"] == "holds"


def test_constraint_prunes_states_including_initial():
    c = Counter(None)
    c.constraint = lambda s: s[0] <= 5
    r = explore(c, SearchOptions(max_depth=100))
    assert r.stats.distinct == 6  # 0..5; 6 is generated but pruned
    assert r.stats.generated == 6
    assert r.complete and r.verdicts["deadlock"] == "holds"  # 5 has a (pruned) step
    g = Graph({0: [(0, 1)], 7: [(0, 8)]}, init=[7, 0], terminal={1})
    g.constraint = lambda s: s[0] < 5
    r = explore(g)
    assert r.stats.distinct == 2 and r.verdicts == {"deadlock": "holds"}


def test_symmetry_merges_states_and_trace_is_concrete():
    both_on = inv("NotAll", lambda s: not all(s))
    plain = explore(Bits(3, invariants=[both_on]))
    sym = explore(Bits(3, symmetric=True, invariants=[both_on]))
    assert plain.stats.distinct == 8
    assert sym.stats.distinct == 4
    assert plain.verdicts == sym.verdicts == {"NotAll": "violated", "deadlock": "holds"}
    t = sym.traces["NotAll"]
    # canonical states are sorted, but the trace is a real behaviour:
    # set(0) first, so the first concrete state is (1, 0, 0)
    assert states_of(t) == [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 1, 1)]
    assert [s.label for s in t.steps[1:]] == ["set(0,)", "set(1,)", "set(2,)"]


def test_max_depth_cut_is_incomplete():
    r = explore(Counter(None, invariants=[inv("Any", lambda s: True)]), SearchOptions(max_depth=5))
    assert r.stats.distinct == 6
    assert r.stats.max_depth == 5
    assert not r.complete and r.reason == "max-depth 5 reached"
    assert r.verdicts == {"Any": "unknown", "deadlock": "unknown"}
    assert r.exit_code == 3
    assert r.stats.queue == 1


def test_max_depth_that_covers_everything_is_complete():
    r = explore(Counter(5), SearchOptions(max_depth=5))
    assert r.complete and r.exit_code == 0 and r.stats.distinct == 6


def test_model_max_depth_is_honoured():
    c = Counter(None)
    c.max_depth = 3
    r = explore(c)
    assert r.stats.distinct == 4 and r.reason == "max-depth 3 reached"
    r = explore(c, SearchOptions(max_depth=7))
    assert r.stats.distinct == 8


def test_deadlock_found_at_the_depth_bound():
    g = Graph({0: [(0, 1)], 1: [(0, 2)]}, init=[0])
    r = explore(g, SearchOptions(max_depth=2))
    assert r.verdicts == {"deadlock": "violated"}
    assert len(r.traces["deadlock"]) == 2


def test_max_states_cut_is_incomplete():
    r = explore(Counter(None), SearchOptions(max_states=10))
    assert r.stats.distinct == 10
    assert r.reason == "max-states 10 reached" and r.exit_code == 3
    assert r.verdicts == {"deadlock": "unknown"}
    # exactly enough room: complete
    r = explore(Counter(9), SearchOptions(max_states=10))
    assert r.complete and r.stats.distinct == 10


def test_time_limit_cut():
    r = explore(Counter(None), SearchOptions(time_limit=0))
    assert not r.complete and r.reason == "time limit 0s reached"
    assert r.exit_code == 3
    assert r.stats.distinct == search_mod.CHECK_EVERY


def test_bfs_shortest_dfs_finds_one_too():
    model = Counter(12, steps=(1, 3), invariants=[inv("Not9", lambda s: s[0] != 9)])
    bfs = explore(model)
    dfs = explore(model, SearchOptions(strategy="dfs"))
    assert len(bfs.traces["Not9"]) == 3
    assert states_of(bfs.traces["Not9"]) == [(0,), (3,), (6,), (9,)]
    assert dfs.verdicts["Not9"] == "violated"
    t = dfs.traces["Not9"]
    # first successor first, states marked seen when generated
    assert states_of(t) == [(0,), (1,), (2,), (5,), (6,), (9,)]
    assert replay_trace(model, t)[-1][1] == (9,)
    assert bfs.stats.distinct == dfs.stats.distinct == 13
    assert bfs.stats.generated == dfs.stats.generated


def test_dfs_depth_bound_and_counts():
    r = explore(Counter(None), SearchOptions(strategy="dfs", max_depth=4))
    assert r.stats.distinct == 5 and r.reason == "max-depth 4 reached" and r.exit_code == 3
    r = explore(Bits(4), SearchOptions(strategy="dfs"))
    assert r.stats.distinct == 16 and r.stats.max_depth == 4 and r.complete


def test_early_stop_only_when_every_property_is_violated():
    invs = [inv("Not2", lambda s: s[0] != 2), inv("Not4", lambda s: s[0] != 4)]
    c = Counter(None, invariants=invs)
    c.check_deadlock = False
    r = explore(c)
    assert r.verdicts == {"Not2": "violated", "Not4": "violated"}
    assert [len(r.traces[p]) for p in ("Not2", "Not4")] == [2, 4]
    assert r.stats.distinct == 5 and r.stats.max_depth == 4
    assert r.reason == "stopped early: every property is violated"


def test_coverage_counts_and_never_fired():
    r = explore(Counter(12, steps=(1, 3)))
    assert r.coverage == {"inc": r.stats.generated, "dec": 0}
    assert r.coverage["inc"] == 12 + 10
    assert r.never_fired == ["dec"]


def test_determinism_two_runs_identical():
    def run():
        m = Counter(20, steps=(1, 2, 5), invariants=[inv("Not17", lambda s: s[0] != 17)])
        return explore(m)

    a, b = run(), run()
    assert (a.stats.distinct, a.stats.generated, a.stats.max_depth) == (b.stats.distinct, b.stats.generated, b.stats.max_depth)
    assert a.coverage == b.coverage
    assert a.traces["Not17"].to_json() == b.traces["Not17"].to_json()


def test_expectations_compare():
    c = Counter(10, invariants=[inv("Below3", lambda s: s[0] < 3)])
    r = explore(c)
    out = r.compare_expectations([
        Expectation("Below3", "violated"),
        Expectation("deadlock", "violated"),
        Expectation("Missing", "holds"),
    ])
    assert [(o.met, o.actual) for o in out] == [(True, "violated"), (False, "holds"), (False, "unknown")]


def test_progress_called_from_clock_checks_only(monkeypatch):
    monkeypatch.setattr(search_mod, "INTERVAL", 0.0)
    calls = []
    r = explore(Counter(10_000), progress=calls.append)
    assert r.stats.distinct == 10_001
    assert len(calls) == 10_001 // search_mod.CHECK_EVERY
    assert calls[0].distinct == search_mod.CHECK_EVERY and calls[0].queue == 1
    assert [c.generated for c in calls] == sorted(c.generated for c in calls)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Strategy"):
        explore(Counter(3), SearchOptions(strategy="random"))
    with pytest.raises(OptionError, match="max_depth"):
        explore(Counter(3), SearchOptions(max_depth=-1))
