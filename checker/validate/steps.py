"""Matching one event against the steps of one model state.

`Matcher.match` returns every (action, next state, claims) that the event
can be from a state: the steps of the mapped kinds whose node, message,
parameters, observed values and sent message agree with the event. With
``why`` (a list) it also records, for each step it tried, what disagreed
(expected vs observed), which `checker.validate.explain` turns into the
report of a rejected event.

*Claims* are the in-flight messages already matched by a ``send`` event
(a sorted tuple): a message logged as sent twice must have been sent
twice by the model.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from typing import Any, Iterator

from checker.compile.runtime import AssertFail
from checker.errors import ModelError
from checker.model import StepAssertionError, successful_steps
from checker.validate.bind import MISSING, SEND, EventBinding, EventView, StepBinding
from checker.validate.match import eq, show_json, show_model
from checker.values import NONE, is_node, is_record

Match = tuple[Any, tuple, tuple]  # (action or None, next state, claims)


class Matcher:
    """Step matching against one compiled model."""

    def __init__(self, model, nodes):
        self.model = model
        self.nodes = nodes
        self.names = model.names
        self.net_slot = model.layout.net
        self.network = model.network

    # ---- the network (`checker.network`) -------------------------------------
    def in_flight(self, s: tuple) -> tuple:
        return self.network.in_flight(s[self.net_slot])

    def deliverable(self, s: tuple) -> Iterator[tuple[Any, Any]]:
        """(message, the network without it) for each message that can be
        delivered now, as the generated ``successors`` computes them."""
        return self.network.deliveries(s[self.net_slot])

    # ---- matching -----------------------------------------------------------
    def match(self, eb: EventBinding, v: EventView, s: tuple, claims: tuple, why: list | None = None) -> list[Match]:
        """Every way event ``v`` can happen from state ``s`` (with
        ``claims``): (action or None for a send check, next state, claims).
        With ``why``, append (step, mismatch, level) for each failed try."""
        out: list[Match] = []
        for sb in eb.steps:
            if sb.role is not None and v.node is None and sb.kind != SEND:
                # The log does not say which node: any node of the role.
                for n in sb.role.nodes:
                    out.extend(self.match(_only(eb, sb), dataclasses.replace(v, node=n), s, claims, why))
                continue
            if sb.kind == SEND:
                out.extend(self._send(sb, v, s, claims, why))
            elif sb.fn is not None:
                out.extend(self._targeted(eb, sb, v, s, claims, why))
            else:
                out.extend(self._generic(eb, sb, v, s, claims, why))
        return out

    def _say(self, why: list | None, sb: StepBinding, text: str, level: int = 2) -> None:
        """Record a mismatch; level 1: not the step the event names (another
        message or parameter), level 2: that step, but it disagrees."""
        if why is not None:
            why.append((sb.name, text, level))

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
            self._say(why, sb, f"in flight: {self.names.show_message(m)}, but " + "; ".join(bad), 1)
        return not bad

    def _targeted(self, eb, sb, v, s, claims, why) -> list[Match]:
        node = v.node if sb.role is not None else None
        out: list[Match] = []
        if sb.kind == "deliver":
            seen = False
            for m, rest in self.deliverable(s):
                if m[0] != sb.shape or (m[2] != node and m[2] != NONE):
                    continue
                seen = True
                if not self._msg_ok(sb, v, m, why, src=v.sender, dst=node):
                    continue
                action: tuple = (sb.idx, node, m)
                for t in self._run(sb, why, action, sb.fn, s, node, m, rest):
                    if self._post(eb, sb, v, s, t, node, why, action, delivered=m):
                        out.append((action, t, _unclaim(claims, m)))
            if not seen and why is not None:
                self._say(why, sb, f"no {sb.message} message to {self.names.show(node)} can be delivered"
                                   + self._flight_note(s, node), 1)
            return out
        for params, t in self._run(sb, why, (sb.idx, node), sb.fn, s, node, pairs=True):
            action = ((sb.idx, node) if sb.role is not None else (sb.idx,)) + tuple(params)
            if self._params_ok(sb, v, action, why) and self._post(eb, sb, v, s, t, node, why, action):
                out.append((action, t, claims))
        return out

    def _run(self, sb, why, action, fn, *args, pairs: bool = False) -> list:
        try:
            res = fn(*args)
        except AssertFail as exc:
            self._say(why, sb, f"{self.model.format_action(action)}: assertion {exc.prop} fails")
            return []
        except ModelError as exc:
            self._say(why, sb, f"{self.model.format_action(action)}: the model fails: {exc.message}")
            return []
        if not res and why is not None:
            from checker.validate.explain import guard_report

            msg = args[2] if sb.kind == "deliver" else None
            self._say(why, sb, guard_report(self, sb, action, args[0], args[1], msg))
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
            m = None
            if sb.kind == "deliver":
                if action[1] != node:
                    continue
                m = action[2]
                if not self._msg_ok(sb, v, m, why, src=v.sender, dst=node):
                    continue
            elif len(action) > 1 and _is_message(action[1], self.names):
                m = action[1]
                if not self._msg_ok(sb, v, m, why, src=v.node, dst=v.to):
                    continue
            elif sb.role is not None and node is not None and (len(action) < 2 or action[1] != node):
                continue
            found = True
            if sb.param_index and not self._params_ok(sb, v, action, why):
                continue
            if self._post(eb, sb, v, s, t, node if sb.role is not None else v.node, why, action, delivered=m):
                out.append((action, t, _unclaim(claims, m) if m is not None and sb.kind != "duplicate" else claims))
        if not found and why is not None:
            who = f" of {self.names.show(node)}" if node is not None else ""
            self._say(why, sb, f"no '{sb.name}' step{who} is enabled in this state", 1)
        return out

    def _params_ok(self, sb, v: EventView, action: tuple, why) -> bool:
        bad = []
        for p, j in v.params.items():
            if j is MISSING:
                continue
            x = action[sb.param_index[p]]
            if not eq(x, j, self.nodes):
                bad.append(f"{p}: model {show_model(self.names, x)}, log {self._log(j, x)}")
        if bad:
            self._say(why, sb, f"{self.model.format_action(action)}: " + "; ".join(bad), 1)
        return not bad

    def _post(self, eb, sb, v: EventView, s, t, node, why, action, delivered=None) -> bool:
        """The observed values and the sent message, after the step."""
        bad = []
        for ob in eb.observers(node):
            j = v.observe[ob.key]
            if j is MISSING:
                continue
            try:
                x = ob.fn(t, node)
            except (ModelError, AssertFail) as exc:
                bad.append(f"{ob.label(self.names, node)}: cannot be evaluated ({getattr(exc, 'message', exc)})")
                continue
            if not eq(x, j, self.nodes):
                bad.append(f"{ob.label(self.names, node)}: model {show_model(self.names, x)}, log {self._log(j, x)}")
        if eb.sent is not None and not bad:
            bad.extend(self._sent_bad(eb, v, s, t, delivered))
        if bad:
            self._say(why, sb, f"{self.model.format_action(action)}, but " + "; ".join(bad))
        return not bad

    def _sent_bad(self, eb, v: EventView, s, t, delivered) -> list[str]:
        before = Counter(self.in_flight(s))
        if delivered is not None and self.network.consumes:
            before[delivered] -= 1
        new = Counter(self.in_flight(t)) - before
        sb = eb.sent
        cands = [m for m in new if m[0] == sb.shape and (v.sent_to is None or m[2] == v.sent_to)]
        for m in cands:
            if all(j is MISSING or eq(m[sb.field_index[f]], j, self.nodes) for f, j in v.sent_fields.items()):
                return []
        if not cands:
            shown = ", ".join(self.names.show_message(m) for m in sorted(new)) or "nothing"
            return [f"it sends no {sb.message}" + (f" to {self.names.show(v.sent_to)}" if v.sent_to else "")
                    + f" (it sends: {shown})"]
        m = cands[0]
        diffs = [f"{f}: model {show_model(self.names, m[sb.field_index[f]])}, log {self._log(j, m[sb.field_index[f]])}"
                 for f, j in v.sent_fields.items() if j is not MISSING and not eq(m[sb.field_index[f]], j, self.nodes)]
        return [f"it sends {self.names.show_message(m)}: " + "; ".join(diffs)]

    def _send(self, sb, v: EventView, s, claims, why) -> list[Match]:
        """A check: the message is in flight and not claimed yet."""
        flight = Counter(self.in_flight(s))
        taken = Counter(claims)
        out: list[Match] = []
        seen = False
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
            out.append((None, s, tuple(sorted(claims + (m,)))))
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


def _unclaim(claims: tuple, m: Any) -> tuple:
    if m is None or m not in claims:
        return claims
    i = claims.index(m)
    return claims[:i] + claims[i + 1:]


def _is_message(x: Any, names) -> bool:
    return is_record(x) and names.shape_of(x).is_message


def silent_steps(model, s: tuple, kinds: set[int]) -> list[tuple[Any, tuple]]:
    """The steps of the kinds the mapping calls silent, from ``s``."""
    try:
        return [(a, t) for a, t in successful_steps(model, s) if a[0] in kinds]
    except (StepAssertionError, ModelError):
        return []

