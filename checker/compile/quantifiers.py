"""Quantifiers compiled into the loops a person would write.

``exists a, b in RMs: a.rmState == "committed" and b.rmState == "aborted"``
read literally is a loop over 49 pairs; it is two loops of 7, one per
conjunct. The body of ``exists`` is split into its conjuncts (of
``forall`` into its disjuncts, ``A => B`` being ``not A or B``) and each
loop, innermost first, keeps only the parts that read its variable:

- parts before the first one that reads the variable move in front of
  the loop when its domain is a constant with elements (they were
  evaluated once per element, always to the same value);
- parts after the last one that reads it move behind the loop when the
  parts that stay in it cannot fail (the loop's value then decides
  whether they are evaluated, as it did before, and no evaluation error
  is skipped);
- a loop none of whose parts reads its variable disappears when its
  domain is a constant with elements.

Evaluation stays left to right and short-circuited, so a verdict, and an
evaluation error, are those of the literal reading.

A variable ranging over a role's nodes that the body reads only through
its variables (``a.rmState``) loops over those variables' slots of the
state instead (``for x in s[2:9]``), and ``exists a in Role: a.v == e``
is one membership test of ``e`` in those slots.

The quorum test ``exists Q in Quorums: forall a in Q: P(a)`` over a
constant set of sets, with ``P`` not reading ``Q``, is one lookup: the set
of the ``a`` in any quorum for which ``P`` holds, looked up in the
precomputed sets that contain a quorum (a person would count the votes
once, not once per quorum). ``P`` must be unable to fail: it is evaluated
for every node, where the literal reading stops at the first quorum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from checker.dsl import ast as A
from checker.values import SET

if TYPE_CHECKING:
    from checker.compile.context import Ctx
    from checker.compile.exprs import ExprCompiler
    from checker.dsl.resolve import RoleInfo

#: the quorum test is a table lookup while the table (2^n sets for the n
#: members of all quorums together) stays small
MAX_QUORUM_MEMBERS = 12

#: generated code that can raise an evaluation error: a run-time helper,
#: a node lookup, a division, a network operation, a quorum test
_MAY_FAIL = re.compile(r"_rt|_node_|//|%|_NET|\bQ_")


@dataclass
class _Part:
    """A conjunct (of ``exists``) or disjunct (of ``forall``) of the body."""

    expr: A.Expr
    negated: bool = False  # ``not A`` of ``A => B`` under forall


@dataclass
class _Loop:
    """One bound variable and the parts its loop keeps."""

    index: int  # position among the quantifier's variables
    name: str
    domain: A.Expr
    parts: list[_Item] = field(default_factory=list)


_Item = _Part | _Loop


class QuantifierCompiler:
    """Compiles one quantifier for an `ExprCompiler`."""

    def __init__(self, ex: ExprCompiler, e: A.Quantifier, ctx: Ctx):
        self.ex, self.e, self.ctx = ex, e, ctx
        self.exists = e.kind == "exists"
        self.vars = [(n, b.domain) for b in e.binders for n in b.names]
        self.py = [ex.fresh(n) for n, _ in self.vars]

    def compile(self) -> str:
        contains = self._contains_quorum()
        if contains is not None:
            return contains
        items: list[_Item] = [_Part(x, neg) for x, neg in self._parts(self.e.body)]
        for index in reversed(range(len(self.vars))):
            items = self._place(index, items)
        return self._join(items, self._body_ctx())

    # ---- planning ----------------------------------------------------------
    def _parts(self, body: A.Expr) -> list[tuple[A.Expr, bool]]:
        op = "and" if self.exists else "or"
        if isinstance(body, A.Binary) and body.op == op:
            return self._parts(body.left) + self._parts(body.right)
        if not self.exists and isinstance(body, A.Binary) and body.op == "=>":
            return [(body.left, True)] + self._parts(body.right)
        return [(body, False)]

    def _place(self, index: int, items: list[_Item]) -> list[_Item]:
        name, domain = self.vars[index]
        reads = [_mentions(self.ex, it, name) for it in items]
        nonempty = self._nonempty(domain, index)
        lo = 0
        if nonempty:
            while lo < len(items) and not reads[lo]:
                lo += 1
        hi = len(items)
        while hi > lo and not reads[hi - 1]:
            hi -= 1
        if hi == lo:  # no part reads the variable: with elements, the loop adds nothing
            return items if nonempty else [_Loop(index, name, domain, items)]
        if hi < len(items) and not all(self._total(it, index) for it in items[lo:hi]):
            hi = len(items)
        return items[:lo] + [_Loop(index, name, domain, items[lo:hi])] + items[hi:]

    def _nonempty(self, domain: A.Expr, index: int) -> bool:
        """Whether ``domain`` is a constant with elements (a role, a folded set)."""
        code = self.ex.iterable(domain, self._domain_ctx(index))
        if not code.endswith("[1:]"):
            return False
        value = self.ex.namespace.get(code[:-4])
        return isinstance(value, tuple) and len(value) > 1

    def _total(self, item: _Item, index: int) -> bool:
        """Whether ``item`` cannot raise an evaluation error."""
        ctx = self._body_ctx()
        if isinstance(item, _Part):
            return not _MAY_FAIL.search(self.ex.cond(item.expr, ctx))
        return not _MAY_FAIL.search(self.ex.iterable(item.domain, self._domain_ctx(item.index))) \
            and all(self._total(x, index) for x in item.parts)

    def _contains_quorum(self) -> str | None:
        """``exists Q in QS: forall a in Q: P(a)`` as a table lookup (see
        the module's docstring), or None when it is not of that form."""
        body = self.e.body
        if not self.exists or len(self.vars) != 1 or not isinstance(body, A.Quantifier) \
                or body.kind != "forall" or len(body.binders) != 1 or len(body.binders[0].names) != 1:
            return None
        q, _ = self.vars[0]
        a = body.binders[0].names[0]
        d = body.binders[0].domain
        if not (isinstance(d, A.Name) and d.id == q) or q in self.ex.reads.free(body.body) or a == q:
            return None
        domain = self.ex.iterable(self.vars[0][1], self._domain_ctx(0))
        quorums = self.ex.namespace.get(domain[:-4]) if domain.endswith("[1:]") else None
        if not isinstance(quorums, tuple) \
                or not all(isinstance(x, tuple) and x[:1] == (SET,) for x in quorums[1:]):
            return None
        members = list(dict.fromkeys(m for x in quorums[1:] for m in x[1:]))  # in order of appearance
        if len(members) > MAX_QUORUM_MEMBERS:
            return None
        ctx = self.ctx.child(looping=True)
        py = ctx.locals[a] = self.ex.fresh(a)
        test = self.ex.cond(body.body, ctx)
        if _MAY_FAIL.search(test):
            return None
        table = frozenset(frozenset(c) for k in range(len(members) + 1) for c in combinations(members, k)
                          if any(set(x[1:]) <= set(c) for x in quorums[1:]))
        return f"(frozenset({py} for {py} in {self.ex.const_ref(tuple(members))} if {test}) in " \
            f"{self.ex.const_ref(table)})"

    # ---- contexts --------------------------------------------------------------
    def _domain_ctx(self, index: int) -> Ctx:
        """Where the domain of variable ``index`` is compiled: the earlier
        variables bound (a later one of the same name is not yet in scope)."""
        ctx = self.ctx.child(looping=True)
        for (n, _), py in zip(self.vars[:index], self.py[:index]):
            ctx.locals[n] = py
            ctx.fields = {k: v for k, v in ctx.fields.items() if k[0] != n}
        return ctx

    def _body_ctx(self) -> Ctx:
        return self._domain_ctx(len(self.vars))

    # ---- code --------------------------------------------------------------------
    def _join(self, items: list[_Item], ctx: Ctx) -> str:
        codes = [self._item(it, ctx) for it in items]
        if len(codes) == 1:
            return codes[0]
        return "(" + (" and " if self.exists else " or ").join(codes) + ")"

    def _item(self, item: _Item, ctx: Ctx) -> str:
        if isinstance(item, _Part):
            code = self.ex.cond(item.expr, ctx)
            return f"(not {code})" if item.negated else code
        fn = "any" if self.exists else "all"
        slots = self._role_slots(item)
        if slots is None:
            loop = f"for {self.py[item.index]} in {self.ex.iterable(item.domain, self._domain_ctx(item.index))}"
            return f"{fn}({self._join(item.parts, ctx)} {loop})"
        role, used, as_value = slots
        inner = ctx.child()
        targets, sources = [], []
        if as_value:
            targets.append(self.py[item.index])
            sources.append(f"R_{role.name}[1:]")
        for f in used:
            py = inner.fields[(item.name, f)] = self.ex.fresh(f)
            targets.append(py)
            lo = self.ex.layout.var(role, f)
            sources.append(f"{ctx.src}[{lo}:{lo + role.count}]")
        member = self._membership(item, inner, sources, as_value)
        if member is not None:
            return member
        loop = f"for {targets[0]} in {sources[0]}" if len(targets) == 1 else \
            f"for {', '.join(targets)} in zip({', '.join(sources)})"
        return f"{fn}({self._join(item.parts, inner)} {loop})"

    def _membership(self, item: _Loop, ctx: Ctx, sources: list[str], as_value: bool) -> str | None:
        """``exists x in Role: x.v == e``: ``e in <the slots of v>``."""
        if not self.exists or as_value or len(item.parts) != 1 or len(sources) != 1:
            return None
        part = item.parts[0]
        if not isinstance(part, _Part) or part.negated:
            return None
        c = part.expr
        if not (isinstance(c, A.Binary) and c.op == "=="):
            return None
        for side, other in ((c.left, c.right), (c.right, c.left)):
            if isinstance(side, A.Field) and isinstance(side.base, A.Name) and side.base.id == item.name \
                    and item.name not in self.ex.reads.free(other):
                code = self.ex.cond(c, ctx)
                if code.startswith("_rt"):  # the two sides need a run-time comparability check
                    return None
                return f"({self.ex.expr(other, ctx)} in {sources[0]})"
        return None

    def _role_slots(self, item: _Loop) -> tuple[RoleInfo, list[str], bool] | None:
        """When ``item`` ranges over a role's nodes (``for a in RMs``): the
        role, the variables of the node the parts read (``a.rmState``) and
        whether they use the node itself as a value too."""
        d = item.domain
        if not (isinstance(d, A.Name) and d.id in self.ex.r.roles) \
                or self.ex.iterable(d, self._domain_ctx(item.index)) != f"R_{d.id}[1:]":
            return None
        role = self.ex.r.roles[d.id]
        fields: set[str] = set()
        others: set[str] = set()
        for it in item.parts:
            f, o = self.ex.reads.through_fields(it.expr if isinstance(it, _Part) else _as_expr(it), item.name)
            fields |= f
            others |= o
        if not fields or not fields <= set(role.vars):
            return None
        return role, sorted(fields), item.name in others


def may_fail(code: str) -> bool:
    """Whether generated code can raise an evaluation error."""
    return bool(_MAY_FAIL.search(code))


def conjuncts(e: A.Expr) -> list[A.Expr]:
    """``A and B and C`` -> [A, B, C]."""
    if isinstance(e, A.Binary) and e.op == "and":
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def compile_quantifier(ex: ExprCompiler, e: A.Quantifier, ctx: Ctx) -> str:
    """``e`` as a Python condition (see the module's docstring)."""
    return QuantifierCompiler(ex, e, ctx).compile()


def _as_expr(loop: _Loop) -> A.Quantifier:
    """A planned loop as the quantifier it stands for (to ask what it reads)."""
    parts = [p.expr if isinstance(p, _Part) else _as_expr(p) for p in loop.parts]
    return A.Quantifier("exists", (A.Binder((loop.name,), loop.domain),), A.TupleLit(tuple(parts)))


def _mentions(ex: ExprCompiler, item: _Item, name: str) -> bool:
    """Whether ``item`` reads the local ``name``."""
    return name in ex.reads.free(item.expr if isinstance(item, _Part) else _as_expr(item))
