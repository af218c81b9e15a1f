"""DSL expressions -> Python expression source.

The spec has been checked (`checker.dsl.typecheck`): this module raises no
errors. Each expression compiles in one of two modes: as a *value* (a model
value, `checker.values`) or as a *condition* (a Python bool, for guards,
``if``, quantifier bodies...); a boolean value is converted only where one
mode meets the other. The checker's kinds pick a fast inline form (``a + b``
on ints, ``x in s`` on a set) over a run-time helper of
`checker.compile.runtime` (``_rt_<helper>``, see its ``NAMESPACE``); a helper
is what checks, at run time, what the kinds could not (e.g. comparing a
boolean with an int is an evaluation error, as in TLC).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from checker.compile.calls import CallCompiler
from checker.compile.constants import evaluate, foldable
from checker.compile.context import Ctx
from checker.compile.functions import function_set, function_set_member
from checker.compile.layout import StateLayout
from checker.compile.quantifiers import compile_quantifier, conjuncts
from checker.compile.reads import Reads
from checker.dsl import ast as A
from checker.dsl.exprcheck import KindTable, int_literal, role_node_literal
from checker.dsl.kinds import NONE as NONE_KIND
from checker.dsl.kinds import Kind, ValueKind
from checker.dsl.resolve import ResolvedSpec
from checker.network import network_of
from checker.values import BOOLS, NONE, SET, Shape, make_set, shape_tag, string

#: an expression's code and whether it is a condition (a Python bool)
Code = tuple[str, bool]

_ORDER = ("<", "<=", ">", ">=")
_TAGGED = (ValueKind.SET, ValueKind.BAG)  # flat tagged tuples: elements from index 1
_SLOT = re.compile(r"st?\[[0-9]+\]")  # a slot of the state


class ExprCompiler:
    """Compiles expressions of one resolved spec; collects the constants
    generated code refers to by name (`namespace`)."""

    def __init__(self, r: ResolvedSpec, layout: StateLayout, kinds: KindTable | None = None):
        self.r = r
        self.layout = layout
        self.kinds = kinds or r.kinds
        self.names = r.names
        self.network = network_of(r.network)
        self.namespace: dict[str, Any] = {f"R_{role.name}": make_set(role.nodes) for role in r.roles.values()}
        self._fresh = itertools.count()
        self.calls = CallCompiler(self)
        self.reads = Reads(r)
        #: module-level functions the expressions call (memoised definitions)
        self.functions: list[str] = []

    def fresh(self, base: str) -> str:
        return f"v_{base}_{next(self._fresh)}"

    def const_ref(self, value: Any) -> str:
        if type(value) in (int, str):
            return repr(value)
        name = f"K_{next(self._fresh)}"
        self.namespace[name] = value
        return name

    def kind(self, e: A.Expr | A.LValue, ctx: Ctx) -> Kind:
        return self.kinds.get(e, ctx.path)

    # ---- entry points --------------------------------------------------------
    def expr(self, e: A.Expr, ctx: Ctx) -> str:
        """``e`` as a model value."""
        if isinstance(e, A.BoolLit):
            return repr(BOOLS[e.value])
        code, is_cond = self.code(e, ctx)
        return f"_B[{code}]" if is_cond else code

    def cond(self, e: A.Expr, ctx: Ctx) -> str:
        """``e`` (a boolean) as a Python bool."""
        code, is_cond = self.code(e, ctx)
        if is_cond:
            return code
        if self.kind(e, ctx).sure(ValueKind.BOOL):
            return f"({code} == _TRUE)"
        return f"_rt_truth({code})"

    def code(self, e: A.Expr, ctx: Ctx) -> Code:
        code, is_cond = getattr(self, "e_" + type(e).__name__)(e, ctx)
        if foldable(self, e, ctx):  # reads no state: computed once, now
            try:
                value = evaluate(self, code)
            except Exception:  # noqa: BLE001 - e.g. an error in a branch never taken: left to run time
                return code, is_cond
            return (repr(bool(value)), True) if is_cond else (self.const_ref(value), False)
        return code, is_cond

    def iterable(self, e: A.Expr, ctx: Ctx) -> str:
        """The elements of a collection, to iterate over in its order."""
        code = self.expr(e, ctx)
        k = self.kind(e, ctx)
        if k.sure(*_TAGGED):
            return f"{code}[1:]"
        return code if k.sure(ValueKind.SEQ) else f"_rt_iterate({code})"

    # ---- names and variables ---------------------------------------------------
    def role_var(self, role_name: str, var: str, node: str, src: str) -> str:
        """Variable ``var`` of the node whose value is ``node``, in state ``src``."""
        role = self.r.roles[role_name]
        return f"{src}[{self.layout.var(role, var) - role.first} + ord({node}[1])]"

    def e_IntLit(self, e: A.IntLit, ctx: Ctx) -> Code:
        return repr(e.value), False

    def e_StrLit(self, e: A.StrLit, ctx: Ctx) -> Code:
        return repr(string(e.value)), False

    def e_BoolLit(self, e: A.BoolLit, ctx: Ctx) -> Code:
        return repr(e.value), True

    def e_NoneLit(self, e: A.NoneLit, ctx: Ctx) -> Code:
        return repr(NONE), False

    def e_SelfRef(self, e: A.SelfRef, ctx: Ctx) -> Code:
        return "me", False

    def e_Name(self, e: A.Name, ctx: Ctx) -> Code:
        n, r, layout = e.id, self.r, self.layout
        if n in ctx.locals:
            return ctx.locals[n], False
        if ctx.role is not None and n in ctx.role.vars:
            return f"{ctx.src}[{layout.var(ctx.role, n)} + _i]", False
        if n in r.global_vars:
            return f"{ctx.src}[{layout.globals[n]}]", False
        if n in r.consts:
            return self.const_ref(r.consts[n]), False
        if n in r.roles:
            return f"R_{n}", False
        if n == "sent":
            return f"{ctx.src}[{layout.sent if self.network.consumes else layout.net}]", False
        if n == "network":
            return self.network.gen_value(f"{ctx.src}[{layout.net}]"), False
        assert n == "crashed", n  # the checker let no other name through
        return ("_EMPTY_SET" if layout.crashed is None else f"{ctx.src}[{layout.crashed}]"), False

    # ---- operators -------------------------------------------------------------------
    def e_Unary(self, e: A.Unary, ctx: Ctx) -> Code:
        if e.op == "not":
            return f"(not {self.cond(e.operand, ctx)})", True
        code = self.expr(e.operand, ctx)
        return (f"(-{code})" if self.kind(e.operand, ctx).sure(ValueKind.INT) else f"_rt_neg({code})"), False

    def e_Binary(self, e: A.Binary, ctx: Ctx) -> Code:
        op = e.op
        if op == "is":
            return self.is_test(e, ctx), True
        if op in ("and", "or"):
            return f"({self.cond(e.left, ctx)} {op} {self.cond(e.right, ctx)})", True
        if op in ("in", "not in") and isinstance(e.right, A.FuncSet):  # a membership test, building no set
            code = function_set_member(self, self.expr(e.left, ctx), e.right, ctx)
            return (code if op == "in" else f"(not {code})"), True
        if op == "=>":
            return f"((not {self.cond(e.left, ctx)}) or {self.cond(e.right, ctx)})", True
        a, b = self.expr(e.left, ctx), self.expr(e.right, ctx)
        ka, kb = self.kind(e.left, ctx), self.kind(e.right, ctx)
        if op in ("==", "!="):
            if _same_type(ka, kb):
                return f"({a} {op} {b})", True
            code = f"_rt_eq({a}, {b})"  # checks that the two may be compared
            return (code if op == "==" else f"(not {code})"), True
        if op in _ORDER:
            if ka.base == kb.base and ka.sure(ValueKind.INT, ValueKind.STR) and kb.sure(ka.base):
                return f"({a} {op} {b})", True
            return f"_rt_compare({op!r}, {a}, {b})", True
        if op in ("in", "not in"):
            if kb.sure(*_TAGGED) and ctx.looping and _SLOT.fullmatch(b):  # tested again and again: hashed once
                b = self._frozen(b)
            code = f"({a} in {b})" if kb.sure(*_TAGGED, ValueKind.SEQ) else f"_rt_contains({a}, {b})"
            return (code if op == "in" else f"(not {code})"), True
        if op == "subset":
            return f"_rt_subset({a}, {b})", True
        if op == "..":
            return f"_rt_int_range({a}, {b})", False
        ints = ka.sure(ValueKind.INT) and kb.sure(ValueKind.INT)
        if op == "*":
            return (f"({a} * {b})" if ints else f"_rt_times({a}, {b})"), False
        if op in ("/", "%"):
            if ints and isinstance(e.right, A.IntLit) and e.right.value != 0:  # no zero check needed
                return f"({a} {'//' if op == '/' else '%'} {b})", False
            return f"_rt_{'div' if op == '/' else 'mod'}({a}, {b})", False
        if op == "&":
            return f"_rt_intersect({a}, {b})", False
        # + and -
        if ints or (op == "+" and ka.sure(ValueKind.SEQ) and kb.sure(ValueKind.SEQ)):
            return f"({a} {op} {b})", False
        if ka.sure(ValueKind.SET) and kb.sure(ValueKind.SET):
            return (f"_rt_set_union({a}, {b})" if op == "+" else f"_rt_set_minus({a}, {b})"), False
        return (f"_rt_plus({a}, {b})" if op == "+" else f"_rt_minus({a}, {b})"), False

    def _frozen(self, slot: str) -> str:
        """``slot`` (a set in the state) as a frozenset cached per state."""
        name = "_fz_" + slot[slot.index("[") + 1:-1]
        if name not in self.namespace:
            from checker.compile.runtime import frozen_cache

            self.namespace[name] = frozen_cache()
        return f"{name}({slot})"

    def is_test(self, e: A.Binary, ctx: Ctx) -> str:
        assert isinstance(e.right, A.Name)
        target = e.right.id
        a = self.expr(e.left, ctx)
        if target in self.r.messages:
            tag = shape_tag(self.r.messages[target].shape)
            if self.kind(e.left, ctx).sure(ValueKind.MSG):  # a message: its tag says
                return f"({a}[0] == {tag!r})"
            return f"_rt_is_shape({a}, {tag!r})"
        name = f"Q_{target}"
        if name not in self.namespace:  # `acks is Majority`: checker.compile.quorum
            from checker.compile.quorum import quorum_check

            self.namespace[name] = quorum_check(self.r.quorums[target], self.names.show)
        return f"{name}({a})"

    # ---- access ------------------------------------------------------------------------
    def role_node(self, role_name: str, index: A.Expr, ctx: Ctx) -> str:
        """``Role[i]``: the node's value."""
        role = self.r.roles[role_name]
        literal = int_literal(index)
        if literal is not None:
            return repr(role.nodes[literal])
        return f"_node_{role.name}({self.expr(index, ctx)})"

    def e_Index(self, e: A.Index, ctx: Ctx) -> Code:
        if isinstance(e.base, A.Name) and e.base.id in self.r.roles and e.base.id not in ctx.locals:
            return self.role_node(e.base.id, e.index, ctx), False
        if self.kind(e.base, ctx).sure(ValueKind.MAP):
            return f"_rt_map_get({self.expr(e.base, ctx)}, {self.expr(e.index, ctx)})", False
        return f"_rt_getitem({self.expr(e.base, ctx)}, {self.expr(e.index, ctx)})", False

    def e_Slice(self, e: A.Slice, ctx: Ctx) -> Code:
        lo = self.expr(e.lo, ctx) if e.lo is not None else "None"
        hi = self.expr(e.hi, ctx) if e.hi is not None else "None"
        return f"_rt_slice({self.expr(e.base, ctx)}, {lo}, {hi})", False

    def e_Field(self, e: A.Field, ctx: Ctx) -> Code:
        if isinstance(e.base, A.Name) and (e.base.id, e.name) in ctx.fields:  # a loop over the slots of e.name
            return ctx.fields[(e.base.id, e.name)], False
        single = role_node_literal(self.r, e.base, ctx.locals)
        if single is not None:  # `Learner.chosen`
            return self.role_var(single.name, e.name, repr(single.nodes[0]), ctx.src), False
        b = self.expr(e.base, ctx)
        kb = self.kind(e.base, ctx)
        if kb.sure(ValueKind.NODE) and kb.role is not None:
            return self.role_var(kb.role, e.name, b, ctx.src), False
        if kb.sure(ValueKind.MSG) and kb.shape is not None:  # after `m is P1b`: a known layout
            info = self.r.messages[kb.shape]
            index = {"src": 1, "dst": 2}.get(e.name) or 3 + info.fields.index(e.name)
            return f"{b}[{index}]", False
        return f"_rt.field({b}, {e.name!r}, {ctx.src})", False

    # ---- literals ----------------------------------------------------------------------
    def e_TupleLit(self, e: A.TupleLit | A.SeqLit, ctx: Ctx) -> Code:
        return "(" + "".join(f"{self.expr(i, ctx)}, " for i in e.items) + ")", False

    e_SeqLit = e_TupleLit

    def e_SetLit(self, e: A.SetLit, ctx: Ctx) -> Code:
        if not e.items:
            return "_EMPTY_SET", False
        if len(e.items) == 1:  # one element: in order already
            return f"({SET!r}, {self.expr(e.items[0], ctx)})", False
        return "_rt_mkset((" + "".join(f"{self.expr(i, ctx)}, " for i in e.items) + "))", False

    def e_MapLit(self, e: A.MapLit, ctx: Ctx) -> Code:
        if not e.items:
            return "_EMPTY_MAP", False
        pairs = [f"({self.expr(k, ctx)}, {self.expr(v, ctx)})" for k, v in e.items]
        return "_rt_mkmap((" + "".join(p + ", " for p in pairs) + "))", False

    def e_RecordLit(self, e: A.RecordLit, ctx: Ctx) -> Code:
        ordered = sorted(e.fields, key=lambda f: f[0])
        tag = shape_tag(self.names.shape(Shape("", tuple(n for n, _ in ordered))))
        return f"({tag!r}, " + "".join(self.expr(v, ctx) + ", " for _, v in ordered) + ")", False

    # ---- binders ---------------------------------------------------------------------------
    def bind(self, names: tuple[str, ...], domain: A.Expr, ctx: Ctx, inner: Ctx) -> list[str]:
        """``for`` clauses binding ``names`` (in ``inner``) over ``domain``
        (compiled in ``ctx``), one clause per name."""
        it = self.iterable(domain, ctx)
        clauses = []
        inner.looping = True
        for n in names:
            py = inner.locals[n] = self.fresh(n)
            inner.fields = {k: v for k, v in inner.fields.items() if k[0] != n}
            clauses.append(f"for {py} in {it}")
        return clauses

    def e_Quantifier(self, e: A.Quantifier, ctx: Ctx) -> Code:
        lookup = self._message_lookup(e, ctx)
        if lookup is not None:
            return lookup, True
        return compile_quantifier(self, e, ctx), True

    def _message_lookup(self, e: A.Quantifier, ctx: Ctx) -> str | None:
        """``exists m in S: m is P and m.src == a and m.f == b ...`` naming
        every field of P as a membership test of the message ``P(a, b, ...)``
        in S (what a person writes; one C-level scan instead of a loop)."""
        if e.kind != "exists" or len(e.binders) != 1 or len(e.binders[0].names) != 1:
            return None
        name, domain = e.binders[0].names[0], e.binders[0].domain
        if not self.kind(domain, ctx).sure(ValueKind.SET, ValueKind.BAG, ValueKind.SEQ):
            return None
        shape, fields = None, {}
        for c in conjuncts(e.body):
            if isinstance(c, A.Binary) and c.op == "is" and isinstance(c.left, A.Name) and c.left.id == name \
                    and isinstance(c.right, A.Name) and c.right.id in self.r.messages:
                shape = c.right.id
                continue
            if not (isinstance(c, A.Binary) and c.op == "=="):
                return None
            for side, other in ((c.left, c.right), (c.right, c.left)):
                if isinstance(side, A.Field) and isinstance(side.base, A.Name) and side.base.id == name \
                        and name not in self.reads.free(other):
                    break
            else:
                return None
            if side.name in fields or not _same_type(self.kinds.get(side, ctx.path), self.kinds.get(other, ctx.path)):
                return None
            fields[side.name] = other
        if shape is None:
            return None
        info = self.r.messages[shape]
        dst = fields.pop("dst", None)
        if dst is None and self.r.kinds.assumed.get(("dst", shape, "")) != NONE_KIND:
            return None  # the receiver is not pinned down
        if set(fields) != set(info.fields) | {"src"}:
            return None
        parts = [repr(shape_tag(info.shape)), self.expr(fields["src"], ctx)]
        parts += ["_NONE" if dst is None else self.expr(dst, ctx)] + [self.expr(fields[f], ctx) for f in info.fields]
        where = self.expr(domain, ctx)
        if ctx.looping and _SLOT.fullmatch(where) and self.kind(domain, ctx).sure(*_TAGGED):
            where = self._frozen(where)
        return f"(({', '.join(parts)},) in {where})"

    def e_Comprehension(self, e: A.Comprehension, ctx: Ctx) -> Code:
        filtered = self._filter(e, ctx)
        if filtered is not None:
            return filtered, False
        inner = ctx.child()
        parts = []
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                parts.extend(self.bind(c.names, c.source, inner.child(), inner))
            else:
                parts.append(f"if {self.cond(c.cond, inner)}")
        elem = self.expr(e.element, inner)
        clause = " ".join(parts)
        if e.kind == "set":
            return f"_rt_mkset({elem} {clause})", False
        if e.kind == "seq":
            return f"tuple({elem} {clause})", False
        assert e.value is not None
        return f"_rt_mkmap(({elem}, {self.expr(e.value, inner)}) {clause})", False

    def _filter(self, e: A.Comprehension, ctx: Ctx) -> str | None:
        """``{x for x in S if p}`` over a set S keeps S's order and has no
        repeats: its elements need no sorting."""
        fors = [c for c in e.clauses if isinstance(c, A.CompFor)]
        if e.kind != "set" or len(fors) != 1 or e.clauses[0] is not fors[0] or len(fors[0].names) != 1:
            return None
        name = fors[0].names[0]
        if not (isinstance(e.element, A.Name) and e.element.id == name) \
                or not self.kind(fors[0].source, ctx).sure(ValueKind.SET):
            return None
        inner = ctx.child()
        loop = self.bind((name,), fors[0].source, ctx, inner)[0]
        conds = [f"if {self.cond(c.cond, inner)}" for c in e.clauses[1:] if isinstance(c, A.CompIf)]
        return f"({SET!r}, *({inner.locals[name]} {loop} {' '.join(conds)}))"

    def e_Primed(self, e: A.Primed, ctx: Ctx) -> Code:
        assert ctx.after is not None, "the checker allows primes in step properties only"
        # after the step: the loop variables over slots of the state before mean nothing there
        after = ctx.child(src=ctx.after, after=None)
        after.fields.clear()
        return self.code(e.expr, after)

    def e_FuncSet(self, e: A.FuncSet, ctx: Ctx) -> Code:
        return function_set(self, e, ctx), False

    def e_CondExpr(self, e: A.CondExpr, ctx: Ctx) -> Code:
        return f"({self.expr(e.then, ctx)} if {self.cond(e.cond, ctx)} else {self.expr(e.orelse, ctx)})", False

    def e_ChooseExpr(self, e: A.ChooseExpr, ctx: Ctx) -> Code:
        inner = ctx.child()
        clause = self.bind((e.name,), e.domain, ctx, inner)[0]
        return f"_rt_choose_first({inner.locals[e.name]} {clause} if {self.cond(e.cond, inner)})", False

    def e_Call(self, e: A.Call, ctx: Ctx) -> Code:
        return self.calls.call(e, ctx)


def _same_type(a: Kind, b: Kind) -> bool:
    """Whether ``a == b`` needs no run-time check: both kinds are known to
    be comparable (one type, records with messages, or one side none)."""
    if not (a.known and b.known):
        return False
    return a.base == b.base or ValueKind.NONE in (a.base, b.base) or {a.base, b.base} <= {ValueKind.REC, ValueKind.MSG}


