"""DOT output: the state graph of a small model and the path of a trace."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.errors import CheckerError
from checker.model import Action, Invariant, Model, State
from checker.render.dot import StateGraphTooLarge, render_state_graph, render_trace_dot, state_graph
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace
from tests.render.tools import graphviz_dot


class Counters(Model):
    """Two counters up to ``bound``; the invariant a + b < 3 breaks."""

    name = 'Counters "two"'
    action_names = ["inc_a", "inc_b"]

    def __init__(self, bound: int = 2):
        self.bound = bound
        self.invariants = [Invariant("SumBelow3", lambda s: s[0] + s[1] < 3)]

    def initial_states(self) -> list[State]:
        return [(0, 0)]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        a, b = state
        if a < self.bound:
            yield (0,), (a + 1, b)
        if b < self.bound:
            yield (1,), (a, b + 1)

    def state_view(self, state: State) -> dict[str, int]:
        return {"a": state[0], "b": state[1]}

    def format_action(self, action: Action) -> str:
        return ['a := a + 1 "\\n"', "b := b + 1 {x}; #"][action[0]]


def test_state_graph_counts_and_marks() -> None:
    g = state_graph(Counters())
    assert g.number_of_nodes() == 9 and g.number_of_edges() == 12
    assert [s for s, d in g.nodes(data=True) if d["initial"]] == [(0, 0)]
    assert {s for s, d in g.nodes(data=True) if d["violates"]} == {(2, 1), (1, 2), (2, 2)}
    assert [s for s, d in g.nodes(data=True) if d["deadlock"]] == [(2, 2)]


def test_render_state_graph_highlights_the_path() -> None:
    path = [(0, 0), (1, 0), (1, 1), (2, 1)]
    text = render_state_graph(Counters(), highlight_path=path)
    assert text.startswith('digraph "Counters \\"two\\"" {')
    assert text.count("penwidth") == 4 + 3  # path states + path edges
    assert re.search(r's0 -> s1 \[label="a := a \+ 1 \\"\\\\n\\"", color="#c62828"', text)
    assert "violates SumBelow3" in text and "shape=\"octagon\"" in text
    assert "init0 -> s0;" in text


def test_render_state_graph_refuses_big_graphs() -> None:
    with pytest.raises(StateGraphTooLarge) as info:
        render_state_graph(Counters(bound=50), limit=100)
    assert isinstance(info.value, CheckerError)
    assert "more than 100 states" in str(info.value) and "limit=N" in str(info.value)
    assert render_state_graph(Counters(bound=50), limit=3000).count(" -> ") > 2500


def test_trace_dot() -> None:
    text = render_trace_dot(ticket_trace())
    assert text.count(" -> ") == 22
    assert "Consistency violated" in text
    lasso = render_trace_dot(ticket_lasso())
    assert 't11 -> t9 [label="loop", style="dashed"' in lasso
    sink = render_trace_dot(kitchen_sink_trace())
    assert "attempted: Node<A>: check x; #done" in sink and '\'quoted\' \\"twice\\"' in sink


@pytest.mark.parametrize("which", ["graph", "ticket", "lasso", "sink"])
def test_graphviz_accepts_the_dot(which: str, tmp_path: Path) -> None:
    dot = graphviz_dot()
    text = {
        "graph": lambda: render_state_graph(Counters(), highlight_path=[(0, 0), (0, 1)]),
        "ticket": lambda: render_trace_dot(ticket_trace()),
        "lasso": lambda: render_trace_dot(ticket_lasso()),
        "sink": lambda: render_trace_dot(kitchen_sink_trace()),
    }[which]()
    out = subprocess.run([dot, "-Tsvg"], input=text.encode(), capture_output=True, timeout=60)
    assert out.returncode == 0 and not out.stderr, out.stderr.decode()
    assert b"<svg" in out.stdout
