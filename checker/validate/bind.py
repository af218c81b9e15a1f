"""A mapping checked against a compiled model, ready for the search.

`bind` turns each ``[events.K]`` table into an `EventBinding`: the model
steps it may be (`StepBinding`: action kind index, message shape, where
each mapped field and parameter sits in the model's tuples), and what the
log observes (`Observer`: a variable of the acting node, a global
variable, or a DSL expression evaluated in the acting node's context).
`EventBinding.view` reads one event's fields (positioned errors when a
field is missing or a node unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

from checker.compile.model import CompiledModel
from checker.dsl.resolve import RoleInfo
from checker.errors import CheckerError
from checker.validate.logfile import Event, LogError
from checker.validate.mapping import EventMap, FieldRef, Mapping, MappingError
from checker.validate.match import NodeTable
from checker.values import node_number, shape_tag

#: step kinds called directly (`h_k`/`a_k` of the generated module) when
#: the model has no fault steps that gate them (crash, partition, ...).
TARGETED = ("deliver", "action", "timer", "global")
SEND = "send"
MISSING = object()  # an optional field the event does not have


@dataclass
class Observer:
    """One ``observe`` entry: a value of the state after the step."""

    key: str
    ref: FieldRef
    fn: Callable[[tuple, int | None], Any]  # (state, acting node) -> model value
    own: bool  # a variable of the acting node: shown as "Server[1].x"

    def label(self, names, node: str | None) -> str:
        return f"{names.show(node)}.{self.key}" if self.own and node is not None else self.key


@dataclass
class StepBinding:
    """One model step an event may be."""

    name: str
    idx: int  # index into model.action_kinds; -1 for "send"
    kind: str  # deliver, action, timer, global, send, or a fault kind
    role: RoleInfo | None
    shape: str | None = None  # the message's shape tag (deliver, send, loss, ...)
    message: str | None = None
    field_index: dict[str, int] = field(default_factory=dict)  # message field -> index in the message
    param_index: dict[str, int] = field(default_factory=dict)  # parameter -> index in the action tuple
    fn: Callable | None = None  # the targeted step function, when safe
    decl: Any = None


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


class EventBinding:
    """An ``[events.K]`` table bound to the model."""

    def __init__(self, em: EventMap, steps: list[StepBinding], sent: SentBinding | None, binder: Binder):
        self.em = em
        self.steps = steps
        self.sent = sent
        self.binder = binder
        self._observers: dict[str | None, list[Observer]] = {}
        # A step of a role with one node needs no `node` field.
        roles = {s.role.name: s.role for s in steps if s.role is not None}
        one = next(iter(roles.values())) if len(roles) == 1 else None
        self.only_node = one.nodes[0] if one is not None and one.count == 1 else None

    def observers(self, node: str | None) -> list[Observer]:
        """The observers compiled for the acting node's role (lazily)."""
        role = self.binder.role_of(node)
        key = role.name if role else None
        if key not in self._observers:
            self._observers[key] = [self.binder.observer(self.em, k, ref, role) for k, ref in self.em.observe.items()]
        return self._observers[key]

    def view(self, ev: Event) -> EventView:
        em, nodes = self.em, self.binder.nodes

        def get(ref: FieldRef | None, key: str) -> Any:
            if ref is None:
                return None
            if ref.is_const:
                return ref.const
            v: Any = ev.data
            for part in ref.path:
                if not isinstance(v, dict) or part not in v:
                    if ref.optional:
                        return MISSING
                    raise LogError(f"event '{ev.kind}' has no field '{'.'.join(ref.path)}' "
                                   f"(the mapping's [{em.table}] {key} needs it)", ev.file, ev.line)
                v = v[part]
            return v

        def node(ref: FieldRef | None, key: str) -> str | None:
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
        return EventView(
            ev, actor, node(em.sender, "from"), node(em.to, "to"),
            {k: get(r, f"fields.{k}") for k, r in em.fields.items()},
            {k: get(r, f"params.{k}") for k, r in em.params.items()},
            {k: get(r, f"observe.{k}") for k, r in em.observe.items()},
            node(sent.to, "sent.to") if sent else None,
            {k: get(r, f"sent.fields.{k}") for k, r in sent.fields.items()} if sent else {},
        )


class Binder:
    """Checks a `Mapping` against a `CompiledModel`."""

    def __init__(self, model: CompiledModel, mp: Mapping):
        self.model, self.mp = model, mp
        self.r = model.resolved
        self.ns = model.generated.namespace
        self.nodes = NodeTable(model.names, mp.nodes)
        self.kinds = {k.name: (i, k) for i, k in enumerate(model.action_kinds)}
        # Fault steps other than loss/duplicate (crash, partition, ...) gate
        # deliveries and actions inside `successors`: then only it is exact.
        self.targeted = all(k.kind in TARGETED + ("loss", "duplicate") for k in model.action_kinds)

    def err(self, em: EventMap | None, key: str | None, msg: str, entry: str | None = None) -> MappingError:
        """An error at ``key`` of ``em``'s table (at ``entry`` of the
        ``key`` sub-table, e.g. observe's ``x``, when given)."""
        line = self.mp.line_of(f"{em.table}.{key}", entry) if em and key and entry is not None else 0
        line = line or (em.lines.get(key) if em and key else None) or (em.line if em else 0)
        return MappingError(msg, self.mp.file, line)

    def role_of(self, node: str | None) -> RoleInfo | None:
        return None if node is None else self.r.node_roles[node_number(node)]

    def bind(self) -> dict[str, EventBinding]:
        for log_id, display in self.nodes.bad_aliases.items():
            raise MappingError(f"[nodes] {log_id} = \"{display}\": the model has no node {display} "
                               f"(nodes: {', '.join(self.model.names.nodes)})", self.mp.file,
                               self.mp.line_of("nodes", log_id))
        out = {}
        for kind, em in self.mp.events.items():
            steps = [self.step(em, name) for name in em.steps]
            roles = {s.role.name if s.role else None for s in steps if s.kind != SEND}
            if len(roles) > 1:
                raise self.err(em, "step", f"[{em.table}]: the steps of one event must belong to one role")
            if any(s.role is not None and s.role.count > 1 for s in steps) and em.node is None:
                raise self.err(em, "step", f"[{em.table}] needs `node`: the event field naming the node "
                                           "that takes the step")
            sent = self.sent(em) if em.sent else None
            out[kind] = EventBinding(em, steps, sent, self)
            if em.node is not None and em.node.is_const:  # compile observers now: errors surface early
                out[kind].observers(self.nodes.node(em.node.const))
            elif len({s.role.name for s in steps if s.role}) == 1:
                role = next(s.role for s in steps if s.role)
                out[kind].observers(role.nodes[0])
            elif not any(s.role for s in steps):
                out[kind].observers(None)
        for name in self.mp.silent:
            if name not in self.kinds:
                raise MappingError(f"[validate] silent: no step '{name}' in the model (steps: {self._names()})",
                                   self.mp.file, self.mp.line_of("validate", "silent"))
        return out

    def _names(self) -> str:
        return ", ".join(f'"{n}"' for n in self.kinds)

    def step(self, em: EventMap, name: str) -> StepBinding:
        if name == SEND:
            if not em.message:
                raise self.err(em, "step", f"[{em.table}]: a send event needs `message`, the message type")
            sb = StepBinding(SEND, -1, SEND, None)
            self._message(em, sb, em.message)
            if em.node is None:
                raise self.err(em, "step", f"[{em.table}]: a send event needs `node` (the sender)")
            self._no_params(em, sb)
            return sb
        if name not in self.kinds:
            raise self.err(em, "step", f"[{em.table}] step: no step '{name}' in the model "
                                       f"(steps: {self._names()}, and \"send\")")
        idx, kind = self.kinds[name]
        sb = StepBinding(name, idx, kind.kind, kind.role, decl=kind.decl)
        if kind.kind == "deliver":
            self._message(em, sb, kind.decl.message, aliases=kind.decl.params)
        elif kind.kind in ("loss", "duplicate", "corrupt"):
            if em.message:
                self._message(em, sb, em.message)
            elif em.fields:
                raise self.err(em, "fields", f"[{em.table}]: say which `message` type the fields belong to")
        elif em.fields or em.message:
            raise self.err(em, "fields" if em.fields else "message",
                           f"[{em.table}]: step '{name}' handles no message; use `params` and `observe`")
        if kind.kind in ("action", "timer", "global"):
            offset = 1 if kind.kind == "global" else 2
            sb.param_index = {p: offset + i for i, p in enumerate(kind.params)}
            for p in em.params:
                if p not in sb.param_index:
                    raise self.err(em, "params", f"[{em.table}] params: step '{name}' has no parameter "
                                                 f"'{p}' (parameters: {', '.join(kind.params) or 'none'})", p)
        else:
            self._no_params(em, sb)
        if self.targeted and kind.kind in TARGETED:
            sb.fn = self.ns.get(f"{'h' if kind.kind == 'deliver' else 'a'}_{idx}")
        return sb

    def _no_params(self, em: EventMap, sb: StepBinding) -> None:
        if em.params:
            raise self.err(em, "params", f"[{em.table}] params: step '{sb.name}' has no parameters")

    def _message(self, em: EventMap, sb: StepBinding, message: str, aliases: tuple[str, ...] = ()) -> None:
        info = self.r.messages.get(message)
        if info is None:
            raise self.err(em, "message", f"[{em.table}]: no message type '{message}' in the model "
                                          f"(messages: {', '.join(self.r.messages)})")
        sb.shape, sb.message = shape_tag(info.shape), message
        index = {f: 3 + k for k, f in enumerate(info.fields)}
        index.update({a: 3 + k for k, a in enumerate(aliases) if a not in index})
        for f in em.fields:
            if f not in index:
                raise self.err(em, "fields", f"[{em.table}] fields: message {message} has no field '{f}' "
                                             f"(fields: {', '.join(info.fields) or 'none'})", f)
        sb.field_index = index

    def sent(self, em: EventMap) -> SentBinding:
        s = em.sent
        assert s is not None
        info = self.r.messages.get(s.message)
        if info is None:
            raise MappingError(f"[{em.table}.sent] message: no message type '{s.message}' in the model "
                               f"(messages: {', '.join(self.r.messages)})", self.mp.file, s.line)
        index = {f: 3 + k for k, f in enumerate(info.fields)}
        for f in s.fields:
            if f not in index:
                raise MappingError(f"[{em.table}.sent] fields: message {s.message} has no field '{f}'",
                                   self.mp.file, s.line)
        return SentBinding(shape_tag(info.shape), s.message, index)

    def observer(self, em: EventMap, key: str, ref: FieldRef, role: RoleInfo | None) -> Observer:
        if role is not None and key in role.vars:
            slot = self.model.layout.var(role, key) - role.first
            return Observer(key, ref, partial(_node_var, slot), True)
        if key in self.r.global_vars:
            return Observer(key, ref, partial(_global_var, self.model.layout.globals[key]), False)
        try:
            fn = compile_expr(self.model, key, role)
        except CheckerError as exc:
            msg = getattr(exc, "message", str(exc))
            where = f"role {role.name}" if role else "the global scope"
            raise self.err(em, "observe", f"[{em.table}] observe: '{key}' is neither a variable of "
                                          f"{where} nor a valid expression: {msg}", key) from None
        return Observer(key, ref, fn, False)


def _node_var(slot: int, s: tuple, me: str) -> Any:
    return s[slot + node_number(me)]


def _global_var(slot: int, s: tuple, me: Any) -> Any:
    return s[slot]


def compile_expr(model: CompiledModel, text: str, role: RoleInfo | None,
                 params: tuple[str, ...] = (), *, condition: bool = False) -> Callable[..., Any]:
    """Compile a DSL expression over a state, evaluated as node ``me`` of
    ``role`` (``self``, its variables), with ``params`` bound to further
    arguments: ``fn(state, me, *params)``."""
    from checker.compile import compile_expression

    return compile_expression(model, text, role, params, condition=condition)
