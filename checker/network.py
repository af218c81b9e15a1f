"""The network of a spec: one class per kind, owning how messages are held,
sent, delivered, dropped, copied and reordered.

A spec names its network (``network fifo | unordered | set``); `network_of`
gives the object. Everything that touches the network inside a state —
the generated step functions, the fault steps (`checker.faults`), the
TLA+-style ``keep``/``resend``/``discard`` statements, the model's display
and trace validation — goes through it, so delivery is written once per
kind. The code generator asks it for the few source fragments of the hot
path (`Network.gen_add`, `Network.gen_deliveries`); a unit test checks that
they do exactly what the runtime methods do.

Messages are records ``(shape tag, src, dst, fields...)`` (`checker.values`);
``dst`` is ``NONE`` for a message any node may receive.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any, Callable, Iterator, Sequence

from checker.errors import ModelError
from checker.values import (
    BAG,
    EMPTY_BAG,
    EMPTY_MAP,
    EMPTY_SET,
    MAP,
    SET,
    canonical,
    is_record,
    make_map,
    map_items,
    set_insert,
)

Message = tuple
Net = Any  # the network's value inside a state (a bag, a set or a map)


class NetworkKind(StrEnum):
    """The networks a spec can declare."""

    #: one queue per (sender, receiver); only a queue's head is delivered.
    FIFO = "fifo"
    #: a multiset: each message is delivered at most once, in any order.
    UNORDERED = "unordered"
    #: TLA+'s ``msgs``: a message, once sent, stays and may be received any
    #: number of times.
    SET = "set"


class Network(ABC):
    """How one kind of network holds its messages in a state."""

    kind: NetworkKind
    #: whether delivering a message takes it out of the network (if not,
    #: the network is also the history of every message sent: ``sent``).
    consumes: bool = True
    #: the value kind of the spec's ``network`` expression.
    value_kind: str = "bag"

    @abstractmethod
    def empty(self) -> Net:
        """The network with nothing in flight."""

    @abstractmethod
    def add(self, net: Net, msgs: Sequence[Message]) -> Net:
        """``net`` with ``msgs`` sent (in order, for a FIFO channel)."""

    @abstractmethod
    def in_flight(self, net: Net) -> tuple[Message, ...]:
        """Every message in flight, copies repeated, in a fixed order."""

    def display(self, net: Net) -> Any:
        """The network as a trace shows it (the ``network`` variable)."""
        return net

    def gen_value(self, net: str) -> str:
        """A Python expression: the value of the spec's ``network`` (the
        messages in flight, a bag or a set) for the network ``net``."""
        return net

    @abstractmethod
    def deliveries(self, net: Net) -> Iterator[tuple[Message, Net]]:
        """Each message that can be delivered now (once per distinct
        message), with the network after its delivery."""

    @abstractmethod
    def restore(self, rest: Net, m: Message) -> Net:
        """``keep``: the network after delivering ``m`` (``rest``) with ``m``
        back where it was, as if it had not been received."""

    @abstractmethod
    def discard(self, net: Net, m: Any) -> Net:
        """``discard m``: one copy of ``m`` fewer (a model error if none)."""

    @abstractmethod
    def keep_only(self, net: Net, ok: Callable[[Message], bool]) -> Net:
        """``net`` without the messages ``ok`` rejects (e.g. those to a
        crashed node)."""

    # -- fault primitives (`checker.faults` says which kinds apply where) ----
    def losses(self, net: Net) -> Iterator[tuple[Message, Net]]:
        """Each message that can be lost, with the network without it."""
        raise NotImplementedError(f"a {self.kind} network does not lose messages")

    def duplications(self, net: Net) -> Iterator[tuple[Message, Net]]:
        """Each message that can be copied, with the network holding one
        copy more."""
        raise NotImplementedError(f"a {self.kind} network does not duplicate messages")

    def replacements(self, net: Net) -> Iterator[tuple[Message, Callable[[Message], Net]]]:
        """Each message that can be altered, with a function giving the
        network where it is replaced by another message."""
        raise NotImplementedError(f"a {self.kind} network does not corrupt messages")

    def overtakings(self, net: Net) -> Iterator[tuple[Message, Message, Net]]:
        """(message, the one it overtakes, the network after) for each pair
        of distinct neighbours in a queue."""
        raise NotImplementedError(f"a {self.kind} network does not reorder messages")

    # -- code generation: the hot path's fragments ----------------------------
    @abstractmethod
    def gen_add(self, net: str, msgs: str) -> str:
        """A Python expression: the network ``net`` with the list ``msgs``
        sent (`add`). The names are the generated code's variables."""

    @abstractmethod
    def gen_deliveries(self, net: str, m: str) -> DeliveryLoop:
        """The loop binding ``m`` to each deliverable message of ``net`` and
        the network after delivering it: the same sequence as `deliveries`."""


@dataclass(frozen=True)
class DeliveryLoop:
    """Generated source of a loop over deliverable messages: ``lines``
    (indented by four spaces per level; they may bind names starting with
    ``_n``), the loop body's depth below them, and ``rest``, an expression
    for the network without the message (valid inside the body)."""

    lines: tuple[str, ...]
    depth: int
    rest: str


def _not_in_flight() -> ModelError:
    return ModelError("discard: the message is not in the network")


def message(v: Any) -> Message:
    """``v`` itself, after checking that it is a message."""
    if is_record(v) and len(v) >= 3:
        return v
    raise ModelError("resend/discard need a message (e.g. an element of network)")


class Unordered(Network):
    """A multiset: ``(BAG, m1, m2, ...)`` in canonical order, repeats kept."""

    kind = NetworkKind.UNORDERED

    def empty(self) -> Net:
        return EMPTY_BAG

    def add(self, net: Net, msgs: Sequence[Message]) -> Net:
        return _bag_add(net, msgs)

    def in_flight(self, net: Net) -> tuple[Message, ...]:
        return net[1:]

    def deliveries(self, net: Net) -> Iterator[tuple[Message, Net]]:
        prev = None
        for j in range(1, len(net)):
            m = net[j]
            if m != prev:
                prev = m
                yield m, net[:j] + net[j + 1:]

    def restore(self, rest: Net, m: Message) -> Net:
        return _bag_add(rest, (m,))

    def discard(self, net: Net, m: Any) -> Net:
        m = message(m)
        if m not in net[1:]:
            raise _not_in_flight()
        k = net.index(m, 1)
        return net[:k] + net[k + 1:]

    def keep_only(self, net: Net, ok: Callable[[Message], bool]) -> Net:
        return (BAG, *(m for m in net[1:] if ok(m)))

    def losses(self, net: Net) -> Iterator[tuple[Message, Net]]:
        return self.deliveries(net)

    def duplications(self, net: Net) -> Iterator[tuple[Message, Net]]:
        prev = None
        for j in range(1, len(net)):
            m = net[j]
            if m != prev:
                prev = m
                yield m, net[:j] + (m,) + net[j:]

    def replacements(self, net: Net) -> Iterator[tuple[Message, Callable[[Message], Net]]]:
        for m, rest in self.deliveries(net):
            yield m, partial(self.restore, rest)

    def gen_add(self, net: str, msgs: str) -> str:
        return f"_bag_add({net}, {msgs})"

    def gen_deliveries(self, net: str, m: str) -> DeliveryLoop:
        return DeliveryLoop(("_nprev = None", f"for _nj in range(1, len({net})):", f"    {m} = {net}[_nj]",
                             f"    if {m} == _nprev: continue", f"    _nprev = {m}"),
                            1, f"{net}[:_nj] + {net}[_nj + 1:]")


class SetNetwork(Network):
    """TLA+'s ``msgs``: the set ``(SET, m1, m2, ...)`` of every message
    sent; receiving one leaves it there."""

    kind = NetworkKind.SET
    consumes = False
    value_kind = "set"

    def empty(self) -> Net:
        return EMPTY_SET

    def add(self, net: Net, msgs: Sequence[Message]) -> Net:
        return _set_add(net, msgs)

    def in_flight(self, net: Net) -> tuple[Message, ...]:
        return net[1:]

    def deliveries(self, net: Net) -> Iterator[tuple[Message, Net]]:
        for j in range(1, len(net)):
            yield net[j], net

    def restore(self, rest: Net, m: Message) -> Net:
        return rest  # a received message never left

    def discard(self, net: Net, m: Any) -> Net:
        m = message(m)
        if m not in net[1:]:
            raise _not_in_flight()
        k = net.index(m, 1)
        return net[:k] + net[k + 1:]

    def keep_only(self, net: Net, ok: Callable[[Message], bool]) -> Net:
        return (SET, *(m for m in net[1:] if ok(m)))

    def gen_add(self, net: str, msgs: str) -> str:
        return f"_set_add({net}, {msgs})"

    def gen_deliveries(self, net: str, m: str) -> DeliveryLoop:
        return DeliveryLoop((f"for {m} in {net}[1:]:",), 1, net)


class Fifo(Network):
    """One queue per (sender, receiver): the map ``(MAP, (src, dst), queue,
    ...)`` in channel order, each queue a tuple of messages, oldest first;
    empty queues are left out."""

    kind = NetworkKind.FIFO

    def empty(self) -> Net:
        return EMPTY_MAP

    def add(self, net: Net, msgs: Sequence[Message]) -> Net:
        chans = dict(map_items(net))
        for m in msgs:
            key = (m[1], m[2])
            chans[key] = chans.get(key, ()) + (m,)
        return make_map(chans.items())

    def in_flight(self, net: Net) -> tuple[Message, ...]:
        return tuple(m for q in net[2::2] for m in q)

    def display(self, net: Net) -> Any:
        return self.in_flight(net)

    def gen_value(self, net: str) -> str:
        return f"_fifo_bag({net})"

    def deliveries(self, net: Net) -> Iterator[tuple[Message, Net]]:
        for j in range(1, len(net), 2):
            yield net[j + 1][0], _pop(net, j)

    def restore(self, rest: Net, m: Message) -> Net:
        chans = dict(map_items(rest))
        key = (m[1], m[2])
        chans[key] = (m,) + chans.get(key, ())
        return make_map(chans.items())

    def discard(self, net: Net, m: Any) -> Net:
        m = message(m)
        key = (m[1], m[2])
        chans = dict(map_items(net))
        q = chans.get(key, ())
        if m not in q:
            raise _not_in_flight()
        k = q.index(m)
        q = q[:k] + q[k + 1:]
        if q:
            chans[key] = q
        else:
            del chans[key]
        return make_map(chans.items())

    def keep_only(self, net: Net, ok: Callable[[Message], bool]) -> Net:
        out: list[Any] = [MAP]
        for ch, q in map_items(net):
            kept = tuple(m for m in q if ok(m))
            if kept:
                out += (ch, kept)
        return tuple(out)

    def losses(self, net: Net) -> Iterator[tuple[Message, Net]]:
        for j in range(1, len(net), 2):
            q = net[j + 1]
            for k in range(len(q)):
                rest = q[:k] + q[k + 1:]
                yield q[k], (net[:j + 1] + (rest,) + net[j + 2:]) if rest else (net[:j] + net[j + 2:])

    def duplications(self, net: Net) -> Iterator[tuple[Message, Net]]:
        for j in range(1, len(net), 2):
            q = net[j + 1]
            for k in range(len(q)):
                yield q[k], net[:j + 1] + (q[:k + 1] + q[k:],) + net[j + 2:]

    def replacements(self, net: Net) -> Iterator[tuple[Message, Callable[[Message], Net]]]:
        for j in range(1, len(net), 2):
            for k in range(len(net[j + 1])):
                yield net[j + 1][k], partial(_replace, net, j, k)

    def overtakings(self, net: Net) -> Iterator[tuple[Message, Message, Net]]:
        for j in range(1, len(net), 2):
            q = net[j + 1]
            for k in range(len(q) - 1):
                if q[k] != q[k + 1]:
                    swapped = q[:k] + (q[k + 1], q[k]) + q[k + 2:]
                    yield q[k + 1], q[k], net[:j + 1] + (swapped,) + net[j + 2:]

    def gen_add(self, net: str, msgs: str) -> str:
        return f"_fifo_add({net}, {msgs})"

    def gen_deliveries(self, net: str, m: str) -> DeliveryLoop:
        return DeliveryLoop((f"for _nj in range(1, len({net}), 2):", f"    {m} = {net}[_nj + 1][0]"), 1,
                            f"_fifo_pop({net}, _nj)")


def _bag_add(net: Net, msgs: Sequence[Message]) -> Net:
    if len(msgs) > 2:
        return (BAG, *canonical(net[1:] + tuple(msgs)))
    for m in msgs:
        net = set_insert(net, m)
    return net


def _set_add(net: Net, msgs: Sequence[Message]) -> Net:
    if len(msgs) > 2:  # a broadcast: one sort
        return (SET, *canonical(set(net[1:]).union(msgs)))
    for m in msgs:
        net = set_insert(net, m)
    return net


def _replace(net: Net, j: int, k: int, m2: Message) -> Net:
    """A FIFO network with message k of the queue at ``j + 1`` replaced by ``m2``."""
    q = net[j + 1]
    return net[:j + 1] + (q[:k] + (m2,) + q[k + 1:],) + net[j + 2:]


def _pop(net: Net, j: int) -> Net:
    """A FIFO network without the head of the queue at ``j + 1``."""
    q = net[j + 1]
    if len(q) == 1:
        return net[:j] + net[j + 2:]
    return net[:j + 1] + (q[1:],) + net[j + 2:]


_NETWORKS: dict[NetworkKind, Network] = {n.kind: n for n in (Fifo(), Unordered(), SetNetwork())}


def _fifo_bag(net: Net) -> Net:
    """The messages of a FIFO network as a bag (its ``network`` value)."""
    return (BAG, *canonical(m for q in net[2::2] for m in q))


#: what generated code refers to by name (the `Network.gen_*` fragments).
NAMESPACE: dict[str, Any] = {"_fifo_add": _NETWORKS[NetworkKind.FIFO].add, "_fifo_pop": _pop, "_fifo_bag": _fifo_bag,
                             "_bag_add": _bag_add, "_set_add": _set_add}


def network_of(kind: NetworkKind) -> Network:
    """The network object of a kind."""
    return _NETWORKS[kind]
