"""The JSON the page draws: one step of a path, with everything around it.

`step_view(explorer, path, at)` describes the state after step ``at`` of
``path`` (0 = the initial state): its variables grouped per node with the
changed ones marked, the messages in flight, every invariant's verdict with
the values that broke it, and every enabled step (fault steps marked
apart); plus the sequence chart of the whole path, drawn by the same code
as the HTML trace page (`checker.render.svgchart`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Sequence

from checker.model import State, StepAssertionError, StepKind
from checker.render.chart import build_chart, describe_kind
from checker.render.svgchart import ROW_H, chart_svg, geometry, lanes_header
from checker.trace import Step
from checker.webui.explorer import Explorer, PathError

#: step kinds of faults: the network's or a node's misfortunes, not the
#: protocol's own moves; the page lists them apart.
FAULT_KINDS = frozenset(k for k in StepKind if k.is_fault)

#: the group of variables that belong to no node (network, sent, faults...).
GLOBAL_GROUP = "global"


class Status(StrEnum):
    """How the state after the selected step stands."""

    OK = "ok"  # some step is enabled
    DEADLOCK = "deadlock"  # no step, and not a legitimate end
    TERMINAL = "terminal"  # no step, and the spec says the run may end here
    ERROR = "error"  # the model failed while computing the steps


def step_view(ex: Explorer, path: Sequence[int], at: int) -> dict[str, Any]:
    """The page's view of step ``at`` of ``path`` (see the module docstring)."""
    if not path:
        return _choose_initial(ex)
    if not 0 <= at < len(path):
        raise PathError(f"there is no step {at} in a path of {len(path) - 1} steps")
    raw = ex.resolve(path)
    trace = ex.trace_of(raw)
    state = raw[at][1]
    chart = build_chart(trace)
    g = geometry(chart)
    step = trace.steps[at]
    prev = trace.steps[at - 1] if at else None
    in_flight = [chart.arrow(i) for i in chart.in_flight_after[at]]
    status, enabled = _enabled(ex, state, path[at + 1] if at + 1 < len(path) else None)
    steps = ex.steps(state)
    return {
        "path": list(path),
        "at": at,
        "last": len(path) - 1,
        "step": _step(step),
        "status": status.value,
        "error": steps.error,
        "groups": _groups(step, prev, trace.nodes),
        "inFlight": [f"{a.src} \u2192 {a.dst}: {a.text}" for a in in_flight],
        "invariants": _invariants(ex, state),
        "enabled": enabled,
        "failing": _failing(ex, steps.failure, steps.cut),
        "steps": [_step(s) for s in trace.steps],
        "pathViolation": {"kind": trace.violation.kind, "prop": trace.violation.prop} if trace.violates else None,
        "chart": {"head": lanes_header(g), "body": chart_svg(g), "rowH": ROW_H},
    }


#: initial states the page lists (MCBakery has 655,200): the rest are
#: reached by opening a trace that starts there, or by a violation's path
MAX_INITIAL_CHOICES = 500


def _choose_initial(ex: Explorer) -> dict[str, Any]:
    """An empty path: the choice of an initial state (a model may have several)."""
    first = ex.model.state_view(ex.initial[0]) if ex.initial else {}
    choices = []
    for k, s in enumerate(ex.initial[:MAX_INITIAL_CHOICES]):
        view = ex.model.state_view(s)
        differs = [f"{name} = {ex.model.show_value(v)}" for name, v in view.items() if first.get(name) != v]
        label = f"initial state {k}" + (": " + ", ".join(differs[:4]) if differs else "")
        choices.append({"index": k, "label": label, "kind": "init", "fault": False, "what": "initial state",
                        "sends": [], "breaks": [name for name, _ in ex.broken(s)], "next": False, "pruned": False})
    return {"path": [], "at": -1, "last": -1, "step": None, "status": Status.OK.value, "error": None,
            "groups": [], "inFlight": [], "invariants": [], "enabled": choices, "failing": None, "steps": [],
            "pathViolation": None, "chart": None, "more": len(ex.initial) - len(choices)}


def _step(s: Step) -> dict[str, Any]:
    return {"index": s.index, "kind": s.kind, "what": describe_kind(s.kind), "label": s.label,
            "fault": s.kind in FAULT_KINDS}


def _groups(step: Step, prev: Step | None, nodes: Sequence[str]) -> list[dict[str, Any]]:
    """The variables per node ("Server[0].t_max" under "Server[0]"), then the
    global ones, each with its old value when the step changed it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for name, shown in step.shown.items():
        node, dot, var = name.partition(".")
        if not dot or node not in nodes:
            node, var = GLOBAL_GROUP, name
        changed = name in step.changed
        row = {"name": name, "var": var, "value": shown, "changed": changed,
               "old": prev.shown.get(name) if changed and prev is not None else None}
        groups.setdefault(node, []).append(row)
    ordered = [g for g in groups if g != GLOBAL_GROUP] + ([GLOBAL_GROUP] if GLOBAL_GROUP in groups else [])
    return [{"name": g, "vars": groups[g]} for g in ordered]


def _invariants(ex: Explorer, state: State) -> list[dict[str, Any]]:
    broken = dict(ex.broken(state))
    out = []
    for inv in ex.model.invariants:
        values = broken.get(inv.name)
        if values is None:
            out.append({"name": inv.name, "holds": True, "values": [], "error": None})
        elif isinstance(values, str):  # evaluating it failed
            out.append({"name": inv.name, "holds": False, "values": [], "error": values})
        else:
            out.append({"name": inv.name, "holds": False, "values": [[k, v] for k, v in values.items()], "error": None})
    return out


def _enabled(ex: Explorer, state: State, taken: int | None) -> tuple[Status, list[dict[str, Any]]]:
    """Every enabled step of ``state`` and the state's status. ``taken`` is
    the step the path takes next from here (marked, to go forward by it)."""
    model = ex.model
    steps = ex.steps(state)
    out = []
    for k, (action, after) in enumerate(steps.ok):
        info = model.step_info(action, state, after)
        pruned = model.constraint is not None and not model.constraint(after)
        out.append({
            "index": k,
            "label": info.label,
            "kind": info.kind,
            "what": describe_kind(info.kind),
            "fault": info.kind in FAULT_KINDS,
            "sends": [f"{m.get('dst') or '?'}: {m.get('text', '')}" for m in info.sends],
            "breaks": [name for name, _ in ex.broken(after)],
            "next": k == taken,
            "pruned": pruned,
        })
    if steps.error is not None:
        return Status.ERROR, out
    if out or steps.failure is not None:
        return Status.OK, out
    return (Status.DEADLOCK if ex.is_deadlock(state) else Status.TERMINAL), out


def _failing(ex: Explorer, exc: StepAssertionError | None, cut: bool) -> dict[str, Any] | None:
    """A step of this state that fails an assertion: shown, not taken.
    ``cut``: the model did not say which other steps succeed."""
    if exc is None:
        return None
    return {"label": ex.model.format_action(exc.action), "prop": exc.prop, "message": exc.message,
            "values": [[k, v] for k, v in exc.values.items()], "cut": cut}
