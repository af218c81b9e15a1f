"""A spec's faults in generated code: the `checker.faults` objects of its
bounds, bound to the state layout and to the generated functions they call
(volatile-variable resets for crashes, ``on restart`` blocks), and the
hot-path filters crashes and partitions add to deliveries, actions and
sends.
"""

from __future__ import annotations

from typing import Any, Callable

from checker.compile.context import ActionKind, Code
from checker.compile.layout import StateLayout
from checker.compile.runtime import AssertFail, failed
from checker.compile.steps import StepCompiler
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec
from checker.faults import (
    FAULTS,
    Fault,
    FaultContext,
    FaultSlots,
    PartitionMode,
    after_send,
    connected,
)
from checker.network import Network
from checker.values import shape_tag


class FaultPlan:
    """The fault objects of one spec and what generated code needs of them."""

    def __init__(self, r: ResolvedSpec, layout: StateLayout, network: Network, steps: StepCompiler,
                 add_action: Callable[[ActionKind], int]):
        self.r, self.layout, self.network = r, layout, network
        self.faults: list[Fault] = []
        self.restart_fns: dict[str, str] = {}  # role -> generated function
        #: assertions failed by ``on restart`` blocks during one ``successors``
        #: call (the fault layer knows nothing of assertions: they pass here)
        self.restart_failures: list[AssertFail] = []
        info = r.fault_info
        nodes = tuple(n for role in r.roles.values() for n in role.nodes)
        domains = self._domains()
        resets: list[str] = []  # roles whose volatile variables a fault resets
        for b in info.bounds:
            if b.bound <= 0:
                continue
            cls = FAULTS[b.kind]
            role = r.roles[b.target] if cls.per_role and b.target else None
            slots = FaultSlots(layout.net, network, layout.counters[b.key], b.bound, layout.crashed, layout.partition)
            actions = [add_action(ActionKind(b.key if k == 0 else str(step.kind), step.kind, role))
                       for k, step in enumerate(cls.steps)]
            struck = list(r.roles) if not cls.per_role or b.target is None else [b.target]
            ctx = FaultContext({name: r.roles[name].nodes for name in struck}, nodes, r.names, domains,
                               info.partition_mode)
            fault = cls.build(slots, actions, ctx)
            self.faults.append(fault)
            if cls.needs_resets:
                resets += [name for name in struck if name not in resets]
            if cls.needs_restarts:
                for name in struck:
                    decl = info.restarts.get(name)
                    if decl is not None and name not in self.restart_fns:
                        fn = self.restart_fns[name] = f"a_{actions[0]}_{name}"
                        steps.action(fn, r.roles[name], A.ActionDecl("restart", (), None, decl.body, span=decl.span))
        for name in sorted(resets, key=list(r.roles).index):
            steps.reset(r.roles[name], info.persistent.get(name, set()))

    def kinds_of(self, actions: list[ActionKind]) -> None:
        """Mark each fault's entries of the action table with the fault."""
        for fault in self.faults:
            for a in fault.actions:
                actions[a].fault = fault

    def namespace(self) -> dict[str, Any]:
        ns: dict[str, Any] = {f"_FAULT_{k}": f for k, f in enumerate(self.faults)}
        ns.update({"_f_after_send": after_send, "_f_connected": connected,
                   "_RESTART_FAILS": self.restart_failures})
        return ns

    def bind(self, ns: dict[str, Any]) -> None:
        """After the module is exec'd: give the fault objects the generated
        functions they call."""
        for fault in self.faults:
            slots = fault.slots
            slots.resets = {name: ns[f"_reset_{name}"] for name in self.r.roles if f"_reset_{name}" in ns}
            for name, fn in self.restart_fns.items():
                slots.restarts[name] = _tagged(ns[fn], fault.actions[0], self.restart_failures)

    # ---- hot-path fragments -------------------------------------------------
    def finish(self, code: Code) -> None:
        """Inside ``_finish`` after the sends: drop what a crash or a drop
        partition makes undeliverable."""
        layout = self.layout
        if not self.network.consumes:
            return
        down = f"st[{layout.crashed}]" if layout.crashed is not None else "()"
        drop = layout.partition is not None and self.r.fault_info.partition_mode is PartitionMode.DROP
        cut = f"st[{layout.partition}]" if drop else "_NONE"
        if down != "()" or cut != "_NONE":
            code.line(f"st[{layout.net}] = _f_after_send(_NET, st[{layout.net}], {down}, {cut})")

    def prologue(self, code: Code) -> None:
        if self.layout.crashed is not None:
            code.line(f"_down = s[{self.layout.crashed}]")
        if self.layout.partition is not None:
            code.line(f"_cut = s[{self.layout.partition}]")

    def skip_delivery(self, code: Code) -> None:
        """Skip a handler of ``node`` for message ``m`` (crashed, or cut off)."""
        conds = []
        if self.layout.crashed is not None:
            conds.append("node in _down")
        if self.layout.partition is not None:
            conds.append("(_cut != _NONE and m[1] != _NONE and ((m[1] in _cut) != (node in _cut)))")
        if conds:
            code.line(f"if {' or '.join(conds)}: continue")

    def skip_actor(self, code: Code) -> None:
        if self.layout.crashed is not None:
            code.line("if node in _down: continue")

    def steps(self, code: Code) -> None:
        if self.restart_fns:
            code.line("del _RESTART_FAILS[:]")
        for k in range(len(self.faults)):
            code.line(f"res.extend(_FAULT_{k}.successors(s))")
        if self.restart_fns:
            code.line("if _RESTART_FAILS: fails.extend(_RESTART_FAILS)")

    def _domains(self) -> dict[str, tuple[tuple[int, tuple], ...]]:
        table: dict[str, tuple[tuple[int, tuple], ...]] = {}
        for msg, doms in self.r.fault_info.domains.items():
            info = self.r.messages.get(msg)
            if info is not None:
                table[shape_tag(info.shape)] = tuple((3 + k, d) for k, d in enumerate(doms) if d is not None)
        return table


def _tagged(fn: Callable[[Any, Any], Any], idx: int, pending: list[AssertFail]) -> Callable[[Any, Any], Any]:
    """``fn`` (an ``on restart`` step) whose failed assertions, named by the
    restart step of the node, go to ``pending`` (the other restarts and
    branches go on)."""
    def call(s: Any, node: Any) -> Any:
        try:
            return fn(s, node)
        except AssertFail as exc:
            return failed(exc, pending, (idx, node))

    return call

