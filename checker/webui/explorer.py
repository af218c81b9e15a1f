"""The model side of the explorer: paths of step choices, and traces.

A *path* is what the page holds and sends back: a list of small integers,
the index of an initial state, then, per step, the index of the step taken
among the enabled steps of the state before it (in the model's
deterministic order, `Model.successors`). The server keeps no per-page
state: it replays a path from the initial state on every request, so a
page can be reloaded, bookmarked or opened twice. Successors are cached,
so replaying a path the page just extended costs one new expansion.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

from checker.errors import CheckerError, ModelError, TraceFileError
from checker.explore.paths import state_violation
from checker.model import Action, Model, State, StepAssertionError
from checker.options import LoadOptions
from checker.trace import RawPath, ReplayError, Trace, Violation, build_trace, no_violation, replay_trace

#: the longest path a request may name (a hand-walked path is far shorter;
#: this only bounds the work one request can cause).
MAX_PATH = 10_000


class PathError(CheckerError):
    """A path that is not a behaviour of the model (a stale or edited URL)."""


@dataclass(frozen=True)
class Steps:
    """The enabled steps of one state.

    ``ok`` are the steps that succeed, in the model's order (a path indexes
    this list); ``failure`` is a step that fails an assertion; ``error`` is
    a run-time error of the model while computing the steps.
    """

    ok: tuple[tuple[Action, State], ...]
    failure: StepAssertionError | None = None
    error: str | None = None
    #: the failure hid the state's remaining steps (the model did not list them)
    cut: bool = False


class Explorer:
    """One model, walked by hand."""

    def __init__(self, model: Model, spec: str, load: LoadOptions | None = None):
        """``load``: the options the model was loaded with (an exported
        trace records its constants and fault bounds)."""
        self.model = model
        self.spec = spec
        self.load = load or LoadOptions()
        self.initial: list[State] = list(model.initial_states())
        # States are hashable tuples; a few thousand recent expansions.
        self.steps = functools.lru_cache(maxsize=4096)(self._steps)

    def _steps(self, state: State) -> Steps:
        found: list[tuple[Action, State]] = []
        try:
            for step in self.model.successors(state):
                found.append(step)
            return Steps(tuple(found))
        except StepAssertionError as exc:
            # The model may say which other steps succeed; else those
            # yielded before the failure are all that is known.
            return Steps(tuple(exc.successors if exc.successors is not None else found), failure=exc,
                         cut=exc.successors is None)
        except ModelError as exc:
            return Steps((), error=self.model.describe_error(exc).located())

    # -- paths ---------------------------------------------------------------
    def resolve(self, path: Sequence[int]) -> RawPath:
        """The raw path (None, initial state), (action, state), ... a path names."""
        if len(path) > MAX_PATH + 1:
            raise PathError(f"a path of {len(path) - 1} steps is longer than the {MAX_PATH} the explorer follows")
        if not path:
            return []
        if not 0 <= path[0] < len(self.initial):
            raise PathError(f"there is no initial state {path[0]} (the model has {len(self.initial)})")
        raw: list[tuple[Action | None, State]] = [(None, self.initial[path[0]])]
        for depth, k in enumerate(path[1:], 1):
            steps = self.steps(raw[-1][1])
            if not 0 <= k < len(steps.ok):
                raise PathError(f"step {depth}: the state before it has {len(steps.ok)} enabled steps, not a step {k}")
            raw.append(steps.ok[k])
        return raw

    def indices(self, raw: RawPath) -> list[int]:
        """The path of a raw path (the inverse of `resolve`)."""
        path = [self.initial.index(raw[0][1])]
        for (_, before), step in zip(raw, raw[1:]):
            path.append(self.steps(before).ok.index(step))
        return path

    # -- verdicts ------------------------------------------------------------
    def broken(self, state: State) -> list[tuple[str, dict[str, str] | str]]:
        """The invariants ``state`` breaks, each with the values that broke it
        (or the text of the run-time error that evaluating it raised)."""
        out: list[tuple[str, dict[str, str] | str]] = []
        for inv in self.model.invariants:
            try:
                if not inv.check(state):
                    out.append((inv.name, state_violation(self.model, inv.name, "invariant", state).values))
            except ModelError as exc:
                out.append((inv.name, self.model.describe_error(exc).located()))
        return out

    def is_deadlock(self, state: State) -> bool:
        steps = self.steps(state)
        if steps.ok or steps.failure is not None or steps.error is not None or not self.model.check_deadlock:
            return False
        return not self.model.is_terminal(state)

    def violation_at(self, state: State) -> Violation:
        """What a trace ending in ``state`` violates: its first broken
        invariant, else deadlock, else nothing (`checker.trace.NO_VIOLATION`)."""
        for name, values in self.broken(state):
            if isinstance(values, dict):
                return state_violation(self.model, name, "invariant", state)
        if self.is_deadlock(state):
            return state_violation(self.model, "deadlock", "deadlock", state)
        return no_violation()

    # -- traces ----------------------------------------------------------------
    def trace(self, path: Sequence[int]) -> Trace:
        """The path as a trace (what the chart draws and the export saves)."""
        return self.trace_of(self.resolve(path))

    def trace_of(self, raw: RawPath) -> Trace:
        """A raw path (from `resolve`) as a trace."""
        if not raw:
            raise PathError("the path is empty: choose an initial state first")
        options: dict[str, Any] = {"source": "checker explore"}
        options.update({f"const {k}": v for k, v in self.load.consts.items()})
        options.update({f"faults {k}": v for k, v in self.load.faults.items()})
        return build_trace(self.model, raw, self.violation_at(raw[-1][1]), options=options)

    def open_trace(self, trace: Trace, origin: str) -> list[int]:
        """The path of a saved trace, replayed through this model."""
        if not trace.steps:
            raise TraceFileError(f"{origin}: the trace has no steps")
        try:
            raw = replay_trace(self.model, trace)
        except ReplayError as exc:
            if trace.spec != self.model.name:
                hint = f" (it was written for spec {trace.spec}, this is {self.model.name})"
            else:
                hint = " (were other --const or --faults values used?)"
            raise TraceFileError(f"{origin}: the trace is not a behaviour of this model: {exc}{hint}") from None
        except ModelError as exc:
            failure = self.model.describe_error(exc).located()
            raise TraceFileError(f"{origin}: replaying the trace failed: {failure}") from None
        return self.indices(raw)
