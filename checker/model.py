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

from checker.errors import ModelError
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
    #: the indices of the state's slots it reads (None: unknown). A step
    #: that leaves them all equal keeps it true: the search does not
    #: evaluate it again. The predicate must give the
    #: same answer on a state and its canonical form (`Model.canonicalize`).
    reads: tuple[int, ...] | None = None


class Fairness(StrEnum):
    """How a class of steps is forced along a behaviour (TLA+'s WF_vars and
    SF_vars; `Model.fairness_class`, `Model.class_fairness`)."""

    #: never forced (faults, environment steps): TLA+ without WF/SF.
    UNFAIR = "unfair"
    #: weak: a class enabled forever (in every state from some point on) is
    #: taken infinitely often.
    WEAK = "weak"
    #: strong: a class enabled infinitely often (not necessarily forever) is
    #: taken infinitely often.
    STRONG = "strong"


class Temporal(StrEnum):
    """The temporal operators of a `LivenessProperty`, with TLA+'s names."""

    #: <>P: every behaviour reaches a state where p holds.
    EVENTUALLY = "eventually"
    #: P ~> Q: whenever p holds, q holds then or later.
    LEADSTO = "leadsto"
    #: []<>P: p holds again and again (infinitely often).
    ALWAYS_EVENTUALLY = "always eventually"
    #: <>[]P: from some point on p holds forever.
    EVENTUALLY_ALWAYS = "eventually always"


@dataclass(frozen=True)
class LivenessProperty:
    """A temporal property checked on the whole state graph, under the
    fairness of the model's steps (`Model.fairness_class`).

    ``kind`` is a `Temporal` operator: ``p`` is its condition (the left side
    of a leadsto), ``q`` the right side of a leadsto (None otherwise).
    Several entries may share a name (one per binding of the property's
    parameters); the property is violated when any of them is.
    """

    name: str
    kind: Temporal
    p: Callable[[State], bool]
    q: Callable[[State], bool] | None = None
    #: shown with a counterexample, e.g. {"c": "Client[1]"} for a binding.
    binding: dict[str, str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Temporal(self.kind))  # a plain string names one too
        if (self.q is None) != (self.kind is not Temporal.LEADSTO):
            raise ValueError(f"liveness property {self.name}: q is the right side of a leadsto, and only that")


@dataclass(frozen=True)
class StepProperty:
    """A property of every step (TLA+'s [][A]_vars): ``check(s, t)`` must
    hold for every step from a reachable state ``s`` to ``t`` that changes
    the state; a step that changes nothing (stuttering) satisfies it."""

    name: str
    check: Callable[[State, State], bool]
    #: optional: the values that broke it, as {description: shown value}.
    explain: Callable[[State, State], dict[str, str]] | None = None


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
                 successors: list[tuple[Action, State]] | None = None, *, target: State | None = None,
                 also: list[StepAssertionError] | None = None):
        super().__init__(message or prop)
        self.prop = prop
        self.action = action
        self.message = message
        self.values = values or {}
        #: the state's other, successful steps not yet returned (None when
        #: unknown: then the failure cut them from the search).
        self.successors = successors
        #: for a step that happened but violates a `StepProperty`: the state
        #: it led to (None for a failed assertion: that step never happened).
        self.target = target
        #: the other properties failed by steps of the same state.
        self.also = also or []

    @property
    def failures(self) -> list[StepAssertionError]:
        """This failure and every other one of the same state, in order."""
        return [self] + self.also


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


@dataclass(frozen=True)
class ActionKindInfo:
    """One action kind as trace validation sees it (`ValidationView.kinds`).

    ``name`` is what a mapping's ``step`` names ("Server.on RequestVote",
    "Server.election", "loss"); ``role`` the role whose nodes take it (None
    for global steps and message faults); ``message`` the message type a
    ``deliver`` handles; ``params`` the names of an action's parameters.
    """

    name: str
    kind: StepKind
    role: str | None = None
    message: str | None = None
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionParts:
    """What one action did: the acting node, the message it delivered
    (or lost, duplicated, ...) and its parameter values in order."""

    node: Any = None
    message: Any = None
    params: tuple = ()


class ValidationView:
    """What trace validation (`checker.validate`) needs from a model: a
    small, optional extension of `Model` (`Model.validation_view`).

    Conventions: nodes and messages are the values of `checker.values`
    (``model.names`` shows them; a message is a record ``(shape tag, src,
    dst, field...)`` of a message `Shape`), and ``kinds`` is indexed like
    ``model.action_names``. A model implements the required members; the
    optional ones make validation faster (``step_function``) or its
    explanations richer (``expression``, ``explain_guard``).
    """

    #: one entry per action kind, indexed like `Model.action_names`.
    kinds: list[ActionKindInfo] = []
    #: role name -> its nodes, in order.
    roles: dict[str, tuple[str, ...]] = {}
    #: whether delivering a message takes it out of the network (False for
    #: a network where messages persist, TLA+'s ``msgs``).
    delivery_consumes: bool = True

    def role_of(self, node: Any) -> str | None:
        """The role of a node value."""
        return next((r for r, ns in self.roles.items() if node in ns), None)

    def action_parts(self, action: Action) -> ActionParts:
        """Decode one of the model's actions."""
        raise NotImplementedError

    def in_flight(self, state: State) -> tuple:
        """The messages in flight in ``state`` (a message sent twice and not
        yet received appears twice)."""
        raise NotImplementedError

    def variable(self, name: str, role: str | None) -> Callable[[State, Any], Any] | None:
        """A named view of the state: ``fn(state, node)`` reading variable
        ``name`` of ``node`` (a node of ``role``), or the global variable
        ``name`` when ``role`` is None or has no such variable; None when
        there is no such variable."""
        raise NotImplementedError

    # -- optional ------------------------------------------------------------
    def expression(self, text: str, role: str | None, params: tuple[str, ...] = ()) -> Callable[..., Any]:
        """An expression of the model's language evaluated as a node of
        ``role``, with ``params`` as further names: ``fn(state, node,
        *params)``. Raises `ValueError` (its message says why) when the
        model has no expression language or the text is not valid."""
        raise ValueError("this model reads only variables (it has no expression language)")

    def step_function(self, kind: int) -> Callable[..., Any] | None:
        """Fast path: a function running one step of kind ``kind`` alone,
        ``fn(state, node, message, network without it)`` for a deliver,
        ``fn(state, node)`` -> [(params, next state)] for an action, or
        None: validation then filters `Model.successors` (always exact)."""
        return None

    def deliverable(self, state: State) -> Iterator[tuple[Any, Any]]:
        """With `step_function`: (message, the network without it) for each
        message that can be delivered now."""
        raise NotImplementedError

    def explain_guard(self, kind: int, action: Action, state: State, message: Any) -> str | None:
        """Why a step of kind ``kind`` is not enabled (its false guard
        conjunct), or None when the model cannot say."""
        return None


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
    #: how another process rebuilds this model: a picklable object with a
    #: ``build() -> Model`` method (`checker.loader.ModelRecipe`, attached
    #: by `checker.loader.load_model`). None: the model cannot be explored
    #: by several workers.
    recipe: Any = None
    #: properties of steps, checked on every step the search takes
    #: (`checker.explore.stepprops`).
    step_properties: list[StepProperty] = []
    #: states are built only from tuples, ints, strings, bools and None, so
    #: a large BFS frontier may be held as their compact encoding
    #: (`checker.explore.fingerprint.unpack_state` gives them back equal).
    plain_states: bool = False

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

    def describe_error(self, exc: ModelError) -> ModelError:
        """A `ModelError` raised while evaluating the model (its steps,
        invariants, properties), as the user should read it: a compiled spec
        adds the place in the spec and shows the values as the spec writes
        them. The engine calls it on the rare path that turns the error into
        an "evaluation error" verdict."""
        return exc

    def fairness_class(self, action: Action) -> Any:
        """The fairness class of a step (any hashable value), or None for a
        step that is never forced (a fault, an unfair step). A class is
        enabled in a state with a step of it that changes the state, and
        taken by such a step. Default: each distinct action is its own
        class."""
        return action

    def class_fairness(self, cls: Any) -> Fairness:
        """How a class returned by `fairness_class` is forced: `Fairness.WEAK`
        (the default) or `Fairness.STRONG`."""
        return Fairness.WEAK

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

    def validation_view(self) -> ValidationView | None:
        """What trace validation needs (`ValidationView`); None: this model
        cannot be validated against logs."""
        return None

    def properties(self) -> list[str]:
        """Every property the engine decides a verdict for."""
        props = [inv.name for inv in self.invariants] + list(self.assertion_names)
        if self.check_deadlock:
            props.append("deadlock")
        for lp in self.liveness:
            if lp.name not in props:
                props.append(lp.name)
        for sp in self.step_properties:
            if sp.name not in props:
                props.append(sp.name)
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
