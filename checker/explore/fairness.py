"""Where a fair behaviour can stay forever: the fair strongly connected
components of a region of the state graph, under weak and strong fairness.

A behaviour that stays in a set C of states forever, taking every step
inside C again and again, is the fairest way to stay there: C admits a
fair behaviour iff

- every weakly fair class enabled in *all* states of C is taken by a step
  inside C (WF: enabled forever => taken infinitely often), and
- every strongly fair class enabled in *some* state of C is taken by a
  step inside C (SF: enabled infinitely often => taken infinitely often).

The standard algorithm (Emerson and Lei; Lichtenstein and Pnueli) checks
the maximal strongly connected components of the region. A component
that fails only on strong classes may still hold a fair part: a fair
behaviour inside it never visits a state where such a class is enabled
(it would have to take it, and it cannot inside the component), so those
states are removed and the rest is decomposed again. A component that
fails a weak class has no fair part (the class stays enabled everywhere
in any part, and is taken in none). A single state where no class is
enabled admits the behaviour that stops there (stutters forever).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from checker.explore.graph import StateGraph


@dataclass
class Component:
    """A strongly connected part of a region that admits a fair path."""

    nodes: set[int]
    #: the classes a fair cycle through all of it must take: the weakly fair
    #: ones enabled in every state, the strongly fair ones enabled in any.
    must: set[int]
    #: a single state where the behaviour may stop (no class enabled).
    stuck: bool = False


def fair_components(g: StateGraph, region: bytearray) -> list[Component]:
    """The fair components inside ``region`` (1 = in it), in a
    deterministic order; no two share a state."""
    out: list[Component] = []
    work = [sorted(i for i in range(len(g.states)) if region[i])]
    while work:
        nodes = work.pop()
        for comp in _components(g, nodes):
            verdict = _judge(g, comp)
            if isinstance(verdict, Component):
                out.append(verdict)
            elif verdict:  # strong classes to avoid: decompose what is left
                rest = sorted(s for s in comp if not (g.enabled(s) & verdict))
                if rest:
                    work.append(rest)
    return out


def _components(g: StateGraph, nodes: list[int]) -> list[set[int]]:
    """The strongly connected components of the subgraph on ``nodes``."""
    inside = set(nodes)
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    dst = g.dst
    graph.add_edges_from((i, dst[k]) for i in nodes for k in g.edges(i) if dst[k] in inside)
    return sorted((set(c) for c in nx.strongly_connected_components(graph)), key=min)


def _judge(g: StateGraph, comp: set[int]) -> Component | set[int]:
    """The component if it is fair; otherwise the strongly fair classes it
    enables without taking them (empty: no part of it is fair)."""
    always: set[int] | None = None
    anywhere: set[int] = set()
    taken: set[int] = set()
    for s in comp:
        en = g.enabled(s)
        always = en if always is None else always & en
        anywhere |= en
        for k in g.edges(s):
            if g.dst[k] in comp and g.cls[k] >= 0:
                taken.add(g.cls[k])
    assert always is not None
    weak = always - g.strong
    strong = anywhere & g.strong
    if not weak <= taken:
        return set()
    if not strong <= taken:
        return strong - taken
    return Component(comp, weak | strong, stuck=len(comp) == 1 and not anywhere)
