"""DSL statements -> lines of Python inside a generated step function.

A step function works on ``st`` (a list copy of the state) and ``out``
(messages sent so far). ``choose x in S`` makes the rest of the block run
once per element: it compiles to a loop that restarts from a copy of
``st``/``out`` and appends one finished state per iteration to ``res``.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.compile.exprs import ANY, Ctx, ExprCompiler, _describe, base_kind, compatible
from checker.dsl import ast as A
from checker.dsl.resolve import RoleInfo
from checker.errors import SpecError
from checker.values import NODE_BASE


@dataclass(frozen=True)
class SetSelf:
    """Pseudo-statement used in generated init code: switch to a node."""

    role: RoleInfo | None  # None: back to global (no self)
    index: int


class StmtCompiler:
    def __init__(self, ex: ExprCompiler):
        self.ex = ex
        self.r = ex.r

    def err(self, msg: str, node) -> SpecError:
        return SpecError(msg, getattr(node, "span", None))

    def body(self, stmts, ctx: Ctx, indent: int, finish: bool = True) -> list[str]:
        """Compile a step body; the last line appends the finished state."""
        lines: list[str] = []
        self._seq(list(stmts), ctx, indent, lines, top=True)
        return lines

    # The top-level sequence may contain `choose`; nested blocks may not.
    def _seq(self, stmts: list, ctx: Ctx, indent: int, lines: list[str], top: bool) -> None:
        pad = "    " * indent
        for k, s in enumerate(stmts):
            if isinstance(s, A.Choose):
                if not top:
                    raise self.err("'choose' may only appear at the top level of a handler, action or init block, "
                                   "not inside if/for", s)
                d, kd = self.ex.expr(s.domain, ctx)
                if base_kind(kd) in ("int", "bool", "str", "none", "node"):
                    raise self.err(f"cannot choose from {_describe(kd)}", s.domain)
                py = self.ex.fresh(s.name)
                elem = f"node:{s.domain.id}" if isinstance(s.domain, A.Name) and s.domain.id in self.r.roles else (
                    "int" if isinstance(s.domain, A.Binary) and s.domain.op == ".." else ANY)
                inner = ctx.child()
                inner.locals[s.name] = (py, elem)
                lvl = self.ex.fresh("lvl")
                lines.append(f"{pad}_st_{lvl} = st; _out_{lvl} = out")
                lines.append(f"{pad}for {py} in _rt_iterate({d}):")
                lines.append(f"{pad}    st = list(_st_{lvl}); out = list(_out_{lvl})")
                self._seq(stmts[k + 1:], inner, indent + 1, lines, top=True)
                return
            if isinstance(s, SetSelf):
                ctx.role = s.role
                if s.role is None:
                    lines.append(f"{pad}me = None; _i = None")
                else:
                    lines.append(f"{pad}me = {NODE_BASE + s.role.first + s.index}; _i = {s.index}")
                continue
            self.stmt(s, ctx, indent, lines)
        if top:
            lines.append(f"{pad}res.append(_finish(st, out))")

    def block(self, stmts, ctx: Ctx, indent: int, lines: list[str]) -> None:
        before = len(lines)
        self._seq(list(stmts), ctx.child(), indent, lines, top=False)
        if len(lines) == before:
            lines.append("    " * indent + "pass")

    def stmt(self, s, ctx: Ctx, indent: int, lines: list[str]) -> None:
        pad = "    " * indent
        if isinstance(s, A.Assign):
            lines.append(pad + self.assign(s, ctx))
        elif isinstance(s, A.Let):
            code, k = self.ex.expr(s.value, ctx)
            py = self.ex.fresh(s.name)
            ctx.locals[s.name] = (py, k)
            lines.append(f"{pad}{py} = {code}")
        elif isinstance(s, A.If):
            cond = self.ex.bool_expr(s.cond, ctx, "an if condition")
            lines.append(f"{pad}if {cond}:")
            self.block(s.then, ctx, indent + 1, lines)
            if s.orelse:
                lines.append(f"{pad}else:")
                self.block(s.orelse, ctx, indent + 1, lines)
        elif isinstance(s, A.For):
            inner = ctx.child()
            # `for a, b in S` nests loops over the same domain.
            loops = self.ex.bind(s.names, s.source, ctx, inner)
            for depth, loop in enumerate(loops):
                lines.append(f"{pad}{'    ' * depth}{loop}:")
            self.block(s.body, inner, indent + len(loops), lines)
        elif isinstance(s, A.Send):
            self.send(s, ctx, pad, lines)
        elif isinstance(s, A.Assert):
            cond = self.ex.bool_expr(s.cond, ctx, "an assertion")
            name = s.name or f"assert line {s.span.line}"
            lines.append(f"{pad}if not {cond}: raise _AssertFail({name!r})")
        elif isinstance(s, A.NetOp):
            self.net_op(s, ctx, pad, lines)
        elif isinstance(s, A.Choose):  # pragma: no cover - handled in _seq
            raise self.err("unexpected choose", s)
        else:  # pragma: no cover
            raise self.err(f"unsupported statement {type(s).__name__}", s)

    def net_op(self, s: A.NetOp, ctx: Ctx, pad: str, lines: list[str]) -> None:
        """keep / resend m / discard m (the network object: `checker.network`)."""
        net = f"st[{self.r.net_slot}]"
        if s.kind == "keep":
            if ctx.sender is None:
                raise self.err("'keep' leaves the handled message in the network; it is only possible "
                               "inside a message handler", s)
            lines.append(f"{pad}{net} = _NET.restore({net}, m)")
            return
        code, k = self.ex.expr(s.message, ctx)
        if base_kind(k) not in ("msg", "rec", ANY):
            raise self.err(f"'{s.kind}' needs a message, but this is {_describe(k)}", s.message)
        if s.kind == "resend":
            lines.append(f"{pad}out.append(_rt_message({code}))")
        else:
            lines.append(f"{pad}{net} = _NET.discard({net}, {code})")

    def send(self, s: A.Send, ctx: Ctx, pad: str, lines: list[str]) -> None:
        call = s.message
        if call.func not in self.r.messages:
            raise self.err(f"unknown message '{call.func}' (declare it with 'message {call.func}(...)' "
                           f"or handle it with 'on {call.func}(...)')", call)
        if s.kind == "reply":
            if ctx.sender is None:
                raise self.err("'reply' is only possible inside a message handler", s)
            lines.append(f"{pad}out.append({self.ex.message_value(call, ctx, ctx.sender)})")
            return
        if s.to is None:
            if s.kind == "broadcast":  # pragma: no cover - the grammar requires `to`
                raise self.err("broadcast needs a 'to'", s)
            lines.append(f"{pad}out.append({self.ex.message_value(call, ctx, '_NONE')})")
            return
        to, kt = self.ex.expr(s.to, ctx)
        kt = base_kind(kt)
        if kt in ("int", "bool", "str", "none", "seq", "map", "rec", "msg", "bag"):
            raise self.err(f"a message must be sent to a node or a set of nodes, but this is {_describe(kt)}", s.to)
        if s.kind == "send" and kt == "node":
            lines.append(f"{pad}out.append({self.ex.message_value(call, ctx, to)})")
            return
        d = self.ex.fresh("dst")
        it = to if kt == "set" else f"_rt_dests({to})"
        lines.append(f"{pad}for {d} in {it}:")
        lines.append(f"{pad}    out.append({self.ex.message_value(call, ctx, d)})")

    def assign(self, s: A.Assign, ctx: Ctx) -> str:
        t = s.target
        accs = list(t.accessors)
        value, kv = self.ex.expr(s.value, ctx)
        if t.name in ctx.locals:
            py, kind = ctx.locals[t.name]
            if accs and kind.startswith("node") and isinstance(accs[0], str):
                return self._node_var_assign(t, py, kind, accs, value, kv, ctx)
            if not accs:
                ctx.locals[t.name] = (py, kind if compatible(kind, kv) else ANY)
            return f"{py} = {self._update(py, accs, value, ctx)}"
        if ctx.role is not None and t.name in ctx.role.vars:
            v = ctx.role.vars[t.name]
            place = f"st[{v.slot} + _i]"
        elif t.name in self.r.global_vars:
            v = self.r.global_vars[t.name]
            place = f"st[{v.slot}]"
        elif t.name in self.r.consts:
            raise self.err(f"cannot assign to constant '{t.name}'", t)
        elif t.name in self.r.roles:
            if accs and not isinstance(accs[0], str) and len(accs) >= 2 and isinstance(accs[1], str):
                node, kn = self.ex.e_Index(A.Index(A.Name(t.name, t.span), accs[0], t.span), ctx)
                return self._node_var_assign(t, node, kn, accs[1:], value, kv, ctx)
            raise self.err(f"cannot assign to role '{t.name}'", t)
        elif t.name in ("sent", "network"):
            raise self.err(f"'{t.name}' is maintained by the checker and cannot be assigned", t)
        else:
            raise self.err(f"unknown variable '{t.name}'", t)
        vk = self.ex.var_kind(v)
        if not accs:
            if not compatible(vk, kv):
                raise self.err(f"cannot assign {_describe(kv)} to '{t.name}', which holds {_describe(vk)}", s.value)
        elif vk in ("int", "bool", "str"):
            raise self.err(f"'{t.name}' holds {_describe(vk)}, which has no elements or fields to assign", t)
        return f"{place} = {self._update(place, accs, value, ctx)}"

    def _node_var_assign(self, t: A.LValue, node: str, kind: str, accs: list, value: str, kv: str, ctx: Ctx) -> str:
        name = accs[0]
        if kind.startswith("node:"):
            role = self.r.roles[kind[5:]]
            if name not in role.vars:
                raise self.err(f"role {role.name} has no variable '{name}'", t)
            vk = self.ex.var_kind(role.vars[name])
            if len(accs) == 1 and not compatible(vk, kv):
                raise self.err(f"cannot assign {_describe(kv)} to '{name}', which holds {_describe(vk)}", t)
            place = f"st[{role.vars[name].slot - NODE_BASE - role.first} + {node}]"
        else:
            place = f"st[_rt.node_slot({node}, {name!r})]"
        return f"{place} = {self._update(place, accs[1:], value, ctx)}"

    def _update(self, place: str, accs: list, value: str, ctx: Ctx) -> str:
        if not accs:
            return value
        a, rest = accs[0], accs[1:]
        if isinstance(a, str):
            inner = f"_rt.field({place}, {a!r}, st)"
            return f"_rt.set_field({place}, {a!r}, {self._update(inner, rest, value, ctx)})"
        k, _ = self.ex.expr(a, ctx)
        inner = f"_rt_getitem({place}, {k})"
        return f"_rt_setitem({place}, {k}, {self._update(inner, rest, value, ctx)})"
