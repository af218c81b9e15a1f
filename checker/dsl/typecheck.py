"""The static checks of a resolved spec: unknown names, arity, static type
mismatches, statements used where they cannot be. Every static error of a
spec stops here, before any code is generated.

The checker walks every expression once per place it is evaluated
(definitions once per call), infers its `Kind` and records it in a
`KindTable`; the compiler reads the kinds from the table and never checks
anything itself. An expression inside a definition is recorded per chain
of calls that expanded it (the ids of the calls), since its kind may
depend on the arguments.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from checker.dsl import ast as A
from checker.dsl.exprcheck import ExprChecker, Key, KindTable, Scope, _err, var_key
from checker.dsl.kinds import ANY, NONE, SCALARS, Kind, ValueKind, compatible, node_of
from checker.model import Temporal

if TYPE_CHECKING:  # the resolver runs the checker: no import at run time
    from checker.dsl.resolve import ResolvedSpec, RoleInfo, VarInfo


class TypeChecker(ExprChecker):
    """Checks a resolved spec (its statements, through them every
    expression) and fills its `KindTable`."""

    def __init__(self, r: ResolvedSpec, assumed: dict[Key, Kind] | None = None):
        super().__init__(r, assumed)
        self.assertions: list[str] = []

    # ---- the spec ---------------------------------------------------------
    def check(self) -> KindTable:
        r = self.r
        # In the order the compiler emits them, so assertions are listed alike.
        for role in r.roles.values():
            for v in role.vars.values():
                self.var_init(v, Scope(role))
        for v in r.global_vars.values():
            self.var_init(v, Scope(None))
        for role in r.roles.values():
            for h in role.handlers.values():
                self.handler(role, h)
        for role in r.roles.values():
            for a in role.actions:
                self.action(role, a)
        for a in r.actions:
            self.action(None, a)
        if r.fault_info is not None:
            for name, decl in r.fault_info.restarts.items():
                self.body(decl.body, Scope(r.roles[name]))
        for init in r.inits:
            self.body(init.body, Scope(None))
        for role in r.roles.values():
            for init in role.inits:
                self.body(init.body, Scope(role))
        for inv in r.invariants:
            self.cond(inv.cond, Scope(None), "an invariant")
        for c in r.constraints:
            self.cond(c.cond, Scope(None), "a constraint")
        for t in r.terminals:
            self.cond(t.cond, Scope(None), "a terminal condition")
        for w in r.init_conds:
            self.cond(w.cond, Scope(None), "the condition of 'init when'")
        for d in r.properties:
            scope = self.params(d.params, Scope(None))
            what = "each side of 'leadsto'" if d.kind is Temporal.LEADSTO else f"the condition of '{d.kind}'"
            self.cond(d.p, scope, what)
            if d.q is not None:
                self.cond(d.q, scope, what)
        for sp in r.step_properties:
            self.cond(sp.cond, self.params(sp.params, Scope(None, primes=True)), "a step property")
        self._expects()
        return self.table

    def var_init(self, v: VarInfo, scope: Scope) -> None:
        """A variable's initial value, or the set of them (``var x in S``)."""
        if v.decl.domain is None:
            assert v.decl.init is not None
            self.expr(v.decl.init, scope)
            self.learn(var_key(v), self.precise(v.decl.init, scope))
            return
        kd = self.expr(v.decl.domain, scope)
        if kd.is_(*SCALARS, ValueKind.MAP, ValueKind.REC, ValueKind.MSG):
            raise _err(f"'var {v.name} in S' needs a set (or sequence) of initial values, but this is "
                       f"{kd.describe()}", v.decl.domain)
        self.learn(var_key(v), self._element(v.decl.domain, scope))

    def _expects(self) -> None:
        r = self.r
        known = ({inv.name for inv in r.invariants} | set(self.assertions) | {"deadlock"}
                 | {d.name for d in r.properties} | {d.name for d in r.step_properties})
        for e in r.expects:
            if e.prop not in known:
                raise _err(f"expect: no property named '{e.prop}' (properties: {', '.join(sorted(known))})", e)

    def handler(self, role: RoleInfo, h: A.Handler) -> None:
        scope = Scope(role, handler=True)
        fields = self.r.messages[h.message].fields
        for p, f in zip(h.params, fields):
            scope.locals[p] = self.field_kind(h.message, f)
        if h.sender is not None:
            scope.locals[h.sender] = self.field_kind(h.message, "src")
        if h.guard is not None:
            self.cond(h.guard, scope, "a guard")
        self.body(h.body, scope)

    def action(self, role: RoleInfo | None, a: A.ActionDecl) -> None:
        scope = self.params(a.params, Scope(role))
        if a.guard is not None:
            self.cond(a.guard, scope, "a guard")
        self.body(a.body, scope)

    def params(self, params: tuple[A.Param, ...], scope: Scope) -> Scope:
        for p in params:
            inner = scope.child()
            self.bind((p.name,), p.domain, scope, inner)
            scope = inner
        return scope

    # ---- statements ---------------------------------------------------------
    def body(self, stmts: tuple[A.Stmt, ...], scope: Scope) -> None:
        for s in stmts:
            self.stmt(s, scope)

    def block(self, stmts: tuple[A.Stmt, ...], scope: Scope) -> None:
        self.body(stmts, scope.child(top=False))

    def stmt(self, s: A.Stmt, scope: Scope) -> None:
        if isinstance(s, A.Choose):
            if not scope.top:
                raise _err("'choose' may only appear at the top level of a handler, action or init block, "
                           "not inside if/for", s)
            kd = self.expr(s.domain, scope)
            if kd.is_(*SCALARS):
                raise _err(f"cannot choose from {kd.describe()}", s.domain)
            scope.locals[s.name] = self._element(s.domain, scope)
        elif isinstance(s, A.Assign):
            self.assign(s, scope)
        elif isinstance(s, A.Let):
            scope.locals[s.name] = self.expr(s.value, scope)
        elif isinstance(s, A.If):
            self.cond(s.cond, scope, "an if condition")
            self.block(s.then, self.refined(scope, s.cond))
            self.block(s.orelse, scope)
        elif isinstance(s, A.For):
            inner = scope.child(top=False)
            self.bind(s.names, s.source, scope, inner)
            self.body(s.body, inner)
        elif isinstance(s, A.Send):
            self.send(s, scope)
        elif isinstance(s, A.Assert):
            self.cond(s.cond, scope, "an assertion")
            name = s.name or f"assert line {s.span.line}"
            if name not in self.assertions:
                self.assertions.append(name)
        elif isinstance(s, A.NetOp):
            self.net_op(s, scope)
        elif not isinstance(s, A.Skip):  # pragma: no cover - the parser makes no other statement
            raise _err(f"unsupported statement {type(s).__name__}", s)

    def net_op(self, s: A.NetOp, scope: Scope) -> None:
        if s.kind == "keep":
            if not scope.handler:
                raise _err("'keep' leaves the handled message in the network; it is only possible "
                           "inside a message handler", s)
            return
        assert s.message is not None
        k = self.expr(s.message, scope)
        if not k.is_(ValueKind.MSG, ValueKind.REC, ValueKind.ANY):
            raise _err(f"'{s.kind}' needs a message, but this is {k.describe()}", s.message)

    def send(self, s: A.Send, scope: Scope) -> None:
        call = s.message
        if call.func not in self.r.messages:
            raise _err(f"unknown message '{call.func}' (declare it with 'message {call.func}(...)' "
                       f"or handle it with 'on {call.func}(...)')", call)
        if s.kind == "reply" and not scope.handler:
            raise _err("'reply' is only possible inside a message handler", s)
        if s.to is not None:
            kt = self.expr(s.to, scope)
            if kt.is_(ValueKind.INT, ValueKind.BOOL, ValueKind.STR, ValueKind.NONE, ValueKind.SEQ, ValueKind.MAP,
                      ValueKind.REC, ValueKind.MSG, ValueKind.BAG):
                raise _err(f"a message must be sent to a node or a set of nodes, but this is {kt.describe()}", s.to)
        to_anyone = s.to is None and s.kind != "reply"  # sent without a receiver: dst is none
        self.message(call, scope, dst=NONE if to_anyone else Kind(ValueKind.NODE))

    def assign(self, s: A.Assign, scope: Scope) -> None:
        t = s.target
        accs = list(t.accessors)
        kv = self.expr(s.value, scope)
        r = self.r
        if t.name in scope.locals:
            kind = self.table.put(t, scope.path, scope.locals[t.name])  # the compiler reads it
            if accs and kind.is_(ValueKind.NODE) and isinstance(accs[0], str):
                self._node_var(t, kind, accs, kv, s.value, scope)
            else:
                if not accs:
                    value = self.precise(s.value, scope)
                    scope.locals[t.name] = ANY if not compatible(kind, kv) else \
                        replace(kind, nullable=True) if kind.known and (value.nullable or value.is_(ValueKind.NONE)) \
                        else kind
                self._check_at_run_time(s, _target_kind(scope.locals[t.name] if not accs else kind, accs), scope)
            self._accessors(accs, scope)
            return
        if scope.role is not None and t.name in scope.role.vars:
            v = scope.role.vars[t.name]
        elif t.name in r.global_vars:
            v = r.global_vars[t.name]
        elif t.name in r.consts:
            raise _err(f"cannot assign to constant '{t.name}'", t)
        elif t.name in r.roles:
            if accs and not isinstance(accs[0], str) and len(accs) >= 2 and isinstance(accs[1], str):
                self._role_index(r.roles[t.name], accs[0], scope)
                self._node_var(t, node_of(t.name), accs[1:], kv, s.value, scope)
                self._accessors(accs[1:], scope)
                return
            raise _err(f"cannot assign to role '{t.name}'", t)
        elif t.name in ("sent", "network"):
            raise _err(f"'{t.name}' is maintained by the checker and cannot be assigned", t)
        else:
            if t.name == "self" and t.accessors and isinstance(t.accessors[0], str):
                raise _err(f"a node assigns its own variable by its name: write '{t.accessors[0]} = ...', "
                           f"not 'self.{t.accessors[0]} = ...'", t)
            raise _err(f"unknown variable '{t.name}'", t)
        vk = self.var_kind(v)
        if not accs:
            self.learn(var_key(v), self.precise(s.value, scope))
            if not compatible(vk, kv):
                raise _err(f"cannot assign {kv.describe()} to '{t.name}', which holds {vk.describe()}", s.value)
            if not vk.inferred:  # an inferred kind is the join of every value assigned: sound as it is
                self._check_at_run_time(s, vk, scope)
        elif vk.is_(ValueKind.INT, ValueKind.BOOL, ValueKind.STR):
            raise _err(f"'{t.name}' holds {vk.describe()}, which has no elements or fields to assign", t)
        self._accessors(accs, scope)

    def _check_at_run_time(self, s: A.Assign, target: Kind, scope: Scope) -> None:
        """The compiled code trusts a target of a known kind (inline
        arithmetic on an int, ...): a value the checker cannot prove to be
        of that kind (one read from a set of mixed values, an inferred
        message field) is checked when it is assigned."""
        if target.known and not target.nullable and target.base is not ValueKind.NONE \
                and not _proves(self.precise(s.value, scope), target):
            self.table.check_assignment(s, scope.path, target)

    def _accessors(self, accs: list, scope: Scope) -> None:
        for a in accs:
            if not isinstance(a, str):
                self.expr(a, scope)

    def _node_var(self, t: A.LValue, kind: Kind, accs: list, kv: Kind, value: A.Expr, scope: Scope) -> None:
        name = accs[0]
        if kind.role is None:  # a node of a role known only at run time: any role's `name` may change
            if len(accs) == 1:
                for role in self.r.roles.values():
                    if name in role.vars:
                        self.learn(var_key(role.vars[name]), self.precise(value, scope))
            return
        role = self.r.roles[kind.role]
        if name not in role.vars:
            raise _err(f"role {role.name} has no variable '{name}'", t)
        v = role.vars[name]
        vk = self.var_kind(v)
        if len(accs) == 1:
            self.learn(var_key(v), self.precise(value, scope))
        if len(accs) == 1 and not compatible(vk, kv):
            raise _err(f"cannot assign {kv.describe()} to '{name}', which holds {vk.describe()}", t)


def _proves(value: Kind, target: Kind) -> bool:
    """Whether a value of kind ``value`` is sure to be a ``target``."""
    if value.nullable or not value.known:
        return False
    if target.base is ValueKind.REC:
        return value.is_(ValueKind.REC, ValueKind.MSG)
    return value.base is target.base and (target.role is None or value.role == target.role) \
        and (target.shape is None or value.shape == target.shape) \
        and (target.elem is None or (value.elem is not None and _proves(value.elem, target.elem)))


def _target_kind(kind: Kind, accs: list) -> Kind:
    """The kind of ``x[i][j]`` for ``x`` of kind ``kind`` (element kinds
    are known of sets, bags and sequences only; fields are not followed)."""
    for a in accs:
        if isinstance(a, str) or kind.elem is None:
            return ANY
        kind = kind.elem
    return kind


#: passes of the kind inference; each is sound, later ones more precise
MAX_PASSES = 6


def typecheck(r: ResolvedSpec) -> tuple[KindTable, list[str]]:
    """Check every expression and statement of ``r``; returns the kinds and
    the names of the step assertions, in source order. Raises `SpecError`
    at the first problem.

    The kinds of variables whose initial value declares none (``none``, an
    expression), of message fields and of senders are inferred: a pass
    assumes what the previous one found (the first assumes nothing), and
    finds the join of every value given to each. Every pass's assumptions
    over-approximate what a run can see, so the kinds of the last pass are
    sound; passes stop when nothing changes."""
    assumed: dict[Key, Kind] = {}
    for _ in range(MAX_PASSES):
        checker = TypeChecker(r, assumed)
        table = checker.check()
        if checker.found == assumed:
            break
        assumed = checker.found
    table.assumed = assumed
    return table, checker.assertions


def check_extra(r: ResolvedSpec, e: A.Expr, role: RoleInfo | None, params: tuple[str, ...] = ()) -> KindTable:
    """Check one more expression against a resolved spec (e.g. one a trace
    validation mapping observes), as node ``self`` of ``role`` with
    ``params`` bound to values of unknown kind. Returns a table of its
    kinds over the spec's (keep ``e`` alive while using it)."""
    checker = TypeChecker(r, r.kinds.assumed)
    checker.table = KindTable(parent=r.kinds)
    checker.expr(e, Scope(role, {p: ANY for p in params}))
    return checker.table


__all__ = ["KindTable", "Scope", "TypeChecker", "check_extra", "typecheck"]
