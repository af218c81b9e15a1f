"""The message-sequence chart of a trace, independent of any output format.

`build_chart(trace)` decides what a sequence chart shows: the lanes (one per
node, plus an "env" lane only when the environment sends messages), one
`Arrow` per message event (delivered, lost, corrupted, or still in flight at
the end), the `Mark`s drawn on lifelines (actions, timers, crashes, ...),
the spans during which a node is down or the network is partitioned, and
which messages are in flight after each step. The HTML/SVG renderer and the
Mermaid renderer both draw from this one structure, so they agree.

Matching a delivery to its send: a delivered (or lost, duplicated,
corrupted) ``Step.message`` {"src", "dst", "text"} is matched to the oldest
still-unmatched entry with the same src/dst/text in an earlier step's
``Step.sends``. When there is none:

- the message was already delivered once (a ``set`` network keeps messages,
  so they may be received again): the arrow starts at that same send and is
  marked as a re-delivery;
- a corrupted copy between the same src/dst is waiting: it is that copy;
- otherwise the message was in the network from the start (e.g. sent by an
  ``init`` block; `build_trace` records no sends for step 0): the arrow
  starts at step 0.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from checker.faults import FAULT_STEPS, ChartEffect
from checker.model import StepKind
from checker.trace import Step, Trace

ENV = "env"


@dataclass
class Arrow:
    """One message event: from the step that sent it to the step that
    delivered (or lost/corrupted) it, or to nowhere when still in flight.

    fate: "delivered", "lost", "corrupted" or "in_flight".
    origin: how the message entered the network: "send" (a step's sends),
    "initial" (present from step 0, origin unknown), "duplicate" (a copy made
    by a duplicate step) or "corrupt" (the altered copy of a corrupt step).
    """

    id: int
    src: str
    dst: str
    text: str
    sent_at: int
    end_at: int | None
    fate: str
    origin: str = "send"
    redelivery: bool = False


@dataclass
class Mark:
    """Something drawn at one step: on a lane, or across all lanes (lane None).

    kind: the step kind ("action", "timer", "crash", "restart", "partition",
    "heal", "global", "duplicate", "reorder", "deliver", "init", ...).
    """

    step: int
    lane: str | None
    kind: str
    text: str


@dataclass
class Chart:
    """Everything a sequence chart draws, in trace order."""

    trace: Trace
    lanes: list[str]
    arrows: list[Arrow]
    marks: list[Mark]
    #: lane -> [(crash step, restart step or None)]
    down: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    #: [(partition step, heal step or None, label)]
    partitions: list[tuple[int, int | None, str]] = field(default_factory=list)
    #: after step i: ids of the arrows whose message is in the network
    in_flight_after: list[list[int]] = field(default_factory=list)

    @property
    def last(self) -> int:
        return len(self.trace.steps) - 1

    def arrow(self, arrow_id: int) -> Arrow:
        return self.arrows[arrow_id]


@dataclass
class _Pending:
    src: str
    dst: str
    text: str
    sent_at: int
    origin: str


def lane_of(name: Any) -> str:
    """The lane a message end or actor belongs to ("env" for none/"env")."""
    if name is None or name == "" or name == ENV:
        return ENV
    return str(name)


def message_key(msg: dict[str, Any]) -> tuple[str, str, str]:
    return (lane_of(msg.get("src")), lane_of(msg.get("dst")), str(msg.get("text", "")))


def short_label(step: Step) -> str:
    """A step label without its redundant "<actor>: " / "<actor> " prefix."""
    label = step.label
    if step.actor and label.startswith(step.actor):
        rest = label[len(step.actor):].lstrip(" :.")
        if rest:
            return rest
    return label


class _Matcher:
    """FIFO matching of message events to the sends they came from."""

    def __init__(self) -> None:
        self._pid = 0
        self.arrows: list[Arrow] = []
        self.pending: dict[tuple[str, str, str], deque[int]] = {}
        self.delivered: dict[tuple[str, str, str], list[int]] = {}
        self.corrupted: dict[tuple[str, str], deque[int]] = {}
        self.open: dict[int, _Pending] = {}  # pending id -> what and where

    def send(self, msg: dict[str, Any], step: int, origin: str = "send") -> None:
        key = message_key(msg)
        pid = self._new_pid()
        self.open[pid] = _Pending(key[0], key[1], key[2], step, origin)
        self.pending.setdefault(key, deque()).append(pid)

    def _new_pid(self) -> int:
        self._pid += 1
        return self._pid

    def _take(self, key: tuple[str, str, str]) -> _Pending | None:
        queue = self.pending.get(key)
        if queue:
            return self.open.pop(queue.popleft())
        return None

    def _take_any_between(self, src: str, dst: str) -> _Pending | None:
        # A corrupt step may report the message as it is after corruption.
        for key, queue in self.pending.items():
            if key[0] == src and key[1] == dst and queue:
                return self.open.pop(queue.popleft())
        return None

    def end(self, msg: dict[str, Any], step: int, fate: str) -> Arrow:
        """Close the oldest matching pending message with ``fate``."""
        key = message_key(msg)
        src, dst, text = key
        found = self._take(key)
        redelivery = False
        if found is None and fate == "corrupted":
            found = self._take_any_between(src, dst)
        if found is None and fate == "delivered" and self.delivered.get(key):
            previous = self.arrows[self.delivered[key][-1]]
            found = _Pending(src, dst, text, previous.sent_at, previous.origin)
            redelivery = True
        if found is None and self.corrupted.get((src, dst)):
            found = self.open.pop(self.corrupted[(src, dst)].popleft())
        if found is None:
            found = _Pending(src, dst, text, 0, "initial")
        arrow = Arrow(len(self.arrows), src, dst, text, found.sent_at, step, fate, found.origin, redelivery)
        self.arrows.append(arrow)
        if fate == "delivered":
            self.delivered.setdefault(key, []).append(arrow.id)
        return arrow

    def discard_to(self, dst: str, step: int) -> None:
        """Every message in flight to ``dst`` is gone (a crash discards them)."""
        for pid, p in sorted(self.open.items()):
            if p.dst == dst:
                del self.open[pid]
                queue = self.pending.get((p.src, p.dst, p.text))
                if queue and pid in queue:
                    queue.remove(pid)
                self.arrows.append(Arrow(len(self.arrows), p.src, p.dst, p.text, p.sent_at, step, "lost", p.origin))

    def corrupted_copy(self, msg: dict[str, Any], step: int) -> None:
        """A corrupt step without sends: its altered copy's text is unknown."""
        src, dst, text = message_key(msg)
        pid = self._new_pid()
        self.open[pid] = _Pending(src, dst, text, step, "corrupt")
        self.corrupted.setdefault((src, dst), deque()).append(pid)


def build_chart(trace: Trace) -> Chart:
    """Lay out the sequence chart of ``trace`` (see the module docstring)."""
    lanes: list[str] = list(trace.nodes)
    extra: list[str] = []

    def use_lane(name: Any) -> str:
        lane = lane_of(name)
        if lane not in lanes and lane not in extra:
            extra.append(lane)
        return lane

    matcher = _Matcher()
    marks: list[Mark] = []
    down: dict[str, list[tuple[int, int | None]]] = {}
    partitions: list[tuple[int, int | None, str]] = []
    in_flight_after: list[list[int]] = []

    for step in trace.steps:
        i, kind = step.index, step.kind
        actor = use_lane(step.actor) if step.actor else None
        msg = step.message
        if msg is not None:
            use_lane(msg.get("src"))
            use_lane(msg.get("dst"))
        fault = FAULT_STEPS.get(kind)  # type: ignore[call-overload]
        if kind == StepKind.DELIVER and msg is not None:
            matcher.end(msg, i, "delivered")
            marks.append(Mark(i, lane_of(msg.get("dst")), kind, short_label(step)))
        elif fault is not None:
            _fault_effect(fault.effect, step, actor, matcher, marks, down, partitions)
        elif kind != StepKind.INIT:
            # actions, timers, global actions and kinds this renderer does not know
            lane = actor if actor is not None else None
            marks.append(Mark(i, lane, kind, short_label(step) if lane else step.label))
        for sent in step.sends:
            use_lane(sent.get("src"))
            use_lane(sent.get("dst"))
            matcher.send(sent, i)
        # A network that loses messages to a crashed node (not TLA+'s set of
        # every message sent): what it no longer holds is not in flight.
        for lane in _emptied(step, down):
            matcher.discard_to(lane, i)

    # Messages never delivered: arrows into the air.
    for _, p in sorted(matcher.open.items(), key=lambda item: (item[1].sent_at, item[0])):
        matcher.arrows.append(Arrow(len(matcher.arrows), p.src, p.dst, p.text, p.sent_at, None, "in_flight", p.origin))
    arrows = matcher.arrows
    for i in range(len(trace.steps)):
        ids = [a.id for a in arrows if a.sent_at <= i and (a.end_at is None or a.end_at > i) and not a.redelivery]
        in_flight_after.append(ids)

    if not lanes and not extra:  # a model without nodes: one lane for the whole system
        extra.append("system")
        marks = [Mark(m.step, "system" if m.lane is None else m.lane, m.kind, m.text) for m in marks]
    if ENV in extra:  # the environment sits at the left edge
        extra.remove(ENV)
        lanes = [ENV] + lanes
    return Chart(trace, lanes + extra, arrows, marks, down, partitions, in_flight_after)


def _emptied(step: Step, down: dict[str, list[tuple[int, int | None]]]) -> list[str]:
    """The crashed nodes to which the network after ``step`` holds no message."""
    net = step.state.get("network")
    if isinstance(net, dict) and "#set" in net:
        return []
    items = net.get("#bag", []) if isinstance(net, dict) else net if isinstance(net, list) else None
    if items is None:
        return []
    held = {lane_of(_node_name(m.get("dst"))) for m in items if isinstance(m, dict)}
    return [lane for lane, spans in down.items() if spans and spans[-1][1] is None and lane not in held]


def _node_name(v: Any) -> Any:
    return v.get("#node") if isinstance(v, dict) else v


def _fault_effect(effect: ChartEffect, step: Step, actor: str | None, matcher: _Matcher, marks: list[Mark],
                  down: dict[str, list[tuple[int, int | None]]], partitions: list[tuple[int, int | None, str]]) -> None:
    """Draw one fault step (`checker.faults` says what each does)."""
    i, kind, msg = step.index, step.kind, step.message
    if effect is ChartEffect.MESSAGE_LOST:
        if msg is not None:
            matcher.end(msg, i, "lost")
    elif effect is ChartEffect.MESSAGE_CORRUPTED:
        if msg is not None:
            matcher.end(msg, i, "corrupted")
            if not step.sends:
                matcher.corrupted_copy(msg, i)
    elif effect is ChartEffect.MESSAGE_COPIED:
        if msg is not None:
            matcher.send(msg, i, origin="duplicate")
            marks.append(Mark(i, lane_of(msg.get("src")), kind, "duplicated " + str(msg.get("text", ""))))
    elif effect is ChartEffect.MESSAGES_REORDERED:
        lane = lane_of(msg.get("dst")) if msg is not None else actor
        marks.append(Mark(i, lane, kind, short_label(step)))
    elif effect is ChartEffect.NODE_DOWN:
        if actor is not None:
            down.setdefault(actor, []).append((i, None))
            marks.append(Mark(i, actor, kind, "crash"))
    elif effect is ChartEffect.NODE_UP:
        if actor is not None:
            spans = down.setdefault(actor, [])
            if spans and spans[-1][1] is None:
                spans[-1] = (spans[-1][0], i)
            marks.append(Mark(i, actor, kind, "restart"))
    elif effect is ChartEffect.CUT:
        partitions.append((i, None, step.label))
        marks.append(Mark(i, None, kind, step.label))
    elif effect is ChartEffect.HEALED:
        if partitions and partitions[-1][1] is None:
            start, _, label = partitions[-1]
            partitions[-1] = (start, i, label)
        marks.append(Mark(i, None, kind, step.label))


def violation_summary(trace: Trace) -> str:
    """One sentence saying what went wrong, for titles and notes."""
    v = trace.violation
    n = len(trace.steps) - 1
    if not trace.violates:
        return f"a path of {n} step{'s' if n != 1 else ''}; no property is violated at its last step"
    if v.kind == "deadlock":
        return f"deadlock: no step is enabled after step {n}"
    if v.kind == "assertion":
        where = f" in the attempted step {trace.failing_step}" if trace.failing_step else ""
        return f"assertion {v.prop} failed{where}"
    if v.kind == "step":
        return f"step property {v.prop} is violated by step {n}"
    if v.kind == "liveness" or trace.loop_start is not None:
        loop = ""
        if trace.loop_start is not None:
            loop = f"; after step {n} it returns to step {trace.loop_start}, forever"
        return f"liveness property {v.prop} is violated{loop}"
    return f"{v.kind} {v.prop} does not hold after step {n}"


#: what the protocol's own steps are called in legends and tooltips.
_PROTOCOL_WORDS = {StepKind.INIT: "initial state", StepKind.DELIVER: "message delivered",
                   StepKind.TIMER: "timer fired", StepKind.ACTION: "internal action", StepKind.GLOBAL: "global action"}


def describe_step(step: Step) -> str:
    """A short phrase for a step's kind, for legends and tooltips."""
    return describe_kind(step.kind)


def describe_kind(kind: str) -> str:
    """A short phrase for a step kind ("loss" -> "message lost")."""
    fault = FAULT_STEPS.get(kind)  # type: ignore[call-overload]
    if fault is not None:
        return str(fault.effect)
    return _PROTOCOL_WORDS.get(kind, kind)  # type: ignore[call-overload]
