"""The temporal properties as TLA+ defines them under weak and strong
fairness, on the reference's state graph.

A behaviour is Init, then steps, then (TLA+) stuttering forever if it
likes. Each fairness class c is WF_vars(A_c) or SF_vars(A_c): if ⟨A_c⟩_vars
(a step of class c that *changes* the state) is enabled forever (WF), or
again and again (SF), such a step is taken infinitely often. So:

- a step that changes nothing neither counts as taking its class nor
  makes the class enabled;
- a class is enabled in a state when it has a changing step there, even
  one leading outside the state constraint (TLC evaluates ENABLED without
  the constraint); only steps within the constraint are edges.

A behaviour ends in a set C of states it visits forever; taking all of C's
edges forever is the fairest way to stay in C, so C is fair iff every weak
class enabled in all of C and every strong class enabled anywhere in C is
taken by an edge inside C (a single state with no class enabled: the
behaviour stops there). Fair sets are searched for among the strongly
connected components of a region: a component failing a strong class c
may hold fair sets that avoid every state where c is enabled, so those are
removed and the rest searched again; one failing a weak class holds none.

- ``eventually P``: stay forever in ¬P, from an initial state;
- ``P leadsto Q``: reach (anyhow) a state with P ∧ ¬Q, then stay in ¬Q;
- ``always eventually P``: reach (anyhow) a fair set inside ¬P;
- ``eventually always P``: reach a fair set (anywhere) holding a ¬P state.

We report the shortest prefix to such a set and a lower bound on the loop
from the prefix's last state: 0 when the behaviour may stop there,
otherwise the shortest closed walk inside the set that takes every weak
class enabled in all of it and every strong class enabled where it starts
(any fair loop from there takes at least those) and, for ``eventually
always``, passes through a ¬P state.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field
from typing import Hashable

from checker.model import Fairness, Temporal

#: the exact loop bound is a search over subsets of classes; past this
#: many classes it is replaced by the trivial bound 1.
MAX_LOOP_CLASSES = 12


@dataclass
class Graph:
    """Edges are steps within the constraint that change the state;
    ``enabled[i]`` holds the classes with a changing step from state i.
    A class is a tuple whose first element is its `Fairness`."""

    initial: list[int] = field(default_factory=list)
    edges: list[list[tuple[int, Hashable | None]]] = field(default_factory=list)
    enabled: list[set[Hashable]] = field(default_factory=list)

    def add_state(self) -> int:
        self.edges.append([])
        self.enabled.append(set())
        return len(self.edges) - 1


@dataclass(frozen=True)
class Lasso:
    prefix: int  # steps from an initial state to the loop's entry
    loop: int  # a lower bound on the loop's steps (0: the run stops there)


def _strong(c: Hashable) -> bool:
    return isinstance(c, tuple) and c[0] is Fairness.STRONG


def components(g: Graph, region: list[bool]) -> list[list[int]]:
    """Strongly connected components of the region (iterative Tarjan)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(len(g.edges)):
        if not region[root] or root in index:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = [w for w, _ in g.edges[v] if region[w]]
            if k < len(succ):
                work.append((v, k + 1))
                w = succ[k]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


def _weak_always(g: Graph, comp: list[int]) -> set[Hashable]:
    return {c for c in set.intersection(*(g.enabled[s] for s in comp)) if not _strong(c)}


def fair_states(g: Graph, region: list[bool]) -> dict[int, list[int]]:
    """state -> its fair set, for the states of the fair sets of the region."""
    out: dict[int, list[int]] = {}
    for comp in components(g, region):
        members = set(comp)
        taken = {c for s in comp for t, c in g.edges[s] if t in members and c is not None}
        if not _weak_always(g, comp) <= taken:
            continue  # no part of it is fair
        avoid = {c for s in comp for c in g.enabled[s] if _strong(c) and c not in taken}
        if not avoid:
            for s in comp:
                out[s] = comp
            continue
        inner = [False] * len(region)
        for s in comp:
            inner[s] = not (g.enabled[s] & avoid)
        out.update(fair_states(g, inner))
    return out


def find(g: Graph, kind: Temporal, p: list[bool], q: list[bool] | None) -> Lasso | None:
    """A counterexample to the property of ``kind`` whose condition holds in
    the states ``p`` (``q``: a leadsto's right side), or None."""
    n = len(p)
    bad: list[bool] | None = None
    if kind is Temporal.EVENTUALLY:
        region, trigger = [not x for x in p], None
    elif kind is Temporal.LEADSTO:
        assert q is not None
        region, trigger = [not x for x in q], p
    elif kind is Temporal.ALWAYS_EVENTUALLY:
        region, trigger = [not x for x in p], [True] * n
    else:
        region, trigger, bad = [True] * n, None, [not x for x in p]
    fair = fair_states(g, region)
    if bad is not None:
        fair = {s: comp for s, comp in fair.items() if any(bad[t] for t in comp)}
    if not fair:
        return None
    dist = _prefix_distances(g, region, trigger)
    reached = [(d, s) for s, d in dist.items() if s in fair]
    if not reached:
        return None
    best = min(d for d, _ in reached)
    loop = min(_loop_bound(g, fair[s], s, bad) for d, s in reached if d == best)
    return Lasso(best, loop)


def _prefix_distances(g: Graph, region: list[bool], trigger: list[bool] | None) -> dict[int, int]:
    """Shortest steps to each region state a counterexample may be in."""
    if trigger is None:
        return _bfs(g, {s: 0 for s in g.initial if region[s]}, region)
    anywhere = _bfs(g, {s: 0 for s in g.initial}, [True] * len(region))
    starts = {s: d for s, d in anywhere.items() if trigger[s] and region[s]}
    return _bfs(g, starts, region)


def _bfs(g: Graph, starts: dict[int, int], region: list[bool]) -> dict[int, int]:
    """Dijkstra with unit steps from sources at different distances."""
    dist = dict(starts)
    heap = [(d, s) for s, d in starts.items()]
    heapq.heapify(heap)
    while heap:
        d, s = heapq.heappop(heap)
        if d > dist[s]:
            continue
        for t, _ in g.edges[s]:
            if region[t] and d + 1 < dist.get(t, d + 2):
                dist[t] = d + 1
                heapq.heappush(heap, (d + 1, t))
    return dist


def _loop_bound(g: Graph, comp: list[int], entry: int, bad: list[bool] | None) -> int:
    if not g.enabled[entry] and (bad is None or bad[entry]):
        return 0  # no class is enabled: the behaviour may stop here
    must = sorted(_weak_always(g, comp) | {c for c in g.enabled[entry] if _strong(c)}, key=repr)
    if len(must) > MAX_LOOP_CLASSES:
        return 1
    bit = {c: 1 << k for k, c in enumerate(must)}
    full = (1 << len(must)) - 1
    members = set(comp)
    need_bad = bad is not None and not bad[entry]
    seen = {(entry, 0, False)}
    queue = deque([(entry, 0, False, 0)])
    while queue:
        s, taken, visited, steps = queue.popleft()
        for t, c in g.edges[s]:
            if t not in members:
                continue
            nt = taken | bit.get(c, 0)
            nv = visited or (need_bad and bad is not None and bad[t])
            if t == entry and nt == full and (nv or not need_bad):
                return steps + 1
            if (t, nt, nv) not in seen:
                seen.add((t, nt, nv))
                queue.append((t, nt, nv, steps + 1))
    raise AssertionError("a fair set without a fair loop")  # pragma: no cover
