"""Step properties (TLA+'s [][A]_vars, `checker.model.StepProperty`):
checked by the search on every step it takes.

A step property is a predicate over a step: the state it leaves and the
state it reaches. As in TLA+, a step that changes nothing (stuttering)
satisfies it, and as TLC does, it is checked on every step of a reachable
state, even one that leads out of the state constraint. A violation is
reported like a failed step assertion (a `StepAssertionError` from
`checked_successors`), except that the step happened: the error carries
the state it reached (``target``), the counterexample ends with that step,
and the step stays a step of the model (it is among the error's
``successors``).
"""

from __future__ import annotations

from typing import Callable, Iterator

from checker.model import Action, Model, State, StepAssertionError, StepProperty, successful_steps


def violations(props: list[StepProperty], state: State, steps: list[tuple[Action, State]],
               wanted: str | None = None) -> list[StepAssertionError]:
    """The first step of ``steps`` that violates each property (only
    ``wanted`` when given), in the order of the properties."""
    out: list[StepAssertionError] = []
    for prop in props:
        if wanted is not None and prop.name != wanted:
            continue
        for action, after in steps:
            if after != state and not prop.check(state, after):
                values = prop.explain(state, after) if prop.explain is not None else {}
                out.append(StepAssertionError(prop.name, action, f"step property {prop.name} is violated",
                                              values, target=after))
                break
    return out


def checked_successors(model: Model) -> Callable[[State], Iterator[tuple[Action, State]]]:
    """``model.successors`` that also checks the model's step properties:
    it raises a `StepAssertionError` naming every property some step of the
    state violates (and the assertions that failed), with every step that
    happened as its ``successors``."""
    props = list(model.step_properties)
    successors = model.successors

    def succ(state: State) -> Iterator[tuple[Action, State]]:
        failed: list[StepAssertionError] = []
        known = True  # whether `steps` are all the steps that did not fail
        try:
            steps = list(successors(state))
        except StepAssertionError as exc:
            failed = exc.failures
            known = exc.successors is not None
            steps = list(exc.successors or [])
        broken = violations(props, state, steps)
        if not failed and not broken:
            return iter(steps)
        errors = failed + broken
        for e in errors:
            e.successors = steps if known else None
            e.also = []
        errors[0].also = errors[1:]
        raise errors[0]

    return succ


def violating_step(model: Model, state: State, prop: str) -> StepAssertionError | None:
    """The first step of ``state`` that violates step property ``prop``, or
    None (to re-find a violation on a concrete state under symmetry)."""
    found = violations(model.step_properties, state, successful_steps(model, state), prop)
    return found[0] if found else None
