"""ResolvedSpec -> one generated Python module of step functions.

Generated once per (spec, options), then exec'd: exploration calls plain
Python functions, never an interpreter walking the AST. The module holds:

- one function per handler / action / timer returning its next states,
- ``successors(s)``: every enabled step of a state, in a fixed order
  (deliveries in network order, then actions by role and node, then global
  actions, then faults),
- ``initial()``, one function per invariant, ``constraint``, ``terminal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from checker.compile import runtime as rt
from checker.compile.exprs import Ctx, ExprCompiler
from checker.compile.faults import FaultGen
from checker.compile.liveness import LiveGen
from checker.compile.stmts import SetSelf, StmtCompiler
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec, RoleInfo
from checker.faults import Fault
from checker.model import StepKind
from checker.network import NAMESPACE as NETWORK_NAMESPACE
from checker.network import network_of
from checker.values import EMPTY_BAG, EMPTY_MAP, EMPTY_SET, NODE_BASE, NONE, VBag, VMap, VRec, VSet


@dataclass
class ActionKind:
    """One entry of Model.action_names, with what formatting needs."""

    name: str
    kind: StepKind
    role: RoleInfo | None = None
    decl: Any = None
    params: tuple[str, ...] = ()
    #: the fault object whose step this is (`checker.faults`), if any
    fault: Fault | None = None


@dataclass
class Generated:
    source: str
    namespace: dict[str, Any]
    actions: list[ActionKind] = field(default_factory=list)
    invariant_names: list[str] = field(default_factory=list)
    assertion_names: list[str] = field(default_factory=list)
    #: the spec's liveness properties (checker.compile.liveness.LiveSpec)
    liveness: list[Any] = field(default_factory=list)
    #: called with the namespace once the source is exec'd
    bind: Callable[[dict[str, Any]], None] = lambda ns: None


class CodeGen:
    def __init__(self, r: ResolvedSpec):
        self.r = r
        self.ex = ExprCompiler(r)
        self.st = StmtCompiler(self.ex)
        self.lines: list[str] = []
        self.actions: list[ActionKind] = []
        self.asserts: list[str] = []
        self.network = network_of(r.network)
        self.faults = FaultGen(self)  # the fault steps and the filters crashes and partitions need

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def generate(self) -> Generated:
        r = self.r
        self._helpers()
        handler_table: list[tuple[int, str, RoleInfo, A.Handler]] = []
        for role in r.roles.values():
            for h in role.handlers.values():
                idx = self._action(ActionKind(f"{role.name}.on {h.message}", StepKind.DELIVER, role, h))
                handler_table.append((idx, self._handler(idx, role, h), role, h))
        action_calls: list[tuple[int, str, RoleInfo | None]] = []
        for role in r.roles.values():
            for a in role.actions:
                kind = StepKind.TIMER if a.kind == "timeout" else StepKind.ACTION
                idx = self._action(ActionKind(f"{role.name}.{a.name}", kind, role, a, tuple(p.name for p in a.params)))
                action_calls.append((idx, self._action_fn(idx, role, a), role))
        for a in r.actions:
            idx = self._action(ActionKind(a.name, StepKind.GLOBAL, None, a, tuple(p.name for p in a.params)))
            action_calls.append((idx, self._action_fn(idx, None, a), None))
        self.faults.register()
        self._dispatch_tables(handler_table)
        self._successors(action_calls)
        self._initial()
        inv_names = self._predicates()
        live = LiveGen(self).emit()
        ns = self._namespace()
        ns.update(self.faults.namespace)
        return Generated("\n".join(self.lines) + "\n", ns, self.actions, inv_names, self.asserts, live,
                         self.faults.bind)

    def _action(self, a: ActionKind) -> int:
        self.actions.append(a)
        return len(self.actions) - 1

    # ---- fixed helpers ----------------------------------------------------
    def _helpers(self) -> None:
        r = self.r
        for role in r.roles.values():
            base = NODE_BASE + role.first
            self.emit(
                f"def _node_{role.name}(i):",
                f"    if type(i) is not int or not 0 <= i < {role.count}:",
                f"        raise _ModelError(f'{role.name}[{{i}}] does not exist ({role.name} has {role.count} node(s))')",
                f"    return {base} + i",
            )
        self.emit("def _node_index(v):", "    return _NODE_INDEX[v]")
        net, sent = r.net_slot, r.sent_slot
        self.emit("def _finish(st, out):", "    if out:", f"        st[{net}] = {self.network.gen_add(f'st[{net}]', 'out')}")
        if sent is not None:
            self.emit(f"        st[{sent}] = _rt_mkset(st[{sent}] + tuple(out))")
        self.emit(*self.faults.finish_lines())
        self.emit("    return tuple(st)")

    # ---- steps --------------------------------------------------------------
    def _role_ctx(self, role: RoleInfo | None, src: str) -> Ctx:
        return Ctx(src, role, in_global=role is None)

    def _prologue(self, role: RoleInfo | None) -> list[str]:
        return [f"    _i = me - {NODE_BASE + role.first}"] if role is not None else []

    def _handler(self, idx: int, role: RoleInfo, h: A.Handler) -> str:
        fn = f"h_{idx}"
        ctx = self._role_ctx(role, "s")
        binds = []
        for k, p in enumerate(h.params):
            py = self.ex.fresh(p)
            ctx.locals[p] = (py, "any")
            binds.append(f"    {py} = m[{3 + k}]")
        if h.sender is not None:
            py = self.ex.fresh(h.sender)
            ctx.locals[h.sender] = (py, "node")
            binds.append(f"    {py} = m[1]")
        ctx.sender = "m[1]"
        self.emit(f"def {fn}(s, me, m, net):", *self._prologue(role), *binds)
        if h.guard is not None:
            self.emit(f"    if not {self.ex.bool_expr(h.guard, ctx, 'a guard')}: return ()")
        body_ctx = ctx.child(src="st")
        self.emit("    st = list(s); out = []; res = []", f"    st[{self.r.net_slot}] = net")
        self.emit(*self.st.body(h.body, body_ctx, 1))
        self.emit("    return res")
        self._collect_asserts(h.body)
        return fn

    def _action_fn(self, idx: int, role: RoleInfo | None, a: A.ActionDecl) -> str:
        """``a_k(s, me)`` -> [(params, next state), ...]."""
        fn = f"a_{idx}"
        ctx = self._role_ctx(role, "s")
        self.emit(f"def {fn}(s, me):", *self._prologue(role), "    found = []")
        indent = 1
        params = []
        for p in a.params:
            inner = ctx.child()
            loop = self.ex.bind((p.name,), p.domain, ctx, inner)[0]
            ctx = inner
            params.append(ctx.locals[p.name][0])
            self.emit("    " * indent + loop + ":")
            indent += 1
        pad = "    " * indent
        if a.guard is not None:
            self.emit(f"{pad}if {self.ex.bool_expr(a.guard, ctx, 'a guard')}:")
            indent += 1
            pad = "    " * indent
        ptuple = "(" + "".join(p + ", " for p in params) + ")"
        self.emit(f"{pad}st = list(s); out = []; res = []", f"{pad}try:")
        self.emit(*self.st.body(a.body, ctx.child(src="st"), indent + 1))
        self.emit(f"{pad}except _AssertFail as exc:", f"{pad}    exc.params = {ptuple}; raise")
        self.emit(f"{pad}for t in res: found.append(({ptuple}, t))")
        self.emit("    return found")
        self._collect_asserts(a.body)
        return fn

    def _collect_asserts(self, stmts) -> None:
        for s in _walk_stmts(stmts):
            if isinstance(s, A.Assert):
                name = s.name or f"assert line {s.span.line}"
                if name not in self.asserts:
                    self.asserts.append(name)

    # ---- dispatch -----------------------------------------------------------
    def _dispatch_tables(self, handlers: list[tuple[int, str, RoleInfo, A.Handler]]) -> None:
        self.emit("_HANDLERS = {}", "_ANY_HANDLERS = {}")
        for idx, fn, role, h in handlers:
            shape = self.r.messages[h.message].shape
            for node in role.nodes:
                self.emit(f"_HANDLERS[({shape}, {node})] = (({idx}, {fn}, {node}),)")
                self.emit(f"_ANY_HANDLERS.setdefault({shape}, []).append(({idx}, {fn}, {node}))")

    def _successors(self, action_calls) -> None:
        r = self.r
        e = self.emit
        # A failed assert is collected, not raised at once, so the state's
        # other steps are still explored.
        e("def successors(s):", "    res = []; fails = []", f"    net = s[{r.net_slot}]", *self.faults.prologue())
        loop = self.network.gen_deliveries("net", "m")
        e(*("    " + line for line in loop.lines))
        pad = "    " * (1 + loop.depth)
        rest = loop.rest
        e(f"{pad}d = m[2]",
          f"{pad}targets = _ANY_HANDLERS.get(m[0], ()) if d == _NONE else _HANDLERS.get((m[0], d), ())",
          f"{pad}if targets:",
          f"{pad}    rest = {rest}",
          f"{pad}    for aidx, fn, node in targets:",
          *self.faults.skip_delivery(pad + "        "),
          f"{pad}        try:",
          f"{pad}            for t in fn(s, node, m, rest): res.append(((aidx, node, m), t))",
          f"{pad}        except _AssertFail as exc:",
          f"{pad}            exc.action = (aidx, node, m); fails.append(exc)")
        for idx, fn, role in action_calls:
            if role is None:
                e("    try:", f"        for p, t in {fn}(s, None): res.append((({idx},) + p, t))",
                  "    except _AssertFail as exc:", f"        exc.action = ({idx},) + exc.params; fails.append(exc)")
            else:
                e(f"    for node in {role.nodes!r}:", *self.faults.skip_actor("        "), "        try:",
                  f"            for p, t in {fn}(s, node): res.append((({idx}, node) + p, t))",
                  "        except _AssertFail as exc:", f"            exc.action = ({idx}, node) + exc.params; fails.append(exc)")
        e(*self.faults.step_lines())
        e("    if fails: raise _StepFailures(fails, res)", "    return res")

    # ---- initial states -----------------------------------------------------
    def _initial(self) -> None:
        r = self.r
        e = self.emit
        e("def initial():", f"    st = [None] * {r.n_slots}; out = []; res = []", "    me = None; _i = None")
        for role in r.roles.values():
            for v in role.vars.values():
                ctx = Ctx("st", role)
                code, _ = self.ex.expr(v.decl.init, ctx)
                e(f"    for _i in range({role.count}):", f"        me = {NODE_BASE + role.first} + _i",
                  f"        st[{v.slot} + _i] = {code}")
        for v in r.global_vars.values():
            code, _ = self.ex.expr(v.decl.init, Ctx("st", None, in_global=True))
            e(f"    st[{v.slot}] = {code}")
        e(f"    st[{r.net_slot}] = {self.ex.const_ref(self.network.empty())}")
        if r.sent_slot is not None:
            e(f"    st[{r.sent_slot}] = _EMPTY_SET")
        for slot in r.fault_slots.values():
            e(f"    st[{slot}] = 0")
        e(*self.faults.initial_lines())
        stmts: list[Any] = []
        for role in r.roles.values():
            for i in range(role.count):
                for init in role.inits:
                    stmts.append(SetSelf(role, i))
                    stmts.extend(init.body)
        # Global init blocks run after every node's, outside any role.
        for init in r.inits:
            stmts.append(SetSelf(None, 0))
            stmts.extend(init.body)
        e(*self.st.body(stmts, Ctx("st", None, in_global=True), 1), "    return res")
        for init in list(r.inits) + [i for role in r.roles.values() for i in role.inits]:
            self._collect_asserts(init.body)

    # ---- predicates -----------------------------------------------------------
    def _predicates(self) -> list[str]:
        r = self.r
        names = []
        for k, inv in enumerate(r.invariants):
            code = self.ex.bool_expr(inv.cond, Ctx("s", None, in_global=True), "an invariant")
            self.emit(f"def inv_{k}(s):", f"    return {code}")
            self._explain(k, inv.cond)
            names.append(inv.name)
        conds = [self.ex.bool_expr(c.cond, Ctx("s", None, in_global=True), "a constraint") for c in r.constraints]
        self.emit("def constraint(s):", f"    return {' and '.join(conds) if conds else 'True'}")
        terms = [self.ex.bool_expr(t.cond, Ctx("s", None, in_global=True), "a terminal condition") for t in r.terminals]
        self.emit("def terminal(s):", f"    return {' or '.join(terms) if terms else 'False'}")
        return names

    def _explain(self, k: int, cond: A.Expr) -> None:
        """``explain_k(s)``: the binding and values that falsify invariant k.

        For ``forall xs: P`` the first binding where P is false; for
        ``not exists xs: P`` the first where P is true; in both cases the
        values of the node variables and fields P reads through the bound
        names, and of the global variables it reads."""
        ex = self.ex
        ctx = Ctx("s", None, in_global=True)
        want_true = False
        body = cond
        if isinstance(cond, A.Unary) and cond.op == "not" and isinstance(cond.operand, A.Quantifier) \
                and cond.operand.kind == "exists":
            body, want_true = cond.operand, True
        lines = [f"def explain_{k}(s):", "    found = {}"]
        indent = 1
        inner = ctx
        bound: list[str] = []
        if isinstance(body, A.Quantifier) and (body.kind == "forall" or want_true):
            for b in body.binders:
                for loop in ex.bind(b.names, b.domain, inner.child(), inner := inner.child()):
                    lines.append("    " * indent + loop + ":")
                    indent += 1
                bound.extend(b.names)
            body = body.body
        test = ex.bool_expr(body, inner)
        pad = "    " * indent
        lines.append(f"{pad}if {'' if want_true else 'not '}{test}:")
        for name in bound:
            lines.append(f"{pad}    found[{name!r}] = _show({inner.locals[name][0]})")
        for sub in _reads(body, set(bound), self.r):
            try:
                code, _ = ex.expr(sub, inner)
            except Exception:  # a read that needs more context; skip it
                continue
            text = _text(sub)
            lines.append(f"{pad}    try: found[{text!r}] = _show({code})")
            lines.append(f"{pad}    except Exception: pass")
        lines.append(f"{pad}    return found")
        lines.append("    return found")
        self.emit(*lines)

    def _namespace(self) -> dict[str, Any]:
        r = self.r
        ns: dict[str, Any] = dict(self.ex.namespace)
        shape_fields = [{f: i + 1 for i, f in enumerate(s.fields)} for s in r.names.shapes]
        node_var_slots: dict[str, dict[int, int]] = {}
        for role in r.roles.values():
            for v in role.vars.values():
                for i in range(role.count):
                    node_var_slots.setdefault(v.name, {})[role.first + i] = v.slot + i
        runtime = rt.Runtime(shape_fields, node_var_slots, len(r.node_roles), r.names.show)
        ns.update(NETWORK_NAMESPACE)
        ns.update({
            "_rt": runtime, "_NONE": NONE, "_VBag": VBag, "_VRec": VRec, "_VSet": VSet, "_VMap": VMap,
            "_EMPTY_SET": EMPTY_SET, "_EMPTY_MAP": EMPTY_MAP, "_EMPTY_BAG": EMPTY_BAG,
            "_AssertFail": rt.AssertFail, "_ModelError": rt.ModelError, "_StepFailures": rt.StepFailures,
            "_NODE_INDEX": {NODE_BASE + role.first + i: i for role in r.roles.values() for i in range(role.count)},
            "_show": r.names.show, "_NET": self.network,
        })
        for name in dir(rt):
            obj = getattr(rt, name)
            if callable(obj) and not name.startswith("_") and not isinstance(obj, type):
                ns[f"_rt_{name.rstrip('_')}"] = obj
        return ns


def _reads(e: Any, bound: set[str], r: ResolvedSpec) -> list[A.Expr]:
    """Sub-expressions worth showing when an invariant fails: fields and
    node variables read through bound names, and global variables."""
    found: list[A.Expr] = []
    for x in A.walk(e):
        wanted = (isinstance(x, A.Field) and isinstance(x.base, A.Name) and x.base.id in bound) \
            or (isinstance(x, A.Name) and x.id in r.global_vars) \
            or (isinstance(x, A.Call) and x.func in r.defs)  # e.g. Chosen() in `size(Chosen()) <= 1`
        if wanted and x not in found:
            found.append(x)
    return found


def _text(e: A.Expr) -> str:
    if isinstance(e, A.Field):
        return f"{_text(e.base)}.{e.name}"
    if isinstance(e, A.Name):
        return e.id
    if isinstance(e, A.Call):
        return f"{e.func}(" + ", ".join(_text(a.value) for a in e.args) + ")"
    if isinstance(e, (A.IntLit, A.BoolLit)):
        return str(e.value).lower() if isinstance(e, A.BoolLit) else str(e.value)
    if isinstance(e, A.StrLit):
        return repr(e.value)
    return "..."


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        if isinstance(s, A.If):
            yield from _walk_stmts(s.then)
            yield from _walk_stmts(s.orelse)
        elif isinstance(s, A.For):
            yield from _walk_stmts(s.body)

