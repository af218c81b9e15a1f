"""checker.dsl.pretty: ``parse(pretty(ast)) == ast`` and idempotence."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from checker.dsl import ast as A
from checker.dsl.parser import parse
from checker.dsl.pretty import pretty, pretty_expr, quote
from tests.conftest import ROOT

SPECS = sorted(ROOT.glob("specs/**/*.dsl"))


def roundtrip(spec: A.Spec) -> str:
    text = pretty(spec)
    again = parse(text, "<pretty>")
    assert again == spec, text
    assert pretty(again) == text  # idempotent
    return text


def test_specs_are_found():
    assert len(SPECS) >= 3


@pytest.mark.parametrize("path", SPECS, ids=[str(p.relative_to(ROOT)) for p in SPECS])
def test_every_spec_round_trips(path: Path):
    roundtrip(parse(path.read_text(), str(path)))


# Every construct of the grammar, with awkward nesting on purpose.
EVERYTHING = r'''
spec Everything
const N = 3
const M = -N + 2 * (1 - 4) % 5 / 2
const S = {1, 2, 3}
const Q = ["a", "b\"q\\x\n\tz"]
network fifo
faults { loss <= 1, duplicate <= N - 1, crash Server <= 1, }
message Req(a, b)
message Empty()
var g = {:}
var h = [x * 2 for x in 0..N if x != 1]
persistent var p = (1,)
def F(x, y) = if x > y then x else y
def G() = choose x in S: x > 1 and not x in {2}
def H(s) = {k: s[k] for k in keys(s) if s[k] >= 0}
def I(t) = t[1:] + t[:2] + t[1:2] + t[:]
def J() = (a: 1, b: "x", c: (1, 2, 3), d: ())
role Server[N] {
  var t = 0
  persistent var log = []
  on Req(a, b) from c when a > 0 and (b == none or b is Req) {
    t = t + 1
    log[t].x[a + 1] = b
    let z = -(-t)
    if t == 1 { reply Empty() } else if t == 2 { send Req(a: 1, b: 2) to c } else { send Empty() }
    if not true { } else { t = 0 }
    for i, j in 0..t { assert Named: i <= j; assert i >= 0 }
    broadcast Empty() to Server
    skip
    ;
  }
  on Empty() { }
  action tick(i in 0..N, s in subsets(S)) when forall x in s, y in S: x <= y => exists z in S: z == x {
    choose v in S
    t = v
  }
  action plain { }
  timeout expire when t > 0 { t = 0 }
  timeout other(k in S) { t = k }
  init { t = 1 }
  on restart { t = 0 }
}
role Client { var seen = {} }
action env(k in S) when g == {:} { g[k] = k }
init { g = {1: 2, 3: 4} }
invariant Inv1: forall s in Server: s.t >= 0 and (exists c in Client: c.seen subset {})
invariant Inv2: not exists a, b in Server: a.t != b.t and a.t not in S
invariant Inv3: (if true then 1 else 2) + F(1, 2) < len([1, 2][0:1]) => -1 < 0
constraint size(g) < 4
terminal size(network) == 0 or size(sent) > 100
max_depth 2 * N
symmetric Server, Client
expect violation Inv1
expect holds deadlock
quorum Majority of Server: size > N / 2
quorum W of Server weights [3, 1, 1] within {Server[0], Server[1]}: weight > total / 2 or not size < 1
quorum Grid of Server: any of {{Server[0], Server[1]}, {Server[1], Server[2]}}
quorum Joint of Server: Majority and (W or Grid)
prove intersect(Majority, Majority, Joint) for all N
prove available(Majority, crashes = (N - 1) / 2) for N in 1..9
expect refuted one_side(W) for N = 3
'''


def test_hand_written_spec_round_trips():
    spec = parse(EVERYTHING)
    text = roundtrip(spec)
    # Spot checks of idiomatic output.
    for line in [
        "persistent var p = (1,)",
        "faults { loss <= 1, duplicate <= N - 1, crash Server <= 1 }",
        "    if t == 1 {",
        "    } else if t == 2 {",
        "      send Req(a: 1, b: 2) to c",
        "    } else {",
        "      assert Named: i <= j",
        "  action plain { }",
        "  timeout expire when t > 0 {",
        "  on restart {",
        "var g = {:}",
        "invariant Inv2: not exists a, b in Server: a.t != b.t and a.t not in S",
        "symmetric Server, Client",
        "expect violation Inv1",
        "max_depth 2 * N",
        "quorum Joint of Server: Majority and (W or Grid)",
        "prove available(Majority, crashes = (N - 1) / 2) for N in 1..9",
        "expect refuted one_side(W) for N = 3",
    ]:
        assert line in text.splitlines(), (line, text)
    assert '"b\\"q\\\\x\\n\\tz"' in text


@pytest.mark.parametrize("src, want", [
    ("a - (b - c)", "a - (b - c)"),
    ("(a - b) - c", "a - b - c"),
    ("a => (b => c)", "a => b => c"),
    ("(a => b) => c", "(a => b) => c"),
    ("-(a + b) * c", "-(a + b) * c"),
    ("(-a)[0]", "(-a)[0]"),
    ("- -a", "- -a"),
    ("not (a and b)", "not (a and b)"),
    ("(not a) and b", "not a and b"),
    ("a and b or c", "(a and b) or c"),
    ("a or (b or c)", "a or (b or c)"),
    ("(forall x in S: p) and q", "(forall x in S: p) and q"),
    ("q and (forall x in S: p)", "q and (forall x in S: p)"),
    ("not (forall x in S: p) and q", "not (forall x in S: p) and q"),
    ("(if a then b else c) + 1", "(if a then b else c) + 1"),
    ("if a then b else if c then d else e", "if a then b else if c then d else e"),
    ("if (if a then b else c) then d else e", "if (if a then b else c) then d else e"),
    ("f(choose x in S: p, 2)", "f(choose x in S: p, 2)"),
    ("forall x in (a in b): p", "forall x in (a in b): p"),
    ("(a == b) == c", "(a == b) == c"),
    ("(0..3)..4", "(0..3) .. 4"),
    ("{(forall x in S: p): 1}", "{(forall x in S: p): 1}"),
    ("x[(exists y in S: p):]", "x[(exists y in S: p):]"),
    ("{(exists y in S: p) for z in T}", "{(exists y in S: p) for z in T}"),
    ("{z for z in T if (a => b)}", "{z for z in T if (a => b)}"),
    ("((a, b),)", "((a, b),)"),
    ("()", "()"),
    ('"\\\\"', '"\\\\"'),
])
def test_expression_parentheses(src: str, want: str):
    spec = parse(f"spec X const C = {src}")
    e = spec.decls[0].value
    assert pretty_expr(e) == want
    assert parse(f"spec X const C = {want}").decls[0].value == e


def test_quote_reverses_the_parsers_escapes():
    for s in ['', 'plain', 'a"b', 'back\\slash', 'line\nbreak', 'tab\there', '\\"\n']:
        spec = parse(f"spec X const C = {quote(s)}")
        assert spec.decls[0].value == A.StrLit(s)


def test_unprintable_asts_raise_value_error():
    for bad in [A.RecordLit(()), A.Comprehension("set", A.Name("x"), None, ())]:
        with pytest.raises(ValueError):
            pretty_expr(bad)
    with pytest.raises(ValueError):
        pretty(A.Spec("X", (A.InitDecl((A.Send("broadcast", A.Call("M", ()), None),)),)))


# ---- random ASTs -------------------------------------------------------------

NAMES = ["a", "b", "x", "Server", "f", "size", "m"]


class Gen:
    """Random, parser-producible ASTs (spans default; equality ignores them)."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed)

    def name(self) -> str:
        return self.rnd.choice(NAMES)

    def names(self) -> tuple[str, ...]:
        return tuple(self.name() for _ in range(self.rnd.randint(1, 2)))

    def expr(self, depth: int) -> A.Expr:
        r = self.rnd
        if depth <= 0:
            return r.choice([
                lambda: A.IntLit(r.randint(0, 20)), lambda: A.StrLit(r.choice(["", "s", 'q"\\\n'])),
                lambda: A.BoolLit(r.random() < 0.5), lambda: A.NoneLit(), lambda: A.SelfRef(),
                lambda: A.Name(self.name()),
            ])()
        d = depth - 1
        kind = r.randrange(22)
        if kind < 6:
            op = r.choice(["+", "-", "*", "/", "%", "&", "and", "or", "=>", "==", "!=", "<", "<=", ">", ">=",
                           "in", "not in", "subset", "is", ".."])
            return A.Binary(op, self.expr(d), self.expr(d))
        if kind < 8:
            return A.Unary(r.choice(["-", "not"]), self.expr(d))
        if kind == 8:
            return A.Quantifier(r.choice(["forall", "exists"]),
                                tuple(A.Binder(self.names(), self.expr(d)) for _ in range(r.randint(1, 2))), self.expr(d))
        if kind == 9:
            return A.CondExpr(self.expr(d), self.expr(d), self.expr(d))
        if kind == 10:
            return A.ChooseExpr(self.name(), self.expr(d), self.expr(d))
        if kind == 11:
            return A.Index(self.expr(d), self.expr(d))
        if kind == 12:
            return A.Slice(self.expr(d), self.opt(d), self.opt(d))
        if kind == 13:
            return A.Field(self.expr(d), self.name())
        if kind == 14:
            return A.Call(self.name(), tuple(A.Arg(self.name() if r.random() < 0.3 else None, self.expr(d))
                                             for _ in range(r.randint(0, 3))))
        if kind == 15:
            return A.TupleLit(self.items(d, 0))
        if kind == 16:
            return A.SeqLit(self.items(d, 0))
        if kind == 17:
            return A.SetLit(self.items(d, 0))
        if kind == 18:
            return A.MapLit(tuple((self.expr(d), self.expr(d)) for _ in range(r.randint(0, 2))))
        if kind == 19:
            return A.RecordLit(tuple((f"f{i}", self.expr(d)) for i in range(r.randint(1, 3))))
        ck = r.choice(["set", "seq", "map"])
        clauses = tuple(A.CompFor(self.names(), self.expr(d)) if r.random() < 0.6 else A.CompIf(self.expr(d))
                        for _ in range(r.randint(1, 3)))
        return A.Comprehension(ck, self.expr(d), self.expr(d) if ck == "map" else None, clauses)

    def opt(self, d: int) -> A.Expr | None:
        return self.expr(d) if self.rnd.random() < 0.6 else None

    def items(self, d: int, least: int) -> tuple[A.Expr, ...]:
        return tuple(self.expr(d) for _ in range(self.rnd.randint(least, 3)))

    def stmts(self, depth: int) -> tuple[A.Stmt, ...]:
        return tuple(self.stmt(depth) for _ in range(self.rnd.randint(0, 3)))

    def stmt(self, depth: int) -> A.Stmt:
        r, d = self.rnd, max(depth - 1, 0)
        e = lambda: self.expr(r.randint(0, 3))  # noqa: E731
        kind = r.randrange(9 if depth > 0 else 6)
        if kind == 0:
            accs = tuple(self.name() if r.random() < 0.5 else e() for _ in range(r.randint(0, 2)))
            return A.Assign(A.LValue(self.name(), accs), e())
        if kind == 1:
            return A.Let(self.name(), e())
        if kind == 2:
            call = A.Call(self.name(), tuple(A.Arg(None, e()) for _ in range(r.randint(0, 2))))
            k = r.choice(["send", "broadcast", "reply"])
            to = None if k == "reply" or (k == "send" and r.random() < 0.5) else e()
            return A.Send(k, call, to)
        if kind == 3:
            return A.Assert(self.name() if r.random() < 0.5 else None, e())
        if kind == 4:
            return A.Choose(self.name(), e())
        if kind == 5:
            return A.Let(self.name(), e())
        if kind in (6, 7):
            orelse = r.choice([(), self.stmts(d), (A.If(e(), self.stmts(d), ()),)])
            return A.If(e(), self.stmts(d), orelse)
        return A.For(self.names(), e(), self.stmts(d))

    def spec(self) -> A.Spec:
        r = self.rnd
        e = lambda: self.expr(r.randint(0, 4))  # noqa: E731
        params = tuple(A.Param(self.name(), e()) for _ in range(r.randint(0, 2)))
        role = A.RoleDecl("R", e() if r.random() < 0.5 else None, (
            A.VarDecl("v", e(), persistent=r.random() < 0.3),
            A.Handler("Msg", self.names() if r.random() < 0.7 else (), self.name() if r.random() < 0.5 else None,
                      e() if r.random() < 0.5 else None, self.stmts(2)),
            A.ActionDecl("act", params, e() if r.random() < 0.5 else None, self.stmts(2), kind=r.choice(["action", "timeout"])),
        ))
        return A.Spec("Random", (
            A.ConstDecl("K", e()),
            A.FaultsDecl(tuple(A.FaultBound(self.name(), None, e()) for _ in range(r.randint(0, 2)))),
            role,
            A.DefDecl("D", self.names(), e()),
            A.InvariantDecl("I", e()),
            A.ConstraintDecl(e()),
            A.TerminalDecl(e()),
            A.MaxDepthDecl(e()),
        ))


@pytest.mark.parametrize("seed", range(40))
def test_random_asts_round_trip(seed: int):
    gen = Gen(seed)
    for _ in range(10):
        roundtrip(gen.spec())
