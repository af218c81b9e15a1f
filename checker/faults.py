"""The faults a spec can allow: one class per kind, owning the networks it
applies to, the steps it adds to a state, how such a step is described,
shown in a trace and drawn in a sequence chart, and its fairness (none: a
fault is never forced).

Every fault is an ordinary, bounded step of the model: its counter is part
of the state, so it counts in the shortest trace. The resolver
(`checker.dsl.faults`) reads a spec's ``faults { ... }`` block against
these classes; the compiler builds one `Fault` object per bound, binds it
to the state layout and the generated functions it needs (`FaultSlots`),
and the generated ``successors`` asks each for its steps.

Semantics:

- **loss** removes an in-flight message; **duplicate** adds a copy.
- **corrupt** changes one field of an in-flight message to another value
  of the field's declared domain (``message M(f in D)``), or garbles a
  ``checksum(...)`` value; a receiver can tell only by recomputing it.
- **reorder** (fifo): a message overtakes the one before it in its queue.
- **crash**: the node handles no message and fires no action or timer; its
  volatile variables go back to their initial values, ``persistent`` ones
  keep theirs; messages addressed to it are discarded, now and while it is
  down (a ``set`` network keeps them: its messages persist).
- **restart**: a crashed node comes back and runs its ``on restart`` block.
- **partition**: the nodes split into two sides; messages across the cut
  wait for the **heal** (``hold``) or are lost (``drop``: those in flight
  and those sent while it lasts). Neither is ever forced.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, Callable, ClassVar, Iterator, Sequence

from checker.model import Action, State, StepInfo, StepKind
from checker.network import Network, NetworkKind
from checker.values import NONE, SET, Names, Shape, canonical, make_set, shape_tag

#: a step a fault adds: (action, next state)
Step = tuple[Action, State]


class FaultKind(StrEnum):
    """The kinds of fault a spec can bound (``faults { loss <= 1, ... }``)."""

    LOSS = "loss"
    DUPLICATE = "duplicate"
    CORRUPT = "corrupt"
    REORDER = "reorder"
    CRASH = "crash"
    RESTART = "restart"
    PARTITION = "partition"


class ChartEffect(StrEnum):
    """What a fault step does to a message-sequence chart."""

    MESSAGE_LOST = "message lost"
    MESSAGE_COPIED = "message duplicated"
    MESSAGE_CORRUPTED = "message corrupted"
    MESSAGES_REORDERED = "messages reordered"
    NODE_DOWN = "node crashed"
    NODE_UP = "node restarted"
    CUT = "network partitioned"
    HEALED = "partition healed"


class PartitionMode(StrEnum):
    HOLD = "hold"  # messages across the cut wait for the heal
    DROP = "drop"  # they are lost


@dataclass(frozen=True)
class FaultStep:
    """One kind of step a fault adds: how a trace names it and a chart draws it."""

    kind: StepKind
    effect: ChartEffect


@dataclass(frozen=True)
class FaultContext:
    """What a fault may need of the spec besides its slots: the roles its
    bound names (each with its nodes; every role when it names none), all
    nodes, the display tables, the corruption domains (message shape tag ->
    (field index, values) per field with a declared domain) and the
    partition mode."""

    roles: dict[str, Sequence[str]]
    nodes: tuple[str, ...]
    names: Names
    domains: dict[str, tuple[tuple[int, tuple], ...]]
    partition_mode: PartitionMode


@dataclass
class FaultSlots:
    """Where a compiled model keeps fault state, and the generated
    functions a fault step calls. Filled by the compiler."""

    net: int
    network: Network
    counter: int = -1
    bound: int = 0
    crashed: int | None = None  # the set of crashed nodes
    partition: int | None = None  # NONE, or the side of the cut holding the first node
    #: role name -> reset(state list, node): volatile variables to their initial values
    resets: dict[str, Callable[[list, str], Any]] = field(default_factory=dict)
    #: role name -> the generated ``on restart`` step: (state, node) -> [(params, next state)]
    #: (a failed assertion in it names the restart step)
    restarts: dict[str, Callable[[State, str], list]] = field(default_factory=dict)


class Fault(ABC):
    """One bounded fault of a spec (e.g. ``crash Server <= 1``)."""

    kind: ClassVar[FaultKind]
    #: the networks it applies to.
    networks: ClassVar[frozenset[NetworkKind]] = frozenset(NetworkKind)
    #: whether its bound may name a role (``crash Server <= 1``).
    per_role: ClassVar[bool] = False
    #: the kinds of step it adds, in action-table order.
    steps: ClassVar[tuple[FaultStep, ...]]
    #: whether its steps call the generated reset of the roles it strikes
    #: (`FaultSlots.resets`) or their ``on restart`` steps (`FaultSlots.restarts`).
    needs_resets: ClassVar[bool] = False
    needs_restarts: ClassVar[bool] = False

    def __init__(self, slots: FaultSlots, actions: Sequence[int]):
        self.slots = slots
        #: this fault's indices in the model's action table (one per `steps`).
        self.actions = tuple(actions)

    @classmethod
    def build(cls, slots: FaultSlots, actions: Sequence[int], ctx: FaultContext) -> Fault:
        """The fault object of one bound of a spec."""
        return cls(slots, actions)

    @classmethod
    def why_not(cls, network: NetworkKind) -> str | None:
        """Why the fault does not apply to ``network`` (None: it does)."""
        if network in cls.networks:
            return None
        return (f"fault '{cls.kind}' does not apply to a '{network}' network "
                "(messages in a set network persist and may be received any number of times)")

    @abstractmethod
    def successors(self, s: State) -> Iterator[Step]:
        """The steps of this fault enabled in ``s``, in a fixed order."""

    def _counted(self, s: State) -> list:
        """A copy of ``s`` with this fault's counter one higher."""
        t = list(s)
        t[self.slots.counter] = s[self.slots.counter] + 1
        return t

    def _budget(self, s: State) -> bool:
        return s[self.slots.counter] < self.slots.bound

    @abstractmethod
    def describe(self, action: Action, view: StepView) -> str:
        """The step as a trace shows it (``loss: A -> B M(x=1)``)."""

    @abstractmethod
    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        """What the step did, for traces and charts."""

    def fairness_class(self, action: Action) -> Any:
        """A fault is never forced: its steps belong to no fairness class."""
        return None

    def step_kind(self, action: Action) -> StepKind:
        return self.steps[self.actions.index(action[0])].kind


class StepView:
    """How a model shows nodes and messages (the fault classes' view of
    `checker.model.Model`'s display hooks)."""

    def __init__(self, names: Names, node_name: Callable[[Any], str], message: Callable[[tuple], dict[str, Any]]):
        self.names = names
        self.node_name = node_name
        self.message = message


# ---- message faults ---------------------------------------------------------

class _MessageFault(Fault):
    networks = frozenset({NetworkKind.FIFO, NetworkKind.UNORDERED})

    def _net_steps(self, s: State, pairs: Iterator[tuple[Any, Any]]) -> Iterator[Step]:
        net = self.slots.net
        for m, rest in pairs:
            t = self._counted(s)
            t[net] = rest
            yield (self.actions[0], m), tuple(t)

    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        return StepInfo(self.steps[0].kind, label, None, view.message(action[1]), ())


class Loss(_MessageFault):
    kind = FaultKind.LOSS
    steps = (FaultStep(StepKind.LOSS, ChartEffect.MESSAGE_LOST),)

    def successors(self, s: State) -> Iterator[Step]:
        if self._budget(s):
            yield from self._net_steps(s, self.slots.network.losses(s[self.slots.net]))

    def describe(self, action: Action, view: StepView) -> str:
        return f"loss: {view.names.show_message(action[1])}"


class Duplicate(_MessageFault):
    kind = FaultKind.DUPLICATE
    steps = (FaultStep(StepKind.DUPLICATE, ChartEffect.MESSAGE_COPIED),)

    def successors(self, s: State) -> Iterator[Step]:
        if self._budget(s):
            yield from self._net_steps(s, self.slots.network.duplications(s[self.slots.net]))

    def describe(self, action: Action, view: StepView) -> str:
        return f"duplicate: {view.names.show_message(action[1])}"


def crc_shape(names: Names) -> int:
    """The shape number of a ``checksum(...)`` value: a record whose one
    field is the tuple of its arguments, or ``()`` once garbled (it sorts
    with the others); shown as ``crc(...)``."""
    return names.shape(Shape("crc", ("of",)))


class Corrupt(_MessageFault):
    kind = FaultKind.CORRUPT
    steps = (FaultStep(StepKind.CORRUPT, ChartEffect.MESSAGE_CORRUPTED),)

    def __init__(self, slots: FaultSlots, actions: Sequence[int], names: Names,
                 domains: dict[str, tuple[tuple[int, tuple], ...]]):
        """``domains``: message shape -> (field index, the values it may
        take) for each field with a declared domain."""
        super().__init__(slots, actions)
        self.domains = domains
        self.crc = shape_tag(crc_shape(names))
        self.garbled = (self.crc, ())

    @classmethod
    def build(cls, slots: FaultSlots, actions: Sequence[int], ctx: FaultContext) -> Fault:
        return cls(slots, actions, ctx.names, ctx.domains)

    def corruptions(self, m: tuple) -> Iterator[tuple]:
        """Every message ``m`` can be corrupted into, in a fixed order."""
        for k, dom in self.domains.get(m[0], ()):
            for v in dom:
                if v != m[k]:
                    yield m[:k] + (v,) + m[k + 1:]
        for k in range(3, len(m)):
            v = m[k]
            if type(v) is tuple and v[:1] == (self.crc,) and v != self.garbled:
                yield m[:k] + (self.garbled,) + m[k + 1:]

    def successors(self, s: State) -> Iterator[Step]:
        if not self._budget(s):
            return
        net = self.slots.net
        for m, put in self.slots.network.replacements(s[net]):
            for m2 in self.corruptions(m):
                t = self._counted(s)
                t[net] = put(m2)
                yield (self.actions[0], m, m2), tuple(t)

    def describe(self, action: Action, view: StepView) -> str:
        return f"corrupt: {view.names.show_message(action[1])} becomes {view.names.show_payload(action[2])}"

    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        return StepInfo(StepKind.CORRUPT, label, None, view.message(action[1]), (view.message(action[2]),))


class Reorder(_MessageFault):
    kind = FaultKind.REORDER
    networks = frozenset({NetworkKind.FIFO})
    steps = (FaultStep(StepKind.REORDER, ChartEffect.MESSAGES_REORDERED),)

    @classmethod
    def why_not(cls, network: NetworkKind) -> str | None:
        if network is NetworkKind.UNORDERED:
            return "fault 'reorder' does not apply to an 'unordered' network: it delivers messages in any order already"
        return super().why_not(network)

    def successors(self, s: State) -> Iterator[Step]:
        if not self._budget(s):
            return
        net = self.slots.net
        for m, over, rest in self.slots.network.overtakings(s[net]):
            t = self._counted(s)
            t[net] = rest
            yield (self.actions[0], m, over), tuple(t)

    def describe(self, action: Action, view: StepView) -> str:
        return f"reorder: {view.names.show_message(action[1])} overtakes {view.names.show_payload(action[2])}"


# ---- node faults ------------------------------------------------------------

class _NodeFault(Fault):
    per_role = True

    def __init__(self, slots: FaultSlots, actions: Sequence[int], roles: dict[str, Sequence[str]]):
        """``roles``: the roles it strikes, with their nodes."""
        super().__init__(slots, actions)
        self.roles = roles

    @classmethod
    def build(cls, slots: FaultSlots, actions: Sequence[int], ctx: FaultContext) -> Fault:
        return cls(slots, actions, ctx.roles)

    def describe(self, action: Action, view: StepView) -> str:
        return f"{self.kind} {view.node_name(action[1])}"


class Crash(_NodeFault):
    kind = FaultKind.CRASH
    steps = (FaultStep(StepKind.CRASH, ChartEffect.NODE_DOWN),)
    needs_resets = True

    def successors(self, s: State) -> Iterator[Step]:
        if not self._budget(s):
            return
        slots = self.slots
        assert slots.crashed is not None
        down = s[slots.crashed]
        for role, nodes in self.roles.items():
            reset = slots.resets[role]
            for node in nodes:
                if node in down:
                    continue
                t = self._counted(s)
                reset(t, node)
                t[slots.crashed] = (SET, *canonical(down[1:] + (node,)))
                if slots.network.consumes:  # a crashed process receives nothing
                    t[slots.net] = slots.network.keep_only(s[slots.net], partial(_not_to, node))
                yield (self.actions[0], node), tuple(t)

    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        return StepInfo(StepKind.CRASH, label, view.node_name(action[1]), None, ())


class Restart(_NodeFault):
    kind = FaultKind.RESTART
    steps = (FaultStep(StepKind.RESTART, ChartEffect.NODE_UP),)
    needs_restarts = True

    def successors(self, s: State) -> Iterator[Step]:
        if not self._budget(s):
            return
        slots = self.slots
        assert slots.crashed is not None
        down = s[slots.crashed]
        for role, nodes in self.roles.items():
            on_restart = slots.restarts.get(role)
            for node in nodes:
                if node not in down:
                    continue
                t = self._counted(s)
                t[slots.crashed] = (SET, *(x for x in down[1:] if x != node))
                back = tuple(t)
                action = (self.actions[0], node)
                if on_restart is None:
                    yield action, back
                    continue
                for _, after in on_restart(back, node):
                    yield action, after

    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        return StepInfo(StepKind.RESTART, label, view.node_name(action[1]), None, sends)


# ---- partitions --------------------------------------------------------------

#: nodes beyond this make the 2^(n-1) - 1 ways of splitting them too many.
MAX_PARTITION_NODES = 12


def crosses(m: tuple, cut: Any) -> bool:
    """Whether message ``m`` crosses the cut (``cut``: one side, or NONE)."""
    return cut != NONE and m[1] != NONE and m[2] != NONE and ((m[1] in cut) != (m[2] in cut))


def _not_to(node: Any, m: tuple) -> bool:
    return m[2] != node


def _within(cut: Any, m: tuple) -> bool:
    return not crosses(m, cut)


def connected(cut: Any, a: Any, b: Any) -> bool:
    """``connected(a, b)``: no partition separates nodes a and b."""
    return cut == NONE or (a in cut) == (b in cut)


class Partition(Fault):
    kind = FaultKind.PARTITION
    steps = (FaultStep(StepKind.PARTITION, ChartEffect.CUT), FaultStep(StepKind.HEAL, ChartEffect.HEALED))

    def __init__(self, slots: FaultSlots, actions: Sequence[int], nodes: Sequence[str], mode: PartitionMode):
        super().__init__(slots, actions)
        self.nodes = list(nodes)
        self.mode = mode
        first, rest = self.nodes[0], self.nodes[1:]
        #: every way to split the nodes, as the side holding the first node
        self.sides = tuple(make_set([first] + [n for i, n in enumerate(rest) if mask >> i & 1])
                           for mask in range((1 << len(rest)) - 1))

    @classmethod
    def build(cls, slots: FaultSlots, actions: Sequence[int], ctx: FaultContext) -> Fault:
        return cls(slots, actions, ctx.nodes, ctx.partition_mode)

    @classmethod
    def why_not_mode(cls, mode: PartitionMode, network: NetworkKind) -> str | None:
        if mode is PartitionMode.DROP and network is NetworkKind.SET:
            return "partition drop does not apply to a 'set' network (its messages persist); use 'partition hold'"
        return None

    def successors(self, s: State) -> Iterator[Step]:
        slots = self.slots
        assert slots.partition is not None
        cut = s[slots.partition]
        if cut != NONE:
            t = list(s)
            t[slots.partition] = NONE
            yield (self.actions[1],), tuple(t)
            return
        if not self._budget(s):
            return
        for side in self.sides:
            t = self._counted(s)
            t[slots.partition] = side
            if self.mode is PartitionMode.DROP:
                t[slots.net] = slots.network.keep_only(s[slots.net], partial(_within, side))
            yield (self.actions[0], side), tuple(t)

    def describe(self, action: Action, view: StepView) -> str:
        if action[0] == self.actions[1]:
            return "heal partition"
        side = set(action[1])
        a = [view.node_name(n) for n in self.nodes if n in side]
        b = [view.node_name(n) for n in self.nodes if n not in side]
        return f"partition: {{{', '.join(a)}}} | {{{', '.join(b)}}}"

    def step_info(self, action: Action, view: StepView, label: str, sends: tuple) -> StepInfo:
        return StepInfo(self.step_kind(action), label, None, None, ())


FAULTS: dict[FaultKind, type[Fault]] = {
    cls.kind: cls for cls in (Loss, Duplicate, Corrupt, Reorder, Crash, Restart, Partition)}

#: how each fault step is drawn (`checker.render.chart`).
FAULT_STEPS: dict[StepKind, FaultStep] = {step.kind: step for cls in FAULTS.values() for step in cls.steps}


def after_send(network: Network, net: Any, down: Any, cut: Any) -> Any:
    """The network after a step's sends, without what a crash (messages to
    a node in ``down``) or a drop partition (``cut``) makes undeliverable."""
    return network.keep_only(net, lambda m: m[2] not in down and not crosses(m, cut))
