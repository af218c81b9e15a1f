"""The spec's faults in generated code: the `checker.faults` objects of
its bounds, bound to the state layout and to the generated functions they
need (volatile-variable resets for crashes, ``on restart`` blocks), and the
filters crashes and partitions add to deliveries, actions and sends.
"""

from __future__ import annotations

from typing import Any

from checker.compile.exprs import Ctx
from checker.dsl import ast as A
from checker.faults import (
    FAULTS, Corrupt, Crash, Fault, FaultKind, FaultSlots, Partition, PartitionMode, Restart, after_send, connected,
    crc_shape)
from checker.values import NODE_BASE


class FaultGen:
    """Builds the fault objects of a spec and emits what they need into
    the code generator's module."""

    def __init__(self, cg: Any):
        self.cg = cg
        self.r = cg.r
        self.info = cg.r.fault_info
        self.faults: list[Fault] = []
        self.namespace: dict[str, Any] = {}
        self.cs = self.info.crash_slot if self.info else None
        self.ps = self.info.partition_slot if self.info else None
        self.restart_fns: dict[str, str] = {}

    # ---- hooks called by CodeGen ------------------------------------------
    def register(self) -> None:
        """Action kinds, fault objects and generated helper functions."""
        from checker.compile.codegen import ActionKind

        cg, r = self.cg, self.r
        if self.info is None:
            return
        crashable: set[str] = set()
        for b in self.info.bounds:
            if b.bound <= 0:
                continue
            cls = FAULTS[b.kind]
            role = r.roles[b.target] if cls.per_role and b.target else None
            slots = FaultSlots(r.net_slot, cg.network, r.fault_slots[b.key], b.bound, self.cs, self.ps)
            actions = []
            for k, step in enumerate(cls.steps):
                actions.append(cg._action(ActionKind(b.key if k == 0 else str(step.kind), step.kind, role)))
            fault: Fault
            if cls is Corrupt:
                fault = Corrupt(slots, actions, r.names, self._domains())
            elif cls in (Crash, Restart):
                roles = {name: r.roles[name].nodes for name in self._roles(b)}
                fault = cls(slots, actions, roles)  # type: ignore[call-arg]
                if cls is Crash:
                    crashable.update(roles)
            elif cls is Partition:
                nodes = [n for role_ in r.roles.values() for n in role_.nodes]
                fault = Partition(slots, actions, nodes, self.info.partition_mode)
            else:
                fault = cls(slots, actions)
            for a in actions:
                cg.actions[a].fault = fault
            self.faults.append(fault)
        for name in sorted(crashable, key=list(r.roles).index):
            self._reset_fn(r.roles[name])
        for fault in self.faults:
            if isinstance(fault, Restart):
                for name in fault.roles:
                    decl = self.info.restarts.get(name)
                    if decl is not None and name not in self.restart_fns:
                        action = A.ActionDecl("restart", (), None, decl.body, span=decl.span)
                        self.restart_fns[name] = cg._action_fn(f"{fault.actions[0]}_{name}", r.roles[name], action)
        self.namespace.update({f"_FAULT_{k}": f for k, f in enumerate(self.faults)})
        self.namespace.update({"_f_after_send": after_send, "_f_connected": connected})

    def bind(self, ns: dict[str, Any]) -> None:
        """After the module is exec'd: give the fault objects the generated
        functions they call."""
        from checker.compile.runtime import AssertFail

        for fault in self.faults:
            slots = fault.slots
            slots.resets = {name: ns[f"_reset_{name}"] for name in self.r.roles if f"_reset_{name}" in ns}
            for name, fn in self.restart_fns.items():
                slots.restarts[name] = _tagged(ns[fn], fault.actions[0], AssertFail)

    def finish_lines(self) -> list[str]:
        """Inside ``_finish``'s ``if out:``: drop what a crash or a drop
        partition makes undeliverable."""
        if not self.cg.network.consumes:
            return []
        down = f"st[{self.cs}]" if self.cs is not None else "()"
        drop = self.ps is not None and self.info.partition_mode is PartitionMode.DROP
        cut = f"st[{self.ps}]" if drop else "_NONE"
        if down == "()" and cut == "_NONE":
            return []
        net = self.r.net_slot
        return [f"        st[{net}] = _f_after_send(_NET, st[{net}], {down}, {cut})"]

    def initial_lines(self) -> list[str]:
        """In ``initial()``: nobody has crashed, no partition."""
        lines = []
        if self.cs is not None:
            lines.append(f"    st[{self.cs}] = _EMPTY_SET")
        if self.ps is not None:
            lines.append(f"    st[{self.ps}] = _NONE")
        return lines

    def prologue(self) -> list[str]:
        lines = []
        if self.cs is not None:
            lines.append(f"    _down = s[{self.cs}]")
        if self.ps is not None:
            lines.append(f"    _cut = s[{self.ps}]")
        return lines

    def skip_delivery(self, pad: str) -> list[str]:
        """Skip a handler of ``node`` for message ``m`` (crashed, or cut off)."""
        conds = []
        if self.cs is not None:
            conds.append("node in _down")
        if self.ps is not None:
            conds.append("(_cut != _NONE and m[1] != _NONE and ((m[1] in _cut) != (node in _cut)))")
        return [f"{pad}if {' or '.join(conds)}: continue"] if conds else []

    def skip_actor(self, pad: str) -> list[str]:
        return [f"{pad}if node in _down: continue"] if self.cs is not None else []

    def step_lines(self) -> list[str]:
        return [f"    res.extend(_FAULT_{k}.successors(s))" for k in range(len(self.faults))]

    # ---- helpers -----------------------------------------------------------
    def _roles(self, b: Any) -> list[str]:
        return list(self.r.roles) if b.target is None else [b.target]

    def _reset_fn(self, role: Any) -> None:
        keep = self.info.persistent.get(role.name, set())
        lines = [f"def _reset_{role.name}(st, me):", f"    _i = me - {NODE_BASE + role.first}"]
        for v in role.vars.values():
            if v.name not in keep:
                code, _ = self.cg.ex.expr(v.decl.init, Ctx("st", role))
                lines.append(f"    st[{v.slot} + _i] = {code}")
        self.cg.emit(*lines, "    return st")

    def _domains(self) -> dict[int, tuple[tuple[int, tuple], ...]]:
        table: dict[int, tuple[tuple[int, tuple], ...]] = {}
        for msg, doms in self.info.domains.items():
            info = self.r.messages.get(msg)
            if info is not None:
                table[info.shape] = tuple((3 + k, d) for k, d in enumerate(doms) if d is not None)
        return table


def _tagged(fn: Any, idx: int, assert_fail: type) -> Any:
    """``fn`` (an ``on restart`` step) whose failed assertions name the
    restart step of the node."""
    def call(s: Any, node: Any) -> Any:
        try:
            return fn(s, node)
        except assert_fail as exc:
            exc.action = (idx, node)  # type: ignore[attr-defined]
            raise

    return call


# ---- expressions: `crashed`, `checksum(...)`, `connected(a, b)` -------------

def crashed_ref(ex: Any, ctx: Any) -> tuple[str, str]:
    """``crashed``: the set of crashed nodes (empty without crash faults)."""
    info = ex.r.fault_info
    if info is None or info.crash_slot is None:
        return "_EMPTY_SET", "set"
    return f"{ctx.src}[{info.crash_slot}]", "set"


def fault_call(ex: Any, e: A.Call, ctx: Any) -> tuple[str, str]:
    """``checksum(a, ...)``: a perfect digest of its arguments (corruption
    garbles it, and a corrupted field no longer matches it);
    ``connected(a, b)``: no partition separates nodes a and b."""
    if any(a.name for a in e.args):
        raise ex.err(f"{e.func}() takes positional arguments only", e)
    args = [_node_or_expr(ex, a.value, ctx) for a in e.args]
    if e.func == "checksum":
        if not args:
            raise ex.err("checksum() needs at least one argument: the fields it covers", e)
        return f"_VRec(({crc_shape(ex.names)}, ({''.join(a + ', ' for a, _ in args)})))", "rec"
    if len(args) != 2:
        raise ex.err(f"connected() takes 2 positional argument(s), got {len(args)}", e)
    for (code, kind), arg in zip(args, e.args):
        if not (kind.startswith("node") or kind == "any"):
            raise ex.err("connected() needs two nodes", arg.value)
    info = ex.r.fault_info
    if info is None or info.partition_slot is None:
        return "True", "bool"
    return f"_f_connected({ctx.src}[{info.partition_slot}], {args[0][0]}, {args[1][0]})", "bool"


def _node_or_expr(ex: Any, e: A.Expr, ctx: Any) -> tuple[str, str]:
    """A single-node role's name stands for its node here (``connected(self, TM)``)."""
    if isinstance(e, A.Name) and e.id in ex.r.roles and e.id not in ctx.locals and ex.r.roles[e.id].count == 1 \
            and ex.r.roles[e.id].decl.count is None:
        role = ex.r.roles[e.id]
        return repr(role.nodes[0]), f"node:{role.name}"
    return ex.expr(e, ctx)

