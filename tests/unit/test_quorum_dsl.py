"""Quorum declarations and `prove` obligations in the DSL: what each rule
means (as a `checker.proofs` rule), and `s is Q` in a model agreeing with
`is_quorum` on every subset."""

from __future__ import annotations

import itertools

import pytest

from checker.compile import load_text
from checker.dsl.parser import parse
from checker.dsl.pretty import pretty
from checker.proofs import (
    AllN,
    AllOf,
    AnyOf,
    Available,
    BinOp,
    BoolOp,
    Compare,
    Concrete,
    Explicit,
    Intersect,
    Not,
    Num,
    OneSide,
    Range,
    Restrict,
    Threshold,
    Var,
    Weighted,
    is_quorum,
    parse_cond,
)
from checker.values import TRUE, elements, node_number

HEAD = """spec Q
const Servers = 4
const F = 1
role Server[Servers] { var x = 0 }
"""


def resolved(body: str):
    return load_text(HEAD + body, "q.dsl").resolved


def rule_of(body: str, name: str = "Q"):
    return resolved(body).quorums[name].rule


MAJ = parse_cond("size > N / 2")


@pytest.mark.parametrize("body, rule", [
    ("quorum Q of Server: size > N / 2", Threshold(MAJ)),
    # The role's count constant is another name for N.
    ("quorum Q of Server: size > Servers / 2", Threshold(MAJ)),
    ("quorum Q of Server: size >= 2 * N / 3 + 1", Threshold(parse_cond("size >= 2 * N / 3 + 1"))),
    # Other constants are their values.
    ("quorum Q of Server: size >= N - F", Threshold(Compare(">=", Var("size"), BinOp("-", Var("N"), Num(1))))),
    ("quorum Q of Server: size > N / 2 and not size == N", Threshold(BoolOp("and", (
        MAJ, Not(Compare("==", Var("size"), Var("N"))))))),
    ("quorum Q of Server weights [3, 1, 1, 1]: weight > total / 2",
     Weighted((3, 1, 1, 1), parse_cond("weight > total / 2"))),
    ("quorum Q of Server: any of {{Server[0], Server[1]}, {Server[2]}}",
     Explicit((frozenset({0, 1}), frozenset({2})), 4)),
    ("quorum Q of Server within {Server[0], Server[1], Server[2]}: size > N / 2",
     Restrict(Threshold(MAJ), frozenset({0, 1, 2}))),
    ("quorum A of Server within {Server[0], Server[1], Server[2]}: size > N / 2\n"
     "quorum B of Server within {Server[1], Server[2], Server[3]}: size > N / 2\n"
     "quorum Q of Server: A and B",
     AllOf((Restrict(Threshold(MAJ), frozenset({0, 1, 2})), Restrict(Threshold(MAJ), frozenset({1, 2, 3}))))),
    # A quorum may refer to one declared after it; conditions and names mix.
    ("quorum Q of Server: A or size == N\nquorum A of Server: size > N / 2",
     AnyOf((Threshold(MAJ), Threshold(parse_cond("size == N"))))),
])
def test_rules(body, rule):
    assert rule_of(body) == rule


def test_obligations_and_scopes():
    r = resolved("""quorum Majority of Server: size > N / 2
prove intersect(Majority, Majority) for all N
prove available(Majority, crashes = (Servers - 1) / 2) for N in 1..9
prove one_side(Majority) for N = Servers
expect refuted intersect(Majority, Majority, Majority) for N = 3
""")
    a, b, c, d = r.obligations
    assert a == Intersect(("Majority", "Majority"), AllN(), "proved", "intersect(Majority, Majority) for all N")
    assert isinstance(b, Available) and b.scope == Range(1, 9)
    assert b.crashes == BinOp("/", BinOp("-", Var("N"), Num(1)), Num(2))
    assert b.label == "available(Majority, crashes = (Servers - 1) / 2) for N in 1..9"
    assert isinstance(c, OneSide) and c.scope == Concrete(4)
    assert d.expect == "refuted" and d.scope == Concrete(3)
    assert (a.span.line, a.span.col) == (6, 1)


def test_pretty_round_trips_every_form():
    text = HEAD + """quorum Majority of Server: size > N / 2
quorum W of Server weights [3, 1, 1, 1] within {Server[0], Server[1]}: weight > total / 2 or not size < 1
quorum Grid of Server: any of {{Server[0], Server[1]}, {Server[1], Server[2]}}
quorum Joint of Server: Majority and (W or Grid)
prove intersect(Majority, Grid, Joint) for all N
prove available(Majority, crashes = (N - 1) / 2) for N in 1..9
expect refuted one_side(W) for Servers = 4
"""
    spec = parse(text)
    out = pretty(spec)
    assert parse(out) == spec and pretty(parse(out)) == out
    for line in text.splitlines()[4:]:
        assert line in out.splitlines()


def test_keywords_stay_usable_as_names():
    load_text("spec K\nconst of = 1\nconst all = of\nconst any = all\nconst weights = 2\n"
              "const within = 3\nconst quorum = 4\nconst prove = 5\ninvariant I: any + prove == 6\n", "k.dsl")


# ---- `s is Q` in a model ---------------------------------------------------

MODEL = HEAD + """
quorum Majority of Server: size > N / 2
quorum Super of Server: 3 * size > 2 * N
quorum W of Server weights [3, 1, 1, 0]: weight > total / 2
quorum Grid of Server: any of {{Server[0], Server[1]}, {Server[2], Server[3]}}
quorum Old of Server within {Server[0], Server[1], Server[2]}: size > N / 2
quorum New of Server within {Server[1], Server[2], Server[3]}: size > N / 2
quorum Joint of Server: Old and New
quorum Odd of Server: size * size > N and size != 2

var acks = {}
var verdicts = [false]
action pick(s in subsets(Server)) when acks == {} {
  acks = s
  verdicts = [s is Majority, s is Super, s is W, s is Grid, s is Old, s is New, s is Joint, s is Odd]
}
terminal true
"""
NAMES = ["Majority", "Super", "W", "Grid", "Old", "New", "Joint", "Odd"]


def test_is_quorum_in_a_model_agrees_with_is_quorum():
    model = load_text(MODEL, "m.dsl")
    quorums = model.resolved.quorums
    (init,) = model.initial_states()
    seen = set()
    for _, state in model.successors(init):
        view = model.state_view(state)
        members = frozenset(node_number(v) for v in elements(view["acks"]))
        want = [is_quorum(quorums[n].rule, members, 4) for n in NAMES]
        assert [v == TRUE for v in view["verdicts"]] == want, (sorted(members), NAMES)
        seen.add(members)
    assert seen == {frozenset(c) for k in range(5) for c in itertools.combinations(range(4), k)}


def test_is_quorum_rejects_nodes_of_another_role_at_run_time():
    from checker.errors import ModelError

    model = load_text(HEAD + """role Client[2] { var y = 0 }
quorum Majority of Server: size > N / 2
var ok = false
action bad { ok = {Client[0], Server[0]} is Majority }
terminal true
""", "r.dsl")
    (init,) = model.initial_states()
    with pytest.raises(ModelError, match="Client\\[0\\] .* is not one of the Server nodes"):
        list(model.successors(init))
