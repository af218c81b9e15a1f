"""ast.Spec -> ResolvedSpec: symbol tables, constants, every static check.

The resolver evaluates constants (with overrides), numbers the nodes,
assigns message shapes and rejects declaration-level errors (duplicates,
unknown names in declarations, bad counts, arity mismatches between
message declarations and handlers, fault kinds that do not apply); then
`checker.dsl.typecheck` checks every expression and statement and records
their kinds. A spec that resolves has no static error left: the compiler
(which lays out the state, `checker.compile.layout`) raises none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from checker.dsl import ast as A
from checker.dsl.consteval import const_eval
from checker.dsl.faults import resolve_faults
from checker.dsl.parser import MAX_LITERAL_DIGITS
from checker.dsl.quorum_ast import QuorumDecl
from checker.dsl.quorums import resolve_quorums
from checker.dsl.temporal import check_fairness, check_initial_domains
from checker.errors import SpecError
from checker.network import NetworkKind
from checker.options import LoadOptions, Option, OptionError
from checker.values import BOOLS, KIND_PHRASES, Names, Shape, ValueKind, kind_of, string
from checker.values import node as node_value

NETWORKS = tuple(NetworkKind)

# Far beyond what can be explored; a larger count is a typo or a bad --const.
MAX_ROLE_COUNT = 1000


@dataclass
class VarInfo:
    name: str
    role: RoleInfo | None
    decl: A.VarDecl


@dataclass
class MessageInfo:
    name: str
    fields: tuple[str, ...]
    shape: int
    span: Any


@dataclass
class RoleInfo:
    name: str
    count: int
    first: int  # global index of node 0
    decl: A.RoleDecl
    vars: dict[str, VarInfo] = field(default_factory=dict)
    handlers: dict[str, A.Handler] = field(default_factory=dict)
    actions: list[A.ActionDecl] = field(default_factory=list)
    inits: list[A.InitDecl] = field(default_factory=list)

    @property
    def nodes(self) -> list[str]:
        return [node_value(self.first + i) for i in range(self.count)]

    def node_name(self, i: int) -> str:
        return self.name if self.count == 1 and self.decl.count is None else f"{self.name}[{i}]"


@dataclass
class ResolvedSpec:
    spec: A.Spec
    names: Names
    consts: dict[str, Any]
    network: NetworkKind
    faults: dict[str, int]
    roles: dict[str, RoleInfo]
    global_vars: dict[str, VarInfo]
    messages: dict[str, MessageInfo]
    defs: dict[str, A.DefDecl]
    actions: list[A.ActionDecl]  # global actions
    inits: list[A.InitDecl]  # global init blocks
    invariants: list[A.InvariantDecl]
    constraints: list[A.ConstraintDecl]
    terminals: list[A.TerminalDecl]
    expects: list[A.ExpectDecl]
    max_depth: int | None
    #: the roles reduced by symmetry: the spec's, plus those the options add
    #: (none when the options turn symmetry off)
    symmetric: list[str]
    node_roles: list[RoleInfo] = field(default_factory=list)  # by global node index
    quorums: dict[str, Any] = field(default_factory=dict)  # name -> checker.dsl.quorums.QuorumInfo
    obligations: list[Any] = field(default_factory=list)  # checker.proofs obligations
    fault_info: Any = None  # checker.dsl.faults.FaultInfo
    properties: list[A.PropertyDecl] = field(default_factory=list)  # liveness
    step_properties: list[A.StepPropertyDecl] = field(default_factory=list)
    #: ``init when`` conditions: the initial states are those where all hold
    init_conds: list[A.InitWhenDecl] = field(default_factory=list)
    #: every expression's kind (`checker.dsl.typecheck.KindTable`)
    kinds: Any = None
    #: the names of the step assertions (``assert``), in source order
    assertions: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.spec.file


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))


def resolve(spec: A.Spec, options: LoadOptions | None = None) -> ResolvedSpec:
    """Resolve and check a parsed spec under ``options``: constant overrides
    as source text, fault bounds by counter name (see `checker.dsl.faults`),
    and the roles reduced by symmetry."""
    from checker.dsl.initorder import check_initial_order
    from checker.dsl.symmetry import check_symmetric, symmetric_roles
    from checker.dsl.typecheck import typecheck

    options = options or LoadOptions()
    try:
        r = _Resolver(spec, options.consts, options.faults).run()
        r.symmetric = symmetric_roles(r, options)
        check_symmetric(r, r.symmetric)
        r.kinds, r.assertions = typecheck(r)
        check_initial_order(r)
        return r
    except SpecError as exc:
        raise exc.with_source(spec.source) from None


def parse_override(name: str, text: str) -> Any:
    """A scalar constant override's value: an integer, true/false, or a
    string (literals of sequences, tuples, sets, maps and records:
    `_Resolver._override`)."""
    t = text.strip()
    number = int_override(name, t)
    if number is not None:
        return number
    if t in ("true", "false"):
        return t == "true"
    if len(t) >= 2 and t[0] == t[-1] == '"':
        return t[1:-1]
    if re.fullmatch(r"[A-Za-z_]\w*", t, re.ASCII):
        return t
    raise OptionError(Option.CONSTS, f"{name}={text}", "the value must be an integer, true, false, a string, "
                      "or a sequence, tuple, set, map or record literal such as [\"a\", \"b\"] or (id: 1, up: true)")


def int_override(name: str, text: str) -> int | None:
    """``text`` as an integer when it is one (at most `MAX_LITERAL_DIGITS`
    digits, as in a spec), else None."""
    t = text.strip()
    if not re.fullmatch(r"-?[0-9]+", t):
        return None
    digits = len(t.lstrip("-"))
    if digits > MAX_LITERAL_DIGITS:
        raise OptionError(Option.CONSTS, f"{name}={t[:12]}...",
                          f"the integer has {digits} digits; at most {MAX_LITERAL_DIGITS}")
    return int(t)


class _Resolver:
    def __init__(self, spec: A.Spec, overrides: Mapping[str, str], faults: Mapping[str, int] | None = None):
        self.spec = spec
        self.overrides = dict(overrides)
        self.fault_overrides = dict(faults or {})
        self.names = Names()
        self.top: dict[str, Any] = {}  # every top-level name -> its declaration

    def declare(self, name: str, node: Any) -> None:
        if name in self.top:
            prev = self.top[name]
            where = getattr(prev, "span", None)
            raise _err(f"'{name}' is already declared" + (f" at {where}" if where and where.line else ""), node)
        self.top[name] = node

    def run(self) -> ResolvedSpec:
        decls = self.spec.decls
        consts: dict[str, Any] = {}
        network = None
        faults_decl = None
        r = ResolvedSpec(
            spec=self.spec, names=self.names, consts=consts, network=NetworkKind.UNORDERED, faults={}, roles={},
            global_vars={}, messages={}, defs={}, actions=[], inits=[], invariants=[], constraints=[],
            terminals=[], expects=[], max_depth=None, symmetric=[],
        )
        for d in decls:
            if isinstance(d, A.ConstDecl):
                self.declare(d.name, d)
                declared = const_eval(d.value, consts, self.names)
                if d.name in self.overrides:
                    consts[d.name] = self._override(d, declared, self.overrides.pop(d.name), consts)
                else:
                    consts[d.name] = declared
            elif isinstance(d, A.NetworkDecl):
                if network is not None:
                    raise _err("the network is declared twice", d)
                if d.kind not in NETWORKS:
                    raise _err(f"unknown network '{d.kind}'; choose one of {', '.join(NETWORKS)}", d)
                network = d
            elif isinstance(d, A.FaultsDecl):
                if faults_decl is not None:
                    raise _err("faults are declared twice", d)
                faults_decl = d
        if self.overrides:
            name = sorted(self.overrides)[0]
            known = ", ".join(sorted(consts)) or "none"
            raise OptionError(Option.CONSTS, name, f"the spec declares no constant '{name}' (constants: {known})")
        r.network = NetworkKind(network.kind) if network else NetworkKind.UNORDERED

        # Roles, nodes and variables.
        next_node = 0
        for d in decls:
            if isinstance(d, A.RoleDecl):
                self.declare(d.name, d)
                count = 1 if d.count is None else const_eval(d.count, consts)
                if not _is_int(count) or count < 0:
                    raise _err(f"the count of role '{d.name}' must be a non-negative integer constant", d.count)
                if count > MAX_ROLE_COUNT:
                    raise _err(f"role '{d.name}' has {count} nodes; at most {MAX_ROLE_COUNT} are supported", d.count)
                role = RoleInfo(d.name, count, next_node, d)
                next_node += count
                r.roles[d.name] = role
                for i in range(count):
                    self.names.node(role.node_name(i))
                    r.node_roles.append(role)
        for role in r.roles.values():
            for item in role.decl.items:
                if isinstance(item, A.VarDecl):
                    if item.name in role.vars:
                        raise _err(f"variable '{item.name}' is already declared in role {role.name}", item)
                    role.vars[item.name] = VarInfo(item.name, role, item)
                elif isinstance(item, A.Handler):
                    if item.message in role.handlers:
                        raise _err(f"role {role.name} already handles message '{item.message}'", item)
                    role.handlers[item.message] = item
                elif isinstance(item, A.ActionDecl):
                    if any(a.name == item.name for a in role.actions):
                        raise _err(f"action '{item.name}' is already declared in role {role.name}", item)
                    role.actions.append(item)
                elif isinstance(item, A.InitDecl):
                    role.inits.append(item)
                # on restart / persistent: checked in checker.dsl.faults
        for d in decls:
            if isinstance(d, A.VarDecl):
                self.declare(d.name, d)
                r.global_vars[d.name] = VarInfo(d.name, None, d)
            elif isinstance(d, A.DefDecl):
                self.declare(d.name, d)
                if len(set(d.params)) != len(d.params):
                    raise _err(f"'{d.name}' has a repeated parameter name", d)
                r.defs[d.name] = d
            elif isinstance(d, A.ActionDecl):
                if any(a.name == d.name for a in r.actions):
                    raise _err(f"action '{d.name}' is already declared", d)
                r.actions.append(d)
            elif isinstance(d, A.InitDecl):
                r.inits.append(d)
            elif isinstance(d, A.InvariantDecl):
                self.declare(d.name, d)
                r.invariants.append(d)
            elif isinstance(d, A.ConstraintDecl):
                r.constraints.append(d)
            elif isinstance(d, A.TerminalDecl):
                r.terminals.append(d)
            elif isinstance(d, A.ExpectDecl):
                r.expects.append(d)
            elif isinstance(d, A.MaxDepthDecl):
                depth = const_eval(d.value, consts)
                if not _is_int(depth) or depth < 0:
                    raise _err("max_depth must be a non-negative integer constant", d.value)
                r.max_depth = depth
            elif isinstance(d, A.SymmetricDecl):
                for name in d.roles:
                    if name not in r.roles:
                        raise _err(f"symmetric: unknown role '{name}'", d)
                r.symmetric.extend(d.roles)
            elif isinstance(d, QuorumDecl):
                self.declare(d.name, d)
            elif isinstance(d, A.PropertyDecl):
                self.declare(d.name, d)
                r.properties.append(d)
            elif isinstance(d, A.StepPropertyDecl):
                self.declare(d.name, d)
                r.step_properties.append(d)
            elif isinstance(d, A.InitWhenDecl):
                r.init_conds.append(d)
        self._messages(r)
        r.quorums, r.obligations = resolve_quorums(r)
        resolve_faults(r, faults_decl, consts, self.names, self.fault_overrides)
        check_fairness(r)
        check_initial_domains(r)
        for e in r.expects:
            if e.verdict not in ("violation", "holds"):
                raise _err(f"expect: '{e.verdict}' is not a verdict; write 'expect violation X' or 'expect holds X'", e)
        return r

    def _override(self, d: A.ConstDecl, declared: Any, text: str, consts: dict[str, Any]) -> Any:
        """A ``--const`` value; a literal of a sequence, tuple, set, map or
        record (``["a", "b"]``, ``(id: 1)``) is evaluated like the spec's own
        constants. It must be of the type the spec declares (``none``
        stands for any type)."""
        name, t = d.name, text.strip()
        if t[:1] in ("[", "{", "("):
            from checker.dsl.parser import parse

            try:
                decl = parse(f"spec Const\nconst {name} = {t}\n", f"--const {name}").decls[0]
                assert isinstance(decl, A.ConstDecl)
                value = const_eval(decl.value, consts, self.names)
            except SpecError as exc:
                raise OptionError(Option.CONSTS, f"{name}={text}", exc.message) from None
        else:
            value = self._intern_value(parse_override(name, text))
        want, got = kind_of(declared), kind_of(value)
        if want != got and ValueKind.NONE not in (want, got):
            raise OptionError(Option.CONSTS, f"{name}={text}",
                              f"{name} is {KIND_PHRASES[want]} in the spec ({d.span}), not {KIND_PHRASES[got]}")
        return value

    def _intern_value(self, v: Any) -> Any:
        if type(v) is bool:
            return BOOLS[v]
        return string(v) if isinstance(v, str) else v

    def _messages(self, r: ResolvedSpec) -> None:
        declared: dict[str, A.MessageDecl] = {}
        for d in self.spec.decls:
            if isinstance(d, A.MessageDecl):
                if d.name in declared:
                    raise _err(f"message '{d.name}' is already declared", d)
                if d.name in self.top:
                    raise _err(f"'{d.name}' is already declared as something else", d)
                declared[d.name] = d
        order: list[tuple[str, tuple[str, ...], Any]] = [(d.name, d.fields, d) for d in declared.values()]
        for role in r.roles.values():
            for h in role.handlers.values():
                if h.message in self.top and h.message not in declared:
                    raise _err(f"'{h.message}' is not a message", h)
                if len(set(h.params)) != len(h.params):
                    raise _err(f"handler for '{h.message}' repeats a parameter name", h)
                if h.sender is not None and h.sender in h.params:
                    raise _err(f"handler for '{h.message}' names its sender '{h.sender}' like one of its parameters", h)
                known = next((f for n, f, _ in order if n == h.message), None)
                if known is None:
                    order.append((h.message, h.params, h))
                elif len(known) != len(h.params):
                    raise _err(f"message '{h.message}' has {len(known)} field(s) ({', '.join(known) or 'none'}), "
                               f"but this handler binds {len(h.params)}", h)
        for name, fields, node in order:
            for f in fields:
                if f in ("src", "dst"):
                    raise _err(f"message field name '{f}' is reserved "
                               "(every message carries its sender and receiver)", node)
            if len(set(fields)) != len(fields):
                raise _err(f"message '{name}' repeats a field name", node)
            shape = self.names.shape(Shape(name, ("src", "dst") + tuple(fields), True))
            r.messages[name] = MessageInfo(name, tuple(fields), shape, node.span)


def _is_int(v: Any) -> bool:
    return type(v) is int
