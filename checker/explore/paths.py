"""From the seen set's parent links to a concrete, replayed `Trace`.

The search stores, for each canonical state (symmetry representative), the
key of the canonical state it was first reached from; a key is the state's
64-bit fingerprint, or the state itself with exact states. A counterexample
is rebuilt after the search, off the hot path: follow the parent links back
to an initial state, then re-execute the model forward, choosing at each
step the first successor (in the model's deterministic order) whose
canonical form has the next key. That yields a real behaviour even when
symmetry merged permuted states; it is replayed through the model before
the `Trace` is built.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

from checker.errors import ModelError
from checker.explore.evaluation import ERROR_KIND, failure_at
from checker.explore.fingerprint import fingerprint
from checker.explore.snapshot import AssertionRecord
from checker.explore.stepprops import checked_successors, violating_step
from checker.model import Action, Model, State, StepAssertionError, successful_steps
from checker.trace import RawPath, ReplayError, Trace, Violation, build_trace, replay_path

Key = Hashable
ParentOf = Callable[[Key], Key | None]


def key_function(exact: bool) -> Callable[[State], Key]:
    """How the search keys a canonical state: itself, or its fingerprint."""
    return (lambda s: s) if exact else fingerprint


def canonical_path(parent_of: ParentOf | dict[Key, Key | None], last: Key) -> list[Key]:
    """The chain of keys from an initial state to ``last``."""
    lookup = parent_of.__getitem__ if isinstance(parent_of, dict) else parent_of
    chain = [last]
    parent = lookup(last)
    while parent is not None:
        chain.append(parent)
        parent = lookup(parent)
    chain.reverse()
    return chain


def concrete_path(model: Model, chain: list[Key], key_of: Callable[[State], Key] = lambda s: s,
                  ) -> list[tuple[Action | None, State]]:
    """A behaviour of the model whose canonical states have the keys of ``chain``."""
    canon = model.canonicalize
    constraint = model.constraint

    def matches(state: State, want: Key) -> bool:
        if constraint is not None and not constraint(state):
            return False
        return key_of(canon(state) if canon is not None else state) == want

    for first in model.initial_states():
        if matches(first, chain[0]):
            break
    else:
        raise ReplayError("no initial state matches the start of the counterexample")
    path: list[tuple[Action | None, State]] = [(None, first)]
    for i, want in enumerate(chain[1:], 1):
        before = path[-1][1]
        try:
            for action, after in successful_steps(model, before):
                if matches(after, want):
                    path.append((action, after))
                    break
            else:
                raise ReplayError(f"step {i} of the counterexample cannot be re-found in the model")
        except StepAssertionError as exc:
            raise ReplayError(f"step {i} of the counterexample is hidden behind a failing assertion "
                              f"({exc.prop})") from exc
    return path


def make_trace(
    model: Model,
    parents: ParentOf | dict[Key, Key | None],
    prop: str,
    kind: str,
    last: Key,
    exc: StepAssertionError | AssertionRecord | None = None,
    options: dict[str, Any] | None = None,
    key_of: Callable[[State], Key] = lambda s: s,
) -> Trace:
    """The replayed counterexample for a violation found at the canonical
    state whose key is ``last`` (``key_of`` keys a canonical state).

    kind: "invariant" (``last`` breaks it), "deadlock" (``last`` has no step),
    "error" (expanding ``last`` raised the evaluation error ``exc``),
    "assertion" (a step of ``last`` raised ``exc``) or "step" (a step of
    ``last`` violates step property ``prop``: the trace ends with it).
    """
    path: RawPath = concrete_path(model, canonical_path(parents, last), key_of)
    replay_path(model, path)
    if kind == ERROR_KIND and isinstance(exc, AssertionRecord) and exc.target is not None:
        # under symmetry the concrete state's failing step differs
        replayed = failure_at(model, path[-1][1], checked_successors(model) if model.step_properties
                              else model.successors, ModelError(exc.message))
        exc = replayed if replayed.target is not None else exc
    elif kind in ("assertion", "step"):
        assert exc is not None
        final = path[-1][1]
        again = _assertion_of(model, final, prop) if kind == "assertion" else violating_step(model, final, prop)
        exc = exc if again is None else again  # under symmetry the concrete state's step differs
    return trace_of(model, path, prop, kind, exc, options)


def trace_of(model: Model, path: RawPath, prop: str, kind: str, failure: StepAssertionError | AssertionRecord | None,
             options: dict[str, Any] | None = None) -> Trace:
    """The `Trace` of a behaviour that violates ``prop`` at its last state:
    kind "invariant", "deadlock", "assertion" (``failure`` is the step
    tried from it) or "step" (``failure`` is the step taken from it, which
    the trace ends with)."""
    final = path[-1][1]
    failing: Action | None = None
    if kind in ("invariant", "deadlock"):
        violation = state_violation(model, prop, kind, final)
    elif kind == "step":
        assert failure is not None and failure.target is not None
        path = list(path) + [(failure.action, failure.target)]
        replay_path(model, path)
        violation = Violation(prop, "step", failure.message or f"step property {prop} is violated",
                              dict(failure.values))
    elif kind == ERROR_KIND:
        assert failure is not None
        if failure.target is not None and failure.action is not None:
            path = list(path) + [(failure.action, failure.target)]
            replay_path(model, path)
        violation = Violation(prop, ERROR_KIND, failure.message)
    else:
        assert failure is not None
        failing = failure.action
        violation = Violation(prop, "assertion", failure.message or f"assertion {prop} failed", dict(failure.values))
    return build_trace(model, path, violation, failing_action=failing, options=options)


def state_violation(model: Model, prop: str, kind: str, state: State) -> Violation:
    """The `Violation` of invariant ``prop`` (kind "invariant", with the
    values that broke it) or of deadlock (kind "deadlock") at ``state``."""
    if kind == "deadlock":
        return Violation(prop, "deadlock", "no step is enabled and the state is not terminal")
    inv = next(i for i in model.invariants if i.name == prop)
    values = inv.explain(state) if inv.explain is not None else {}
    return Violation(prop, "invariant", f"invariant {prop} is violated", dict(values))


def _assertion_of(model: Model, state: State, prop: str) -> StepAssertionError | None:
    try:
        for _ in model.successors(state):
            pass
    except StepAssertionError as exc:
        return next((e for e in exc.failures if e.prop == prop), None)
    return None
