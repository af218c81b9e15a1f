"""Calls in expressions: builtins, `def` expansion, message constructors,
``checksum`` and ``connected`` -> Python expression source."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
#: size() of a value whose kind is known
_SIZES = {ValueKind.SEQ: "len({})", ValueKind.SET: "(len({}) - 1)", ValueKind.BAG: "(len({}) - 1)",
          ValueKind.MAP: "((len({}) - 1) // 2)"}


class CallCompiler:
    """The call-compiling part of an `ExprCompiler` (which it is given)."""

    def __init__(self, ex: ExprCompiler):
        self.ex = ex
        self.r = ex.r

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
        args = [self.ex.expr(a.value, ctx) for a in e.args]
        if f in ("size", "len"):
            kind = self.ex.kind(e.args[0].value, ctx)
            known = _SIZES.get(kind.base)
            if known is not None and not kind.nullable:
                return known.format(args[0]), False
        return _HELPERS[f].format(*args), False

    def expand(self, e: A.Call, ctx: Ctx) -> Code:
        """A definition, expanded in place as a lambda applied to the
        arguments (each evaluated once); a boolean one as a condition."""
        d = self.r.defs[e.func]
        args = [self.ex.expr(a.value, ctx) for a in e.args]
        inner = ctx.child(path=ctx.path + (id(e),))
        for p in d.params:
            inner.locals[p] = self.ex.fresh(p)
        params = [inner.locals[p] for p in d.params]
        is_cond = self.ex.kind(d.body, inner).sure(ValueKind.BOOL)
        body = self.ex.cond(d.body, inner) if is_cond else self.ex.expr(d.body, inner)
        return f"(lambda {', '.join(params)}: {body})({', '.join(args)})", is_cond

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
