"""Multi-line steps: a step event and the effect events that follow it.

An implementation often logs one step over several lines: the line that
identifies the step (a message received, a timer fired), then lines
with its effects (the new term, role, log entries, commit index). A
mapping marks the latter ``step = "effect"``; `units` folds each effect
event into the nearest step event of the same node before it (the lines
of other nodes in between keep their order), and `extras` turns the
effects into the observations that step must satisfy: the last value
logged for a variable wins, so a step that sets a variable twice is
checked against the value it ends with.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterator

from checker.validate.logfile import Event

#: how far past a step to look for its effects (events of any node)
LOOKAHEAD = 10_000


def units(events: Iterator[Event], dispatch: Any, gather: bool) -> Iterator[tuple[Event, Any, list]]:
    """(event, its binding or None, [(effect event, its binding), ...]) in
    log order; effect events folded into a step are not yielded again."""
    if not gather:
        for ev in events:
            yield ev, dispatch.find(ev), []
        return
    buf: deque[list] = deque()
    source = iter(events)

    def fill() -> bool:
        ev = next(source, None)
        if ev is None:
            return False
        buf.append([ev, dispatch.find(ev), False])
        return True

    while buf or fill():
        ev, eb, taken = buf.popleft()
        if taken:
            continue
        effects: list = []
        if eb is not None and eb.acts:
            node = eb.node_of(ev)
            i = 0
            while node is not None and i < LOOKAHEAD and (i < len(buf) or fill()):
                item = buf[i]
                e2, b2, t2 = item
                if not t2 and b2 is not None and b2.node_of(e2) == node:
                    if b2.is_effect:
                        effects.append((e2, b2))
                        item[2] = True
                    elif b2.acts:
                        break
                i += 1
        yield ev, eb, effects


def extras(step_node: Any, views: list) -> list[tuple[Any, Any, tuple, int]]:
    """The observations of effect event views (in log order): (observer,
    log value, its ``$field`` arguments, index of the effect); for each
    observed thing, only the last value logged."""
    final: dict[tuple, tuple[Any, Any, tuple, int]] = {}
    for k, (eb, v) in enumerate(views):
        for ob in eb.observers(step_node):
            args = v.observe_args.get(ob.key, ())
            final[(ob.key, args)] = (ob, v.observe[ob.key], args, k)
    return sorted(final.values(), key=lambda x: x[3])


class Ties:
    """The units of a merged log, with the ones logged at the same time in
    other logs within reach: logs with coarse clocks (milliseconds) put a
    message's receive and its send at the same time, in either order."""

    def __init__(self, source: Iterator[tuple], time_field: str | None):
        self.source = source
        self.field = time_field
        self.buf: deque[tuple] = deque()
        #: (file, time): after a unit of that log was taken ahead, its log's
        #: next units of the same time come first (a sender's whole step)
        self.prefer: tuple[str, Any] | None = None

    def next(self) -> tuple | None:
        if self.prefer is not None:
            file, t = self.prefer
            self._fill(t)
            for k, unit in enumerate(self.buf):
                if unit[0].data.get(self.field) != t:
                    break
                if unit[0].file == file:
                    del self.buf[k]
                    return unit
            self.prefer = None
        return self.buf.popleft() if self.buf else next(self.source, None)

    def push_back(self, unit: tuple) -> None:
        self.buf.appendleft(unit)

    def take(self, k: int) -> None:
        unit = self.buf[k]
        del self.buf[k]
        self.prefer = (unit[0].file, unit[0].data.get(self.field))

    def _fill(self, t: Any) -> int:
        """Read ahead past the units of time ``t``; their count in the buffer."""
        k = 0
        while True:
            if k == len(self.buf):
                nxt = next(self.source, None)
                if nxt is None:
                    break
                self.buf.append(nxt)
            if self.buf[k][0].data.get(self.field) != t or k >= LOOKAHEAD:
                break
            k += 1
        return k

    def ties(self, unit: tuple) -> list[tuple[int, tuple]]:
        """(buffer index, unit) for each later unit with the same time as
        ``unit``, from another log, and first of its log among them."""
        if self.field is None:
            return []
        k = self._fill(unit[0].data.get(self.field))
        out, files = [], {unit[0].file}
        for i in range(k):
            f = self.buf[i][0].file
            if f not in files:
                out.append((i, self.buf[i]))
            files.add(f)
        return out
