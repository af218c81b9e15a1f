"""Fault steps of the actor layer: corruption, reordering, crash, restart,
partition and heal (loss and duplication are in `checker.compile.codegen`).

Each fault is an ordinary step of the generated ``successors`` function,
bounded by a counter in the state (`checker.dsl.faults`). Semantics:

- **corrupt**: one in-flight message gets, in one field, another value of
  that field's declared domain (``message M(f in D)``), or its checksum
  (a ``checksum(...)`` value) garbled. A receiver cannot tell a corrupted
  field from a real one unless it recomputes the checksum.
- **reorder** (fifo): a message overtakes the one before it in its channel.
- **crash**: the node stops: it handles no message and fires no action or
  timer; its volatile variables go back to their initial values (the
  trace shows them lost), persistent ones keep theirs. Messages addressed
  to it are discarded, now and while it is down (a crashed process
  receives nothing; the sender cannot tell this from a loss). ``set``
  networks keep their messages (they persist by definition).
- **restart**: a crashed node comes back and runs its ``on restart`` block.
- **partition**: the nodes split into two sides; messages across the cut
  wait until the heal (``hold``, the default) or are lost (``drop``: those
  in flight when it starts and those sent while it lasts). **heal** ends
  it. Neither a partition nor its heal is ever forced (both are faults),
  so a partition may last forever.
"""

from __future__ import annotations

from typing import Any

from checker.compile.exprs import Ctx
from checker.dsl import ast as A
from checker.errors import SpecError
from checker.values import NODE_BASE, NONE, Shape, VBag, VMap, VRec, VSet

#: fault kinds generated here (StepInfo kinds of the same names).
KINDS = ("corrupt", "reorder", "crash", "restart", "partition", "heal")
MAX_PARTITION_NODES = 12


def crc_shape(names: Any) -> int:
    """The shape of a ``checksum(...)`` value: ``(shape, (args...))``, or
    ``(shape, ())`` once garbled (it sorts with the others); shown as
    ``crc(...)``."""
    return names.shape(Shape("crc", ("of",)))


class FaultGen:
    """Emits the fault steps and the filters crashes and partitions need
    into the code generator's module."""

    def __init__(self, cg: Any):
        self.cg = cg
        self.r = cg.r
        self.info = cg.r.fault_info
        self.steps: list[tuple[Any, int]] = []  # (FaultBoundInfo, action index)
        self.heal_idx: int | None = None
        self.restart_fns: dict[str, str] = {}
        self.namespace: dict[str, Any] = {}
        self.cs = self.info.crash_slot if self.info else None
        self.ps = self.info.partition_slot if self.info else None

    # ---- hooks called by CodeGen ------------------------------------------
    def register(self) -> None:
        """Action kinds and helper functions; after loss/duplicate."""
        from checker.compile.codegen import ActionKind

        cg, r = self.cg, self.r
        if self.info is None:
            return
        for b in self.info.bounds:
            if b.kind in ("loss", "duplicate") or b.bound <= 0:
                continue
            role = r.roles[b.target] if b.kind in ("crash", "restart") and b.target else None
            self.steps.append((b, cg._action(ActionKind(b.key, b.kind, role))))
            if b.kind == "partition":
                self.heal_idx = cg._action(ActionKind("heal", "heal"))
        crashable = {name for b, _ in self.steps if b.kind == "crash" for name in self._roles(b)}
        for name in sorted(crashable, key=list(r.roles).index):
            self._reset_fn(r.roles[name])
        for b, idx in self.steps:
            if b.kind == "restart":
                for name in self._roles(b):
                    decl = self.info.restarts.get(name)
                    if decl is not None and name not in self.restart_fns:
                        action = A.ActionDecl("restart", (), None, decl.body, span=decl.span)
                        self.restart_fns[name] = cg._action_fn(f"{idx}_{name}", r.roles[name], action)
        if any(b.kind == "corrupt" for b, _ in self.steps):
            self._corruption_tables()
        if self.ps is not None:
            self._sides()
        self.namespace.update({"_f_keep": _keep, "_f_drop_to": _drop_to, "_f_replace": _replace, "_f_swap": _swap})

    def finish_lines(self) -> list[str]:
        """Inside ``_finish``'s ``if out:``: drop what a crash or a drop
        partition makes undeliverable."""
        if self.r.network == "set":
            return []
        down = f"st[{self.cs}]" if self.cs is not None else "()"
        cut = f"st[{self.ps}]" if self.ps is not None and self.info.partition_mode == "drop" else "_NONE"
        if down == "()" and cut == "_NONE":
            return []
        net = self.r.net_slot
        return [f"        st[{net}] = _f_keep(st[{net}], {down}, {cut})"]

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
        out: list[str] = []
        for b, idx in self.steps:
            out += getattr(self, f"_{b.kind}")(b, idx, self.r.fault_slots[b.key])
        return out

    # ---- generated steps -------------------------------------------------------
    def _roles(self, b: Any) -> list[str]:
        return list(self.r.roles) if b.target is None else [b.target]

    def _nodes(self, b: Any) -> list[int]:
        return [n for name in self._roles(b) for n in self.r.roles[name].nodes]

    def _messages(self, pad: str) -> list[str]:
        """A loop binding ``m`` (each distinct in-flight message) and ``put``
        (a function replacing it in the network)."""
        if self.r.network == "fifo":
            return [f"{pad}for j, (ch, q) in enumerate(net):", f"{pad}    for k in range(len(q)):",
                    f"{pad}        m = q[k]; put = lambda m2: _f_replace(net, j, k, m2)"]
        return [f"{pad}prev = None", f"{pad}for j in range(len(net)):",
                f"{pad}    m = net[j]", f"{pad}    if m == prev: continue",
                f"{pad}    prev = m; put = lambda m2: _VBag(sorted(net[:j] + net[j + 1:] + (m2,)))"]

    def _corrupt(self, b: Any, idx: int, slot: int) -> list[str]:
        pad = "            " + ("    " if self.r.network == "fifo" else "")
        return [f"    if s[{slot}] < {b.bound}:", *self._messages("        "),
                f"{pad}for m2 in _f_corruptions(m):",
                f"{pad}    t = list(s); t[{self.r.net_slot}] = put(m2); t[{slot}] = s[{slot}] + 1",
                f"{pad}    res.append((({idx}, m, m2), tuple(t)))"]

    def _reorder(self, b: Any, idx: int, slot: int) -> list[str]:
        net = self.r.net_slot
        return [f"    if s[{slot}] < {b.bound}:", "        for j, (ch, q) in enumerate(net):",
                "            for k in range(len(q) - 1):", "                if q[k] == q[k + 1]: continue",
                f"                t = list(s); t[{net}] = _f_swap(net, j, k); t[{slot}] = s[{slot}] + 1",
                f"                res.append((({idx}, q[k + 1], q[k]), tuple(t)))"]

    def _crash(self, b: Any, idx: int, slot: int) -> list[str]:
        net, cs = self.r.net_slot, self.cs
        lines = [f"    if s[{slot}] < {b.bound}:"]
        for name in self._roles(b):
            role = self.r.roles[name]
            lines += [f"        for node in {role.nodes!r}:", "            if node in _down: continue",
                      f"            t = list(s); _reset_{name}(t, node)",
                      f"            t[{cs}] = _VSet(sorted(_down + (node,))); t[{slot}] = s[{slot}] + 1"]
            if self.r.network != "set":
                lines.append(f"            t[{net}] = _f_drop_to(net, node)")
            lines.append(f"            res.append((({idx}, node), tuple(t)))")
        return lines

    def _restart(self, b: Any, idx: int, slot: int) -> list[str]:
        lines = [f"    if s[{slot}] < {b.bound}:"]
        for name in self._roles(b):
            lines += [f"        for node in {self.r.roles[name].nodes!r}:", "            if node not in _down: continue",
                      f"            t = list(s); t[{self.cs}] = _VSet(x for x in _down if x != node)",
                      f"            t[{slot}] = s[{slot}] + 1; t = tuple(t)"]
            fn = self.restart_fns.get(name)
            if fn is None:
                lines.append(f"            res.append((({idx}, node), t))")
            else:
                lines += ["            try:", f"                for p, t2 in {fn}(t, node): res.append((({idx}, node), t2))",
                          "            except _AssertFail as exc:", f"                exc.action = ({idx}, node); raise"]
        return lines

    def _partition(self, b: Any, idx: int, slot: int) -> list[str]:
        net, ps = self.r.net_slot, self.ps
        lines = [f"    if _cut == _NONE and s[{slot}] < {b.bound}:", "        for side in _F_SIDES:",
                 f"            t = list(s); t[{ps}] = side; t[{slot}] = s[{slot}] + 1"]
        if self.info.partition_mode == "drop":
            lines.append(f"            t[{net}] = _f_keep(net, (), side)")
        lines += [f"            res.append((({idx}, side), tuple(t)))",
                  "    if _cut != _NONE:", f"        t = list(s); t[{ps}] = _NONE",
                  f"        res.append((({self.heal_idx},), tuple(t)))"]
        return lines

    # ---- helpers emitted once ------------------------------------------------
    def _reset_fn(self, role: Any) -> None:
        keep = self.info.persistent.get(role.name, set())
        lines = [f"def _reset_{role.name}(st, me):", f"    _i = me - {NODE_BASE + role.first}"]
        for v in role.vars.values():
            if v.name not in keep:
                code, _ = self.cg.ex.expr(v.decl.init, Ctx("st", role))
                lines.append(f"    st[{v.slot} + _i] = {code}")
        self.cg.emit(*lines, "    return st")

    def _corruption_tables(self) -> None:
        names = self.r.names
        table: dict[int, tuple[tuple[int, tuple], ...]] = {}
        for msg, doms in self.info.domains.items():
            info = self.r.messages.get(msg)
            if info is not None:
                table[info.shape] = tuple((3 + k, d) for k, d in enumerate(doms) if d is not None)
        crc = crc_shape(names)
        garbled = VRec((crc, ()))

        def corruptions(m: VRec):
            """Every message ``m`` can be corrupted into, in a fixed order."""
            for k, dom in table.get(m[0], ()):
                for v in dom:
                    if v != m[k]:
                        yield VRec(m[:k] + (v,) + m[k + 1:])
            for k in range(3, len(m)):
                v = m[k]
                if isinstance(v, VRec) and v[0] == crc and v != garbled:
                    yield VRec(m[:k] + (garbled,) + m[k + 1:])

        self.namespace["_f_corruptions"] = corruptions

    def _sides(self) -> None:
        nodes = [NODE_BASE + i for i in range(len(self.r.node_roles))]
        if len(nodes) > MAX_PARTITION_NODES:
            raise SpecError(f"a partition of {len(nodes)} nodes can split them in {2 ** (len(nodes) - 1) - 1} ways; "
                            f"at most {MAX_PARTITION_NODES} nodes are supported")
        first, rest = nodes[0], nodes[1:]
        sides = []
        for mask in range((1 << len(rest)) - 1):
            sides.append(VSet([first] + [n for i, n in enumerate(rest) if mask >> i & 1]))
        self.namespace["_F_SIDES"] = tuple(sides)


# ---- run-time helpers (work on unordered bags and fifo channel maps) ---------

def _crosses(m: VRec, cut: Any) -> bool:
    return cut != NONE and m[1] != NONE and m[2] != NONE and ((m[1] in cut) != (m[2] in cut))


def _keep(net: Any, down: Any, cut: Any) -> Any:
    """``net`` without messages to a crashed node or across a drop cut."""
    def ok(m: VRec) -> bool:
        return m[2] not in down and not _crosses(m, cut)

    if isinstance(net, VMap):
        chans = [(ch, tuple(m for m in q if ok(m))) for ch, q in net]
        return VMap((ch, q) for ch, q in chans if q)
    return VBag(m for m in net if ok(m))


def _drop_to(net: Any, node: int) -> Any:
    return _keep(net, (node,), NONE)


def _replace(net: VMap, j: int, k: int, m2: VRec) -> VMap:
    ch, q = net[j]
    return VMap(net[:j] + ((ch, q[:k] + (m2,) + q[k + 1:]),) + net[j + 1:])


def _swap(net: VMap, j: int, k: int) -> VMap:
    ch, q = net[j]
    return VMap(net[:j] + ((ch, q[:k] + (q[k + 1], q[k]) + q[k + 2:]),) + net[j + 1:])


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
    ex.namespace["_f_connected"] = _connected
    return f"_f_connected({ctx.src}[{info.partition_slot}], {args[0][0]}, {args[1][0]})", "bool"


def _node_or_expr(ex: Any, e: A.Expr, ctx: Any) -> tuple[str, str]:
    """A single-node role's name stands for its node here (``connected(self, TM)``)."""
    if isinstance(e, A.Name) and e.id in ex.r.roles and e.id not in ctx.locals and ex.r.roles[e.id].count == 1 \
            and ex.r.roles[e.id].decl.count is None:
        role = ex.r.roles[e.id]
        return repr(role.nodes[0]), f"node:{role.name}"
    return ex.expr(e, ctx)


def _connected(cut: Any, a: int, b: int) -> bool:
    return cut == NONE or (a in cut) == (b in cut)
