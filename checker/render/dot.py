"""Graphviz DOT: the explored state graph of a small model, or a trace's path.

    from checker.render.dot import render_state_graph, render_trace_dot
    text = render_state_graph(model, limit=200, highlight_path=states)
    text = render_trace_dot(trace)        # `show --format dot` of a saved trace

`render_state_graph` runs its own small breadth-first search over a `Model`
(initial states, then `successors`), builds a `networkx.MultiDiGraph`
(`state_graph`), and writes it as DOT: initial states have an entry arrow,
states that violate an invariant are red, deadlocks are octagons, and the
states of ``highlight_path`` (e.g. a counterexample, ``[s for _, s in
replay_trace(model, trace)]``) and the edges between them are drawn bold.
A graph with more than ``limit`` states is refused with `StateGraphTooLarge`
(a `CheckerError`): drawing it would be unreadable and slow.

The DOT is written here (not by pydot/pygraphviz, which are not
dependencies); every string is quoted and escaped, labels come from specs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from checker.errors import CheckerError
from checker.model import Model, State, StepAssertionError
from checker.trace import Trace

DEFAULT_LIMIT = 200
MAX_LABEL = 60  # characters per label line; longer values are cut

_PATH = {"color": "#c62828", "penwidth": "2.4"}
_GRAPH = ('  graph [fontname="Helvetica", fontsize=11, labelloc=t, rankdir=TB, charset="UTF-8"];\n'
          '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#90a4ae", '
          'fontname="Helvetica", fontsize=9];\n'
          '  edge [fontname="Helvetica", fontsize=8, color="#90a4ae", fontcolor="#455a64"];\n')


class StateGraphTooLarge(CheckerError):
    """The model has more reachable states than the DOT renderer draws."""

    def __init__(self, limit: int):
        super().__init__(
            f"the state graph has more than {limit} states, the limit for a DOT drawing; "
            f"raise the limit (render_state_graph(..., limit=N)) for a bigger graph, "
            f"or draw only the counterexample path (render_trace_dot)"
        )
        self.limit = limit


def dot_id(text: object) -> str:
    """A quoted DOT string: backslashes and quotes escaped, no raw newlines."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s.replace("\r", "").replace("\n", "\\n") + '"'


class _Quoted(str):
    """A DOT string that is already quoted and escaped."""


def dot_lines(lines: Iterable[str]) -> _Quoted:
    """A quoted multi-line, left-justified DOT label (each line ends in \\l)."""
    out = []
    for line in lines:
        line = str(line).replace("\r", "").replace("\n", " ")
        if len(line) > MAX_LABEL:
            line = line[: MAX_LABEL - 1] + "\u2026"
        out.append(line.replace("\\", "\\\\").replace('"', '\\"') + "\\l")
    return _Quoted('"' + "".join(out) + '"')


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        quoted = value if isinstance(value, _Quoted) else dot_id(value)
        parts.append(f"{key}={quoted}")
    return " [" + ", ".join(parts) + "]" if parts else ""


# -- the explored state graph -------------------------------------------------

def state_graph(model: Model, limit: int = DEFAULT_LIMIT) -> nx.MultiDiGraph:
    """Every reachable state of ``model`` (within its state constraint) as a
    graph: node = state (attributes ``index``, ``initial``, ``violates``,
    ``deadlock``, ``assertion``), edge = step (attribute ``action``).
    Raises `StateGraphTooLarge` past ``limit`` states."""
    graph = nx.MultiDiGraph()
    queue: deque[State] = deque()

    def add(state: State) -> bool:
        if state in graph:
            return False
        if model.constraint is not None and not model.constraint(state):
            return False
        if graph.number_of_nodes() >= limit:
            raise StateGraphTooLarge(limit)
        broken = [inv.name for inv in model.invariants if not inv.check(state)]
        graph.add_node(state, index=graph.number_of_nodes(), initial=False, violates=broken,
                       deadlock=False, assertion=None)
        queue.append(state)
        return True

    for state in model.initial_states():
        add(state)
        if state in graph:
            graph.nodes[state]["initial"] = True
    while queue:
        state = queue.popleft()
        count = 0
        try:
            for action, after in model.successors(state):
                count += 1
                add(after)
                if after in graph:
                    graph.add_edge(state, after, action=model.format_action(action))
        except StepAssertionError as exc:  # the engine stops this state's steps here too
            graph.nodes[state]["assertion"] = f"{exc.prop} fails in {model.format_action(exc.action)}"
        if count == 0 and graph.nodes[state]["assertion"] is None and model.check_deadlock:
            graph.nodes[state]["deadlock"] = not model.is_terminal(state)
    return graph


def render_state_graph(
    model: Model,
    limit: int = DEFAULT_LIMIT,
    highlight_path: Sequence[State] | None = None,
    *,
    title: str | None = None,
) -> str:
    """DOT text of ``model``'s reachable state graph (see the module docstring)."""
    graph = state_graph(model, limit)
    path = list(highlight_path or [])
    on_path = {s for s in path if s in graph}
    path_edges: set[tuple[State, State, Any]] = set()
    for a, b in zip(path, path[1:]):
        if graph.has_edge(a, b):  # the first of parallel steps a -> b
            path_edges.add((a, b, min(graph[a][b])))
    name = title or f"{model.name}: {graph.number_of_nodes()} states, {graph.number_of_edges()} steps"
    out = [f"digraph {dot_id(model.name)} {{\n", _GRAPH, f"  graph [label={dot_id(name)}];\n"]
    for state, data in graph.nodes(data=True):
        i = data["index"]
        lines = [f"#{i}"] + _state_lines(model, state)
        attrs: dict[str, Any] = {"tooltip": f"state #{i}"}
        if data["violates"]:
            lines.insert(1, "violates " + ", ".join(data["violates"]))
            attrs.update(fillcolor="#ffcdd2", color="#c62828")
        if data["assertion"]:
            lines.insert(1, "assertion " + data["assertion"])
            attrs.update(fillcolor="#ffcdd2", color="#c62828")
        if data["deadlock"]:
            lines.insert(1, "deadlock")
            attrs.update(shape="octagon", color="#c62828")
        if state in on_path:
            attrs.update(penwidth="2.4", color="#c62828")
            if not (data["violates"] or data["assertion"]):
                attrs["fillcolor"] = "#fff3c4"
        attrs["label"] = dot_lines(lines)
        out.append(f"  s{i}{_attrs(attrs)};\n")
        if data["initial"]:
            out.append(f'  init{i} [shape=point, width=0.08, label=""];\n  init{i} -> s{i};\n')
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {"label": data["action"]}
        if (a, b, key) in path_edges:
            attrs.update(_PATH, fontcolor="#c62828")
        out.append(f"  s{graph.nodes[a]['index']} -> s{graph.nodes[b]['index']}{_attrs(attrs)};\n")
    out.append("}\n")
    return "".join(out)


def _state_lines(model: Model, state: State) -> list[str]:
    return [f"{k} = {model.show_value(v)}" for k, v in model.state_view(state).items()]


# -- one trace ------------------------------------------------------------------

def render_trace_dot(trace: Trace) -> str:
    """DOT text of a trace's path: one node per step (step 0 with the whole
    state, later ones with the variables that changed), edges labelled with
    the steps, the violating state red, a lasso's loop as a dashed edge."""
    v = trace.violation
    last = len(trace.steps) - 1
    what = "deadlock" if v.kind == "deadlock" else f"{v.kind} {v.prop} violated" if trace.violates else "a path"
    out = [f"digraph {dot_id(trace.spec)} {{\n", _GRAPH, f"  graph [label={dot_id(f'{trace.spec}: {what}')}];\n"]
    for step in trace.steps:
        if step.index == 0:
            lines = ["initial state"] + [f"{k} = {x}" for k, x in step.shown.items()]
        else:
            lines = [f"after step {step.index}"] + [f"{k} = {step.shown.get(k, '?')}" for k in step.changed]
            if not step.changed:
                lines.append("(no variable changed)")
        attrs: dict[str, Any] = {"tooltip": "\n".join(f"{k} = {x}" for k, x in step.shown.items())}
        if step.index == last and trace.violates:
            lines.insert(1, f"\u2717 {what}")
            if v.message:
                lines.insert(2, v.message)
            lines += [f"{k} = {x}" for k, x in v.values.items()]
            attrs.update(fillcolor="#ffcdd2", color="#c62828", penwidth="2.4")
        elif trace.loop_start is not None and step.index == trace.loop_start:
            lines.insert(1, "loop starts here")
            attrs.update(fillcolor="#ede7f6", color="#7e57c2")
        attrs["label"] = dot_lines(lines)
        out.append(f"  t{step.index}{_attrs(attrs)};\n")
    for step in trace.steps[1:]:
        label = f"{step.index}. {step.label}"
        edge = _attrs({'label': label, 'color': '#1f4e9c', 'penwidth': '1.8'})
        out.append(f"  t{step.index - 1} -> t{step.index}{edge};\n")
    if trace.loop_start is not None:
        out.append(f"  t{last} -> t{trace.loop_start}"
                   f"{_attrs({'label': 'loop', 'style': 'dashed', 'color': '#7e57c2', 'constraint': 'false'})};\n")
    if trace.failing_step:
        attempt = {"label": dot_lines(["attempted: " + trace.failing_step]), "color": "#c62828",
                   "style": "dashed,rounded"}
        out.append(f"  attempt{_attrs(attempt)};\n")
        edge = _attrs({'style': 'dashed', 'color': '#c62828', 'label': 'assertion fails'})
        out.append(f"  t{last} -> attempt{edge};\n")
    out.append("}\n")
    return "".join(out)
