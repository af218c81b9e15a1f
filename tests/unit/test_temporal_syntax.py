"""The syntax of fairness, the temporal operators, step properties,
function sets and initial predicates: what parses to what, what
round-trips, and the bounds of what they enumerate (the static mistakes a
user makes with them are among tests/unit/test_bad_specs.py's cases)."""

from __future__ import annotations

import re

from checker import reference
from checker.compile import initial, load_text
from checker.dsl import ast as A
from checker.dsl.parser import parse
from checker.dsl.pretty import pretty
from checker.explore.search import explore
from checker.model import Fairness, Temporal
from tests.conftest import src

FILE = "t.dsl"

EVERYTHING = src(
    "spec T",
    'const Clients = {"a", "b"}',
    "var x in 0..2",
    "var m = {c: 0 for c in Clients}",
    "init when x > 0",
    "unfair action A(c in Clients) when x < 2 { x = x + 1 }",
    "strong fair per c, S action B(c in Clients, S in [Clients -> 0..1]) when S[c] == 1 and m[c] < 1 { m[c] = 1 }",
    "fair action C when x == 2 { x = 1 }",
    "role R[2] {",
    "  var y = 0",
    "  strong fair on M() { y = 1 }",
    "  unfair timeout t when y == 1 { y = 0 }",
    "  fair per k action k2(k in 0..1) when y == 0 and k == 1 { send M() to self }",
    "}",
    "property P1: always eventually x == 1",
    "property P2(c in Clients): eventually always m[c] == 1",
    "property P3: x == 2 leadsto x == 1",
    "step property Grows: x' >= x or x' == 1",
    "step property Own(r in R): r.y' - r.y <= 1 and (m[\"a\"] + 1)' >= 1",
    "constraint size(network) <= 1",
)


def test_what_parses_to_what():
    decls = {getattr(d, "name", type(d).__name__): d for d in parse(EVERYTHING, FILE).decls}
    assert decls["x"].domain is not None and decls["x"].init is None
    assert isinstance(decls["InitWhenDecl"], A.InitWhenDecl)
    assert decls["A"].fairness == A.FairnessDecl(Fairness.UNFAIR)
    assert decls["B"].fairness == A.FairnessDecl(Fairness.STRONG, ("c", "S"))
    assert isinstance(decls["B"].params[1].domain, A.FuncSet)
    assert decls["C"].fairness == A.FairnessDecl(Fairness.WEAK)
    assert [d.kind for d in (decls["P1"], decls["P2"], decls["P3"])] == [
        Temporal.ALWAYS_EVENTUALLY, Temporal.EVENTUALLY_ALWAYS, Temporal.LEADSTO]
    grows = decls["Grows"]
    assert isinstance(grows, A.StepPropertyDecl) and isinstance(grows.cond.left.left, A.Primed)
    role = decls["R"].items
    assert role[1].fairness.kind is Fairness.STRONG and role[2].fairness.kind is Fairness.UNFAIR


def test_it_round_trips_and_runs_alike_in_both_checkers():
    spec = parse(EVERYTHING, FILE)
    assert parse(pretty(spec), FILE) == spec
    e = explore(load_text(EVERYTHING, FILE))
    r = reference.check_text(EVERYTHING, FILE)
    assert (e.stats.distinct, dict(e.verdicts)) == (r.distinct, r.verdicts)
    assert e.complete and e.stats.distinct > 10


def test_keywords_stay_names_elsewhere():
    text = src("spec K", "var step = 0", "var fair = 1", "var per = 2", "var always = 3", "var strong = 4",
               "action unfair when step < 1 { step = fair + per + always + strong }", "terminal true")
    assert explore(load_text(text)).stats.distinct == 2


def test_a_persistent_variable_of_a_crashing_role_may_have_several_initial_values():
    text = src("spec X", "faults { crash R <= 1 }", "role R { persistent var x in 0..1 }", "terminal true")
    assert explore(load_text(text)).stats.distinct == 4


def test_a_function_set_too_large_to_build_is_a_positioned_error():
    text = src("spec X", "var x = 0", "action A when x == 0 { x = size([0..20 -> 0..2]) }")
    result = explore(load_text(text, FILE))  # an evaluation error: the verdict
    assert result.verdicts["evaluation error"] == "violated"
    assert re.match(r"t\.dsl:3:33: \[S -> T\] has 3\^21 = 10,460,353,203 elements; "
                    r"at most 1,000,000 can be built", result.error), result.error


def test_membership_in_a_function_set_builds_nothing():
    text = src("spec X", "var f = {i: 0 for i in 0..30}", "invariant TypeOK: f in [0..30 -> 0..9]")
    assert explore(load_text(text)).verdicts["TypeOK"] == "holds"


def test_too_many_initial_candidates_is_a_positioned_error(monkeypatch):
    monkeypatch.setattr(initial, "MAX_INITIAL_CANDIDATES", 100)
    text = src("spec X", "var a in 0..9", "var b in 0..9", "var c in 0..9", "init when a + b + c == 0")
    result = explore(load_text(text, FILE))
    assert result.verdicts["evaluation error"] == "violated"
    assert re.match(r"t\.dsl:2:1: while computing the initial states: more than 100 candidate initial states",
                    result.error), result.error


def test_init_when_sees_the_values_init_blocks_give():
    text = src("spec X", "var x in 0..3", "var y = 0", "init { y = x * 2 }", "init when y >= 4",
               "terminal true")
    assert explore(load_text(text)).stats.distinct == 2
