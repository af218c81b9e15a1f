"""DSL expressions -> Python expression source.

The spec has been checked (`checker.dsl.typecheck`): this module raises no
errors. It reads each expression's kind from the checker's table to pick a
fast inline form (``a + b`` on ints, ``x in s`` on a set) over a run-time
helper of `checker.compile.runtime` (named ``_rt_<helper>`` in generated
code, see `checker.compile.runtime.NAMESPACE`).
"""

from __future__ import annotations

import itertools
from typing import Any

from checker.compile.calls import CallCompiler
from checker.compile.context import Ctx
from checker.compile.layout import StateLayout
from checker.dsl import ast as A
from checker.dsl.exprcheck import KindTable, int_literal, role_node_literal
from checker.dsl.kinds import ITERABLE, Kind, ValueKind
from checker.dsl.resolve import ResolvedSpec
from checker.network import network_of
from checker.values import NODE_BASE, NONE, Shape, VSet

_INLINE_CMP = ("==", "!=", "<", "<=", ">", ">=")


class ExprCompiler:
    """Compiles expressions of one resolved spec; collects the constants
    generated code refers to by name (`namespace`)."""

    def __init__(self, r: ResolvedSpec, layout: StateLayout, kinds: KindTable | None = None):
        self.r = r
        self.layout = layout
        self.kinds = kinds or r.kinds
        self.names = r.names
        self.network = network_of(r.network)
        self.namespace: dict[str, Any] = {f"R_{role.name}": VSet(role.nodes) for role in r.roles.values()}
        self._fresh = itertools.count()
        self.calls = CallCompiler(self)

    def fresh(self, base: str) -> str:
        return f"v_{base}_{next(self._fresh)}"

    def const_ref(self, value: Any) -> str:
        if type(value) in (int, bool):
            return repr(value)
        name = f"K_{next(self._fresh)}"
        self.namespace[name] = value
        return name

    def kind(self, e: A.Expr | A.LValue, ctx: Ctx) -> Kind:
        return self.kinds.get(e, ctx.path)

    def expr(self, e: A.Expr, ctx: Ctx) -> str:
        return getattr(self, "e_" + type(e).__name__)(e, ctx)

    # ---- names and variables ---------------------------------------------
    def role_var(self, role_name: str, var: str, node: str, src: str) -> str:
        """Variable ``var`` of the node whose value is ``node``, in state ``src``."""
        role = self.r.roles[role_name]
        return f"{src}[{self.layout.var(role, var) - NODE_BASE - role.first} + {node}]"

    def e_IntLit(self, e: A.IntLit, ctx: Ctx) -> str:
        return repr(e.value)

    def e_StrLit(self, e: A.StrLit, ctx: Ctx) -> str:
        return repr(self.names.intern(e.value))

    def e_BoolLit(self, e: A.BoolLit, ctx: Ctx) -> str:
        return repr(e.value)

    def e_NoneLit(self, e: A.NoneLit, ctx: Ctx) -> str:
        return repr(NONE)

    def e_SelfRef(self, e: A.SelfRef, ctx: Ctx) -> str:
        return "me"

    def e_Name(self, e: A.Name, ctx: Ctx) -> str:
        n, r, layout = e.id, self.r, self.layout
        if n in ctx.locals:
            return ctx.locals[n]
        if ctx.role is not None and n in ctx.role.vars:
            return f"{ctx.src}[{layout.var(ctx.role, n)} + _i]"
        if n in r.global_vars:
            return f"{ctx.src}[{layout.globals[n]}]"
        if n in r.consts:
            return self.const_ref(r.consts[n])
        if n in r.roles:
            return f"R_{n}"
        if n == "sent":
            return f"{ctx.src}[{layout.sent if self.network.consumes else layout.net}]"
        if n == "network":
            return self.network.gen_value(f"{ctx.src}[{layout.net}]")
        assert n == "crashed", n  # the checker let no other name through
        return "_EMPTY_SET" if layout.crashed is None else f"{ctx.src}[{layout.crashed}]"

    # ---- operators ------------------------------------------------------------
    def e_Unary(self, e: A.Unary, ctx: Ctx) -> str:
        code = self.expr(e.operand, ctx)
        return f"(not {code})" if e.op == "not" else f"(-{code})"

    def e_Binary(self, e: A.Binary, ctx: Ctx) -> str:
        op = e.op
        if op == "is":
            return self.is_test(e, ctx)
        a, b = self.expr(e.left, ctx), self.expr(e.right, ctx)
        ka, kb = self.kind(e.left, ctx), self.kind(e.right, ctx)
        if op in ("and", "or"):
            return f"({a} {op} {b})"
        if op == "=>":
            return f"((not {a}) or {b})"
        if op in _INLINE_CMP or op == "*":
            return f"({a} {op} {b})"
        if op in ("in", "not in"):
            code = f"({a} in {b})" if kb.base in ITERABLE else f"_rt_contains({a}, {b})"
            return code if op == "in" else f"(not {code})"
        if op == "subset":
            return f"_rt_subset({a}, {b})"
        if op == "..":
            return f"_rt_int_range({a}, {b})"
        if op in ("/", "%"):
            if isinstance(e.right, A.IntLit) and e.right.value != 0:  # no zero check needed
                return f"({a} {'//' if op == '/' else '%'} {b})"
            return f"_rt_{'div' if op == '/' else 'mod'}({a}, {b})"
        if op == "&":
            return f"_rt_intersect({a}, {b})"
        # + and -
        both_seqs = op == "+" and ka.is_(ValueKind.SEQ) and kb.is_(ValueKind.SEQ)
        if ka.is_(ValueKind.INT) or kb.is_(ValueKind.INT) or both_seqs:
            return f"({a} {op} {b})"
        return f"_rt_plus({a}, {b})" if op == "+" else f"_rt_minus({a}, {b})"

    def is_test(self, e: A.Binary, ctx: Ctx) -> str:
        assert isinstance(e.right, A.Name)
        target = e.right.id
        a = self.expr(e.left, ctx)
        if target in self.r.messages:
            return f"_rt_is_shape({a}, {self.r.messages[target].shape})"
        name = f"Q_{target}"
        if name not in self.namespace:  # `acks is Majority`: checker.compile.quorum
            from checker.compile.quorum import quorum_check

            self.namespace[name] = quorum_check(self.r.quorums[target], self.names.show)
        return f"{name}({a})"

    # ---- access -------------------------------------------------------------------
    def role_node(self, role_name: str, index: A.Expr, ctx: Ctx) -> str:
        """``Role[i]``: the node's value."""
        role = self.r.roles[role_name]
        literal = int_literal(index)
        if literal is not None:
            return repr(NODE_BASE + role.first + literal)
        return f"_node_{role.name}({self.expr(index, ctx)})"

    def e_Index(self, e: A.Index, ctx: Ctx) -> str:
        if isinstance(e.base, A.Name) and e.base.id in self.r.roles and e.base.id not in ctx.locals:
            return self.role_node(e.base.id, e.index, ctx)
        return f"_rt_getitem({self.expr(e.base, ctx)}, {self.expr(e.index, ctx)})"

    def e_Slice(self, e: A.Slice, ctx: Ctx) -> str:
        lo = self.expr(e.lo, ctx) if e.lo is not None else "None"
        hi = self.expr(e.hi, ctx) if e.hi is not None else "None"
        return f"_rt_slice({self.expr(e.base, ctx)}, {lo}, {hi})"

    def e_Field(self, e: A.Field, ctx: Ctx) -> str:
        single = role_node_literal(self.r, e.base, ctx.locals)
        if single is not None:  # `Learner.chosen`
            return self.role_var(single.name, e.name, repr(single.nodes[0]), ctx.src)
        b = self.expr(e.base, ctx)
        kb = self.kind(e.base, ctx)
        if kb.is_(ValueKind.NODE) and kb.role is not None:
            return self.role_var(kb.role, e.name, b, ctx.src)
        return f"_rt.field({b}, {e.name!r}, {ctx.src})"

    # ---- literals ------------------------------------------------------------------
    def e_TupleLit(self, e: A.TupleLit | A.SeqLit, ctx: Ctx) -> str:
        return "(" + "".join(f"{self.expr(i, ctx)}, " for i in e.items) + ")"

    e_SeqLit = e_TupleLit

    def e_SetLit(self, e: A.SetLit, ctx: Ctx) -> str:
        if not e.items:
            return "_EMPTY_SET"
        return "_rt_mkset((" + "".join(f"{self.expr(i, ctx)}, " for i in e.items) + "))"

    def e_MapLit(self, e: A.MapLit, ctx: Ctx) -> str:
        if not e.items:
            return "_EMPTY_MAP"
        pairs = [f"({self.expr(k, ctx)}, {self.expr(v, ctx)})" for k, v in e.items]
        return "_rt_mkmap((" + "".join(p + ", " for p in pairs) + "))"

    def e_RecordLit(self, e: A.RecordLit, ctx: Ctx) -> str:
        ordered = sorted(e.fields, key=lambda f: f[0])
        shape = self.names.shape(Shape("", tuple(n for n, _ in ordered)))
        return f"_VRec(({shape}, " + "".join(self.expr(v, ctx) + ", " for _, v in ordered) + "))"

    # ---- binders ---------------------------------------------------------------------
    def bind(self, names: tuple[str, ...], domain: A.Expr, ctx: Ctx, inner: Ctx) -> list[str]:
        """``for`` clauses binding ``names`` (in ``inner``) over ``domain``
        (compiled in ``ctx``), one clause per name."""
        d = self.expr(domain, ctx)
        it = d if self.kind(domain, ctx).base in ITERABLE else f"_rt_iterate({d})"
        clauses = []
        for n in names:
            py = inner.locals[n] = self.fresh(n)
            clauses.append(f"for {py} in {it}")
        return clauses

    def e_Quantifier(self, e: A.Quantifier, ctx: Ctx) -> str:
        inner = ctx.child()
        clauses = [c for b in e.binders for c in self.bind(b.names, b.domain, inner.child(), inner)]
        fn = "all" if e.kind == "forall" else "any"
        return f"{fn}({self.expr(e.body, inner)} {' '.join(clauses)})"

    def e_Comprehension(self, e: A.Comprehension, ctx: Ctx) -> str:
        inner = ctx.child()
        parts = []
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                parts.extend(self.bind(c.names, c.source, inner.child(), inner))
            else:
                parts.append(f"if {self.expr(c.cond, inner)}")
        elem = self.expr(e.element, inner)
        clause = " ".join(parts)
        if e.kind == "set":
            return f"_rt_mkset({elem} {clause})"
        if e.kind == "seq":
            return f"tuple({elem} {clause})"
        assert e.value is not None
        return f"_rt_mkmap(({elem}, {self.expr(e.value, inner)}) {clause})"

    def e_CondExpr(self, e: A.CondExpr, ctx: Ctx) -> str:
        return f"({self.expr(e.then, ctx)} if {self.expr(e.cond, ctx)} else {self.expr(e.orelse, ctx)})"

    def e_ChooseExpr(self, e: A.ChooseExpr, ctx: Ctx) -> str:
        inner = ctx.child()
        clause = self.bind((e.name,), e.domain, ctx, inner)[0]
        return f"_rt_choose_first({inner.locals[e.name]} {clause} if {self.expr(e.cond, inner)})"

    def e_Call(self, e: A.Call, ctx: Ctx) -> str:
        return self.calls.call(e, ctx)
