"""The reference's view of a resolved spec: nodes, variables, messages,
fault bounds, and constants evaluated anew as typed values.

The resolver (`checker.dsl.resolve`) numbers nodes and checks declarations;
the reference reuses that structure but none of the compiler's values:
constants and message field domains are evaluated again here, from the
AST, with the reference's own evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from checker.dsl import ast as A
from checker.dsl.faults import FaultBoundInfo
from checker.dsl.resolve import ResolvedSpec, RoleInfo, parse_override
from checker.reference.env import Env
from checker.reference.typed import elements
from checker.reference.values import Bool, EvalError, Int, Node, Set, Str, Value, span_of


@dataclass
class RoleTable:
    info: RoleInfo
    nodes: list[Node]
    node_set: Set
    var_names: list[str]
    var_index: dict[str, int]
    persistent: set[str] = field(default_factory=set)
    restart: A.RestartDecl | None = None

    @property
    def name(self) -> str:
        return self.info.name


@dataclass
class MessageType:
    name: str
    order: int
    fields: tuple[str, ...]
    #: per field, the values a corruption may put there (``f in D``), or None
    domains: tuple[tuple[Value, ...] | None, ...] = ()


@dataclass
class Bound:
    """One fault bound; ``counter`` indexes the state's fault counters."""

    info: FaultBoundInfo
    counter: int

    @property
    def kind(self) -> str:
        return self.info.kind

    @property
    def bound(self) -> int:
        return self.info.bound


class RefSpec:
    """Tables the interpreter reads (built once per spec and options)."""

    def __init__(self, r: ResolvedSpec, overrides: Mapping[str, str] | None = None):
        self.r = r
        self.network = r.network
        self.defs = r.defs
        self.quorums = r.quorums
        self.messages: dict[str, MessageType] = {
            name: MessageType(name, k, m.fields) for k, (name, m) in enumerate(r.messages.items())}
        self.roles: dict[str, RoleTable] = {}
        self.nodes: list[Node] = []
        self.node_role: list[RoleTable] = []
        for role in r.roles.values():
            nodes = [Node(role.first + i, role.name, i, role.node_name(i)) for i in range(role.count)]
            names = list(role.vars)
            table = RoleTable(role, nodes, Set(nodes), names, {n: k for k, n in enumerate(names)})
            self.roles[role.name] = table
            self.nodes.extend(nodes)
            self.node_role.extend([table] * role.count)
        self.global_names = list(r.global_vars)
        self.global_index = {n: k for k, n in enumerate(self.global_names)}
        self.consts: dict[str, Value] = {}
        self._constants(overrides or {})
        #: a spec that never reads `sent` keeps no history (it would
        #: multiply the states for nothing); a set network is its own history.
        self.track_sent = r.network != "set" and any(isinstance(x, A.Name) and x.id == "sent" for x in A.walk(r.spec))
        info = r.fault_info
        self.bounds = [Bound(b, k) for k, b in enumerate(info.bounds)] if info is not None else []
        self.partition_mode = info.partition_mode if info is not None else "hold"
        if info is not None:
            for name, table in self.roles.items():
                table.persistent = set(info.persistent.get(name, set()))
                table.restart = info.restarts.get(name)
        self._domains()
        self.check_deadlock = not any(isinstance(t.cond, A.BoolLit) and t.cond.value for t in r.terminals)
        self.assertion_names = list(r.assertions)

    @property
    def crashes(self) -> bool:
        return any(b.kind == "crash" for b in self.bounds)

    @property
    def partitions(self) -> bool:
        return any(b.kind == "partition" for b in self.bounds)

    def env(self, frame: Any = None, me: Node | None = None, role: RoleTable | None = None) -> Env:
        return Env(self, frame, me, role)

    def _constants(self, overrides: Mapping[str, str]) -> None:
        from checker.reference.evaluate import ev

        for d in self.r.spec.decls:
            if isinstance(d, A.ConstDecl):
                if d.name in overrides:
                    self.consts[d.name] = _typed(parse_override(d.name, overrides[d.name]))
                else:
                    self.consts[d.name] = ev(d.value, self.env())

    def _domains(self) -> None:
        from checker.reference.evaluate import ev

        for d in self.r.spec.decls:
            if isinstance(d, A.MessageDecl) and d.domains and d.name in self.messages:
                doms: list[tuple[Value, ...] | None] = []
                for dom in d.domains:
                    if dom is None:
                        doms.append(None)
                    else:
                        doms.append(tuple(dict.fromkeys(elements(ev(dom, self.env()), span_of(dom)))))
                self.messages[d.name].domains = tuple(doms)


def _typed(v: Any) -> Value:
    if isinstance(v, bool):
        return Bool(v)
    if isinstance(v, int):
        return Int(v)
    if isinstance(v, str):
        return Str(v)
    raise EvalError(f"unsupported constant value {v!r}")  # pragma: no cover
