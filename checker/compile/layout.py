"""Where each part of a state lives in the flat state tuple.

A compiled model's state is one tuple: every role variable as one slot per
node (a role's nodes side by side), the global variables, the network, the
history of sent messages (only when the spec reads ``sent`` and the network
does not keep it already), one counter per fault bound, the set of crashed
nodes and the partition. The layout is a back-end decision, made here from
the resolved spec; everything that reads or writes a state asks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec, RoleInfo
from checker.faults import FaultKind
from checker.network import network_of


@dataclass
class StateLayout:
    """Slot numbers of a compiled spec's state."""

    #: (role, variable) -> the slot of the variable of the role's node 0
    role_vars: dict[tuple[str, str], int] = field(default_factory=dict)
    globals: dict[str, int] = field(default_factory=dict)
    net: int = -1
    sent: int | None = None
    #: fault bound key ("loss", "crash Server") -> its counter
    counters: dict[str, int] = field(default_factory=dict)
    crashed: int | None = None
    partition: int | None = None
    size: int = 0

    def var(self, role: RoleInfo, name: str) -> int:
        """The first slot of ``role``'s variable ``name`` (node i: + i)."""
        return self.role_vars[(role.name, name)]

    def node_slot(self, role: RoleInfo, name: str, i: int) -> int:
        return self.role_vars[(role.name, name)] + i

    def per_node_bases(self, role: RoleInfo) -> list[int]:
        """The first slot of each of ``role``'s variables."""
        return [self.role_vars[(role.name, v)] for v in role.vars]


def lay_out(r: ResolvedSpec) -> StateLayout:
    """The layout of a resolved spec's states."""
    out = StateLayout()
    slot = 0
    for role in r.roles.values():
        for name in role.vars:
            out.role_vars[(role.name, name)] = slot
            slot += role.count
    for name in r.global_vars:
        out.globals[name] = slot
        slot += 1
    out.net = slot
    slot += 1
    if network_of(r.network).consumes and any(isinstance(x, A.Name) and x.id == "sent" for x in A.walk(r.spec)):
        out.sent = slot  # a history is kept only when read: it multiplies the state space
        slot += 1
    info = r.fault_info
    for b in info.bounds:
        out.counters[b.key] = slot
        slot += 1
    if info.of_kind(FaultKind.CRASH):
        out.crashed = slot
        slot += 1
    if info.of_kind(FaultKind.PARTITION):
        out.partition = slot
        slot += 1
    out.size = slot
    return out
