"""Tiny hand-written models for engine tests (never through the DSL).

States are tuples of ints; actions are (kind,) or (kind, arg) tuples.
"""

from __future__ import annotations

from typing import Callable, Iterator

from checker.model import Action, Invariant, Model, State, StepAssertionError


class Counter(Model):
    """x starts at 0; "inc" adds ``steps`` (one action per step size) while
    x < bound (bound None: forever); "dec" is never enabled. x == bound is
    terminal, so the bounded counter has no deadlock."""

    def __init__(self, bound: int | None = 5, steps: tuple[int, ...] = (1,), invariants: list[Invariant] | None = None):
        self.name = "Counter"
        self.action_names = ["inc", "dec"]
        self.bound = bound
        self.steps = steps
        self.invariants = invariants or []

    def initial_states(self) -> list[State]:
        return [(0,)]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        x = state[0]
        for k in self.steps:
            if self.bound is None or x + k <= self.bound:
                yield (0, k), (x + k,)

    def is_terminal(self, state: State) -> bool:
        return state[0] == self.bound


class Graph(Model):
    """An explicit graph: ``edges[n]`` lists (action kind, next node)."""

    def __init__(self, edges: dict[int, list[tuple[int, int]]], init: list[int], terminal: set[int] = frozenset(),
                 action_names: list[str] | None = None, invariants: list[Invariant] | None = None):
        self.name = "Graph"
        self.edges = edges
        self.init = init
        self.terminal = terminal
        self.action_names = action_names or ["go", "stay"]
        self.invariants = invariants or []

    def initial_states(self) -> list[State]:
        return [(n,) for n in self.init]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        for kind, nxt in self.edges.get(state[0], []):
            yield (kind, nxt), (nxt,)

    def is_terminal(self, state: State) -> bool:
        return state[0] in self.terminal


class Asserting(Counter):
    """A bounded counter whose "inc" from x == bad fails assertion NotBad,
    after first yielding a "double" step (so the state is partly expanded)."""

    def __init__(self, bad: int = 2, bound: int = 5):
        super().__init__(bound)
        self.action_names = ["inc", "double"]
        self.assertion_names = ["NotBad"]
        self.bad = bad

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        x = state[0]
        if x == self.bad:
            yield (1,), (2 * x,)
            raise StepAssertionError("NotBad", (0, 1), f"x must not leave {x}", {"x": str(x)})
        if x < self.bound:
            yield (0, 1), (x + 1,)


class Bits(Model):
    """n processes each with a bit; "set(i)" turns bit i on. Symmetric in
    the processes: canonicalize sorts the bits (when ``symmetric``)."""

    def __init__(self, n: int = 2, symmetric: bool = False, invariants: list[Invariant] | None = None):
        self.name = "Bits"
        self.n = n
        self.action_names = ["set"]
        self.invariants = invariants or []
        if symmetric:
            self.canonicalize = lambda s: tuple(sorted(s))

    def initial_states(self) -> list[State]:
        return [(0,) * self.n]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        for i in range(self.n):
            if not state[i]:
                t = list(state)
                t[i] = 1
                yield (0, i), tuple(t)

    def is_terminal(self, state: State) -> bool:
        return all(state)


def inv(name: str, check: Callable[[State], bool]) -> Invariant:
    return Invariant(name, check, lambda s: {"x": str(s[0])})
