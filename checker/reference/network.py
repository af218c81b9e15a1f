"""The three networks as plain values (see `checker.reference.state`).

- ``unordered``: a `Bag`; each copy is delivered at most once.
- ``set``: a `Set` (TLA+'s ``msgs``): a received message stays.
- ``fifo``: a tuple of ``((src, dst), queue)``; only a queue's head is
  delivered.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from checker.reference.values import Bag, EvalError, Message, Set, Value

Fifo = tuple  # ((src, dst), (message, ...)), sorted by channel


def empty(kind: str) -> Any:
    return Bag(()) if kind == "unordered" else Set(()) if kind == "set" else ()


def add(kind: str, net: Any, msgs: list[Message]) -> Any:
    if not msgs:
        return net
    if kind == "unordered":
        return Bag(net.items + tuple(msgs))
    if kind == "set":
        return Set(net.members | set(msgs))
    chans = dict(net)
    for m in msgs:
        chans[(m.src, m.dst)] = chans.get((m.src, m.dst), ()) + (m,)
    return _fifo(chans)


def _fifo(chans: dict) -> Fifo:
    return tuple(sorted(((ch, q) for ch, q in chans.items() if q), key=lambda cq: (cq[0][0].key(), cq[0][1].key())))


def in_flight(kind: str, net: Any) -> tuple[Message, ...]:
    """Every in-flight message (with repeats), as `network` shows them."""
    if kind == "fifo":
        return tuple(m for _, q in net for m in q)
    return net.items


def as_value(kind: str, net: Any) -> Value:
    """What the name ``network`` means: a bag (a set for a set network)."""
    if kind == "set":
        return net
    return Bag(in_flight(kind, net))


def deliverable(kind: str, net: Any) -> Iterator[tuple[Message, Any]]:
    """Each message that can be received, with the network after it is."""
    if kind == "set":
        for m in net.items:
            yield m, net
    elif kind == "unordered":
        for m in dict.fromkeys(net.items):
            yield m, remove_one(kind, net, m)
    else:
        for ch, q in net:
            chans = dict(net)
            chans[ch] = q[1:]
            yield q[0], _fifo(chans)


def remove_one(kind: str, net: Any, m: Message) -> Any:
    """``net`` with one copy of ``m`` fewer (an error if it has none)."""
    if kind == "set":
        if m not in net.members:
            raise EvalError("discard: the message is not in the network")
        return Set(net.members - {m})
    if kind == "unordered":
        items = list(net.items)
        if m not in items:
            raise EvalError("discard: the message is not in the network")
        items.remove(m)
        return Bag(items)
    chans = dict(net)
    q = chans.get((m.src, m.dst), ())
    if m not in q:
        raise EvalError("discard: the message is not in the network")
    k = q.index(m)
    chans[(m.src, m.dst)] = q[:k] + q[k + 1:]
    return _fifo(chans)


def put_back(kind: str, net: Any, m: Message) -> Any:
    """``keep``: the handled message goes back (at its channel's head)."""
    if kind == "set":
        return net
    if kind == "unordered":
        return Bag(net.items + (m,))
    chans = dict(net)
    chans[(m.src, m.dst)] = (m,) + chans.get((m.src, m.dst), ())
    return _fifo(chans)


def keep_only(kind: str, net: Any, ok: Callable[[Message], bool]) -> Any:
    if kind == "set":
        return net
    if kind == "unordered":
        return Bag(m for m in net.items if ok(m))
    return _fifo({ch: tuple(m for m in q if ok(m)) for ch, q in net})


# ---- message faults: one entry per copy position ---------------------------

def positions(kind: str, net: Any) -> Iterator[tuple[Message, Callable[[list[Message]], Any]]]:
    """Each in-flight copy, with a function that replaces that copy by a
    list of messages (empty: lost; two: duplicated; another: corrupted)."""
    if kind == "unordered":
        for k, m in enumerate(net.items):
            def put(repl: list[Message], k: int = k) -> Bag:
                return Bag(net.items[:k] + tuple(repl) + net.items[k + 1:])
            yield m, put
    elif kind == "fifo":
        for ch, q in net:
            for k, m in enumerate(q):
                def replace(repl: list[Message], ch: Any = ch, q: tuple = q, k: int = k) -> Fifo:
                    chans = dict(net)
                    chans[ch] = q[:k] + tuple(repl) + q[k + 1:]
                    return _fifo(chans)
                yield m, replace


def swaps(net: Fifo) -> Iterator[tuple[Message, Message, Fifo]]:
    """reorder: a message overtakes the one before it in its channel."""
    for ch, q in net:
        for k in range(len(q) - 1):
            if q[k] != q[k + 1]:
                chans = dict(net)
                chans[ch] = q[:k] + (q[k + 1], q[k]) + q[k + 2:]
                yield q[k + 1], q[k], _fifo(chans)
