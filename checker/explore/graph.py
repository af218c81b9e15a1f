"""The whole state graph, for liveness (`checker.explore.liveness`).

Built only when a model has liveness properties: every reachable state and
every step that changes it, with the step's fairness class
(`Model.fairness_class`; None marks a step that is never forced: a fault,
an unfair step). Fairness is TLA+'s WF_vars / SF_vars on each class: it is
about steps that change the state (⟨A⟩_vars). A step from a state to
itself (stuttering) neither makes its class enabled nor counts as taking
it, so it is left out of the graph (TLA+ lets a behaviour stutter anyway).
A class is enabled in a state when it has a changing step there, even one
leading outside the state constraint: as in TLC, enabledness ignores the
constraint, which only prunes the graph's states.

The graph is concrete: symmetry reduction (`Model.canonicalize`) is not
applied, since fairness classes name nodes.
"""

from __future__ import annotations

import time
from array import array
from dataclasses import dataclass, field
from typing import Any

from checker.explore.progress import INTERVAL, Progress, ProgressCallback
from checker.model import Action, Fairness, Model, State, StepAssertionError

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
    not edges, but enabled all the same. ``strong`` holds the classes under
    strong fairness; the others are weakly fair.
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
    strong: set[int] = field(default_factory=set)

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

    def step(s: State, a: Action, t: State) -> None:
        if t == s:
            return  # stuttering: neither enables nor takes its class
        if constraint is not None and not constraint(t):
            cid = class_id(a)
            if cid >= 0:
                outside.append(cid)  # enabled, though its target is pruned
            return
        dst.append(add(t))
        cls.append(class_id(a))

    i = 0
    while i < len(states):
        off.append(len(dst))
        xoff.append(len(outside))
        s = states[i]
        try:
            for a, t in model.successors(s):
                step(s, a, t)
        except StepAssertionError as exc:
            if exc.successors is None:
                g.cut += 1
            for a, t in exc.successors or ():
                step(s, a, t)
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
    g.strong = {k for k, c in enumerate(g.classes) if model.class_fairness(c) is Fairness.STRONG}
    return g
