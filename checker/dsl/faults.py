"""Resolving the fault-tolerance part of a spec.

- ``faults { ... }``: one bound per fault kind (per role for crash and
  restart), overridable by `LoadOptions.faults` (``--faults loss=2,crash=1``);
- ``persistent`` variables (``persistent var x = ...`` or ``persistent x, y``
  in a role) and ``on restart { ... }`` blocks;
- message field domains (``message M(f in D)``), which corruption draws from;
- liveness ``property`` declarations (checked in `checker.compile.liveness`).

Fault kinds (every one an ordinary, bounded step of the model):

=========  ==========================  ===================================
kind       bound counts                applies to
=========  ==========================  ===================================
loss       lost messages               fifo, unordered
duplicate  extra copies                fifo, unordered
corrupt    corrupted messages          fifo, unordered
reorder    overtakings in a channel    fifo (unordered reorders anyway)
crash R    crashes of nodes of role R  every network (R optional: any role)
restart R  restarts of crashed nodes   every network; needs crash R
partition  partitions (hold or drop)   every network (drop: fifo, unordered)
=========  ==========================  ===================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from checker.dsl import ast as A
from checker.dsl.consteval import const_eval
from checker.errors import SpecError
from checker.options import Option, OptionError
from checker.values import STR_BASE, VMap

MESSAGE_FAULTS = {
    "loss": ("fifo", "unordered"),
    "duplicate": ("fifo", "unordered"),
    "corrupt": ("fifo", "unordered"),
    "reorder": ("fifo",),
}
NODE_FAULTS = ("crash", "restart")
KINDS = tuple(MESSAGE_FAULTS) + NODE_FAULTS + ("partition",)
PARTITION_MODES = ("hold", "drop")
#: every fault step multiplies the state space; past this a bound is a typo.
MAX_FAULT_BOUND = 20


@dataclass
class FaultBoundInfo:
    kind: str
    target: str | None  # a role (crash, restart), a mode (partition), or None
    bound: int
    span: Any = None

    @property
    def key(self) -> str:
        """"loss", "crash Server", ...: the name of its counter."""
        return self.kind if self.target is None or self.kind == "partition" else f"{self.kind} {self.target}"


@dataclass
class FaultInfo:
    """What the compiler needs to generate fault steps."""

    bounds: list[FaultBoundInfo] = field(default_factory=list)
    crash_slot: int | None = None  # the set of crashed nodes
    partition_slot: int | None = None  # none, or the side holding the first node
    partition_mode: str = "hold"
    persistent: dict[str, set[str]] = field(default_factory=dict)  # role -> variables
    restarts: dict[str, A.RestartDecl] = field(default_factory=dict)  # role -> on restart
    domains: dict[str, tuple[tuple | None, ...]] = field(default_factory=dict)  # message -> per field

    def of_kind(self, kind: str) -> list[FaultBoundInfo]:
        return [b for b in self.bounds if b.kind == kind]

    def roles_of(self, b: FaultBoundInfo, roles: list[str]) -> list[str]:
        return roles if b.target is None else [b.target]


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))


def resolve_faults(r: Any, decl: A.FaultsDecl | None, consts: dict[str, Any], names: Any,
                   overrides: Mapping[str, int], slot: int) -> int:
    """Fill ``r.faults``, ``r.fault_slots`` and ``r.fault_info``; return the
    next free state slot."""
    info = FaultInfo()
    r.fault_info = info
    for fb in decl.bounds if decl is not None else ():
        b = _bound(r, fb, consts, names)
        if any(x.key == b.key for x in info.bounds) or (b.kind == "partition" and info.of_kind("partition")):
            raise _err(f"fault '{b.key}' is bounded twice", fb)
        info.bounds.append(b)
    _apply_overrides(r, info, overrides)
    for b in info.bounds:
        if b.kind == "partition" and b.target is not None:
            info.partition_mode = b.target
        if b.kind == "restart":
            crashing = [c for c in info.of_kind("crash") if c.target in (None, b.target)]
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
        r.fault_slots[b.key] = slot
        slot += 1
    if info.of_kind("crash"):
        info.crash_slot = slot
        slot += 1
    if info.of_kind("partition"):
        info.partition_slot = slot
        slot += 1
    return slot


def _bound(r: Any, fb: A.FaultBound, consts: dict[str, Any], names: Any) -> FaultBoundInfo:
    kind, target = fb.kind, fb.target
    if kind not in KINDS:
        raise _err(f"unknown fault kind '{kind}'; this checker supports: {', '.join(KINDS)}", fb)
    if kind in MESSAGE_FAULTS:
        if target is not None:
            raise _err(f"fault '{kind}' applies to messages, not to a role", fb)
        _network_check(kind, r.network, fb)
    elif kind == "partition":
        if target is not None and target not in PARTITION_MODES:
            raise _err(f"partition: '{target}' is not a mode; write 'partition hold <= N' (messages across the cut "
                       "wait until it heals) or 'partition drop <= N' (they are lost)", fb)
        if target == "drop" and r.network == "set":
            raise _err("partition drop does not apply to a 'set' network (its messages persist); use 'partition hold'", fb)
    elif target is not None and target not in r.roles:
        raise _err(f"fault '{kind}': unknown role '{target}'", fb)
    bound = const_eval(fb.bound, consts, names)
    what = f"{kind} {target}" if target and kind != "partition" else kind
    if not (type(bound) is int and 0 <= bound < STR_BASE):
        raise _err(f"the bound of fault '{what}' must be a non-negative integer constant "
                   "(an unbounded fault makes the state space infinite)", fb.bound)
    if bound > MAX_FAULT_BOUND:
        raise _err(f"the bound of fault '{what}' is {bound}; at most {MAX_FAULT_BOUND} faults of a kind can be "
                   "explored (each one multiplies the state space)", fb.bound)
    return FaultBoundInfo(kind, target, bound, fb.span)


def _network_check(kind: str, network: str, node: Any, option: str = "") -> None:
    if network in MESSAGE_FAULTS[kind]:
        return
    if kind == "reorder" and network == "unordered":
        msg = "fault 'reorder' does not apply to an 'unordered' network: it delivers messages in any order already"
    else:
        msg = (f"fault '{kind}' does not apply to a '{network}' network "
               "(messages in a set network persist and may be received any number of times)")
    if option:
        raise OptionError(Option.FAULTS, option, msg)
    raise _err(msg, node)


def _apply_overrides(r: Any, info: FaultInfo, overrides: Mapping[str, int]) -> None:
    for key, bound in overrides.items():
        kind, _, target = key.partition(" ")
        option = f"{key.replace(' ', ':')}={bound}"
        if kind not in KINDS:
            raise OptionError(Option.FAULTS, option, f"unknown fault kind '{kind}' (kinds: {', '.join(KINDS)})")
        if not 0 <= bound <= MAX_FAULT_BOUND:
            raise OptionError(Option.FAULTS, option, f"the bound must be between 0 and {MAX_FAULT_BOUND} "
                              "(each fault multiplies the state space; an unbounded one makes it infinite)")
        if kind in MESSAGE_FAULTS:
            if target:
                raise OptionError(Option.FAULTS, option, f"fault '{kind}' applies to messages, not to a role")
            _network_check(kind, r.network, None, option)
        elif kind == "partition":
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
                if not any(b.target in (None, role.name) for b in info.of_kind("restart")):
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
            v = const_eval(dom, consts, names)
            if not isinstance(v, tuple) or isinstance(v, VMap):
                raise _err(f"the domain of field '{fname}' must be a constant set or sequence", dom)
            doms.append(tuple(dict.fromkeys(v)))
        info.domains[d.name] = tuple(doms)
    corrupt = [b for b in info.of_kind("corrupt") if b.bound > 0]
    if corrupt and not info.domains and not _calls(r.spec, "checksum"):
        raise _err("fault 'corrupt': no message field can be corrupted; declare the values a field can carry, "
                   "e.g. 'message Cmd(op in Ops)', or send a checksum(...)", corrupt[0])


def _calls(node: Any, func: str) -> bool:
    return any(isinstance(x, A.Call) and x.func == func for x in A.walk(node))
