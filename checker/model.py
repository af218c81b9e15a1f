"""The thin interface the exploration engine sees.

The engine (`checker.explore`) knows nothing about the DSL, roles or
networks: it sees initial states, the enabled steps of a state in a
deterministic order, properties, and a few optional hooks. Both the DSL
compiler and the hand-written models in `models/` produce a `Model`.

States are plain hashable tuples (see `checker.values`). An *action* is a
small picklable tuple whose first element indexes `Model.action_names`
(that index is what action coverage counts); the rest is model-specific
(the node, the message, parameters) and is only interpreted by the model's
own formatting hooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Iterable, Iterator

from checker.values import Names

State = tuple
Action = tuple


class Verdict(StrEnum):
    """What the checker decides about one property."""

    HOLDS = "holds"
    VIOLATED = "violated"
    #: the search was cut by a bound before deciding it.
    UNKNOWN = "unknown"


class StepKind(StrEnum):
    """What one step of a behaviour is (`StepInfo.kind`, a trace step's
    kind): the protocol's own steps, then the faults of the network and of
    nodes (`checker.faults`)."""

    INIT = "init"
    DELIVER = "deliver"
    ACTION = "action"
    TIMER = "timer"
    GLOBAL = "global"
    LOSS = "loss"
    DUPLICATE = "duplicate"
    CORRUPT = "corrupt"
    REORDER = "reorder"
    CRASH = "crash"
    RESTART = "restart"
    PARTITION = "partition"
    HEAL = "heal"

    @property
    def is_fault(self) -> bool:
        return self not in _PROTOCOL_STEPS


_PROTOCOL_STEPS = frozenset({StepKind.INIT, StepKind.DELIVER, StepKind.ACTION, StepKind.TIMER, StepKind.GLOBAL})


@dataclass(frozen=True)
class Invariant:
    """A state predicate that must hold in every reachable state."""

    name: str
    check: Callable[[State], bool]
    # Optional: the values that broke it, as {description: shown value}.
    explain: Callable[[State], dict[str, str]] | None = None


@dataclass(frozen=True)
class LivenessProperty:
    """A temporal property checked on the whole state graph, under weak
    fairness (see `Model.fairness_class`).

    kind "eventually": every behaviour reaches a state where ``p`` holds.
    kind "leadsto": whenever ``p`` holds, ``q`` holds then or later. Several
    entries may share a name (one per binding of the property's
    parameters); the property is violated when any of them is.
    """

    name: str
    kind: str
    p: Callable[[State], bool]
    q: Callable[[State], bool] | None = None
    #: shown with a counterexample, e.g. {"c": "Client[1]"} for a binding.
    binding: dict[str, str] | None = None


@dataclass(frozen=True)
class Expectation:
    """An `expect` line: the verdict CI must see for one property.

    ``verdict`` is HOLDS or VIOLATED; ``prop`` names an invariant, an
    assertion, a liveness property, or "deadlock".
    """

    prop: str
    verdict: Verdict
    where: str = ""  # file:line:col of the expect line, for messages


class StepAssertionError(Exception):
    """Raised by `Model.successors` when an `assert` inside a step fails.

    The engine reports it as a violation of property ``prop`` whose trace is
    the path to the current state followed by ``action``.
    """

    def __init__(self, prop: str, action: Action, message: str = "", values: dict[str, str] | None = None,
                 successors: list[tuple[Action, State]] | None = None):
        super().__init__(message or prop)
        self.prop = prop
        self.action = action
        self.message = message
        self.values = values or {}
        #: the state's other, successful steps not yet returned (None when
        #: unknown: then the failure cut them from the search).
        self.successors = successors


@dataclass(frozen=True)
class StepInfo:
    """What one step did, for traces and sequence charts.

    ``actor`` is the node that acted (display name) or None;
    ``message`` is the delivered/lost/duplicated message as
    {"src", "dst", "text"} and ``sends`` the messages this step sent.
    """

    kind: StepKind
    label: str
    actor: str | None = None
    message: dict[str, Any] | None = None
    sends: tuple[dict[str, Any], ...] = ()


class Model:
    """Base class with defaults for the optional hooks.

    Subclasses must set `name`, `action_names` and `invariants`, and
    implement `initial_states` and `successors`.
    """

    name: str = "model"
    #: names of every action kind, indexed by ``action[0]``; coverage
    #: reports how often each fired and flags those that never did.
    action_names: list[str] = []
    invariants: list[Invariant] = []
    #: the names of step assertions (``assert`` inside handlers).
    assertion_names: list[str] = []
    expectations: list[Expectation] = []
    #: report states without enabled steps (unless `is_terminal`).
    check_deadlock: bool = True
    #: display tables for values; None when states hold plain Python data.
    names: Names | None = None
    #: the depth bound the spec itself declares (``max_depth``), if any.
    max_depth: int | None = None
    #: liveness properties; the engine builds the state graph only when
    #: there are some (`checker.explore.liveness`).
    liveness: list[LivenessProperty] = []

    def initial_states(self) -> Iterable[State]:
        raise NotImplementedError

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        """Every enabled step of ``state`` as (action, next state), in a
        deterministic order. A step that leaves the state unchanged is still
        a step (so a state with only such steps is not a deadlock)."""
        raise NotImplementedError

    # -- optional hooks -------------------------------------------------
    #: state constraint (TLC's CONSTRAINT): states outside it are neither
    #: counted nor explored. None means no constraint.
    constraint: Callable[[State], bool] | None = None
    #: symmetry reduction: maps a state to its canonical representative.
    canonicalize: Callable[[State], State] | None = None
    #: the roles whose nodes `canonicalize` treats as interchangeable (shown
    #: in the summary: counts are then of orbits).
    symmetric_roles: tuple[str, ...] = ()

    def is_terminal(self, state: State) -> bool:
        """True when a state without enabled steps is legitimate termination."""
        return False

    def fairness_class(self, action: Action) -> Any:
        """The weak-fairness class of a step, or None for a step that is
        never forced (a fault). A behaviour is fair when no class stays
        enabled forever without being taken. Default: each distinct action
        is its own class."""
        return action

    def format_action(self, action: Action) -> str:
        return f"{self.action_names[action[0]]}{tuple(action[1:])!r}"

    def step_info(self, action: Action, before: State, after: State) -> StepInfo:
        return StepInfo(kind=StepKind.ACTION, label=self.format_action(action))

    def initial_sends(self, state: State) -> tuple[dict[str, Any], ...]:
        """Messages already in flight in an initial state (sent by init
        blocks), as StepInfo.sends entries; drawn as step 0's sends."""
        return ()

    def state_view(self, state: State) -> dict[str, Any]:
        """The state as named variables ("Server[0].t_max" -> value) in a
        stable order; values are model values (see `show_value`)."""
        return {f"v{i}": v for i, v in enumerate(state)}

    def show_value(self, value: Any) -> str:
        return self.names.show(value) if self.names else repr(value)

    def value_to_json(self, value: Any) -> Any:
        if self.names:
            return self.names.to_json(value)
        return _plain_json(value)

    def nodes(self) -> list[str]:
        """Display names of the nodes (lifelines of a sequence chart)."""
        return list(self.names.nodes) if self.names else []

    def properties(self) -> list[str]:
        """Every property the engine decides a verdict for."""
        props = [inv.name for inv in self.invariants] + list(self.assertion_names)
        if self.check_deadlock:
            props.append("deadlock")
        for lp in self.liveness:
            if lp.name not in props:
                props.append(lp.name)
        return props


def _plain_json(value: Any) -> Any:
    if isinstance(value, (frozenset, set)):
        return {"#set": sorted((_plain_json(v) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"#map": [[_plain_json(k), _plain_json(v)] for k, v in sorted(value.items(), key=repr)]}
    if isinstance(value, tuple):
        return [_plain_json(v) for v in value]
    return value



def successful_steps(model: Model, state: State) -> list[tuple[Action, State]]:
    """The steps of ``state`` that do not fail an assertion (for replaying a
    trace through states where some other step fails one)."""
    try:
        return list(model.successors(state))
    except StepAssertionError as exc:
        if exc.successors is None:
            raise
        return list(exc.successors)
