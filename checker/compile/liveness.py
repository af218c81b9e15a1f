"""Liveness properties of a spec -> generated predicate functions.

``property Name(x in S, ...): eventually P`` or ``... : P leadsto Q``
compiles to ``live_bind_k(s)`` (every binding of the parameters, evaluated
on an initial state), ``live_p_k(s, x, ...)`` and ``live_q_k(s, x, ...)``.
`checker.compile.model.CompiledModel` turns each binding into one
`checker.model.LivenessProperty`; the engine checks them under weak
fairness (`checker.explore.liveness`). The fairness classes of a compiled
spec (`CompiledModel.fairness_class`): each (handler, node, message) for a
delivery, each (action or timer, node) for a role's actions and timers,
each global action; faults belong to none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.compile.exprs import Ctx
from checker.model import LivenessProperty


@dataclass(frozen=True)
class LiveSpec:
    """One compiled ``property`` declaration."""

    name: str
    kind: str  # "eventually" or "leadsto"
    params: tuple[str, ...]
    bind_fn: str
    p_fn: str
    q_fn: str | None


class LiveGen:
    def __init__(self, cg: Any):
        self.cg = cg

    def emit(self) -> list[LiveSpec]:
        out = []
        for k, d in enumerate(self.cg.r.properties):
            ex = self.cg.ex
            ctx = Ctx("s", None, in_global=True)
            loops: list[str] = []
            pys: list[str] = []
            for p in d.params:
                inner = ctx.child()
                loops += ex.bind((p.name,), p.domain, ctx, inner)
                ctx = inner
                pys.append(ctx.locals[p.name][0])
            args = "".join(f", {py}" for py in pys)
            lines = [f"def live_bind_{k}(s):", "    out = []"]
            for depth, loop in enumerate(loops):
                lines.append("    " * (depth + 1) + loop + ":")
            lines += ["    " * (len(loops) + 1) + "out.append((" + "".join(f"{py}, " for py in pys) + "))",
                      "    return out"]
            what = "the condition of an 'eventually'" if d.kind == "eventually" else "each side of 'leadsto'"
            lines += [f"def live_p_{k}(s{args}):", f"    return {ex.bool_expr(d.p, ctx, what)}"]
            q_fn = None
            if d.q is not None:
                q_fn = f"live_q_{k}"
                lines += [f"def {q_fn}(s{args}):", f"    return {ex.bool_expr(d.q, ctx, what)}"]
            self.cg.emit(*lines)
            out.append(LiveSpec(d.name, d.kind, tuple(p.name for p in d.params), f"live_bind_{k}", f"live_p_{k}", q_fn))
        return out


def liveness_properties(model: Any, gen: Any, ns: dict[str, Any]) -> list[LivenessProperty]:
    """One `LivenessProperty` per property and binding of its parameters."""
    out: list[LivenessProperty] = []
    if not gen.liveness:
        return out
    first = model.initial_states()
    for spec in gen.liveness:
        p, q = ns[spec.p_fn], ns[spec.q_fn] if spec.q_fn else None
        bindings = ns[spec.bind_fn](first[0]) if first else [()]
        for b in bindings:
            shown = {name: model.names.show(v) for name, v in zip(spec.params, b)} or None
            out.append(LivenessProperty(spec.name, spec.kind, _bind(p, b), _bind(q, b) if q else None, shown))
    return out


def _bind(fn: Any, args: tuple) -> Any:
    if not args:
        return fn
    return lambda s: fn(s, *args)
