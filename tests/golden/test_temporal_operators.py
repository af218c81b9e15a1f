"""Fairness and the temporal operators against TLC, on small models.

Each DSL text here translates a module of /work/tlc/models/temporal (the
TLA+ models TLC checked); every figure is TLC's (its depth counts states,
ours steps: one less; its traces have one state more than our steps).
The compiled engine and the reference interpreter must both give it.

- Toggle.tla: Go (x = 1 -> y = 1) is enabled every other state while
  Toggle flips x. 4 distinct states, depth 4. WeakSpec (WF on both):
  Reach <>(y = 1) and Settles <>[](y = 1) violated by the lasso
  0 -> 1 -> back to 0, Flickers []<>(x = 1) holds. StrongSpec (SF on Go):
  all hold. LazySpec (only SF on Go, Toggle unfair): all three violated by
  stuttering in the initial state.
- Counter.tla: Inc to 3, Reset to 0, Nop. 4 distinct states. [][x' >= x]_x
  violated after 4 steps (0, 1, 2, 3, 0); [][x' = (x + 1) % 4]_x and
  [][x' # x]_x hold (a step that changes nothing satisfies [A]_x); with
  CONSTRAINT x <= 2, [][x' <= 2]_x violated by the step leaving the
  constraint (3 steps, 3 distinct states).
- PerClient.tla: WF_t(\\E i: Flip(i)) lets switch 1 flip forever: <>(t[2] = 1)
  violated; \\A i: WF_t(Flip(i)) makes it hold. 4 distinct states.
- Functions.tla: Init == f \\in [1..2 -> 0..2] /\\ f[1] <= f[2]: 6 initial
  states, 9 distinct, depth 3; Sorted (f[1] <= f[2]) violated in 1 step.
"""

from __future__ import annotations

import pytest

from checker import reference
from checker.compile import load_text
from checker.explore.search import explore

TOGGLE = """
spec Toggle
var x = 0
var y = 0
{toggle}action Toggle {{ x = 1 - x }}
{go}action Go when x == 1 {{ y = 1 }}
property Reach: eventually y == 1
property Settles: eventually always y == 1
property Flickers: always eventually x == 1
terminal true
"""
WEAK = TOGGLE.format(toggle="fair ", go="fair ")
STRONG = TOGGLE.format(toggle="", go="strong fair ")
LAZY = TOGGLE.format(toggle="unfair ", go="strong fair ")

COUNTER = """
spec Counter
var x = 0
action Inc when x < 3 { x = x + 1 }
action Reset when x == 3 { x = 0 }
action Nop { x = x }
step property Grows: x' >= x
step property Cycles: x' == (x + 1) % 4
step property Changes: x' != x
terminal true
"""
BELOW = """
spec Below
var x = 0
action Inc when x < 3 { x = x + 1 }
action Reset when x == 3 { x = 0 }
constraint x <= 2
step property Below: x' <= 2
invariant Small: x <= 2   # holds: the search runs to its end, as TLC's did (3 states)
terminal true
"""

PER_CLIENT = """
spec PerClient
var t = {{i: 0 for i in 1..2}}
{fair} action Flip(i in 1..2) {{ t[i] = 1 - t[i] }}
property SecondOn: eventually t[2] == 1
terminal true
"""

FUNCTIONS = """
spec Functions
var f in [1..2 -> 0..2]
init when f[1] <= f[2]
action Inc(i in 1..2) when f[i] < 2 { f[i] = f[i] + 1 }
invariant TypeOK: f in [1..2 -> 0..2]
invariant Sorted: f[1] <= f[2]
terminal true
"""

# text, distinct, depth, verdicts, {property: steps of the trace (a lasso: prefix + loop)}
CASES = [
    (WEAK, 4, 3, {"Reach": "violated", "Settles": "violated", "Flickers": "holds"}, {"Reach": 2, "Settles": 2}),
    (STRONG, 4, 3, {"Reach": "holds", "Settles": "holds", "Flickers": "holds"}, {}),
    (LAZY, 4, 3, {"Reach": "violated", "Settles": "violated", "Flickers": "violated"},
     {"Reach": 0, "Settles": 0, "Flickers": 0}),
    (COUNTER, 4, 3, {"Grows": "violated", "Cycles": "holds", "Changes": "holds"}, {"Grows": 4}),
    (BELOW, 3, 2, {"Small": "holds", "Below": "violated"}, {"Below": 3}),
    (PER_CLIENT.format(fair="fair"), 4, 2, {"SecondOn": "violated"}, {"SecondOn": 2}),
    (PER_CLIENT.format(fair="fair per i"), 4, 2, {"SecondOn": "holds"}, {}),
    (FUNCTIONS, 9, 2, {"TypeOK": "holds", "Sorted": "violated"}, {"Sorted": 1}),
]
IDS = ["weak", "strong", "lazy", "counter", "below", "one-class", "per-switch", "functions"]


@pytest.mark.parametrize("text,distinct,depth,verdicts,lengths", CASES, ids=IDS)
def test_the_engine_gives_tlcs_answer(text, distinct, depth, verdicts, lengths):
    r = explore(load_text(text))
    assert r.complete
    assert (r.stats.distinct, r.stats.max_depth, dict(r.verdicts)) == (distinct, depth, verdicts)
    assert {p: len(t) for p, t in r.traces.items()} == lengths


@pytest.mark.parametrize("text,distinct,depth,verdicts,lengths", CASES, ids=IDS)
def test_the_reference_gives_tlcs_answer(text, distinct, depth, verdicts, lengths):
    r = reference.check_text(text)
    assert r.error is None and r.complete
    assert (r.distinct, r.depth, r.verdicts) == (distinct, depth, verdicts)
    got = {p: n for p, n in r.lengths.items()} | {p: x.prefix + x.loop for p, x in r.lassos.items()}
    assert got == lengths


def test_a_weakly_fair_loop_may_skip_a_step_enabled_now_and_then():
    t = explore(load_text(WEAK)).traces["Reach"]
    assert t.loop_start == 0 and [s.label for s in t.steps[1:]] == ["Toggle()", "Toggle()"]
    assert "repeat forever" in t.violation.message


def test_eventually_always_loops_through_a_state_where_it_fails():
    t = explore(load_text(WEAK)).traces["Settles"]
    assert t.violation.values["condition fails at step"] == "0"
    lazy = explore(load_text(LAZY)).traces["Settles"]
    assert lazy.loop_start is None and "the run can stop after step 0" in lazy.violation.message


def test_a_step_property_counterexample_ends_with_the_step():
    t = explore(load_text(COUNTER)).traces["Grows"]
    assert t.violation.kind == "step" and t.failing_step is None
    assert [s.state["x"] for s in t.steps] == [0, 1, 2, 3, 0]
    assert t.violation.values == {"x'": "0", "x": "3"}
    below = explore(load_text(BELOW)).traces["Below"]
    assert below.steps[-1].state["x"] == 3  # the step that leaves the constraint


def test_a_step_into_the_constraint_keeps_the_search_going():
    """A violated step property does not prune: its step's state is explored."""
    r = explore(load_text(COUNTER.replace("step property Cycles: x' == (x + 1) % 4\n", "")
                          .replace("step property Changes: x' != x\n", "") + "invariant Small: x <= 3\n"))
    assert r.stats.distinct == 4 and r.verdicts["Small"] == "holds"
