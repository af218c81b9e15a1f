"""A mapping checked against a model, ready for the search.

`Binder.bind` turns each ``[events.NAME]`` table into an `EventBinding`:
the model steps it may be (`StepBinding`: action kind index, message
type, where each mapped field sits in the message), and what the log
observes (`Observer`: a variable of the acting node, a global variable, or
an expression of the model's language). Everything about the model comes
through its `checker.model.ValidationView`, so a `.dsl` spec and a Python
model are validated alike. `EventBinding.view` reads one event's values
(positioned errors when a field is missing or a node unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from checker.errors import UsageError
from checker.model import Model, StepKind, ValidationView
from checker.validate.logfile import Event, LogError
from checker.validate.logvalues import MISSING, BadLookup, Missing, Value, evaluate
from checker.validate.mapping import EventMap, Mapping, MappingError
from checker.validate.match import NodeTable, show_json
from checker.values import BOOLS, NONE, shape_tag, string

SEND = "send"  # a message sent inside a step (a check, not a step)
OBSERVE = "observe"  # an observe-only event (a check of the state, not a step)
EFFECT = "effect"  # an effect of the acting node's step before it (folded into that step)
SKIP = "skip"  # events the mapping ignores on purpose (selected by `match`)
CHECKS = (SEND, OBSERVE, EFFECT)
#: ``$field`` in an observe key: a value of the event (``log[$index - 1]``)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_.]*)")
_MESSAGE_FAULTS = (StepKind.LOSS, StepKind.DUPLICATE, StepKind.CORRUPT)


@dataclass
class Observer:
    """One ``observe`` entry: a value of the state after the step."""

    key: str
    ref: Value
    fn: Callable[..., Any]  # (state, acting node, *params) -> model value
    own: bool  # a variable of the acting node: shown as "Server[1].x"
    params: tuple[tuple[str, ...], ...] = ()  # event fields the key reads (``$field``)

    def label(self, names, node: str | None, args: tuple = ()) -> str:
        key = self.key
        for path, a in zip(self.params, args):
            key = key.replace("$" + ".".join(path), names.show(a), 1)
        return f"{names.show(node)}.{key}" if self.own and node is not None else key


@dataclass
class StepBinding:
    """One model step an event may be."""

    name: str
    idx: int  # index into the view's kinds; -1 for "send" and "observe"
    kind: str  # a StepKind value, "send" or "observe"
    role: str | None
    nodes: tuple[str, ...] = ()  # the role's nodes
    shape: str | None = None  # the message's shape tag (deliver, send, loss, ...)
    message: str | None = None
    field_index: dict[str, int] = field(default_factory=dict)  # message field -> index in the message
    param_index: dict[str, int] = field(default_factory=dict)  # parameter -> index in ActionParts.params
    fn: Callable | None = None  # the fast-path step function, when the model offers one


@dataclass
class SentBinding:
    shape: str
    message: str
    field_index: dict[str, int]


@dataclass
class EventView:
    """The values one event supplies (JSON), resolved against the mapping."""

    event: Event
    node: str | None
    sender: str | None
    to: str | None
    fields: dict[str, Any]
    params: dict[str, Any]
    observe: dict[str, Any]
    sent_to: str | None
    sent_fields: dict[str, Any]
    #: values of the ``$field`` parameters of observe keys (model values)
    observe_args: dict[str, tuple] = field(default_factory=dict)
    #: observations folded in from effect events: (observer, log value, args)
    extra: tuple = ()


class EventBinding:
    """An ``[events.NAME]`` table bound to the model."""

    def __init__(self, em: EventMap, steps: list[StepBinding], sent: SentBinding | None, binder: Binder):
        self.em = em
        self.steps = steps
        self.sent = sent
        self.binder = binder
        self._observers: dict[str | None, list[Observer]] = {}
        #: observe keys with ``$field`` parameters -> the fields
        self.key_params = {k: tuple(dict.fromkeys(_PARAM.findall(k))) for k in em.observe if _PARAM.search(k)}
        # A step of a role with one node needs no `node` field.
        roles = {s.role for s in steps if s.role is not None}
        nodes = binder.view.roles.get(next(iter(roles))) if len(roles) == 1 else None
        self.only_node = nodes[0] if nodes and len(nodes) == 1 else None

    def observers(self, node: str | None) -> list[Observer]:
        """The observers compiled for the acting node's role (lazily)."""
        role = self.binder.view.role_of(node) if node is not None else None
        if role not in self._observers:
            self._observers[role] = [self.binder.observer(self.em, k, ref, role) for k, ref in self.em.observe.items()]
        return self._observers[role]

    def view(self, ev: Event) -> EventView:
        em, nodes, tables = self.em, self.binder.nodes, self.binder.mp.tables

        def get(ref: Value | None, key: str) -> Any:
            if ref is None:
                return None
            if ref.op == "path":  # the common case, inline
                x: Any = ev.data
                for part in ref.path:
                    if type(x) is dict and part in x:
                        x = x[part]
                        continue
                    break
                else:
                    return x
            try:
                return evaluate(ref, ev.data, tables)
            except Missing as exc:
                raise LogError(f"event '{ev.kind}' has no field '{exc.path}' (the mapping's [{em.table}] {key} "
                               "needs it)", ev.file, ev.line) from None
            except BadLookup as exc:
                raise LogError(f"[tables.{exc.table}] has no entry {show_json(exc.key)} (the mapping's "
                               f"[{em.table}] {key} looks it up; keys: {', '.join(tables[exc.table])})",
                               ev.file, ev.line) from None

        def node(ref: Value | None, key: str) -> str | None:
            j = get(ref, key)
            if j is None or j is MISSING:
                return None
            n = nodes.node(j)
            if n is None:
                raise LogError(f"field '{ref}' = {j!r} names no node: it is not in the mapping's [nodes] "
                               f"and not a node of the model (nodes: {nodes.known()})", ev.file, ev.line)
            return n

        sent = em.sent
        actor = node(em.node, "node")
        if actor is None and em.node is None:
            actor = self.only_node
        args = {}
        for key, params in self.key_params.items():
            args[key] = tuple(self.binder.model_value(get(Value("path", tuple(p.split("."))), f"observe.{key}"))
                              for p in params)
        return EventView(
            ev, actor, node(em.sender, "from"), node(em.to, "to"),
            {k: get(r, f"fields.{k}") for k, r in em.fields.items()},
            {k: get(r, f"params.{k}") for k, r in em.params.items()},
            {k: get(r, f"observe.{k}") for k, r in em.observe.items()},
            node(sent.to, "sent.to") if sent else None,
            {k: get(r, f"sent.fields.{k}") for k, r in sent.fields.items()} if sent else {},
            args,
        )

    @property
    def acts(self) -> bool:
        """Whether the event is a step of a node (not a check, a message
        fault or an effect)."""
        return any(s.kind not in CHECKS and s.role is not None for s in self.steps)

    @property
    def skips(self) -> bool:
        """An entry that ignores the events it matches (``step = "skip"``)."""
        return not self.steps

    @property
    def is_effect(self) -> bool:
        return any(s.kind == EFFECT for s in self.steps)

    def node_of(self, ev: Event) -> str | None:
        """The acting node an event names (None when it names none or
        cannot be read: the error surfaces when the event is matched)."""
        if self.em.node is None:
            return self.only_node
        try:
            j = evaluate(self.em.node, ev.data, self.binder.mp.tables)
        except (Missing, BadLookup):
            return None
        return self.binder.nodes.node(j) if j is not MISSING else None


def validation_view(model: Model, spec: str) -> ValidationView:
    """The model's `ValidationView`, or a usage error naming the spec."""
    view = model.validation_view()
    if view is None:
        raise UsageError(f"{spec}: this model cannot be validated against logs: its validation_view() returns "
                         "None (see checker.model.ValidationView)")
    return view


class Binder:
    """Checks a `Mapping` against a model's `ValidationView`."""

    def __init__(self, model: Model, mp: Mapping, view: ValidationView | None = None):
        self.model, self.mp = model, mp
        self.view = view if view is not None else validation_view(model, mp.file)
        if model.names is None:
            raise UsageError(f"{mp.file}: the model has no names table (Model.names): validation needs one")
        self.names = model.names
        self.nodes = NodeTable(self.names, mp.nodes)
        self.kinds = {k.name: i for i, k in enumerate(self.view.kinds)}
        self.messages = {sh.name: (shape_tag(i), sh.fields[2:]) for i, sh in enumerate(self.names.shapes)
                         if sh.is_message}

    def err(self, em: EventMap | None, key: str | None, msg: str, entry: str | None = None) -> MappingError:
        """An error at ``key`` of ``em``'s table (at ``entry`` of the
        ``key`` sub-table, e.g. observe's ``x``, when given)."""
        line = self.mp.line_of(f"{em.table}.{key}", entry) if em and key and entry is not None else 0
        line = line or (em.lines.get(key) if em and key else None) or (em.line if em else 0)
        return MappingError(msg, self.mp.file, line)

    def bind(self) -> dict[str, EventBinding]:
        for log_id, display in self.nodes.bad_aliases.items():
            raise MappingError(f"[nodes] {log_id} = \"{display}\": the model has no node {display} "
                               f"(nodes: {', '.join(self.names.nodes)})", self.mp.file,
                               self.mp.line_of("nodes", log_id))
        out = {}
        for name, em in self.mp.events.items():
            if SKIP in em.steps:
                if len(em.steps) > 1 or em.observe or em.fields or em.params or em.node or em.sent:
                    raise self.err(em, "step", f"[{em.table}]: step = \"skip\" ignores the events it matches; "
                                               "it takes no other key but `match`")
                out[name] = EventBinding(em, [], None, self)
                continue
            steps = [self.step(em, s) for s in em.steps]
            roles = {s.role for s in steps if s.kind not in CHECKS}
            if len(roles) > 1:
                raise self.err(em, "step", f"[{em.table}]: the steps of one event must belong to one role")
            if any(len(s.nodes) > 1 for s in steps if s.kind not in CHECKS) and em.node is None:
                raise self.err(em, "step", f"[{em.table}] needs `node`: the event field naming the node "
                                           "that takes the step")
            sent = self.sent(em) if em.sent else None
            out[name] = eb = EventBinding(em, steps, sent, self)
            if em.node is not None and em.node.is_const:  # compile observers now: errors surface early
                eb.observers(self.nodes.node(em.node.const))
            elif len({s.role for s in steps if s.role}) == 1:
                eb.observers(next(s.nodes[0] for s in steps if s.role))
            elif any(s.kind in (OBSERVE, EFFECT) for s in steps) and em.node is not None:
                if len(self.view.roles) == 1:  # the only role the node can be of
                    eb.observers(next(iter(self.view.roles.values()))[0])
            elif not any(s.role for s in steps):
                eb.observers(None)
        for name in self.mp.silent:
            if name not in self.kinds:
                raise MappingError(f"[validate] silent: no step '{name}' in the model (steps: {self._names()})",
                                   self.mp.file, self.mp.line_of("validate", "silent"))
        return out

    def model_value(self, j: Any) -> Any:
        """An event value used inside an observe key, as a model value."""
        if isinstance(j, str):
            n = self.nodes.node(j)
            return n if n is not None else string(j)
        if j is None:
            return NONE
        if j is True or j is False:
            return BOOLS[j]
        return j

    def _names(self) -> str:
        return ", ".join(f'"{n}"' for n in self.kinds)

    def step(self, em: EventMap, name: str) -> StepBinding:
        if name in CHECKS:
            return self._check(em, name)
        if name not in self.kinds:
            raise self.err(em, "step", f"[{em.table}] step: no step '{name}' in the model "
                                       f"(steps: {self._names()}, \"send\" and \"observe\")")
        idx = self.kinds[name]
        info = self.view.kinds[idx]
        nodes = self.view.roles.get(info.role, ()) if info.role else ()
        sb = StepBinding(name, idx, info.kind.value, info.role, nodes)
        if info.kind is StepKind.DELIVER:
            self._message(em, sb, info.message or "", aliases=info.params)
        elif info.kind in _MESSAGE_FAULTS:
            if em.message:
                self._message(em, sb, em.message)
            elif em.fields:
                raise self.err(em, "fields", f"[{em.table}]: say which `message` type the fields belong to")
        elif em.fields or em.message:
            raise self.err(em, "fields" if em.fields else "message",
                           f"[{em.table}]: step '{name}' handles no message; use `params` and `observe`")
        if info.kind in (StepKind.ACTION, StepKind.TIMER, StepKind.GLOBAL):
            sb.param_index = {p: i for i, p in enumerate(info.params)}
            for p in em.params:
                if p not in sb.param_index:
                    raise self.err(em, "params", f"[{em.table}] params: step '{name}' has no parameter "
                                                 f"'{p}' (parameters: {', '.join(info.params) or 'none'})", p)
        else:
            self._no_params(em, sb)
        sb.fn = self.view.step_function(idx)
        return sb

    def _check(self, em: EventMap, name: str) -> StepBinding:
        sb = StepBinding(name, -1, name, None)
        if name == SEND:
            if not em.message:
                raise self.err(em, "step", f"[{em.table}]: a send event needs `message`, the message type")
            self._message(em, sb, em.message)
            if em.node is None:
                raise self.err(em, "step", f"[{em.table}]: a send event needs `node` (the sender)")
        elif len(em.steps) > 1:  # observe, or a step: what the step reads is the step's
            return sb
        else:
            what = "an observe-only event" if name == OBSERVE else "an effect event"
            if em.fields or em.message or em.sent:
                raise self.err(em, "step", f"[{em.table}]: {what} checks the state with `observe`; it has no message")
            if not em.observe:
                raise self.err(em, "step", f"[{em.table}]: {what} needs `observe`")
            if name == EFFECT and em.node is None:
                raise self.err(em, "step", f"[{em.table}]: an effect event needs `node`: the node whose step "
                                           "it belongs to")
        self._no_params(em, sb)
        return sb

    def _no_params(self, em: EventMap, sb: StepBinding) -> None:
        if em.params:
            raise self.err(em, "params", f"[{em.table}] params: step '{sb.name}' has no parameters")

    def _message(self, em: EventMap, sb: StepBinding, message: str, aliases: tuple[str, ...] = ()) -> None:
        if message not in self.messages:
            raise self.err(em, "message", f"[{em.table}]: no message type '{message}' in the model "
                                          f"(messages: {', '.join(self.messages)})")
        shape, fields = self.messages[message]
        sb.shape, sb.message = shape, message
        index = {f: 3 + k for k, f in enumerate(fields)}
        index.update({a: 3 + k for k, a in enumerate(aliases) if a not in index})
        for f in em.fields:
            if f not in index:
                raise self.err(em, "fields", f"[{em.table}] fields: message {message} has no field '{f}' "
                                             f"(fields: {', '.join(fields) or 'none'})", f)
        sb.field_index = index

    def sent(self, em: EventMap) -> SentBinding:
        s = em.sent
        assert s is not None
        if s.message not in self.messages:
            raise MappingError(f"[{em.table}.sent] message: no message type '{s.message}' in the model "
                               f"(messages: {', '.join(self.messages)})", self.mp.file, s.line)
        shape, fields = self.messages[s.message]
        index = {f: 3 + k for k, f in enumerate(fields)}
        for f in s.fields:
            if f not in index:
                raise MappingError(f"[{em.table}.sent] fields: message {s.message} has no field '{f}'",
                                   self.mp.file, s.line)
        return SentBinding(shape, s.message, index)

    def observer(self, em: EventMap, key: str, ref: Value, role: str | None) -> Observer:
        fn = self.view.variable(key, role)
        if fn is not None:
            return Observer(key, ref, fn, role is not None and self.view.variable(key, None) is None)
        params = tuple(dict.fromkeys(_PARAM.findall(key)))
        text = _PARAM.sub(lambda m: "__event_" + m.group(1).replace(".", "__"), key)
        try:
            fn = self.view.expression(text, role, tuple("__event_" + p.replace(".", "__") for p in params))
        except ValueError as exc:
            where = f"role {role}" if role else "the global scope"
            raise self.err(em, "observe", f"[{em.table}] observe: '{key}' is neither a variable of "
                                          f"{where} nor a valid expression: {exc}", key) from None
        return Observer(key, ref, fn, False, tuple(tuple(p.split(".")) for p in params))

