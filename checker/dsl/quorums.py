"""Resolve quorum declarations and proof obligations into the prover's
input model (`checker.proofs` rules and obligations, no z3).

Inside a rule:

- ``size`` is the number of members of the candidate set, ``N`` the
  number of nodes the rule counts: the role's nodes, or the members of
  ``within {...}``. The role's count constant (``Servers`` in
  ``role Server[Servers]``) is another name for N, except under
  ``within`` (where it would be misread as the role's count).
- ``weight`` and ``total`` (weighted quorums only): the weight of the
  candidate set and of all nodes.
- other integer constants are their values; ``/`` floors.
- quorum names stand for their rules; ``and``/``or`` combine rules (joint
  consensus: ``Old and New``), ``not`` applies to conditions only.

The same rule value drives the model (``acks is Majority``, see
`checker.compile.quorum`) and the proofs, so a proof covers exactly what
the model uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from checker.dsl import ast as A
from checker.dsl.consteval import const_eval
from checker.dsl.pretty import obligation_text
from checker.dsl.quorum_ast import OBLIGATIONS, ProveDecl, ProveScope, QuorumDecl
from checker.errors import SpecError
from checker.proofs.obligations import AllN, Available, Concrete, Intersect, Obligation, OneSide, Quorum, Range, Scope
from checker.proofs.rules import (
    COMPARE_OPS,
    AllOf,
    AnyOf,
    BinOp,
    BoolOp,
    Compare,
    Cond,
    Explicit,
    Expr,
    Not,
    Num,
    Restrict,
    Rule,
    RuleEvalError,
    Threshold,
    Var,
    Weighted,
    is_quorum,
    validate,
)

if TYPE_CHECKING:
    from checker.dsl.resolve import ResolvedSpec, RoleInfo


@dataclass
class QuorumInfo:
    """A resolved ``quorum`` declaration: its role and rule."""

    name: str
    role: RoleInfo
    rule: Rule
    decl: QuorumDecl

    def quorum(self) -> Quorum:
        """The prover's declaration."""
        return Quorum(self.rule, 1, self.role.name)

    def holds(self, members: frozenset[int]) -> bool:
        """Whether the nodes numbered ``members`` (0-based within the role)
        form a quorum in the model (the role's actual node count)."""
        return is_quorum(self.rule, members, self.role.count)


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))


def _is_int(v: Any) -> bool:
    return type(v) is int


@dataclass
class _Ctx:
    """What names mean in one rule or obligation."""

    role: RoleInfo
    label: str  # for messages: the quorum's name
    weights: tuple[int, ...] | None = None
    within: bool = False

    @property
    def count_name(self) -> str | None:
        count = self.role.decl.count
        return count.id if isinstance(count, A.Name) else None


class _Rules:
    """Translates one spec's quorum declarations (in dependency order)."""

    def __init__(self, r: ResolvedSpec):
        self.r = r
        self.decls: dict[str, QuorumDecl] = {}
        self.done: dict[str, QuorumInfo] = {}
        self.active: list[str] = []  # declarations being translated (cycle check)

    def get(self, name: str, use: Any) -> QuorumInfo:
        if name in self.done:
            return self.done[name]
        if name in self.active:
            cycle = " -> ".join(self.active[self.active.index(name):] + [name])
            raise _err(f"quorum rules refer to each other in a cycle: {cycle}", use)
        self.active.append(name)
        info = self.build(self.decls[name])
        self.active.pop()
        self.done[name] = info
        return info

    # ---- one declaration ------------------------------------------------
    def build(self, d: QuorumDecl) -> QuorumInfo:
        role = self.r.roles.get(d.role)
        if role is None:
            known = ", ".join(self.r.roles) or "none"
            raise SpecError(f"quorum {d.name}: unknown role '{d.role}' (roles: {known})", d.role_span)
        ctx = _Ctx(role, d.name)
        if d.weights is not None:
            ctx.weights = self.weights(d.weights, role)
        members = self.node_set(d.within, ctx) if d.within is not None else None
        if members is not None and not members:
            raise _err("'within' needs at least one node", d.within)
        ctx.within = members is not None
        if d.explicit is not None:
            if d.weights is not None:
                raise _err("an explicit quorum list takes no weights", d.weights)
            rule: Rule = Explicit(self.explicit(d.explicit, ctx), role.count)
        else:
            assert d.rule is not None
            rule = self.as_rule(*self.rule(d.rule, ctx), ctx)
        if members is not None:
            rule = Restrict(rule, frozenset(members))
        for problem in validate(rule):
            raise _err(f"quorum {d.name}: {problem}", d)
        return QuorumInfo(d.name, role, rule, d)

    def weights(self, e: A.Expr, role: RoleInfo) -> tuple[int, ...]:
        value = const_eval(e, self.r.consts)
        if not (isinstance(value, tuple) and all(_is_int(w) and w >= 0 for w in value)):
            raise _err("weights must be a sequence of non-negative integers, e.g. [3, 1, 1]", e)
        if len(value) != role.count:
            raise _err(f"{len(value)} weight(s) for {role.count} node(s) of {role.name}: give one per node", e)
        return tuple(value)

    def node_set(self, e: A.Expr, ctx: _Ctx) -> set[int]:
        role = ctx.role
        if not isinstance(e, A.SetLit):
            raise _err(f"expected a set of {role.name} nodes, e.g. {{{role.name}[0], {role.name}[1]}}", e)
        found: set[int] = set()
        for item in e.items:
            if not (isinstance(item, A.Index) and isinstance(item.base, A.Name)):
                raise _err(f"expected a node of {role.name}, e.g. {role.name}[0]", item)
            if item.base.id != role.name:
                raise _err(f"'{item.base.id}' is not role {role.name} (quorum {ctx.label} is of "
                           f"{role.name})", item.base)
            i = const_eval(item.index, self.r.consts)
            if not _is_int(i) or not 0 <= i < role.count:
                raise _err(f"{role.name} has {role.count} node(s); index {i} is out of range", item.index)
            found.add(i)
        return found

    def explicit(self, e: A.Expr, ctx: _Ctx) -> tuple[frozenset[int], ...]:
        role = ctx.role
        if not isinstance(e, A.SetLit) or not e.items:
            raise _err(f"'any of' needs a set of node sets, e.g. {{{{{role.name}[0], {role.name}[1]}}}}", e)
        sets = []
        for item in e.items:
            nodes = self.node_set(item, ctx)
            if not nodes:
                raise _err("the empty set cannot be a quorum", item)
            sets.append(frozenset(nodes))
        return tuple(sets)

    @staticmethod
    def as_rule(kind: str, value: Any, ctx: _Ctx) -> Rule:
        if kind == "rule":
            return value
        return Weighted(ctx.weights, value) if ctx.weights is not None else Threshold(value)

    def rule(self, e: A.Expr, ctx: _Ctx) -> tuple[str, Any]:
        """("cond", Cond) for a condition on size/weight, ("rule", Rule)
        for anything that mentions another quorum."""
        if isinstance(e, A.Binary) and e.op in ("and", "or"):
            parts = [self.rule(e.left, ctx), self.rule(e.right, ctx)]
            if all(k == "cond" for k, _ in parts):
                args: list[Cond] = []
                for _, c in parts:
                    args.extend(c.args if isinstance(c, BoolOp) and c.op == e.op else (c,))
                return "cond", BoolOp(e.op, tuple(args))
            cls = AllOf if e.op == "and" else AnyOf
            rules: list[Rule] = []
            for kind, value in parts:
                r = self.as_rule(kind, value, ctx)
                rules.extend(r.rules if isinstance(r, cls) else (r,))
            return "rule", cls(tuple(rules))
        if isinstance(e, A.Unary) and e.op == "not":
            kind, value = self.rule(e.operand, ctx)
            if kind != "cond":
                raise _err("'not' applies to conditions on size or weight, not to quorums", e)
            return "cond", Not(value)
        if isinstance(e, A.Binary) and e.op in COMPARE_OPS:
            return "cond", Compare(e.op, self.arith(e.left, ctx), self.arith(e.right, ctx))
        if isinstance(e, A.Name) and e.id in self.decls:
            info = self.get(e.id, e)
            if info.role is not ctx.role:
                raise _err(f"quorum {e.id} is a quorum of {info.role.name}, not of {ctx.role.name}", e)
            return "rule", info.rule
        raise _err("a quorum rule is a condition such as size > N / 2, a quorum name, "
                   "or and/or/not of those", e)

    def arith(self, e: A.Expr, ctx: _Ctx, allowed: tuple[str, ...] = ("size", "N")) -> Expr:
        if isinstance(e, A.IntLit):
            return Num(e.value)
        if isinstance(e, A.Unary) and e.op == "-":
            return BinOp("-", Num(0), self.arith(e.operand, ctx, allowed))
        if isinstance(e, A.Binary) and e.op in ("+", "-", "*", "/"):
            return BinOp(e.op, self.arith(e.left, ctx, allowed), self.arith(e.right, ctx, allowed))
        if isinstance(e, A.Binary) and e.op == "%":
            raise _err("'%' is not supported in a quorum rule (use + - * /)", e)
        if isinstance(e, A.Name):
            return self.name(e, ctx, allowed)
        if isinstance(e, A.Call) and e.func in ("size", "weight"):
            raise _err(f"write '{e.func}' (of the candidate set) without arguments", e)
        raise _err("a quorum rule may only use integers, size, N, weight, total, constants and + - * /", e)

    def name(self, e: A.Name, ctx: _Ctx, allowed: tuple[str, ...]) -> Expr:
        n = e.id
        if n in ("weight", "total") and "size" in allowed:
            if ctx.weights is None:
                raise _err(f"'{n}' is only defined in a weighted quorum "
                           f"(quorum {ctx.label} of {ctx.role.name} weights [...]: ...)", e)
            return Var(n)
        if n in allowed:
            return Var(n)
        if n == ctx.count_name:
            if ctx.within:
                raise _err(f"inside 'within', write N (the number of members), not {n}", e)
            return Var("N")
        if n in ("size", "weight", "total"):
            raise _err(f"'{n}' is not defined here (only N is)", e)
        if n in self.decls:
            raise _err(f"'{n}' is a quorum; compare sizes with size, e.g. size > N / 2", e)
        if n in self.r.consts:
            value = self.r.consts[n]
            if not _is_int(value):
                raise _err(f"constant '{n}' is not an integer", e)
            return Num(value)
        raise _err(f"unknown name '{n}' in a quorum rule (use size, N, weight, total, integer constants "
                   "or quorum names)", e)


def resolve_quorums(r: ResolvedSpec) -> tuple[dict[str, QuorumInfo], list[Obligation]]:
    """The quorums and obligations of a resolved spec (names already
    declared by the resolver); raises `SpecError` at the offending place."""
    rules = _Rules(r)
    for d in r.spec.decls:
        if isinstance(d, QuorumDecl):
            if d.name in r.messages:
                raise _err(f"'{d.name}' is already declared as a message", d)
            rules.decls[d.name] = d
    for name, d in rules.decls.items():
        rules.get(name, d)
    quorums = {name: rules.done[name] for name in rules.decls}
    for name, info in quorums.items():  # a rule the model cannot evaluate is an error here, not at run time
        try:
            for k in range(info.role.count + 1):
                info.holds(frozenset(range(k)))
        except RuleEvalError as exc:
            raise _err(f"quorum {name} cannot be evaluated for the {info.role.count} node(s) of "
                       f"{info.role.name}: {exc}", rules.decls[name]) from None
    obligations = [_obligation(d, quorums, rules) for d in r.spec.decls if isinstance(d, ProveDecl)]
    return quorums, obligations


def _obligation(d: ProveDecl, quorums: dict[str, QuorumInfo], rules: _Rules) -> Obligation:
    if d.kind not in OBLIGATIONS:
        raise _err(f"unknown obligation '{d.kind}'; choose one of {', '.join(OBLIGATIONS)}", d)
    if d.expect not in ("proved", "refuted"):
        raise _err(f"expect: '{d.expect}' is not a proof verdict; write 'prove {d.kind}(...)' "
                   f"or 'expect refuted {d.kind}(...)'", d)
    infos: list[QuorumInfo] = []
    for ref in d.quorums:
        if ref.name not in quorums:
            known = ", ".join(quorums) or "none declared"
            raise _err(f"unknown quorum '{ref.name}' (quorums: {known})", ref)
        info = quorums[ref.name]
        if infos and info.role is not infos[0].role:
            raise _err(f"quorum {ref.name} is of role {info.role.name}, but {infos[0].name} is of "
                       f"{infos[0].role.name}: an obligation is about the quorums of one role", ref)
        infos.append(info)
    want = "at least two quorums" if d.kind == "intersect" else "one quorum"
    if (len(infos) < 2) if d.kind == "intersect" else (len(infos) != 1):
        raise _err(f"{d.kind}(...) takes {want}, got {len(infos)}", d)
    if d.kind == "available" and d.crashes is None:
        raise _err("available(...) needs the number of crashes: available(Q, crashes = (N - 1) / 2)", d)
    if d.kind != "available" and d.crashes is not None:
        raise SpecError(f"{d.kind}(...) takes no crashes", d.crashes_span)
    ctx = _Ctx(infos[0].role, infos[0].name)
    scope = _scope(d.scope, ctx, rules)
    names = tuple(i.name for i in infos)
    label = obligation_text(d)  # reports show the claim as written
    if d.kind == "intersect":
        return Intersect(names, scope, d.expect, label, span=d.span)
    if d.kind == "one_side":
        return OneSide(names[0], scope, d.expect, label, span=d.span)
    assert d.crashes is not None
    crashes = rules.arith(d.crashes, ctx, allowed=("N",))
    return Available(names[0], crashes, scope, d.expect, label, span=d.span)


def _scope(s: ProveScope, ctx: _Ctx, rules: _Rules) -> Scope:
    if s.var not in ("N", ctx.count_name):
        raise _err(f"the scope ranges over N, the number of nodes, not '{s.var}'", s)
    if s.kind == "all":
        return AllN()

    def count(e: A.Expr) -> int:
        value = const_eval(e, rules.r.consts)
        if not _is_int(value):
            raise _err("N must be an integer", e)
        if value < 1:
            raise _err(f"N = {value}: a quorum system needs at least one node (N >= 1)", e)
        return value

    assert s.value is not None
    if s.kind == "eq":
        return Concrete(count(s.value))
    v = s.value
    if not (isinstance(v, A.Binary) and v.op == ".."):
        raise _err("expected a range of node counts, e.g. for N in 1..9", v)
    lo, hi = count(v.left), count(v.right)
    if lo > hi:
        raise _err(f"the range {lo}..{hi} is empty", v)
    return Range(lo, hi)


def node_namer(role: RoleInfo) -> Callable[[int], str]:
    """Names of nodes in witnesses: ``Server[3]`` (also past the role's
    count, for proofs about other N)."""
    return lambda i: f"{role.name}[{i}]"
