"""What trace validation needs from a compiled spec (`checker.model.ValidationView`).

The compiled spec's steps, roles, variables and network, described
through the interface `checker.validate` uses for every model, plus the
optional extras only a spec has: DSL expressions as observations, the
generated step functions as a fast path, and guard explanations.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from checker.compile.context import Ctx
from checker.compile.exprs import ExprCompiler
from checker.compile.quantifiers import conjuncts
from checker.dsl import ast as A
from checker.dsl.parser import parse
from checker.dsl.resolve import RoleInfo
from checker.dsl.typecheck import check_extra
from checker.model import Action, ActionKindInfo, ActionParts, State, StepKind, ValidationView
from checker.values import is_node, node_number

#: step kinds run directly (`h_k`/`a_k` of the generated module) when the
#: spec has no fault steps that gate them (crash, partition, ...).
_TARGETED = ("deliver", "action", "timer", "global")
_NODE_FAULTS = ("crash", "restart")


class CompiledView(ValidationView):
    """`ValidationView` of a `checker.compile.model.CompiledModel`."""

    def __init__(self, model: Any):
        self.model = model
        r = model.resolved
        self.r = r
        self.ns = model.generated.namespace
        self.roles = {role.name: tuple(role.nodes) for role in r.roles.values()}
        self.kinds = [self._info(k) for k in model.action_kinds]
        self._layouts = [k.kind for k in model.action_kinds]
        # Fault steps other than loss/duplicate gate deliveries and actions
        # inside `successors`: then only it is exact.
        self.targeted = all(k.kind in _TARGETED + ("loss", "duplicate") for k in model.action_kinds)
        self._guards: dict[int, Any] = {}
        self.delivery_consumes = model.network.consumes

    @staticmethod
    def _info(k: Any) -> ActionKindInfo:
        role = k.role.name if k.role is not None else None
        if k.kind == "deliver":
            return ActionKindInfo(k.name, StepKind.DELIVER, role, k.decl.message, tuple(k.decl.params))
        return ActionKindInfo(k.name, StepKind(k.kind), role, None, tuple(k.params))

    def role_of(self, node: Any) -> str | None:
        if not is_node(node):
            return None
        i = node_number(node)
        return self.r.node_roles[i].name if 0 <= i < len(self.r.node_roles) else None

    def action_parts(self, action: Action) -> ActionParts:
        kind = self._layouts[action[0]]
        if kind == "deliver":
            return ActionParts(action[1], action[2])
        if kind in ("action", "timer"):
            return ActionParts(action[1], None, tuple(action[2:]))
        if kind == "global":
            return ActionParts(None, None, tuple(action[1:]))
        if kind in ("loss", "duplicate", "corrupt", "reorder"):
            return ActionParts(None, action[1])
        if kind in _NODE_FAULTS:
            return ActionParts(action[1])
        return ActionParts()

    # ---- the network (`checker.network`: the one place validation reads it) -------
    def in_flight(self, state: State) -> tuple:
        return self.model.network.in_flight(state[self.model.layout.net])

    def deliverable(self, state: State) -> Iterator[tuple[Any, Any]]:
        """(message, the network without it), as the generated
        ``successors`` computes them."""
        return self.model.network.deliveries(state[self.model.layout.net])

    # ---- state views ------------------------------------------------------------
    def variable(self, name: str, role: str | None) -> Callable[[State, Any], Any] | None:
        info = self.r.roles.get(role) if role else None
        layout = self.model.layout
        if info is not None and name in info.vars:
            base: int = layout.var(info, name) - info.first
            return lambda s, me: s[base + node_number(me)]
        if name in self.r.global_vars:
            slot: int = layout.globals[name]
            return lambda s, me: s[slot]
        return None

    def expression(self, text: str, role: str | None, params: tuple[str, ...] = ()) -> Callable[..., Any]:
        from checker.errors import CheckerError

        try:
            return compile_expression(self.model, text, self.r.roles.get(role) if role else None, params)
        except CheckerError as exc:
            raise ValueError(getattr(exc, "message", str(exc))) from None

    def step_function(self, kind: int) -> Callable[..., Any] | None:
        k = self.model.action_kinds[kind]
        if not self.targeted or k.kind not in _TARGETED:
            return None
        return self.ns.get(f"{'h' if k.kind == 'deliver' else 'a'}_{kind}")

    # ---- explanations -------------------------------------------------------------
    def explain_guard(self, kind: int, action: Action, state: State, message: Any) -> str | None:
        """The false conjuncts of the step's ``when`` guard and the values
        of the variables they read."""
        from checker.validate.match import show_model

        k = self.model.action_kinds[kind]
        guard = getattr(k.decl, "guard", None)
        label = self.model.format_action(action)
        if guard is None:
            return f"{label}: the step makes no next state"
        if kind not in self._guards:
            self._guards[kind] = _compile_guard(self.model, k, guard)
        parts, params = self._guards[kind]
        deliver = k.kind == "deliver"
        prefix = (f"{k.name}: the guard is false for every parameter value" if params and not deliver
                  else f"{label}: the guard is false")
        args = _guard_args(k, message)
        node = action[1] if k.role is not None and len(action) > 1 else None
        false = []
        for text, fn, reads in parts:
            if fn is None:
                continue
            try:
                if fn(state, node, *args):
                    continue
            except Exception:  # noqa: BLE001 - a conjunct that needs an unbound parameter
                continue
            values = []
            for name, rfn in reads:
                try:
                    values.append(f"{name} = {show_model(self.model.names, rfn(state, node, *args), 60)}")
                except Exception:  # noqa: BLE001 - shown only when it can be evaluated
                    pass
            false.append(f"`{text}`" + (f" ({', '.join(values)})" if values else ""))
        if not false:
            return prefix + (" (no conjunct can be evaluated alone)" if params else "")
        return f"{prefix}: " + "; ".join(false) + (" is false" if len(false) == 1 else " are false")


def _guard_args(k: Any, message: Any) -> tuple:
    if k.kind != "deliver" or message is None:
        return ()
    n = len(k.decl.params)
    return tuple(message[3:3 + n]) + ((message[1],) if k.decl.sender else ())


def _compile_guard(model: Any, k: Any, guard: A.Expr) -> tuple[list, tuple[str, ...]]:
    from checker.dsl.pretty import pretty_expr

    deliver = k.kind == "deliver"
    if deliver:
        params = tuple(k.decl.params) + ((k.decl.sender,) if k.decl.sender else ())
    else:
        params = tuple(p.name for p in getattr(k.decl, "params", ()))
    role = k.role
    parts = []
    for c in conjuncts(guard):
        text = pretty_expr(c)
        names = {x.id for x in A.walk(c) if isinstance(x, A.Name)}
        try:
            fn = None if (names & set(params)) and not deliver else \
                compile_expression(model, text, role, params if deliver else (), condition=True)
        except Exception:  # noqa: BLE001 - explanations are best effort
            fn = None
        reads = []
        for name in sorted(names):
            if (role is not None and name in role.vars) or (deliver and name in params):
                try:
                    reads.append((name, compile_expression(model, name, role, params if deliver else ())))
                except Exception:  # noqa: BLE001
                    pass
        parts.append((text, fn, reads))
    return parts, params


def compile_expression(model: Any, text: str, role: RoleInfo | None,
                       params: tuple[str, ...] = (), *, condition: bool = False) -> Callable[..., Any]:
    """A DSL expression over a compiled model's states (e.g. one a trace
    validation mapping observes), checked and compiled to
    ``fn(state, me, *params)``: evaluated as node ``me`` of ``role``
    (``self``, its variables; ``me`` None without a role), with ``params``
    bound to further arguments; with ``condition`` a boolean ``text`` gives
    a Python bool instead of a model value. Raises a `SpecError` on ``text``."""
    spec = parse(f"spec Observe\ndef __observed__() = (\n{text}\n)\n", "<expression>")
    body = spec.decls[0].body  # type: ignore[attr-defined]
    kinds = check_extra(model.resolved, body, role, params)
    ex = ExprCompiler(model.resolved, model.layout, kinds)
    ctx = Ctx("s", role)
    for p in params:
        ctx.locals[p] = ex.fresh(p)
    code = ex.cond(body, ctx) if condition else ex.expr(body, ctx)
    first = role.first if role else 0
    src = "".join(ex.functions) + (f"def __observed__(s, me{''.join(', ' + ctx.locals[p] for p in params)}):\n"
           f"    _i = (ord(me[1]) - {first}) if me is not None else None\n"
           f"    return {code}\n")
    ns = dict(model.generated.namespace)
    ns.update(ex.namespace)
    exec(compile(src, "<checker:observe>", "exec"), ns)  # noqa: S102 - our own generated source
    return ns["__observed__"]
