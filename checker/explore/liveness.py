"""Liveness: ``eventually P`` and ``P leadsto Q`` under weak fairness.

Only when a model has liveness properties does the engine build its whole
state graph (every reachable state and every step, with the step's
fairness class: `Model.fairness_class`; None marks a step that is never
forced, i.e. a fault). Fairness is TLA+'s WF_vars on each class: it is
about steps that change the state (⟨A⟩_vars). A step from a state to
itself (stuttering) neither makes its class enabled nor counts as taking
it, so it is left out of the graph (TLA+ lets a behaviour stutter anyway).
A class is enabled in a state when it has a changing step there, even
one leading outside the state constraint: as in TLC, enabledness ignores
the constraint, which only prunes the graph's states. Then, for each
property:

- the *region* is the set of states where the goal (P for ``eventually P``,
  Q for ``P leadsto Q``) does not hold;
- the region's strongly connected components (networkx) are the places
  where a behaviour can stay forever. A component *admits a fair path* when
  every fairness class enabled in all of its states is taken by some step
  inside it (weak fairness: a class enabled forever must be taken
  infinitely often). A single state admits one when no class is enabled
  there: the behaviour may stop (stutter) there — a deadlock, or a state
  where only faults or steps that change nothing could happen;
- a counterexample is a shortest path, within the region, from an initial
  state (``eventually``) or from a reachable state where P holds and Q does
  not (``leadsto``, reached by any path), to such a component, followed by
  a cycle through the component that takes every class it must
  (`checker.explore.lasso`).

Checking maximal components is complete for weak fairness: a class
enabled in every state of a component and never taken inside it is also
enabled everywhere in each of its sub-components.

The graph is concrete: symmetry reduction (`Model.canonicalize`) is not
applied, since fairness classes name nodes; the state constraint is (to
the states, not to enabledness).
"""

from __future__ import annotations

import time
from array import array
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from checker.explore.progress import INTERVAL, Progress, ProgressCallback
from checker.model import LivenessProperty, Model, State, StepAssertionError

#: distinct states the liveness graph may hold before the check gives up
#: (about 2 KB each with their steps and networkx's copy of a region).
DEFAULT_MAX_STATES = 1_000_000


class GraphTooLarge(Exception):
    """The state graph outgrew its bound or the time limit (reason inside)."""


@dataclass
class StateGraph:
    """Every reachable state and every step that changes it, in compact
    arrays.

    The steps of state ``i`` are ``dst[k]``/``cls[k]`` for ``k`` in
    ``off[i]:off[i + 1]``; ``cls`` is an index into ``classes``, or -1 for
    a step that is never forced. ``out[xoff[i]:xoff[i + 1]]`` are the
    classes of the steps of state ``i`` that leave the state constraint:
    not edges, but enabled all the same.
    """

    states: list[State]
    index: dict[State, int]
    off: array
    dst: array
    cls: array
    classes: list[Any]
    initial: list[int]
    xoff: array = field(default_factory=lambda: array("q"))
    out: array = field(default_factory=lambda: array("q"))
    cut: int = 0  # states whose steps a failed assertion cut short

    def edges(self, i: int) -> range:
        return range(self.off[i], self.off[i + 1])

    def enabled(self, i: int) -> set[int]:
        """The fairness classes with a step that changes state ``i``."""
        cls, out = self.cls, self.out
        inside = {cls[k] for k in range(self.off[i], self.off[i + 1]) if cls[k] >= 0}
        return inside.union(out[k] for k in range(self.xoff[i], self.xoff[i + 1]))

    @property
    def n_edges(self) -> int:
        return len(self.dst)


def build_graph(model: Model, max_states: int, deadline: float | None = None,
                progress: ProgressCallback | None = None) -> StateGraph:
    """Explore ``model`` breadth-first, keeping every step; raises
    `GraphTooLarge` past ``max_states`` states or the ``deadline``."""
    constraint = model.constraint
    states: list[State] = []
    index: dict[State, int] = {}
    class_ids: dict[Any, int] = {}
    off, dst, cls = array("q"), array("q"), array("q")
    g = StateGraph(states, index, off, dst, cls, [], [])
    xoff, outside = g.xoff, g.out
    start = last = time.monotonic()

    def add(t: State) -> int:
        j = index.get(t)
        if j is None:
            if len(states) >= max_states:
                raise GraphTooLarge(f"liveness-max-states {max_states} reached "
                                    f"({len(states):,} states, {len(dst):,} steps kept)")
            j = index[t] = len(states)
            states.append(t)
        return j

    for s in model.initial_states():
        if constraint is None or constraint(s):
            j = add(s)
            if j not in g.initial:
                g.initial.append(j)
    def class_id(a: Any) -> int:
        c = model.fairness_class(a)
        if c is None:
            return -1
        cid = class_ids.get(c)
        if cid is None:
            cid = class_ids[c] = len(class_ids)
        return cid

    i = 0
    while i < len(states):
        off.append(len(dst))
        xoff.append(len(outside))
        s = states[i]
        try:
            for a, t in model.successors(s):
                if t == s:
                    continue  # stuttering: neither enables nor takes its class
                if constraint is not None and not constraint(t):
                    cid = class_id(a)
                    if cid >= 0:
                        outside.append(cid)  # enabled, though its target is pruned
                    continue
                dst.append(add(t))
                cls.append(class_id(a))
        except StepAssertionError:
            g.cut += 1
        i += 1
        if not i & 1023:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                raise GraphTooLarge(f"time limit reached while building the liveness graph ({len(states):,} states)")
            if progress is not None and now - last >= INTERVAL:
                last = now
                progress(Progress(len(dst), len(states), len(states) - i, 0, now - start))
    off.append(len(dst))
    xoff.append(len(outside))
    g.classes = [None] * len(class_ids)
    for c, k in class_ids.items():
        g.classes[k] = c
    return g


@dataclass
class Component:
    """A strongly connected part of a region that admits a fair path."""

    nodes: set[int]
    #: classes enabled in every state of it: a fair cycle must take each.
    must: set[int]
    #: a single state where the behaviour may stop (no class enabled).
    stuck: bool = False


@dataclass
class Found:
    """A counterexample in state ids: ``prefix`` from an initial state to
    the component's entry (the last id); ``trigger`` is the position in the
    prefix where P held without Q (leadsto only)."""

    prop: LivenessProperty
    prefix: list[int]
    component: Component
    trigger: int | None = None


def fair_components(g: StateGraph, region: bytearray) -> dict[int, Component]:
    """state id -> its component, for every state of ``region`` (1 = in it)
    whose strongly connected component admits a fair path."""
    n = len(g.states)
    graph = nx.DiGraph()
    graph.add_nodes_from(i for i in range(n) if region[i])
    dst = g.dst
    graph.add_edges_from((i, dst[k]) for i in range(n) if region[i] for k in g.edges(i) if region[dst[k]])
    out: dict[int, Component] = {}
    for nodes in nx.strongly_connected_components(graph):
        must: set[int] | None = None
        taken: set[int] = set()
        for s in nodes:
            en = g.enabled(s)
            must = en if must is None else must & en
            for k in g.edges(s):
                if dst[k] in nodes and g.cls[k] >= 0:
                    taken.add(g.cls[k])
        assert must is not None
        if must <= taken:
            comp = Component(set(nodes), must, stuck=len(nodes) == 1 and not must)
            for s in nodes:
                out[s] = comp
    return out


def _bits(g: StateGraph, pred) -> bytearray:
    return bytearray(1 if pred(s) else 0 for s in g.states)


def find_violation(g: StateGraph, prop: LivenessProperty) -> Found | None:
    """A shortest-prefix counterexample to one liveness property, or None."""
    if prop.kind == "eventually":
        goal, trigger = _bits(g, prop.p), None
    elif prop.kind == "leadsto":
        assert prop.q is not None, "a leadsto property needs q"
        goal, trigger = _bits(g, prop.q), _bits(g, prop.p)
    else:
        raise ValueError(f"unknown liveness kind {prop.kind!r}")
    region = bytearray(1 - b for b in goal)
    comps = fair_components(g, region)
    if not comps:
        return None
    n = len(g.states)
    # 0-1 BFS over (state, phase): phase 0 walks anywhere until P holds
    # without Q (leadsto only; switching phase costs no step), phase 1 stays
    # in the region. A key may be reached first at a larger distance (a
    # step in phase 1) than later (a switch from phase 0): it is relaxed,
    # and the first time it is popped its distance is final.
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
            return _found(prop, parent, key, comps[i])
        if phase == 0 and trigger is not None and trigger[i] and region[i]:
            reach(key + 1, dist[key], key, True)
        for k in g.edges(i):
            j = dst[k]
            if phase == 1 and not region[j]:
                continue
            reach(2 * j + phase, dist[key] + 1, key, False)
    return None


def _found(prop: LivenessProperty, parent: list[int], key: int, comp: Component) -> Found:
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
    return Found(prop, prefix, comp, trigger)
