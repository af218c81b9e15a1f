"""DSL expressions -> Python expression source.

Each expression compiles to a Python expression string plus a *kind*
("int", "bool", "str", "node:Role", "node", "set", "seq", "map", "rec",
"msg", "bag", "none", "any") used for static type checks and to pick a
fast inline form (``a + b`` on ints) over a run-time helper.
"""

from __future__ import annotations

import itertools
from typing import Any

from checker.compile.calls import BUILTINS, MAX_DEF_NESTING, CallCompiler  # noqa: F401 - re-exported
from checker.compile.context import ANY, Ctx, _describe, base_kind, compatible, kind_of_value  # noqa: F401
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec
from checker.errors import SpecError
from checker.network import network_of
from checker.values import NODE_BASE, NONE, VSet

_INT_OPS = {"*": "*", "+": "+", "-": "-"}
_CMP = {"==", "!=", "<", "<=", ">", ">="}


class ExprCompiler(CallCompiler):
    """Compiles expressions against a resolved spec; collects the constants
    that generated code refers to by name (`namespace`)."""

    def __init__(self, r: ResolvedSpec):
        self.r = r
        self.names = r.names
        self.network = network_of(r.network)
        self.namespace: dict[str, Any] = {}
        self._fresh = itertools.count()
        self.field_names = {f for m in r.messages.values() for f in m.fields} | {"src", "dst"}
        for role in r.roles.values():
            self.field_names |= set(role.vars)
            self.namespace[f"R_{role.name}"] = VSet(role.nodes)
        # Record fields written anywhere in the spec: a definition may read
        # `.term` before the record literal that has it is compiled.
        self.field_names |= _record_literal_fields(r.spec)

    def fresh(self, base: str) -> str:
        return f"v_{base}_{next(self._fresh)}"

    def const_ref(self, value: Any) -> str:
        if type(value) in (int, bool):
            return repr(value)
        name = f"K_{next(self._fresh)}"
        self.namespace[name] = value
        return name

    def err(self, msg: str, node: Any) -> SpecError:
        return SpecError(msg, getattr(node, "span", None))

    # ---- entry points ---------------------------------------------------
    def bool_expr(self, e: A.Expr, ctx: Ctx, what: str = "condition") -> str:
        code, k = self.expr(e, ctx)
        if base_kind(k) not in ("bool", ANY):
            raise self.err(f"{what} must be a boolean, but this is {_describe(k)}", e)
        return code

    def expr(self, e: A.Expr, ctx: Ctx) -> tuple[str, str]:
        method = getattr(self, "e_" + type(e).__name__, None)
        if method is None:  # pragma: no cover - every AST node has a method
            raise self.err(f"unsupported expression {type(e).__name__}", e)
        return method(e, ctx)

    # ---- atoms ----------------------------------------------------------
    def e_IntLit(self, e: A.IntLit, ctx: Ctx):
        return repr(e.value), "int"

    def e_StrLit(self, e: A.StrLit, ctx: Ctx):
        return repr(self.names.intern(e.value)), "str"

    def e_BoolLit(self, e: A.BoolLit, ctx: Ctx):
        return repr(e.value), "bool"

    def e_NoneLit(self, e: A.NoneLit, ctx: Ctx):
        return repr(NONE), "none"

    def e_SelfRef(self, e: A.SelfRef, ctx: Ctx):
        if ctx.role is None:
            raise self.err("'self' is only defined inside a role", e)
        return "me", f"node:{ctx.role.name}"

    def e_Name(self, e: A.Name, ctx: Ctx):
        n = e.id
        if n in ctx.locals:
            return ctx.locals[n]
        if ctx.role is not None and n in ctx.role.vars:
            v = ctx.role.vars[n]
            return f"{ctx.src}[{v.slot} + _i]", self.var_kind(v)
        if n in self.r.global_vars:
            v = self.r.global_vars[n]
            return f"{ctx.src}[{v.slot}]", self.var_kind(v)
        if n in self.r.consts:
            value = self.r.consts[n]
            return self.const_ref(value), kind_of_value(value)
        if n in self.r.roles:
            return f"R_{n}", "set"
        if n == "sent":
            slot = self.r.sent_slot if self.network.consumes else self.r.net_slot
            return f"{ctx.src}[{slot}]", "set"
        if n == "network":
            return self.network.gen_value(f"{ctx.src}[{self.r.net_slot}]"), self.network.value_kind
        if n in self.r.defs:
            raise self.err(f"'{n}' is a definition with parameters; call it as {n}(...)", e)
        if n in self.r.messages:
            raise self.err(f"'{n}' is a message; construct it as {n}(...)", e)
        if n == "crashed":  # the crashed nodes (checker.compile.faults)
            from checker.compile.faults import crashed_ref

            return crashed_ref(self, ctx)
        raise self.err(f"unknown name '{n}'", e)

    def var_kind(self, v) -> str:
        init = v.decl.init
        if isinstance(init, (A.IntLit,)) or (isinstance(init, A.Unary) and init.op == "-"):
            return "int"
        if isinstance(init, A.BoolLit):
            return "bool"
        if isinstance(init, A.StrLit):
            return "str"
        if isinstance(init, (A.SetLit, A.Comprehension)) and getattr(init, "kind", "set") == "set":
            return "set"
        if isinstance(init, A.MapLit) or (isinstance(init, A.Comprehension) and init.kind == "map"):
            return "map"
        if isinstance(init, A.SeqLit) or (isinstance(init, A.Comprehension) and init.kind == "seq"):
            return "seq"
        return ANY

    # ---- operators ------------------------------------------------------
    def e_Unary(self, e: A.Unary, ctx: Ctx):
        code, k = self.expr(e.operand, ctx)
        if e.op == "not":
            if base_kind(k) not in ("bool", ANY):
                raise self.err(f"'not' needs a boolean, but this is {_describe(k)}", e.operand)
            return f"(not {code})", "bool"
        if base_kind(k) not in ("int", ANY):
            raise self.err(f"'-' needs an int, but this is {_describe(k)}", e.operand)
        return f"(-{code})", "int"

    def e_Binary(self, e: A.Binary, ctx: Ctx):
        op = e.op
        if op == "is":
            return self.is_test(e, ctx)
        a, ka = self.expr(e.left, ctx)
        b, kb = self.expr(e.right, ctx)
        ka, kb = base_kind(ka), base_kind(kb)
        if op in ("and", "or", "=>"):
            for code_k, side in ((ka, e.left), (kb, e.right)):
                if code_k not in ("bool", ANY):
                    raise self.err(f"'{op}' needs booleans, but this is {_describe(code_k)}", side)
            if op == "=>":
                return f"((not {a}) or {b})", "bool"
            return f"({a} {op} {b})", "bool"
        if op in ("==", "!="):
            if not compatible(ka, kb):
                raise self.err(f"comparing {_describe(ka)} with {_describe(kb)} is always {'false' if op == '==' else 'true'}", e)
            return f"({a} {op} {b})", "bool"
        if op in _CMP:
            self.need(e, ka, kb, ("int", "str"), f"'{op}'")
            return f"({a} {op} {b})", "bool"
        if op in ("in", "not in"):
            if kb in ("int", "bool", "str", "none", "node"):
                raise self.err(f"'{op}' needs a collection on its right, but this is {_describe(kb)}", e.right)
            code = f"({a} in {b})" if kb in ("set", "seq", "bag") else f"_rt_contains({a}, {b})"
            return (code if op == "in" else f"(not {code})"), "bool"
        if op == "subset":
            for k, side in ((ka, e.left), (kb, e.right)):
                if k in ("int", "bool", "str", "none", "node", "rec", "msg"):
                    raise self.err(f"'subset' needs sets, but this is {_describe(k)}", side)
            return f"_rt_subset({a}, {b})", "bool"
        if op == "..":
            self.need(e, ka, kb, ("int",), "'..'")
            return f"_rt_int_range({a}, {b})", "set"
        if op in ("*",):
            self.need(e, ka, kb, ("int",), "'*'")
            return f"({a} * {b})", "int"
        if op in ("/", "%"):
            self.need(e, ka, kb, ("int",), f"'{op}'")
            if isinstance(e.right, A.IntLit) and e.right.value != 0:
                return f"({a} {'//' if op == '/' else '%'} {b})", "int"
            return f"_rt_{'div' if op == '/' else 'mod'}({a}, {b})", "int"
        if op == "&":
            self.need(e, ka, kb, ("set",), "'&'")
            return f"_rt_intersect({a}, {b})", "set"
        if op in ("+", "-"):
            if ka == kb == "int":
                return f"({a} {op} {b})", "int"
            if ka in ("int",) or kb in ("int",):
                self.need(e, ka, kb, ("int",), f"'{op}'")
                return f"({a} {op} {b})", "int"
            if op == "+" and ka == kb == "seq":
                return f"({a} + {b})", "seq"
            if ka in ("str", "bool", "none", "node") or kb in ("str", "bool", "none", "node"):
                bad, side = (ka, e.left) if ka in ("str", "bool", "none", "node") else (kb, e.right)
                raise self.err(f"'{op}' is not defined on {_describe(bad)}", side)
            kind = ka if ka != ANY else kb
            return (f"_rt_plus({a}, {b})" if op == "+" else f"_rt_minus({a}, {b})"), kind
        raise self.err(f"unknown operator '{op}'", e)  # pragma: no cover

    def need(self, e: A.Binary, ka: str, kb: str, allowed: tuple[str, ...], what: str) -> None:
        for k, side in ((ka, e.left), (kb, e.right)):
            if k not in allowed and k != ANY:
                raise self.err(f"{what} needs {' or '.join(_describe(a) for a in allowed)}, but this is {_describe(k)}", side)

    def is_test(self, e: A.Binary, ctx: Ctx):
        if not isinstance(e.right, A.Name):
            raise self.err("'is' needs a message name on its right (e.g. m is Prepare) "
                           "or a quorum name (acks is Majority)", e.right)
        target = e.right.id
        a, ka = self.expr(e.left, ctx)
        if target in self.r.messages:
            return f"_rt_is_shape({a}, {self.r.messages[target].shape})", "bool"
        if target in self.r.quorums:  # `acks is Majority`: checker.compile.quorum
            from checker.compile.quorum import compile_is_quorum

            return compile_is_quorum(self, e, a, ka)
        raise self.err(f"'{target}' is not a message type or a quorum", e.right)

    # ---- access ---------------------------------------------------------
    def e_Index(self, e: A.Index, ctx: Ctx):
        if isinstance(e.base, A.Name) and e.base.id in self.r.roles and e.base.id not in ctx.locals:
            role = self.r.roles[e.base.id]
            i, k = self.expr(e.index, ctx)
            if base_kind(k) not in ("int", ANY):
                raise self.err(f"a node index must be an int, but this is {_describe(k)}", e.index)
            literal = _int_literal(e.index)
            if literal is not None:
                if not 0 <= literal < role.count:
                    raise self.err(f"{role.name} has {role.count} node(s); index {literal} is out of range", e.index)
                return repr(NODE_BASE + role.first + literal), f"node:{role.name}"
            return f"_node_{role.name}({i})", f"node:{role.name}"
        b, kb = self.expr(e.base, ctx)
        i, _ = self.expr(e.index, ctx)
        if kb in ("set", "bag", "int", "bool", "str", "none") or kb.startswith("node"):
            raise self.err(f"cannot index {_describe(kb)}", e.base)
        return f"_rt_getitem({b}, {i})", ANY

    def e_Slice(self, e: A.Slice, ctx: Ctx):
        b, kb = self.expr(e.base, ctx)
        if kb not in ("seq", ANY):
            raise self.err(f"slicing needs a sequence, but this is {_describe(kb)}", e.base)
        lo = self.expr(e.lo, ctx)[0] if e.lo is not None else "None"
        hi = self.expr(e.hi, ctx)[0] if e.hi is not None else "None"
        return f"_rt_slice({b}, {lo}, {hi})", "seq"

    def e_Field(self, e: A.Field, ctx: Ctx):
        base = e.base
        if isinstance(base, A.Name) and base.id in self.r.roles and base.id not in ctx.locals \
                and self.r.roles[base.id].count == 1:
            # A single-node role names its node: `Learner.chosen`.
            role = self.r.roles[base.id]
            b, kb = repr(role.nodes[0]), f"node:{role.name}"
        else:
            b, kb = self.expr(base, ctx)
        if kb.startswith("node:"):
            role = self.r.roles[kb[5:]]
            if e.name not in role.vars:
                raise self.err(f"role {role.name} has no variable '{e.name}'", e)
            v = role.vars[e.name]
            return f"{ctx.src}[{v.slot - NODE_BASE - role.first} + {b}]", self.var_kind(v)
        if e.name not in self.field_names and not self._record_field(e.name):
            raise self.err(f"no message, record or role has a field or variable named '{e.name}'", e)
        if kb in ("int", "bool", "str", "none", "set", "seq", "map", "bag"):
            raise self.err(f"{_describe(kb)} has no fields", e.base)
        return f"_rt.field({b}, {e.name!r}, {ctx.src})", ANY

    def _record_field(self, name: str) -> bool:
        return any(name in s.fields for s in self.names.shapes)

    # ---- literals -------------------------------------------------------
    def e_TupleLit(self, e: A.TupleLit, ctx: Ctx):
        items = [self.expr(i, ctx)[0] for i in e.items]
        return "(" + "".join(f"{i}, " for i in items) + ")", "seq"

    def e_SeqLit(self, e: A.SeqLit, ctx: Ctx):
        return self.e_TupleLit(A.TupleLit(e.items, e.span), ctx)

    def e_SetLit(self, e: A.SetLit, ctx: Ctx):
        items = [self.expr(i, ctx)[0] for i in e.items]
        if not items:
            return "_EMPTY_SET", "set"
        return "_rt_mkset((" + "".join(f"{i}, " for i in items) + "))", "set"

    def e_MapLit(self, e: A.MapLit, ctx: Ctx):
        if not e.items:
            return "_EMPTY_MAP", "map"
        pairs = [f"({self.expr(k, ctx)[0]}, {self.expr(v, ctx)[0]})" for k, v in e.items]
        return "_rt_mkmap((" + "".join(p + ", " for p in pairs) + "))", "map"

    def e_RecordLit(self, e: A.RecordLit, ctx: Ctx):
        from checker.values import Shape

        ordered = sorted(e.fields, key=lambda f: f[0])
        shape = self.names.shape(Shape("", tuple(n for n, _ in ordered)))
        vals = [self.expr(v, ctx)[0] for _, v in ordered]
        return f"_VRec(({shape}, " + "".join(v + ", " for v in vals) + "))", "rec"

    # ---- binders --------------------------------------------------------
    def bind(self, names: tuple[str, ...], domain: A.Expr, ctx: Ctx, inner: Ctx) -> list[str]:
        """`for` clauses binding ``names`` over ``domain`` (all names range
        over the same domain), one clause per name."""
        d, kd = self.expr(domain, ctx)
        kd_base = base_kind(kd)
        if kd_base in ("int", "bool", "str", "none", "node"):
            raise self.err(f"cannot range over {_describe(kd_base)}", domain)
        elem = ANY
        if isinstance(domain, A.Name) and domain.id in self.r.roles and domain.id not in ctx.locals:
            elem = f"node:{domain.id}"
        elif isinstance(domain, A.Binary) and domain.op == "..":
            elem = "int"
        it = d if kd_base in ("set", "seq", "bag") else f"_rt_iterate({d})"
        clauses = []
        for n in names:
            py = self.fresh(n)
            inner.locals[n] = (py, elem)
            clauses.append(f"for {py} in {it}")
        return clauses

    def e_Quantifier(self, e: A.Quantifier, ctx: Ctx):
        inner = ctx.child()
        clauses = [c for b in e.binders for c in self.bind(b.names, b.domain, inner.child(), inner)]
        body = self.bool_expr(e.body, inner, "a quantifier body")
        fn = "all" if e.kind == "forall" else "any"
        return f"{fn}({body} {' '.join(clauses)})", "bool"

    def e_Comprehension(self, e: A.Comprehension, ctx: Ctx):
        inner = ctx.child()
        parts = []
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                parts.extend(self.bind(c.names, c.source, inner.child(), inner))
            else:
                parts.append(f"if {self.bool_expr(c.cond, inner, 'a filter')}")
        elem, _ = self.expr(e.element, inner)
        clause = " ".join(parts)
        if e.kind == "set":
            return f"_rt_mkset({elem} {clause})", "set"
        if e.kind == "seq":
            return f"tuple({elem} {clause})", "seq"
        value, _ = self.expr(e.value, inner)
        return f"_rt_mkmap(({elem}, {value}) {clause})", "map"

    def e_CondExpr(self, e: A.CondExpr, ctx: Ctx):
        c = self.bool_expr(e.cond, ctx)
        a, ka = self.expr(e.then, ctx)
        b, kb = self.expr(e.orelse, ctx)
        return f"({a} if {c} else {b})", ka if ka == kb else ANY

    def e_ChooseExpr(self, e: A.ChooseExpr, ctx: Ctx):
        inner = ctx.child()
        clause = self.bind((e.name,), e.domain, ctx, inner)[0]
        py = inner.locals[e.name][0]
        cond = self.bool_expr(e.cond, inner)
        return f"_rt_choose_first({py} {clause} if {cond})", inner.locals[e.name][1]


def _record_literal_fields(node: Any) -> set[str]:
    return {name for x in A.walk(node) if isinstance(x, A.RecordLit) for name, _ in x.fields}


def _int_literal(e: A.Expr) -> int | None:
    """The value of ``3`` or ``-3`` written as a literal, else None."""
    if isinstance(e, A.IntLit):
        return e.value
    if isinstance(e, A.Unary) and e.op == "-" and isinstance(e.operand, A.IntLit):
        return -e.operand.value
    return None
