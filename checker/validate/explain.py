"""Why no behaviour matches an event: the report of a rejected log.

For each candidate state (up to a limit) and each step the event may be,
`explain` lists what disagreed: the message the log names is not in
flight (and what is), a field, parameter or observed variable differs
(model vs log), or the step's guard is false — naming the false conjunct
of the ``when`` guard and the values of the variables it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.dsl import ast as A
from checker.validate.bind import compile_expr
from checker.validate.match import show_model


@dataclass
class CandidateReport:
    """What one candidate state says about the rejected event."""

    index: int
    node_state: dict[str, str]  # the acting node's variables, shown
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (step name, what disagreed)


def explain(matcher, eb, view, candidates: list[tuple[tuple, tuple]], limit: int) -> list[CandidateReport]:
    """Reports for the first ``limit`` candidates (state, claims)."""
    reports = []
    for k, (state, claims) in enumerate(candidates[:limit]):
        why: list = []
        matcher.match(eb, view, state, claims, why)
        rep = CandidateReport(k + 1, _node_state(matcher.model, state, view.node))
        # When an attempt got as far as the step the event names, other
        # messages and parameters of that step are noise.
        close = {step for step, _, level in why if level == 2}
        seen = set()
        for step, text, level in why:
            if (step, text) not in seen and (level == 2 or step not in close):
                seen.add((step, text))
                rep.reasons.append((step, text))
        if not rep.reasons:
            rep.reasons.append(("", "no step of the mapped kinds matches (nothing more specific is known)"))
        reports.append(rep)
    return reports


def _node_state(model, state: tuple, node: str | None) -> dict[str, str]:
    if node is None:
        return {}
    prefix = model.names.show(node) + "."
    return {k[len(prefix):]: show_model(model.names, v, 80) for k, v in model.state_view(state).items()
            if k.startswith(prefix)}


# ---- guards ------------------------------------------------------------------

def guard_report(matcher, sb, action: tuple, state: tuple, node: str | None, message: Any) -> str:
    """Why step ``sb`` made no next state: its false guard conjunct(s)."""
    model = matcher.model
    label = model.format_action(action)
    decl = sb.decl
    guard = getattr(decl, "guard", None)
    if guard is None:
        return f"{label}: the step makes no next state"
    cache = matcher.__dict__.setdefault("_guard_cache", {})
    key = sb.idx
    if key not in cache:
        cache[key] = _compile_guard(model, sb, decl, guard)
    parts, params = cache[key]
    if params and sb.kind != "deliver":
        prefix = f"{sb.name}: the guard is false for every parameter value"
    else:
        prefix = f"{label}: the guard is false"
    args = _guard_args(model, sb, message)
    false = []
    for text, fn, reads in parts:
        if fn is None:
            continue
        try:
            if fn(state, node, *args):
                continue
        except Exception:  # noqa: BLE001 - a conjunct that needs an unbound parameter
            continue
        values = []
        for name, rfn in reads:
            try:
                values.append(f"{name} = {show_model(model.names, rfn(state, node, *args), 60)}")
            except Exception:  # noqa: BLE001 - shown only when it can be evaluated
                pass
        false.append(f"`{text}`" + (f" ({', '.join(values)})" if values else ""))
    if not false:
        return prefix + (" (no conjunct can be evaluated alone)" if params else "")
    return f"{prefix}: " + "; ".join(false) + (" is false" if len(false) == 1 else " are false")


def _guard_args(model, sb, message: Any) -> tuple:
    if sb.kind != "deliver" or message is None:
        return ()
    n = len(sb.decl.params)
    return tuple(message[3:3 + n]) + ((message[1],) if sb.decl.sender else ())


def _compile_guard(model, sb, decl, guard: A.Expr):
    from checker.dsl.pretty import pretty_expr

    if sb.kind == "deliver":
        params = tuple(decl.params) + ((decl.sender,) if decl.sender else ())
    else:
        params = tuple(p.name for p in getattr(decl, "params", ()))
    role = sb.role
    parts = []
    for c in _conjuncts(guard):
        text = pretty_expr(c)
        uses_params = bool(_names(c) & set(params)) and sb.kind != "deliver"
        try:
            fn = None if uses_params else compile_expr(model, text, role, params if sb.kind == "deliver" else (),
                                                       condition=True)
        except Exception:  # noqa: BLE001 - explanations are best effort
            fn = None
        reads = []
        for name in sorted(_names(c)):
            if (role is not None and name in role.vars) or (sb.kind == "deliver" and name in params):
                try:
                    reads.append((name, compile_expr(model, name, role, params if sb.kind == "deliver" else ())))
                except Exception:  # noqa: BLE001
                    pass
        parts.append((text, fn, reads))
    return parts, params


def _conjuncts(e: A.Expr) -> list[A.Expr]:
    if isinstance(e, A.Binary) and e.op == "and":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _names(e: Any) -> set[str]:
    return {x.id for x in A.walk(e) if isinstance(x, A.Name)}
