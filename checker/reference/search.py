"""The reference's breadth-first search: distinct states, depth, a verdict
per property and the length of a shortest counterexample.

TLC's semantics throughout: a state outside the constraint is neither
counted, checked nor expanded; every invariant is checked on every
distinct state; a state without any step (a step back to itself counts)
that is not terminal is a deadlock; a failed step assertion is a
violation whose counterexample is the path to the state it was tried
from (the failing step is shown after it, not counted), and it cuts only
the branch that failed; a step property is checked on every step that
changes the state, even one leaving the constraint (TLC checks implied
actions so), and its counterexample ends with the violating step. No
early stop: the search always runs to exhaustion (or to the spec's
``max_depth``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.dsl import ast as A
from checker.reference.evaluate import bindings, ev_bool
from checker.reference.liveness import Graph, Lasso, find
from checker.reference.spec import RefSpec
from checker.reference.state import Frame, State
from checker.reference.steps import initial_states, successors
from checker.reference.values import EvalError, Value

HOLDS, VIOLATED, UNKNOWN = "holds", "violated", "unknown"


@dataclass
class RefResult:
    """What the reference found. ``lengths``: steps of a shortest
    counterexample per violated safety property; ``lassos``: per violated
    liveness property, the shortest prefix and a lower bound on its loop."""

    name: str
    distinct: int = 0
    depth: int = 0
    verdicts: dict[str, str] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    lassos: dict[str, Lasso] = field(default_factory=dict)
    complete: bool = True
    error: str | None = None


class _Search:
    def __init__(self, spec: RefSpec, max_states: int | None):
        self.spec = spec
        self.max_states = max_states
        self.states: list[State] = []
        self.index: dict[State, int] = {}
        self.depths: list[int] = []
        self.found: dict[str, int] = {}  # safety property -> counterexample length
        self.live = bool(spec.r.properties)
        self.graph = Graph()
        r = spec.r
        self.invariants = [(d.name, d.cond) for d in r.invariants]
        self.step_properties = [(d.name, _forall(d)) for d in r.step_properties]
        self.beyond = False

    def _holds(self, cond: A.Expr, s: State, what: str) -> bool:
        return ev_bool(cond, self.spec.env(Frame.of(s)), what)

    def _in_constraint(self, s: State) -> bool:
        return all(self._holds(c.cond, s, "a constraint") for c in self.spec.r.constraints)

    def _terminal(self, s: State) -> bool:
        return any(self._holds(t.cond, s, "a terminal condition") for t in self.spec.r.terminals)

    def _record(self, prop: str, length: int) -> None:
        if prop not in self.found or length < self.found[prop]:
            self.found[prop] = length

    def _add(self, s: State, depth: int) -> int:
        i = self.index.get(s)
        if i is not None:
            return i
        if self.max_states is not None and len(self.states) >= self.max_states:
            raise EvalError(f"the reference gives up past {self.max_states} states")
        i = self.index[s] = len(self.states)
        self.states.append(s)
        self.depths.append(depth)
        self.graph.add_state()
        for name, cond in self.invariants:
            if not self._holds(cond, s, "an invariant"):
                self._record(name, depth)
        return i

    def run(self) -> None:
        for s in initial_states(self.spec):
            if self._in_constraint(s):
                i = self._add(s, 0)
                if i not in self.graph.initial:
                    self.graph.initial.append(i)
        bound = self.spec.r.max_depth
        i = 0
        while i < len(self.states):
            s, d = self.states[i], self.depths[i]
            steps = successors(self.spec, s)
            if not steps and self.spec.check_deadlock and not self._terminal(s):
                self._record("deadlock", d)
            for step in steps:
                if step.failed is not None:
                    self._record(step.failed, d)  # the steps before the failing one
                    continue
                t = step.target
                assert t is not None
                if t != s and step.fair is not None:
                    self.graph.enabled[i].add(step.fair)
                if t != s:
                    self._check_step(s, t, d)
                if not self._in_constraint(t):
                    continue
                if bound is not None and d >= bound and t not in self.index:
                    self.beyond = True  # past max_depth: the search is incomplete
                    continue
                j = self._add(t, d + 1)
                if j != i:
                    self.graph.edges[i].append((j, step.fair))
            i += 1

    def _check_step(self, s: State, t: State, d: int) -> None:
        for name, cond in self.step_properties:
            env = self.spec.env(Frame.of(s))
            env.after = Frame.of(t)
            if not ev_bool(cond, env, "a step property"):
                self._record(name, d + 1)

    def liveness(self) -> dict[str, Lasso | None]:
        """Per property name, the first violated binding's lasso."""
        out: dict[str, Lasso | None] = {}
        first = initial_states(self.spec)
        for d in self.spec.r.properties:
            if out.get(d.name) is not None:
                continue
            for b in _property_bindings(self.spec, d, first[0] if first else None):
                p = [self._prop(d.p, s, b) for s in self.states]
                q = [self._prop(d.q, s, b) for s in self.states] if d.q is not None else None
                found = find(self.graph, d.kind, p, q)
                out[d.name] = found
                if found is not None:
                    break
        return out

    def _prop(self, e: Any, s: State, b: dict[str, Value]) -> bool:
        env = self.spec.env(Frame.of(s))
        env.scope.names.update(b)
        return ev_bool(e, env, "a property")


def _forall(d: A.StepPropertyDecl) -> A.Expr:
    """A step property's condition for every binding of its parameters."""
    if not d.params:
        return d.cond
    return A.Quantifier("forall", tuple(A.Binder((p.name,), p.domain, span=p.span) for p in d.params), d.cond,
                        span=d.span)


def _property_bindings(spec: RefSpec, d: A.PropertyDecl, s0: State | None) -> list[dict[str, Value]]:
    """Every binding of a property's parameters, over domains evaluated in
    the first initial state."""
    out: list[dict[str, Value]] = [{}]
    for p in d.params:
        nxt: list[dict[str, Value]] = []
        for b in out:
            env = spec.env(Frame.of(s0) if s0 is not None else None)
            env.scope.names.update(b)
            nxt.extend({**b, **x} for x in bindings((p.name,), p.domain, env))
        out = nxt
    return out


def explore(spec: RefSpec, max_states: int | None = None) -> RefResult:
    """Explore every reachable state of ``spec`` breadth-first and decide
    each property; an evaluation error ends the run with ``error`` set."""
    result = RefResult(spec.r.spec.name)
    search = _Search(spec, max_states)
    try:
        search.run()
        live = search.liveness() if search.live and not search.beyond else {}
    except EvalError as exc:
        result.error = str(exc)
        return result
    except RecursionError:
        result.error = "evaluation nests too deeply"
        return result
    result.distinct = len(search.states)
    result.depth = max(search.depths, default=0)
    result.complete = not search.beyond
    names = [n for n, _ in search.invariants] + spec.assertion_names + (["deadlock"] if spec.check_deadlock else []) \
        + [n for n, _ in search.step_properties]
    for name in names:
        if name in search.found:
            result.verdicts[name] = VIOLATED
            result.lengths[name] = search.found[name]
        else:
            result.verdicts[name] = HOLDS if result.complete else UNKNOWN
    for d in spec.r.properties:
        lasso = live.get(d.name)
        if not result.complete:
            result.verdicts[d.name] = UNKNOWN
        elif lasso is not None:
            result.verdicts[d.name] = VIOLATED
            result.lassos[d.name] = lasso
        else:
            result.verdicts[d.name] = HOLDS
    return result
