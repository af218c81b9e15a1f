"""Resolving the fault-tolerance part of a spec.

- ``faults { ... }``: one bound per fault kind (per role for crash and
  restart), overridable by `LoadOptions.faults` (``--faults loss=2,crash=1``);
- ``persistent`` variables (``persistent var x = ...`` or ``persistent x, y``
  in a role) and ``on restart { ... }`` blocks;
- message field domains (``message M(f in D)``), which corruption draws from;
- liveness ``property`` declarations (checked in `checker.compile.liveness`).

The fault kinds, the networks each applies to and their semantics are
`checker.faults`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from checker.dsl import ast as A
from checker.dsl.consteval import const_eval
from checker.errors import SpecError
from checker.faults import FAULTS, MAX_PARTITION_NODES, FaultKind, Partition, PartitionMode
from checker.options import Option, OptionError
from checker.values import elements, is_seq, is_set

KINDS = tuple(FaultKind)
#: every fault step multiplies the state space; past this a bound is a typo.
MAX_FAULT_BOUND = 20
#: a bound no log reaches: trace validation lifts the spec's bounds to it
#: (there the log, not a bound, decides how many faults happened).
UNBOUNDED = 2**31


@dataclass
class FaultBoundInfo:
    kind: FaultKind
    target: str | None  # a role (crash, restart), a mode (partition), or None
    bound: int
    span: Any = None

    @property
    def key(self) -> str:
        """"loss", "crash Server", ...: the name of its counter."""
        if self.target is None or self.kind is FaultKind.PARTITION:
            return str(self.kind)
        return f"{self.kind} {self.target}"


@dataclass
class FaultInfo:
    """What the compiler needs to generate fault steps."""

    bounds: list[FaultBoundInfo] = field(default_factory=list)
    partition_mode: PartitionMode = PartitionMode.HOLD
    persistent: dict[str, set[str]] = field(default_factory=dict)  # role -> variables
    restarts: dict[str, A.RestartDecl] = field(default_factory=dict)  # role -> on restart
    domains: dict[str, tuple[tuple | None, ...]] = field(default_factory=dict)  # message -> per field

    def of_kind(self, kind: FaultKind) -> list[FaultBoundInfo]:
        return [b for b in self.bounds if b.kind == kind]

    def roles_of(self, b: FaultBoundInfo, roles: list[str]) -> list[str]:
        return roles if b.target is None else [b.target]


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))


def resolve_faults(r: Any, decl: A.FaultsDecl | None, consts: dict[str, Any], names: Any,
                   overrides: Mapping[str, int]) -> None:
    """Fill ``r.faults`` (bound key -> bound) and ``r.fault_info``."""
    info = FaultInfo()
    r.fault_info = info
    for fb in decl.bounds if decl is not None else ():
        b = _bound(r, fb, consts, names)
        if any(x.key == b.key for x in info.bounds) or (b.kind is FaultKind.PARTITION
                                                         and info.of_kind(FaultKind.PARTITION)):
            raise _err(f"fault '{b.key}' is bounded twice", fb)
        info.bounds.append(b)
    _apply_overrides(r, info, overrides)
    for b in info.bounds:
        if b.kind is FaultKind.PARTITION and b.target is not None:
            info.partition_mode = PartitionMode(b.target)
        if b.kind is FaultKind.RESTART:
            crashing = [c for c in info.of_kind(FaultKind.CRASH) if c.target in (None, b.target)]
            if not crashing:
                who = f"nodes of {b.target}" if b.target else "nodes"
                msg = f"fault '{b.key}': {who} never crash; add a crash bound"
                if b.span is None:  # added by an override
                    raise OptionError(Option.FAULTS, f"{b.key.replace(' ', ':')}={b.bound}",
                                      f"{msg} (crash{':' + b.target if b.target else ''}=1)")
                raise _err(f"{msg} (e.g. 'crash{' ' + b.target if b.target else ''} <= 1')", b)
    _roles(r, info)
    _domains(r, info, consts, names)
    for b in info.bounds:
        r.faults[b.key] = b.bound
    partitions = [b for b in info.of_kind(FaultKind.PARTITION) if b.bound > 0]
    if partitions and len(r.node_roles) > MAX_PARTITION_NODES:
        n = len(r.node_roles)
        raise _err(f"a partition of {n} nodes can split them in {2 ** (n - 1) - 1} ways; at most "
                   f"{MAX_PARTITION_NODES} nodes are supported", partitions[0])


def _bound(r: Any, fb: A.FaultBound, consts: dict[str, Any], names: Any) -> FaultBoundInfo:
    target = fb.target
    if fb.kind not in KINDS:
        raise _err(f"unknown fault kind '{fb.kind}'; this checker supports: {', '.join(KINDS)}", fb)
    kind = FaultKind(fb.kind)
    cls = FAULTS[kind]
    if kind is FaultKind.PARTITION:
        if target is not None and target not in tuple(PartitionMode):
            raise _err(f"partition: '{target}' is not a mode; write 'partition hold <= N' (messages across the cut "
                       "wait until it heals) or 'partition drop <= N' (they are lost)", fb)
        why = Partition.why_not_mode(PartitionMode(target or PartitionMode.HOLD), r.network)
        if why:
            raise _err(why, fb)
    elif not cls.per_role:
        if target is not None:
            raise _err(f"fault '{kind}' applies to messages, not to a role", fb)
        why = cls.why_not(r.network)
        if why:
            raise _err(why, fb)
    elif target is not None and target not in r.roles:
        raise _err(f"fault '{kind}': unknown role '{target}'", fb)
    bound = const_eval(fb.bound, consts)
    what = f"{kind} {target}" if target and kind is not FaultKind.PARTITION else str(kind)
    if not (type(bound) is int and bound >= 0):
        raise _err(f"the bound of fault '{what}' must be a non-negative integer constant "
                   "(an unbounded fault makes the state space infinite)", fb.bound)
    if bound > MAX_FAULT_BOUND:
        raise _err(f"the bound of fault '{what}' is {bound}; at most {MAX_FAULT_BOUND} faults of a kind can be "
                   "explored (each one multiplies the state space)", fb.bound)
    return FaultBoundInfo(kind, target, bound, fb.span)


def _apply_overrides(r: Any, info: FaultInfo, overrides: Mapping[str, int]) -> None:
    for key, bound in overrides.items():
        name, _, target = key.partition(" ")
        option = f"{key.replace(' ', ':')}={bound}"
        if name not in KINDS:
            raise OptionError(Option.FAULTS, option, f"unknown fault kind '{name}' (kinds: {', '.join(KINDS)})")
        kind = FaultKind(name)
        if bound != UNBOUNDED and not 0 <= bound <= MAX_FAULT_BOUND:
            raise OptionError(Option.FAULTS, option, f"the bound must be between 0 and {MAX_FAULT_BOUND} "
                              "(each fault multiplies the state space; an unbounded one makes it infinite)")
        if not FAULTS[kind].per_role and kind is not FaultKind.PARTITION:
            if target:
                raise OptionError(Option.FAULTS, option, f"fault '{kind}' applies to messages, not to a role")
            why = FAULTS[kind].why_not(r.network)
            if why:
                raise OptionError(Option.FAULTS, option, why)
        elif kind is FaultKind.PARTITION:
            if target:
                raise OptionError(Option.FAULTS, option, "write partition=N (the mode stays the spec's)")
        elif target and target not in r.roles:
            raise OptionError(Option.FAULTS, option, f"unknown role '{target}' (roles: {', '.join(r.roles) or 'none'})")
        matching = [b for b in info.bounds if b.kind == kind and (not target or b.target == target)]
        for b in matching:
            b.bound = bound
        if not matching:
            info.bounds.append(FaultBoundInfo(kind, target or None, bound))


def _roles(r: Any, info: FaultInfo) -> None:
    for d in r.spec.decls:
        if isinstance(d, A.VarDecl) and d.persistent:
            raise _err(f"'{d.name}' is a global variable; only the variables of a role's nodes can be persistent "
                       "(global variables are not lost in a crash)", d)
    for role in r.roles.values():
        keep = info.persistent.setdefault(role.name, set())
        for item in role.decl.items:
            if isinstance(item, A.VarDecl) and item.persistent:
                keep.add(item.name)
            elif isinstance(item, A.PersistentDecl):
                for name in item.names:
                    if name not in role.vars:
                        raise _err(f"persistent: role {role.name} has no variable '{name}'", item)
                    keep.add(name)
            elif isinstance(item, A.RestartDecl):
                if role.name in info.restarts:
                    raise _err(f"role {role.name} already has an 'on restart' block", item)
                if not any(b.target in (None, role.name) for b in info.of_kind(FaultKind.RESTART)):
                    raise _err(f"role {role.name} has 'on restart' but no fault restarts its nodes; "
                               f"add 'crash {role.name} <= 1, restart {role.name} <= 1' to the faults block", item)
                info.restarts[role.name] = item


def _domains(r: Any, info: FaultInfo, consts: dict[str, Any], names: Any) -> None:
    for d in r.spec.decls:
        if not isinstance(d, A.MessageDecl) or not d.domains:
            continue
        doms: list[tuple | None] = []
        for fname, dom in zip(d.fields, d.domains):
            if dom is None:
                doms.append(None)
                continue
            v = const_eval(dom, consts)
            if not (is_set(v) or is_seq(v)):
                raise _err(f"the domain of field '{fname}' must be a constant set or sequence", dom)
            doms.append(tuple(dict.fromkeys(elements(v) if is_set(v) else v)))
        info.domains[d.name] = tuple(doms)
    corrupt = [b for b in info.of_kind(FaultKind.CORRUPT) if b.bound > 0]
    if corrupt and not info.domains and not _calls(r.spec, "checksum"):
        raise _err("fault 'corrupt': no message field can be corrupted; declare the values a field can carry, "
                   "e.g. 'message Cmd(op in Ops)', or send a checksum(...)", corrupt[0])


def _calls(node: Any, func: str) -> bool:
    return any(isinstance(x, A.Call) and x.func == func for x in A.walk(node))
