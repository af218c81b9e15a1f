"""Calls in expressions: builtins, `def` expansion, message constructors,
``checksum`` and ``connected`` -> Python expression source."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.compile.constants import reads_state
from checker.compile.context import Ctx
from checker.dsl import ast as A
from checker.dsl.exprcheck import role_node_literal
from checker.dsl.kinds import ValueKind
from checker.faults import crc_shape
from checker.values import shape_tag

if TYPE_CHECKING:
    from checker.compile.exprs import Code, ExprCompiler

#: builtins whose code is a helper call on the compiled arguments
_HELPERS = {
    "max": "_rt_maximum({})", "min": "_rt_minimum({})", "sum": "_rt_total({})", "abs": "_rt_abs({})",
    "head": "_rt_head({})", "last": "_rt_last({})", "tail": "_rt_tail({})", "keys": "_rt_keys({})",
    "values": "_rt_values({})", "seq": "tuple(_rt_iterate({}))", "set": "_rt_mkset(_rt_iterate({}))",
    "subsets": "_rt_subsets({})", "size": "_rt_size({})", "len": "_rt_size({})", "index": "_node_index({})",
    "append": "_rt_append({}, {})", "count": "_rt_count({}, {})",
}
#: code cheap enough to repeat wherever a definition reads its parameter:
#: a name, a number, a string, a slot of a state or message
_SIMPLE = re.compile(r"[A-Za-z_]\w*(\[[0-9]+\])?|\(?-?[0-9]+\)?|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
#: size() of a value whose kind is known
_SIZES = {ValueKind.SEQ: "len({})", ValueKind.SET: "(len({}) - 1)", ValueKind.BAG: "(len({}) - 1)",
          ValueKind.MAP: "((len({}) - 1) // 2)"}


class CallCompiler:
    """The call-compiling part of an `ExprCompiler` (which it is given)."""

    def __init__(self, ex: ExprCompiler):
        self.ex = ex
        self.r = ex.r
        self._memo: dict[str, bool] = {}
        self._sites: dict[str, int] = {}  # definition -> how many calls of it the spec has

    def call(self, e: A.Call, ctx: Ctx) -> Code:
        f = e.func
        if f in self.r.messages:
            return self.message(e, ctx, dst="_NONE"), False
        if f in self.r.defs:
            return self.expand(e, ctx)
        if f == "checksum":
            args = [self._node_or_expr(a.value, ctx) for a in e.args]
            return f"({shape_tag(crc_shape(self.r.names))!r}, ({''.join(a + ', ' for a in args)}))", False
        if f == "connected":
            a, b = (self._node_or_expr(x.value, ctx) for x in e.args)
            partition = self.ex.layout.partition
            return ("True" if partition is None else f"_f_connected({ctx.src}[{partition}], {a}, {b})"), True
        if f in ("max", "min") and len(e.args) == 1 and isinstance(e.args[0].value, A.SetLit) \
                and e.args[0].value.items \
                and all(self.ex.kind(x, ctx).sure(ValueKind.INT) for x in e.args[0].value.items):
            # max({a, b}) of ints: no set built
            items = [self.ex.expr(x, ctx) for x in e.args[0].value.items]
            return (f"{f}({', '.join(items)})" if len(items) > 1 else items[0]), False
        args = [self.ex.expr(a.value, ctx) for a in e.args]
        if f == "set":
            kind = self.ex.kind(e.args[0].value, ctx)
            if kind.sure(ValueKind.SET):
                return args[0], False
            if kind.sure(ValueKind.BAG):  # in canonical order with repeats: drop the repeats
                return f"_rt_bag_set({args[0]})", False
        if f == "count" and self.ex.kind(e.args[0].value, ctx).sure(ValueKind.BAG, ValueKind.SEQ):
            return f"{args[0]}.count({args[1]})", False  # a bag's tag is no value: it is never counted
        if f in ("size", "len"):
            kind = self.ex.kind(e.args[0].value, ctx)
            known = _SIZES.get(kind.base)
            if known is not None and not kind.nullable:
                return known.format(args[0]), False
        return _HELPERS[f].format(*args), False

    def expand(self, e: A.Call, ctx: Ctx) -> Code:
        """A definition, expanded in place; a boolean one as a condition.
        Arguments that are names or literals are substituted into the body;
        otherwise the body is a lambda applied to them (each argument
        evaluated once)."""
        d = self.r.defs[e.func]
        args = [self.ex.expr(a.value, ctx) for a in e.args]
        if ctx.src == "s" and self._memoisable(e.func):
            memoised = self._memoised(e, ctx, args)
            if memoised is not None:
                return memoised
        inner = ctx.child(path=ctx.path + (id(e),))
        inner.fields.clear()  # a definition's body reads only its parameters
        substitute = all(_SIMPLE.fullmatch(a) for a in args)
        for p, a in zip(d.params, args):
            inner.locals[p] = a if substitute else self.ex.fresh(p)
        is_cond = self.ex.kind(d.body, inner).sure(ValueKind.BOOL)
        body = self.ex.cond(d.body, inner) if is_cond else self.ex.expr(d.body, inner)
        if substitute:
            return body, is_cond
        params = [inner.locals[p] for p in d.params]
        return f"(lambda {', '.join(params)}: {body})({', '.join(args)})", is_cond

    # ---- memoised definitions ------------------------------------------------
    def _memoisable(self, func: str) -> bool:
        """Whether calls of ``func`` on one state may share their results:
        it is called in more than one place (each call a new binding of
        its parameters shares nothing), its body reads the state and
        nothing of the call's surroundings but its parameters."""
        if func not in self._memo:
            if not self._sites:
                for x in A.walk(self.r.spec):
                    if isinstance(x, A.Call) and x.func in self.r.defs:
                        self._sites[x.func] = self._sites.get(x.func, 0) + 1
            d = self.r.defs[func]
            free = self.ex.reads.of_def(func)
            role_vars = {v for role in self.r.roles.values() for v in role.vars}
            shared = set(self.r.consts) | set(self.r.roles) | set(self.r.global_vars) | set(self.r.messages) \
                | set(self.r.quorums) | {"sent", "network", "crashed"}
            self._memo[func] = self._sites.get(func, 0) > 1 and free <= shared and not free & role_vars \
                and reads_state(self.ex, d.body, Ctx("s", None), frozenset(d.params))
        return self._memo[func]

    def _memoised(self, e: A.Call, ctx: Ctx, args: list[str]) -> Code | None:
        """A call of a definition whose result is computed once per state
        and arguments: Paxos's ``ShowsSafe(Q, b, v)`` reads ``Q1b(Q, b)``
        four times, for every ``v``; a person would compute it once. The
        body becomes a function that keeps the results for the last state
        it was given (every call site of a definition shares them)."""
        d = self.r.defs[e.func]
        inner = Ctx("s", None, path=ctx.path + (id(e),), looping=ctx.looping)
        params = [self.ex.fresh(p) for p in d.params]
        inner.locals.update(zip(d.params, params))
        is_cond = self.ex.kind(d.body, inner).sure(ValueKind.BOOL)
        body = self.ex.cond(d.body, inner) if is_cond else self.ex.expr(d.body, inner)
        if " for " not in body:  # no loop: cheaper to compute again than to look up
            return None
        cache = f"_C_{e.func}_{'c' if is_cond else 'v'}"
        self.ex.namespace.setdefault(cache, [None, None])
        fn = self.ex.fresh(f"def_{e.func}")
        key = "(" + "".join(p + ", " for p in params) + ")"
        self.ex.functions.append(
            f"def {fn}(s{''.join(', ' + p for p in params)}):\n"
            f"    c = {cache}\n"
            f"    if c[0] is not s:  # another state: the results so far are of no use\n"
            f"        c[0] = s; c[1] = {{}}\n"
            f"    known = c[1]; k = {key}\n"
            f"    r = known.get(k, _MISS)\n"
            f"    if r is _MISS:\n"
            f"        r = known[k] = {body}\n"
            f"    return r\n")
        return f"{fn}(s{''.join(', ' + a for a in args)})", is_cond

    def message(self, call: A.Call, ctx: Ctx, dst: str) -> str:
        """``(shape tag, src, dst, fields...)`` for a message constructor."""
        info = self.r.messages[call.func]
        values: dict[str, str] = {}
        positional = [a for a in call.args if a.name is None]
        if positional:
            for fname, a in zip(info.fields, positional):
                values[fname] = self.ex.expr(a.value, ctx)
        else:
            for a in call.args:
                assert a.name is not None
                values[a.name] = self.ex.expr(a.value, ctx)
        src = "me" if ctx.role is not None else "_NONE"
        parts = [repr(shape_tag(info.shape)), src, dst] + [values[f] for f in info.fields]
        return f"({', '.join(parts)},)"

    def _node_or_expr(self, e: A.Expr, ctx: Ctx) -> str:
        """A single-node role's name stands for its node here (``connected(self, TM)``)."""
        single = role_node_literal(self.r, e, ctx.locals)
        if single is not None and single.decl.count is None:
            return repr(single.nodes[0])
        return self.ex.expr(e, ctx)
