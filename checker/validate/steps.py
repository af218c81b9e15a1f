"""Matching one event against the steps of one model state.

`Matcher.match` returns every (action, next state, claims) that the event
can be from a state: the steps of the mapped kinds whose node, message,
parameters, observed values and sent message agree with the event (an
observe-only event: the state itself, when its observations hold). With
``why`` (a list) it also records, for each step it tried, what disagreed
(expected vs observed), which `checker.validate.explain` turns into the
report of a rejected event.

*Claims* are the in-flight messages the log has shown being sent (a
``send`` event, or the message a step's ``sent`` table checks), as a
sorted tuple: a message logged as sent twice must have been sent twice by
the model, and with ``require_send`` a delivery must take a claimed one.
Without it, a message received before its send line (logs whose clocks
tie) is *owed* (`Owed`): the send line that comes later pays it.

The model is seen only through its `checker.model.ValidationView`; the two
methods `Matcher.in_flight` and `Matcher.deliverable` are the only reads
of the network.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from typing import Any, Iterator

from checker.compile.runtime import AssertFail, BranchFailures
from checker.errors import ModelError
from checker.model import StepAssertionError, successful_steps
from checker.validate.bind import EFFECT, OBSERVE, SEND, EventBinding, EventView, StepBinding
from checker.validate.logvalues import MISSING
from checker.validate.match import eq, show_json, show_model
from checker.values import NONE, is_node, is_record

Match = tuple[Any, tuple, tuple]  # (action or None, next state, claims)
#: a mismatch: (step name, text, level, how many values differ); level 1:
#: not the step the event names (another message or parameter), level 2:
#: that step, but it disagrees.
Why = tuple[str, str, int, int]


class Owed:
    """A claim entry: message ``m`` was received before the log showed its send."""

    __slots__ = ("m",)

    def __init__(self, m: Any):
        self.m = m

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Owed) and other.m == self.m

    def __hash__(self) -> int:
        return hash((1, self.m))


class Matcher:
    """Step matching against one model."""

    def __init__(self, model, view, nodes, require_send: bool = False, logged_shapes: frozenset = frozenset()):
        self.model = model
        self.view = view
        self.nodes = nodes
        self.names = model.names
        self.require_send = require_send
        #: shapes of messages the log shows being sent (``send`` events): a
        #: delivery of one not yet claimed is owed a send line
        self.logged_shapes = logged_shapes
        self.kind_of = [k.kind.value for k in view.kinds]

    # ---- the network ------------------------------------------------------
    def in_flight(self, s: tuple) -> tuple:
        return self.view.in_flight(s)

    def deliverable(self, s: tuple) -> Iterator[tuple[Any, Any]]:
        """(message, the network without it) for each message that can be
        delivered now (used with the model's step functions)."""
        return self.view.deliverable(s)

    # ---- matching -----------------------------------------------------------
    def match(self, eb: EventBinding, v: EventView, s: tuple, claims: tuple, why: list | None = None) -> list[Match]:
        """Every way event ``v`` can happen from state ``s`` (with
        ``claims``): (action or None for a check, next state, claims).
        With ``why``, append a `Why` for each failed try."""
        out: list[Match] = []
        for sb in eb.steps:
            if sb.role is not None and v.node is None and sb.kind not in (SEND, OBSERVE, EFFECT):
                # The log does not say which node: any node of the role.
                for n in sb.nodes:
                    out.extend(self.match(_only(eb, sb), dataclasses.replace(v, node=n), s, claims, why))
                continue
            if sb.kind == SEND:
                out.extend(self._send(sb, v, s, claims, why))
            elif sb.kind in (OBSERVE, EFFECT):
                if self._post(eb, sb, v, s, s, v.node, why, None) is not None:
                    out.append((None, s, claims))
            elif sb.fn is not None:
                out.extend(self._targeted(eb, sb, v, s, claims, why))
            else:
                out.extend(self._generic(eb, sb, v, s, claims, why))
        return out

    def _say(self, why: list | None, sb: StepBinding, text: str, level: int = 2, diffs: int = 1) -> None:
        if why is not None:
            why.append((sb.name, text, level, diffs))

    def _log(self, j: Any, x: Any) -> str:
        """The log's value, with the model node it names when ``x`` is one."""
        shown = show_json(j)
        if is_node(x):
            n = self.nodes.node(j)
            if n is not None and self.names.show(n) != j:
                return f"{shown} (= {self.names.show(n)})"
        return shown

    def _msg_ok(self, sb: StepBinding, v: EventView, m: Any, why: list | None, *, src: str | None,
                dst: str | None) -> bool:
        """Whether message ``m`` is the one the event names."""
        if sb.shape is not None and m[0] != sb.shape:
            return False
        if dst is not None and m[2] != dst and m[2] != NONE:
            return False
        bad = []
        if src is not None and m[1] != src:
            bad.append(f"sender: model {self.names.show(m[1])}, log {self.names.show(src)}")
        for f, j in v.fields.items():
            if j is MISSING:
                continue
            x = m[sb.field_index[f]]
            if not eq(x, j, self.nodes):
                bad.append(f"{f}: model {show_model(self.names, x)}, log {self._log(j, x)}")
        if bad and why is not None:
            self._say(why, sb, f"in flight: {self.names.show_message(m)}, but " + "; ".join(bad), 1, len(bad))
        return not bad

    def _taken(self, claims: tuple, m: Any) -> tuple:
        """The claims after message ``m`` is delivered."""
        if m in claims:
            return _unclaim(claims, m)
        if self.require_send or m[0] not in self.logged_shapes:
            return claims
        return _claim(claims, Owed(m))

    def _sent_before(self, sb: StepBinding, m: Any, claims: tuple, why: list | None) -> bool:
        """With ``require_send``: the log showed ``m`` being sent."""
        if not self.require_send or m in claims:
            return True
        self._say(why, sb, f"{self.names.show_message(m)} is in flight, but the log shows no send of it before "
                           "this receive (require_send)")
        return False

    def _targeted(self, eb, sb, v, s, claims, why) -> list[Match]:
        node = v.node if sb.role is not None else None
        out: list[Match] = []
        if sb.kind == "deliver":
            seen = False
            for m, rest in self.deliverable(s):
                if m[0] != sb.shape or (m[2] != node and m[2] != NONE):
                    continue
                seen = True
                if not self._msg_ok(sb, v, m, why, src=v.sender, dst=node) or not self._sent_before(sb, m, claims, why):
                    continue
                action = (sb.idx, node, m)
                for t in self._run(sb, why, action, s, node, m, rest):
                    c = self._post(eb, sb, v, s, t, node, why, action, delivered=m)
                    if c is not None:
                        out.append((action, t, _claim(self._taken(claims, m), c)))
            if not seen and why is not None:
                self._say(why, sb, f"no {sb.message} message to {self.names.show(node)} can be delivered"
                                   + self._flight_note(s, node), 1)
            return out
        for params, t in self._run(sb, why, (sb.idx, node), s, node):
            act: tuple = ((sb.idx, node) if sb.role is not None else (sb.idx,)) + tuple(params)
            if self._params_ok(sb, v, tuple(params), act, why):
                c = self._post(eb, sb, v, s, t, node, why, act)
                if c is not None:
                    out.append((act, t, _claim(claims, c)))
        return out

    def _run(self, sb, why, action, *args) -> list:
        try:
            res = sb.fn(*args)
        except AssertFail as exc:
            self._say(why, sb, f"{self.model.format_action(action)}: assertion {exc.prop} fails")
            return list(exc.done) if isinstance(exc, BranchFailures) else []  # the branches that did not fail
        except ModelError as exc:
            failure = self.model.describe_error(exc).located()
            self._say(why, sb, f"{self.model.format_action(action)}: the model fails: {failure}")
            return []
        if not res and why is not None:
            m = args[2] if sb.kind == "deliver" else None
            text = self.view.explain_guard(sb.idx, action, args[0], m)
            # a disabled step is farther from the log than one that ran and differs
            self._say(why, sb, text or f"{self.model.format_action(action)}: the step makes no next state", 2, 99)
        return list(res)

    def _generic(self, eb, sb, v, s, claims, why) -> list[Match]:
        out: list[Match] = []
        try:
            steps = successful_steps(self.model, s)
        except (StepAssertionError, ModelError) as exc:
            self._say(why, sb, f"the model fails in this state: {exc}")
            return out
        node = v.node if sb.role is not None else None
        found = False
        for action, t in steps:
            if action[0] != sb.idx:
                continue
            parts = self.view.action_parts(action)
            m = parts.message
            if sb.kind == "deliver":
                if parts.node != node:
                    continue
                if not self._msg_ok(sb, v, m, why, src=v.sender, dst=node):
                    continue
            elif m is not None and is_record(m):
                if not self._msg_ok(sb, v, m, why, src=v.node, dst=v.to):
                    continue
            elif sb.role is not None and node is not None and parts.node != node:
                continue
            found = True
            if sb.kind == "deliver" and not self._sent_before(sb, m, claims, why):
                continue
            if sb.param_index and not self._params_ok(sb, v, parts.params, action, why):
                continue
            c = self._post(eb, sb, v, s, t, node if sb.role is not None else v.node, why, action, delivered=m)
            if c is not None:
                kept = claims if m is None or sb.kind == "duplicate" else \
                    self._taken(claims, m) if sb.kind == "deliver" else _unclaim(claims, m)
                out.append((action, t, _claim(kept, c)))
        if not found and why is not None:
            who = f" of {self.names.show(node)}" if node is not None else ""
            self._say(why, sb, f"no '{sb.name}' step{who} is enabled in this state", 1)
        return out

    def _params_ok(self, sb, v: EventView, params: tuple, action: tuple, why) -> bool:
        bad = []
        for p, j in v.params.items():
            if j is MISSING:
                continue
            x = params[sb.param_index[p]]
            if not eq(x, j, self.nodes):
                bad.append(f"{p}: model {show_model(self.names, x)}, log {self._log(j, x)}")
        if bad:
            self._say(why, sb, f"{self.model.format_action(action)}: " + "; ".join(bad), 1, len(bad))
        return not bad

    def _post(self, eb, sb, v: EventView, s, t, node, why, action, delivered=None) -> Any:
        """The observed values and the sent message, after the step: None
        when they disagree, else the sent message matched (or ``()``)."""
        bad: list[str] = []
        args_of = v.observe_args
        for ob in eb.observers(node):
            self._check(ob, v.observe[ob.key], args_of.get(ob.key, ()) if args_of else (), t, node, bad)
        for ob, j, args in v.extra:
            self._check(ob, j, args, t, node, bad)
        sent: Any = ()
        if eb.sent is not None and not bad:
            sent, problem = self._sent(eb, v, s, t, delivered)
            if problem:
                bad.append(problem)
        if bad:
            what = self.model.format_action(action) if action is not None else f"{self.names.show(node)} observed"
            self._say(why, sb, f"{what}, but " + "; ".join(bad), 2, len(bad))
            return None
        return sent

    def _check(self, ob, j: Any, args: tuple, t: tuple, node: Any, bad: list[str]) -> None:
        """One observation of the state ``t`` (a difference goes to ``bad``)."""
        if j is MISSING:
            return
        try:
            x = ob.fn(t, node, *args)
        except (ModelError, AssertFail) as exc:
            bad.append(f"{ob.label(self.names, node, args)}: cannot be evaluated ({getattr(exc, 'message', exc)})")
            return
        if not eq(x, j, self.nodes):
            bad.append(f"{ob.label(self.names, node, args)}: model {show_model(self.names, x)}, log {self._log(j, x)}")

    def _sent(self, eb, v: EventView, s, t, delivered) -> tuple[Any, str]:
        """The message the step sent that ``[events.K.sent]`` names, or a
        description of what it sent instead."""
        before = Counter(self.in_flight(s))
        if delivered is not None and self.view.delivery_consumes:
            before[delivered] -= 1
        new = Counter(self.in_flight(t)) - before
        sb = eb.sent
        cands = [m for m in new if m[0] == sb.shape and (v.sent_to is None or m[2] == v.sent_to)]
        for m in cands:
            if all(j is MISSING or eq(m[sb.field_index[f]], j, self.nodes) for f, j in v.sent_fields.items()):
                return m, ""
        if not cands:
            shown = ", ".join(self.names.show_message(m) for m in sorted(new)) or "nothing"
            return (), (f"it sends no {sb.message}" + (f" to {self.names.show(v.sent_to)}" if v.sent_to else "")
                        + f" (it sends: {shown})")
        m = cands[0]
        diffs = [f"{f}: model {show_model(self.names, m[sb.field_index[f]])}, log {self._log(j, m[sb.field_index[f]])}"
                 for f, j in v.sent_fields.items() if j is not MISSING and not eq(m[sb.field_index[f]], j, self.nodes)]
        return (), f"it sends {self.names.show_message(m)}: " + "; ".join(diffs)

    def _send(self, sb, v: EventView, s, claims, why) -> list[Match]:
        """A check: the message is in flight and not claimed yet (or was
        received already, and is owed this send)."""
        flight = Counter(self.in_flight(s))
        taken = Counter(c for c in claims if not isinstance(c, Owed))
        out: list[Match] = []
        seen = False
        for k, c in enumerate(claims):
            if isinstance(c, Owed) and c.m[0] == sb.shape and c.m[1] == v.node and (v.to is None or c.m[2] == v.to) \
                    and self._msg_ok(sb, v, c.m, why, src=None, dst=None):
                out.append((None, s, claims[:k] + claims[k + 1:]))
                seen = True
        for m, n in flight.items():
            if m[0] != sb.shape or m[1] != v.node or (v.to is not None and m[2] != v.to):
                continue
            seen = True
            if not self._msg_ok(sb, v, m, why, src=None, dst=None):
                continue
            if n <= taken[m]:
                self._say(why, sb, f"{self.names.show_message(m)} is in flight, but an earlier send event "
                                   "already matched it (the model sent it fewer times than the log says)")
                continue
            out.append((None, s, _claim(claims, m)))
        if not seen and why is not None:
            to = f" to {self.names.show(v.to)}" if v.to is not None else ""
            self._say(why, sb, f"the model has no {sb.message} from {self.names.show(v.node)}{to} in flight"
                               + self._flight_note(s, None, src=v.node), 1)
        return out

    def _flight_note(self, s, dst: str | None, src: str | None = None, limit: int = 4) -> str:
        ms = [m for m in self.in_flight(s) if (dst is None or m[2] == dst) and (src is None or m[1] == src)]
        if not ms:
            return " (none in flight" + (f" to {self.names.show(dst)}" if dst is not None else "") + ")"
        shown = ", ".join(self.names.show_message(m) for m in ms[:limit])
        more = f", ... {len(ms) - limit} more" if len(ms) > limit else ""
        return f" (in flight: {shown}{more})"


def _only(eb: EventBinding, sb: StepBinding) -> EventBinding:
    """``eb`` restricted to one of its steps."""
    one = copy.copy(eb)
    one.steps = [sb]
    return one


def _claim(claims: tuple, m: Any) -> tuple:
    """``claims`` with one more copy of ``m`` (``()``: nothing to add)."""
    if isinstance(m, tuple) and m == ():
        return claims
    return tuple(sorted(claims + (m,), key=_claim_order))


def _claim_order(c: Any) -> tuple:
    return (1, c.m) if isinstance(c, Owed) else (0, c)


def _unclaim(claims: tuple, m: Any) -> tuple:
    if m is None or m not in claims:
        return claims
    i = claims.index(m)
    return claims[:i] + claims[i + 1:]


def silent_steps(model, s: tuple, kinds: set[int]) -> list[tuple[Any, tuple]]:
    """The steps of the kinds the mapping calls silent, from ``s``."""
    try:
        return [(a, t) for a, t in successful_steps(model, s) if a[0] in kinds]
    except (StepAssertionError, ModelError):
        return []
