"""Random simulation: deterministic per seed whatever the number of
workers, every state checked, counterexamples as real traces."""

from __future__ import annotations

from pathlib import Path

from checker.explore.simulate import simulate
from checker.loader import load_model
from checker.model import Verdict
from checker.trace import replay_trace
from tests.engine import toys

SPECS = Path(__file__).resolve().parents[2] / "specs"


def test_the_same_seed_gives_the_same_behaviours_and_another_seed_others():
    model = load_model(str(SPECS / "tla" / "twophase.dsl"))
    a = simulate(model, 40, 12, seed=7)
    b = simulate(model, 40, 12, seed=7)
    c = simulate(model, 40, 12, seed=8)
    assert (a.steps, a.coverage) == (b.steps, b.coverage)
    assert a.coverage != c.coverage
    assert a.runs == 40 and not a.traces and a.exit_code == 0
    assert all(v == Verdict.UNKNOWN for v in a.verdicts.values())


def test_workers_do_not_change_the_result():
    model = load_model(str(SPECS / "ticket.dsl"))
    one = simulate(model, 100, 40, seed=3)
    two = simulate(model, 100, 40, seed=3, workers=2)
    assert two.workers == 2
    assert (one.runs, one.steps, one.coverage, one.verdicts) == (two.runs, two.steps, two.coverage, two.verdicts)
    assert {p: t.to_json() for p, t in one.traces.items()} == {p: t.to_json() for p, t in two.traces.items()}


def test_an_invariant_violation_ends_the_simulation_with_a_replayable_trace():
    model = load_model(str(SPECS / "ticket.dsl"))
    result = simulate(model, 500, 40, seed=1)
    assert result.verdicts["Consistency"] == Verdict.VIOLATED and result.exit_code == 1
    trace = result.traces["Consistency"]
    assert trace.violation.kind == "invariant" and trace.options["strategy"] == "simulate"
    replay_trace(model, trace)
    assert result.runs < 500  # the first violating behaviour is the last one counted


def test_assertions_and_deadlocks_are_found():
    asserting = simulate(toys.Asserting(bad=2, bound=5), 5, 10, seed=0)
    assert asserting.verdicts["NotBad"] == Verdict.VIOLATED
    assert asserting.traces["NotBad"].failing_step == "inc(1,)"
    dead = toys.Graph({0: [(0, 1)]}, [0])  # 1 has no step and is not terminal
    result = simulate(dead, 3, 10, seed=0)
    assert result.verdicts["deadlock"] == Verdict.VIOLATED and len(result.traces["deadlock"]) == 1


def test_depth_bounds_each_behaviour():
    result = simulate(toys.Counter(None), 3, 25, seed=0)
    assert result.steps == 75 and result.coverage == {"inc": 75, "dec": 0}
