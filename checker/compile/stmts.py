"""DSL statements -> lines of Python inside a generated step function.

A step body works on ``st`` (a list copy of the state) and ``out`` (the
messages sent so far) and ends by appending the finished state to ``res``.
``choose x in S`` makes the rest of the block run once per element: it
compiles to a loop whose every iteration restarts from what the statements
before the choose left (``st``, ``out``, the acting node and every local,
which a later statement may assign) and finishes one state per iteration;
an iteration that fails an assertion adds it to ``_fails`` and the others
go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.compile.assigned import AssignmentCheck
from checker.compile.context import Code, Ctx
from checker.compile.exprs import ExprCompiler
from checker.dsl import ast as A
from checker.dsl.kinds import ValueKind
from checker.dsl.pretty import pretty_lvalue
from checker.dsl.resolve import RoleInfo

#: the last line of a step's branch: its next state is done
FINISH = "res.append(_finish(st, out))"


@dataclass(frozen=True)
class SetSelf:
    """Pseudo-statement of generated init code: act as another node."""

    role: RoleInfo | None  # None: back to global (no self)
    index: int


class StmtCompiler:
    def __init__(self, ex: ExprCompiler):
        self.ex = ex
        self.r = ex.r
        self.net = f"st[{ex.layout.net}]"

    def body(self, stmts: tuple[A.Stmt | SetSelf, ...] | list[A.Stmt | SetSelf], ctx: Ctx, code: Code,
             finish: str = FINISH) -> None:
        """A step body; it ends each branch with ``finish``, by default
        appending the finished state to ``res``."""
        self._seq(list(stmts), ctx, code, top=True, finish=finish)

    # The top-level sequence may contain `choose`; nested blocks may not (checked).
    def _seq(self, stmts: list[A.Stmt | SetSelf], ctx: Ctx, code: Code, top: bool, finish: str = FINISH) -> None:
        for k, s in enumerate(stmts):
            if isinstance(s, A.Choose):
                d = self.ex.iterable(s.domain, ctx)
                inner = ctx.child()
                py = inner.locals[s.name] = self.ex.fresh(s.name)
                lvl = self.ex.fresh("lvl")
                # Each branch starts from everything the statements before
                # the choose left: the state, the sends, the acting node and
                # every local (a later statement may assign one).
                saved = ["st", "out", "me", "_i"] + sorted(set(ctx.locals.values()))
                copies = [f"_{name}_{lvl}" for name in saved]
                code.line(f"{', '.join(copies)} = {', '.join(saved)}")
                with code.block(f"for {py} in {d}:"):
                    code.line(f"{', '.join(saved)} = {', '.join(copies)}")
                    code.line("st = list(st); out = list(out)")
                    # A failed assertion ends this branch only (`_fails`:
                    # see `checker.compile.steps`).
                    with code.block("try:"):
                        self._seq(stmts[k + 1:], inner, code, top=True, finish=finish)
                    with code.block("except _AssertFail as exc:"):
                        code.line("_fails.append(exc)")
                return
            if isinstance(s, SetSelf):
                ctx.role = s.role
                if s.role is None:
                    code.line("me = None; _i = None")
                else:
                    code.line(f"me = {s.role.nodes[s.index]!r}; _i = {s.index}")
                continue
            self.stmt(s, ctx, code)
        if top:
            code.line(finish)

    def block(self, stmts: tuple[A.Stmt, ...], ctx: Ctx, code: Code, header: str) -> None:
        with code.block(header):
            self._seq(list(stmts), ctx.child(), code, top=False)

    def stmt(self, s: A.Stmt, ctx: Ctx, code: Code) -> None:
        with code.at(s):
            self._stmt(s, ctx, code)

    def _stmt(self, s: A.Stmt, ctx: Ctx, code: Code) -> None:
        ex = self.ex
        if isinstance(s, A.Assign):
            code.line(self.assign(s, ctx))
        elif isinstance(s, A.Let):
            value = ex.expr(s.value, ctx)
            py = ctx.locals[s.name] = ex.fresh(s.name)
            code.line(f"{py} = {value}")
        elif isinstance(s, A.If):
            self.block(s.then, ctx, code, f"if {ex.cond(s.cond, ctx)}:")
            if s.orelse:
                self.block(s.orelse, ctx, code, "else:")
        elif isinstance(s, A.For):
            inner = ctx.child()
            # `for a, b in S` nests loops over the same domain.
            loops = ex.bind(s.names, s.source, ctx, inner)
            for loop in loops[:-1]:
                code.line(loop + ":")
                code.level += 1
            self.block(s.body, inner, code, loops[-1] + ":")
            code.level -= len(loops) - 1
        elif isinstance(s, A.Send):
            self.send(s, ctx, code)
        elif isinstance(s, A.Assert):
            name = s.name or f"assert line {s.span.line}"
            code.line(f"if not {ex.cond(s.cond, ctx)}: raise _AssertFail({name!r})")
        elif isinstance(s, A.NetOp):
            self.net_op(s, ctx, code)
        else:
            assert isinstance(s, A.Skip), s

    def net_op(self, s: A.NetOp, ctx: Ctx, code: Code) -> None:
        """keep / resend m / discard m (the network object: `checker.network`)."""
        if s.kind == "keep":
            code.line(f"{self.net} = _NET.restore({self.net}, m)")
            return
        assert s.message is not None
        msg = self.ex.expr(s.message, ctx)
        if s.kind == "resend":
            code.line(f"out.append(_rt_message({msg}))")
        else:
            code.line(f"{self.net} = _NET.discard({self.net}, {msg})")

    def send(self, s: A.Send, ctx: Ctx, code: Code) -> None:
        message = self.ex.calls.message
        if s.kind == "reply":
            assert ctx.sender is not None
            code.line(f"out.append({message(s.message, ctx, ctx.sender)})")
            return
        if s.to is None:
            code.line(f"out.append({message(s.message, ctx, '_NONE')})")
            return
        to = self.ex.expr(s.to, ctx)
        kt = self.ex.kind(s.to, ctx)
        if s.kind == "send" and kt.sure(ValueKind.NODE):
            code.line(f"out.append({message(s.message, ctx, to)})")
            return
        d = self.ex.fresh("dst")
        with code.block(f"for {d} in {f'{to}[1:]' if kt.sure(ValueKind.SET) else f'_rt_dests({to})'}:"):
            code.line(f"out.append({message(s.message, ctx, d)})")

    def assign(self, s: A.Assign, ctx: Ctx) -> str:
        t = s.target
        accs = list(t.accessors)
        value = self.ex.expr(s.value, ctx)
        check = self.ex.kinds.assignment_check(s, ctx.path)
        if check is not None:  # a value the checker could not prove of the target's kind (checker.compile.assigned)
            if "_assigned" not in self.ex.namespace:
                self.ex.namespace["_assigned"] = AssignmentCheck(self.r)
            value = f"_assigned({value}, {self.ex.const_ref(check)}, {pretty_lvalue(t)!r})"
        r = self.r
        if t.name in ctx.locals:
            py = ctx.locals[t.name]
            local = self.ex.kind(t, ctx)  # the checker records a local target's kind
            if accs and local.sure(ValueKind.NODE) and isinstance(accs[0], str):
                return self._node_var_assign(py, local.role, accs, value, ctx)
            return f"{py} = {self._update(py, accs, value, ctx)}"
        if ctx.role is not None and t.name in ctx.role.vars:
            place = f"st[{self.ex.layout.var(ctx.role, t.name)} + _i]"
        elif t.name in r.global_vars:
            place = f"st[{self.ex.layout.globals[t.name]}]"
        else:  # `Role[i].x = ...` (the checker allows no other target)
            node = self.ex.role_node(t.name, accs[0], ctx)  # type: ignore[arg-type]
            return self._node_var_assign(node, t.name, accs[1:], value, ctx)
        return f"{place} = {self._update(place, accs, value, ctx)}"

    def _node_var_assign(self, node: str, role: str | None, accs: list, value: str, ctx: Ctx) -> str:
        name = accs[0]
        if role is not None:
            place = self.ex.role_var(role, name, node, "st")
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
        k = self.ex.expr(a, ctx)
        inner = f"_rt_getitem({place}, {k})"
        return f"_rt_setitem({place}, {k}, {self._update(inner, rest, value, ctx)})"
