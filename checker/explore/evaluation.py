"""Evaluation errors become a verdict.

A `checker.errors.ModelError` raised while the model is evaluated (its
initial states, its steps, an invariant, the constraint, a property) ends
the search with the verdict "evaluation error", as TLC ends on an error:
the message names the place (the model describes it,
`checker.model.Model.describe_error`) and the trace is the shortest path
the search found to the state being expanded, plus the step whose next
state failed to evaluate when there is one.

The search catches the error around a whole expansion (nothing per
expression or per step is added to the hot loops); this rare path then
re-expands the state to find which step, constraint or invariant raised it.
"""

from __future__ import annotations

from typing import Callable, Iterable

from checker.errors import ModelError
from checker.explore.snapshot import AssertionRecord
from checker.model import Action, Model, State, StepAssertionError

#: the pseudo-property an evaluation error violates (as "deadlock" is one)
EVAL_ERROR = "evaluation error"
#: the `checker.snapshot.Found` and `checker.trace.Violation` kind
ERROR_KIND = "error"

Successors = Callable[[State], Iterable[tuple[Action, State]]]


def failure_at(model: Model, state: State, successors: Successors, exc: ModelError) -> AssertionRecord:
    """The evaluation error raised while expanding ``state``: the step that
    reached the state that failed (an invariant or the constraint on it), or
    no step when computing the steps themselves failed. ``exc``: the error the
    search caught, used when the re-expansion does not raise it again."""
    found = _replay(model, state, successors)
    action, target, error = found if found is not None else (None, None, exc)
    return AssertionRecord(EVAL_ERROR, action, model.describe_error(error).located(), {}, target)


def error_record(model: Model, exc: ModelError) -> AssertionRecord:
    """An evaluation error at a state itself (an initial state's
    invariants), or before any state exists (the initial states)."""
    return AssertionRecord(EVAL_ERROR, None, model.describe_error(exc).located(), {})


def _replay(model: Model, state: State, successors: Successors,
            ) -> tuple[Action | None, State | None, ModelError] | None:
    try:
        for inv in model.invariants:  # the state itself (an initial state, a simulated step)
            inv.check(state)
        try:
            steps = list(successors(state))
        except StepAssertionError as failed:
            steps = list(failed.successors or [])
        if not steps:
            model.is_terminal(state)
    except ModelError as error:
        return None, None, error
    for action, target in steps:
        try:
            if model.constraint is not None and not model.constraint(target):
                continue
            canonical = model.canonicalize(target) if model.canonicalize is not None else target
            for inv in model.invariants:
                inv.check(canonical)
        except ModelError as error:
            return action, target, error
    return None
