"""States of the reference interpreter and the mutable frame a step works on.

A `State` is a plain tuple (hashable, compared structurally):
``(node variables per node, global variables, network, sent, fault
counters, crashed nodes, partition side)``. The network is a `Bag`
(unordered), a `Set` (set) or a tuple of ``((src, dst), queue)`` channels
sorted by channel (fifo); ``sent`` is a `Set` or None when the spec never
reads it; the partition side is the `Set` of nodes on the first node's
side, or ``none``.
"""

from __future__ import annotations

from typing import Any

from checker.reference.values import Message, Set, Value

State = tuple


class Frame:
    """A state being changed by one step (lists instead of tuples), plus
    the messages the step has sent so far (``out``)."""

    __slots__ = ("nodes", "globals", "net", "sent", "counters", "crashed", "cut", "out")

    def __init__(self, nodes: list[list[Value]], globals_: list[Value], net: Any, sent: Set | None,
                 counters: list[int], crashed: Set, cut: Value, out: list[Message]):
        self.nodes = nodes
        self.globals = globals_
        self.net = net
        self.sent = sent
        self.counters = counters
        self.crashed = crashed
        self.cut = cut
        self.out = out

    @staticmethod
    def of(s: State) -> Frame:
        nodes, globals_, net, sent, counters, crashed, cut = s
        return Frame([list(n) for n in nodes], list(globals_), net, sent, list(counters), crashed, cut, [])

    def copy(self) -> Frame:
        return Frame([list(n) for n in self.nodes], list(self.globals), self.net, self.sent, list(self.counters),
                     self.crashed, self.cut, list(self.out))

    def freeze(self) -> State:
        return (tuple(tuple(n) for n in self.nodes), tuple(self.globals), self.net, self.sent,
                tuple(self.counters), self.crashed, self.cut)
