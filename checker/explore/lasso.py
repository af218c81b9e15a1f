"""A liveness counterexample as a replayed `Trace`: a prefix and a cycle.

`fair_cycle` walks a fair component from its entry state, taking one step
of every fairness class the component must take (the weakly fair ones
enabled in all of its states, the strongly fair ones enabled in any),
nearest first, through the states it must visit (where an ``eventually
always`` condition fails), and returns to the entry. A weakly fair class
that happens to be enabled in every state the walk visits (but not in the
whole component) would make that particular cycle unfair, so the walk then
also visits a state where the class is disabled, until the cycle is fair
on its own: every weakly fair class enabled throughout it and every
strongly fair class enabled anywhere on it is taken in it.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from checker.explore.graph import StateGraph
from checker.explore.liveness import Found
from checker.model import Action, Model, Temporal, successful_steps
from checker.trace import Trace, Violation, build_trace, replay_path

Leg = list[tuple[int, int]]  # (source state, edge index)


def _walk(g: StateGraph, nodes: set[int], start: int, targets: set[int], classes: set[int],
          at_least_one: bool = False) -> Leg:
    """Shortest walk inside ``nodes`` from ``start`` to a state of
    ``targets`` or through a step of one of ``classes``."""
    if not at_least_one and start in targets:
        return []
    parent: dict[int, tuple[int, int] | None] = {start: None}
    queue = deque([start])
    dst, cls = g.dst, g.cls

    def path_to(v: int) -> Leg:
        out: Leg = []
        while parent[v] is not None:
            u, k = parent[v]  # type: ignore[misc]
            out.append((u, k))
            v = u
        out.reverse()
        return out

    while queue:
        u = queue.popleft()
        for k in g.edges(u):
            v = dst[k]
            if v not in nodes:
                continue
            if cls[k] in classes:
                return path_to(u) + [(u, k)]
            if v in targets and (v != start or at_least_one):
                return path_to(u) + [(u, k)]
            if v not in parent:
                parent[v] = (u, k)
                queue.append(v)
    raise AssertionError("no walk inside a strongly connected component")  # pragma: no cover


def _tour(g: StateGraph, nodes: set[int], entry: int, classes: set[int], waypoints: set[int]) -> Leg:
    cycle: Leg = []
    cur = entry
    waypoints = waypoints - {entry}
    while classes or waypoints:
        leg = _walk(g, nodes, cur, waypoints, classes)
        for _u, k in leg:
            classes.discard(g.cls[k])
            waypoints.discard(g.dst[k])
        cycle += leg
        cur = g.dst[leg[-1][1]] if leg else cur
    cycle += _walk(g, nodes, cur, {entry}, set(), at_least_one=not cycle)
    return cycle


def fair_cycle(g: StateGraph, nodes: set[int], must: set[int], entry: int, visit: set[int] | None = None) -> Leg:
    """A cycle from ``entry`` back to it inside ``nodes`` that is fair by
    itself and passes through a state of ``visit`` when given (see the
    module docstring)."""
    must = set(must)
    waypoints: set[int] = set()
    dist = _distances(g, nodes, entry)
    if visit and entry not in visit:
        waypoints.add(min(visit & nodes, key=lambda s: (dist.get(s, 0), s)))
    while True:
        cycle = _tour(g, nodes, entry, set(must), set(waypoints))
        visited = [entry] + [g.dst[k] for _, k in cycle]
        common = set.intersection(*(g.enabled(u) for u in visited))
        missing = common - {g.cls[k] for _, k in cycle}
        if not missing:
            return cycle
        for c in sorted(missing):
            off = [s for s in nodes if c not in g.enabled(s)]
            if off:
                waypoints.add(min(off, key=lambda s: (dist.get(s, 0), s)))
            else:  # pragma: no cover - classes enabled everywhere are in `must`
                must.add(c)


def _distances(g: StateGraph, nodes: set[int], start: int) -> dict[int, int]:
    dist = {start: 0}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for k in g.edges(u):
            v = g.dst[k]
            if v in nodes and v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


def _action(model: Model, g: StateGraph, u: int, v: int, cid: int | None) -> Action:
    """The first step of the model from state u to state v (of fairness
    class ``cid`` when given: -1 for an unfair step)."""
    after = g.states[v]
    for a, t in successful_steps(model, g.states[u]):
        if t != after:
            continue
        if cid is None:
            return a
        c = model.fairness_class(a)
        if (c is None and cid == -1) or (c is not None and cid >= 0 and g.classes[cid] == c):
            return a
    raise AssertionError("a step of the liveness graph is not a step of the model")  # pragma: no cover


def lasso_trace(model: Model, g: StateGraph, found: Found, options: dict[str, Any] | None = None) -> Trace:
    """The counterexample of ``found`` as a replayed trace: a prefix and a
    fair cycle (``loop_start``), or a prefix ending where the behaviour may
    stop because no step is forced there."""
    prefix = found.prefix
    path: list[tuple[Action | None, Any]] = [(None, g.states[prefix[0]])]
    for u, v in zip(prefix, prefix[1:]):
        path.append((_action(model, g, u, v, None), g.states[v]))
    entry = prefix[-1]
    stuck = not g.enabled(entry) and (not found.visit or entry in found.visit)
    loop_start = None
    if not stuck:
        loop_start = len(path) - 1
        for u, k in fair_cycle(g, found.component.nodes, found.component.must, entry, found.visit):
            v = g.dst[k]
            path.append((_action(model, g, u, v, g.cls[k]), g.states[v]))
    replay_path(model, path)
    return build_trace(model, path, _violation(model, g, found, stuck, loop_start, len(path) - 1, path),
                       loop_start=loop_start, options=options)


def _violation(model: Model, g: StateGraph, found: Found, stuck: bool, loop_start: int | None, last: int,
               path: list[tuple[Action | None, Any]]) -> Violation:
    prop = found.prop
    values = dict(prop.binding or {})
    if prop.kind is Temporal.LEADSTO:
        values["left side holds at step"] = str(found.trigger)
        what = f"its left side holds at step {found.trigger} and its right side never holds from then on"
    elif prop.kind is Temporal.ALWAYS_EVENTUALLY:
        values["condition fails for good from step"] = str(found.trigger)
        what = f"its condition fails at step {found.trigger} and never holds again"
    elif prop.kind is Temporal.EVENTUALLY_ALWAYS:
        first = (loop_start or 0) if not stuck else last
        step = next(k for k in range(first, len(path)) if g.index[path[k][1]] in found.visit)
        values["condition fails at step"] = str(step)
        what = f"its condition fails at step {step}" + (", again and again" if not stuck else "")
    else:
        what = "its condition never holds"
    if stuck:
        state = g.states[found.prefix[-1]]
        faults = [model.fairness_class(a) is None for a, _ in successful_steps(model, state)]
        if not faults:
            why = "no step is enabled"
        elif all(faults):
            why = "only faults or unfair steps are enabled, and they are never forced"
        else:  # a step that changes nothing is not forced by fairness either (TLA+'s ⟨A⟩_vars)
            why = "every enabled step " + ("that is not a fault or unfair " if any(faults) else "") + "changes nothing"
        message = f"{what}: the run can stop after step {last} ({why})"
    else:
        assert loop_start is not None
        forced = "every step enabled throughout it" + (
            ", and every strongly fair one enabled in it," if any(c in g.strong for c in found.component.must) else "")
        message = f"{what}: steps {loop_start + 1}..{last} repeat forever, a fair loop ({forced} is taken in it)"
        values["loop"] = f"after step {last}, back to step {loop_start}"
    return Violation(prop.name, "liveness", message, values)
