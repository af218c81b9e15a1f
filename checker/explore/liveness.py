"""Liveness: the temporal properties of `checker.model.Temporal` under the
fairness of the model's steps, on the whole state graph
(`checker.explore.graph`).

Each property is violated by a fair behaviour that ends in a *fair
component* (`checker.explore.fairness`) of some region of the graph:

- ``eventually P`` (<>P): a component where P never holds, reached from an
  initial state through states where P never holds;
- ``P leadsto Q`` (P ~> Q): a component where Q never holds, reached
  through states where Q never holds from a state where P holds and Q
  does not (itself reached by any path);
- ``always eventually P`` ([]<>P): a component where P never holds,
  reached by any path (it is ``true leadsto P``);
- ``eventually always P`` (<>[]P): a component, anywhere, holding a state
  where P fails: the behaviour passes through it again and again (or
  stops there).

A counterexample is a shortest path to such a component (for leadsto and
[]<>, the shortest over both phases: any path to the trigger, then a path
within the region), followed by a cycle through the component that takes
every class it must and visits what it must (`checker.explore.lasso`), or
nothing when the behaviour may stop in its last state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from checker.explore.fairness import Component, fair_components
from checker.explore.graph import DEFAULT_MAX_STATES, GraphTooLarge, StateGraph, build_graph
from checker.model import LivenessProperty, Temporal

__all__ = ["DEFAULT_MAX_STATES", "Found", "GraphTooLarge", "StateGraph", "build_graph", "find_violation"]


@dataclass
class Found:
    """A counterexample in state ids: ``prefix`` from an initial state to
    the component's entry (the last id); ``trigger`` is the position in the
    prefix where the left side of a leadsto held without its right side,
    or where an ``always eventually``'s condition failed for good;
    ``visit``: states of which the cycle must pass through one (where an
    ``eventually always``'s condition fails)."""

    prop: LivenessProperty
    prefix: list[int]
    component: Component
    trigger: int | None = None
    visit: set[int] = field(default_factory=set)


def _bits(g: StateGraph, pred) -> bytearray:
    return bytearray(1 if pred(s) else 0 for s in g.states)


def find_violation(g: StateGraph, prop: LivenessProperty) -> Found | None:
    """A shortest-prefix counterexample to one liveness property, or None."""
    n = len(g.states)
    trigger: bytearray | None = None
    bad = bytearray()  # <>[]P: the states where P fails
    if prop.kind is Temporal.EVENTUALLY:
        region = bytearray(1 - b for b in _bits(g, prop.p))
    elif prop.kind is Temporal.LEADSTO:
        assert prop.q is not None, "a leadsto property needs q"
        region, trigger = bytearray(1 - b for b in _bits(g, prop.q)), _bits(g, prop.p)
    elif prop.kind is Temporal.ALWAYS_EVENTUALLY:
        region, trigger = bytearray(1 - b for b in _bits(g, prop.p)), bytearray(b"\x01" * n)
    else:
        region, bad = bytearray(b"\x01" * n), bytearray(1 - b for b in _bits(g, prop.p))
    comps: dict[int, Component] = {}
    for comp in fair_components(g, region):
        if not bad or any(bad[s] for s in comp.nodes):
            for s in comp.nodes:
                comps[s] = comp
    if not comps:
        return None
    # 0-1 BFS over (state, phase): phase 0 walks anywhere until the trigger
    # holds in a state of the region (leadsto and []<> only; switching
    # phase costs no step), phase 1 stays in the region. A key may be
    # reached first at a larger distance (a step in phase 1) than later (a
    # switch from phase 0): it is relaxed, and the first time it is popped
    # its distance is final.
    parent = [-2] * (2 * n)
    dist = [-1] * (2 * n)
    done = bytearray(2 * n)
    queue: deque[int] = deque()

    def reach(key: int, d: int, via: int, free: bool) -> None:
        if dist[key] == -1 or d < dist[key]:
            dist[key], parent[key] = d, via
            if free:
                queue.appendleft(key)
            else:
                queue.append(key)

    for i in g.initial:
        if trigger is None:
            if region[i]:
                reach(2 * i + 1, 0, -1, False)
        else:
            reach(2 * i, 0, -1, False)
    dst = g.dst
    while queue:
        key = queue.popleft()
        if done[key]:
            continue
        done[key] = 1
        i, phase = divmod(key, 2)
        if phase == 1 and i in comps:
            visit = {s for s in comps[i].nodes if bad[s]} if bad else set()
            return _found(prop, parent, key, comps[i], visit)
        if phase == 0 and trigger is not None and trigger[i] and region[i]:
            reach(key + 1, dist[key], key, True)
        for k in g.edges(i):
            j = dst[k]
            if phase == 1 and not region[j]:
                continue
            reach(2 * j + phase, dist[key] + 1, key, False)
    return None


def _found(prop: LivenessProperty, parent: list[int], key: int, comp: Component, visit: set[int]) -> Found:
    keys = [key]
    while parent[keys[-1]] >= 0:
        keys.append(parent[keys[-1]])
    keys.reverse()
    prefix: list[int] = []
    trigger = None
    for k in keys:
        i, phase = divmod(k, 2)
        if prefix and prefix[-1] == i:  # the phase switch: same state
            trigger = len(prefix) - 1
            continue
        prefix.append(i)
    return Found(prop, prefix, comp, trigger, visit)
