"""``eventually P`` and ``P leadsto Q`` as TLA+ defines them under weak
fairness, on the reference's state graph.

A behaviour is Init, then steps, then (TLA+) stuttering forever if it
likes. Fairness is WF_vars(A_c) for each class c: if ⟨A_c⟩_vars (a step of
class c that *changes* the state) is enabled from some point on, such a
step is taken infinitely often. So:

- a step that changes nothing neither counts as taking its class nor
  makes the class enabled;
- a class is enabled in a state when it has a changing step there, even
  one leading outside the state constraint (TLC evaluates ENABLED without
  the constraint); only steps within the constraint are edges.

A counterexample stays forever in the region where the goal fails (¬P;
¬Q after a state with P ∧ ¬Q), in a strongly connected component C of that
region that a fair behaviour can stay in forever: a single state where no
class is enabled (it stutters there), or a C where every class enabled in
all of its states is taken by an edge inside C. Taking all of C's edges
infinitely often is the fairest way to stay in C, so this is exact.

We report the shortest prefix to such a component and a lower bound on
the loop from the prefix's last state: 0 when the behaviour may stop
there, otherwise the shortest closed walk inside C that takes every class
C must take (any fair loop takes at least those).
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field
from typing import Hashable

#: the exact loop bound is a search over subsets of classes; past this
#: many classes it is replaced by the trivial bound 1.
MAX_LOOP_CLASSES = 12


@dataclass
class Graph:
    """Edges are steps within the constraint that change the state;
    ``enabled[i]`` holds the classes with a changing step from state i."""

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


def _must(g: Graph, comp: list[int]) -> set[Hashable]:
    return set.intersection(*(g.enabled[s] for s in comp))


def fair_states(g: Graph, region: list[bool]) -> dict[int, list[int]]:
    """state -> its component, for the states of components a fair
    behaviour can stay in forever."""
    out: dict[int, list[int]] = {}
    for comp in components(g, region):
        if len(comp) == 1:
            fair = not g.enabled[comp[0]]
        else:
            members = set(comp)
            taken = {c for s in comp for t, c in g.edges[s] if t in members and c is not None}
            fair = _must(g, comp) <= taken
        if fair:
            for s in comp:
                out[s] = comp
    return out


def find(g: Graph, goal: list[bool], trigger: list[bool] | None) -> Lasso | None:
    """A counterexample to ``eventually goal`` (trigger None) or to
    ``trigger leadsto goal``, or None when the property holds."""
    region = [not x for x in goal]
    fair = fair_states(g, region)
    if not fair:
        return None
    dist = _prefix_distances(g, region, trigger)
    reached = [(d, s) for s, d in dist.items() if s in fair]
    if not reached:
        return None
    best = min(d for d, _ in reached)
    loop = min(_loop_bound(g, fair[s], s) for d, s in reached if d == best)
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


def _loop_bound(g: Graph, comp: list[int], entry: int) -> int:
    if not g.enabled[entry]:
        return 0  # no class is enabled: the behaviour may stop here
    must = sorted(_must(g, comp), key=repr)
    if len(must) > MAX_LOOP_CLASSES:
        return 1
    bit = {c: 1 << k for k, c in enumerate(must)}
    full = (1 << len(must)) - 1
    members = set(comp)
    seen = {(entry, 0)}
    queue = deque([(entry, 0, 0)])
    while queue:
        s, taken, steps = queue.popleft()
        for t, c in g.edges[s]:
            if t not in members:
                continue
            nt = taken | bit.get(c, 0)
            if t == entry and nt == full:
                return steps + 1
            if (t, nt) not in seen:
                seen.add((t, nt))
                queue.append((t, nt, steps + 1))
    raise AssertionError("a fair component without a fair loop")  # pragma: no cover
