"""How a compiled spec shows its fault steps, its fairness classes and its
liveness properties (hooks of `checker.compile.model.CompiledModel`)."""

from __future__ import annotations

from typing import Any

from checker.compile.faults import KINDS
from checker.model import Action, LivenessProperty, StepInfo


def is_fault_step(kind: str) -> bool:
    return kind in KINDS


def format_fault(model: Any, kind: Any, action: Action) -> str:
    """``crash Server[2]``, ``corrupt: A -> B M(x=1) becomes M(x=2)``, ..."""
    names = model.names
    if kind.kind == "corrupt":
        return f"corrupt: {names.show_message(action[1])} becomes {names.show_payload(action[2])}"
    if kind.kind == "reorder":
        return f"reorder: {names.show_message(action[1])} overtakes {names.show_payload(action[2])}"
    if kind.kind in ("crash", "restart"):
        return f"{kind.kind} {model.node_name(action[1])}"
    if kind.kind == "partition":
        side = set(action[1])
        every = [model.node_name(n) for n in _all_nodes(model)]
        a = [n for n, v in zip(every, _all_nodes(model)) if v in side]
        b = [n for n, v in zip(every, _all_nodes(model)) if v not in side]
        return f"partition: {{{', '.join(a)}}} | {{{', '.join(b)}}}"
    return "heal partition"


def _all_nodes(model: Any) -> list[int]:
    return [n for role in model.resolved.roles.values() for n in role.nodes]


def fault_step_info(model: Any, kind: Any, action: Action, label: str, sends: tuple) -> StepInfo:
    if kind.kind == "corrupt":
        return StepInfo("corrupt", label, None, model._msg(action[1]), (model._msg(action[2]),))
    if kind.kind == "reorder":
        return StepInfo("reorder", label, None, model._msg(action[1]), ())
    if kind.kind in ("crash", "restart"):
        return StepInfo(kind.kind, label, model.node_name(action[1]), None, sends if kind.kind == "restart" else ())
    return StepInfo(kind.kind, label, None, None, ())


def fairness_class(model: Any, action: Action) -> Any:
    """Deliveries: (handler, node, message); a role's actions and timers:
    (action, node); global actions: (action,); faults: None (never forced)."""
    kind = model.action_kinds[action[0]].kind
    if kind == "deliver":
        return action
    if kind in ("action", "timer"):
        return action[:2]
    if kind == "global":
        return action[:1]
    return None


def layout(model: Any) -> list[tuple[str, int]]:
    """State-view entries of the crashed set and the partition."""
    info = model.resolved.fault_info
    out = []
    if info is not None and info.crash_slot is not None:
        out.append(("crashed", info.crash_slot))
    if info is not None and info.partition_slot is not None:
        out.append(("partition", info.partition_slot))
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
