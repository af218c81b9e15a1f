"""The generated functions of a spec, one per step and per predicate:

- ``h_k(s, me, m, net)``: handler k run by node ``me`` on message ``m``
  (``net``: the network without ``m``) -> its next states;
- ``a_k(s, me)``: action or timer k (``me`` None for a global action) ->
  ``[(parameters, next state), ...]``;
  (``successors`` has the same steps written in place, `inline_handler`
  and `inline_action`; validation runs the functions one step at a time)
- ``initial()``, ``_reset_<Role>(st, me)`` (a crash: volatile variables
  back to their initial values), ``inv_k(s)`` / ``explain_k(s)``,
  ``constraint(s)``, ``terminal(s)``, and the liveness predicates
  ``live_bind_k``, ``live_p_k``, ``live_q_k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.compile.context import Code, Ctx
from checker.compile.exprs import ExprCompiler
from checker.compile.initial import domain_choices, initial_finish
from checker.compile.quantifiers import conjuncts, may_fail
from checker.compile.reads import Reads
from checker.compile.stmts import SetSelf, StmtCompiler
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec, RoleInfo
from checker.model import Temporal


@dataclass(frozen=True)
class LiveSpec:
    """One compiled ``property`` declaration (`checker.compile.model`
    turns each binding of its parameters into a `LivenessProperty`)."""

    name: str
    kind: Temporal
    params: tuple[str, ...]
    bind_fn: str
    p_fn: str
    q_fn: str | None


class StepCompiler:
    """Writes the step and predicate functions of one spec into ``code``."""

    def __init__(self, r: ResolvedSpec, ex: ExprCompiler, code: Code):
        self.r = r
        self.ex = ex
        self.st = StmtCompiler(ex)
        self.code = code
        self.layout = ex.layout

    def _prologue(self, role: RoleInfo | None) -> None:
        self.code.line(f"_i = ord(me[1]) - {role.first}" if role is not None else "_i = None")

    # ---- steps -------------------------------------------------------------
    def handler(self, fn: str, role: RoleInfo, h: A.Handler) -> None:
        """``fn(s, me, m, net)`` -> [next state, ...] (validation runs it;
        `successors` has the same steps inlined, `inline_handler`)."""
        code = self.code
        with code.at(h), code.block(f"def {fn}(s, me, m, net):"):
            self._prologue(role)
            ctx = self._handler_locals(role, h)
            if h.guard is not None:
                with code.at(h.guard):
                    code.line(f"if not {self.ex.cond(h.guard, ctx)}: return ()")
            code.line("st = list(s); out = []; res = []; _fails = []", f"st[{self.layout.net}] = net")
            self.st.body(h.body, ctx.child(src="st"), code)
            code.line("if _fails: raise _BranchFailures(_fails, res)", "return res")

    def inline_handler(self, idx: int, role: RoleInfo, h: A.Handler, rest: str) -> None:
        """The steps of handler ``idx`` for node ``me`` and message ``m``,
        written into the caller's loop: each appends ``(label, next
        state)`` to ``res``."""
        code = self.code
        with code.at(h):
            ctx = self._handler_locals(role, h)
            depth = code.level
            if h.guard is not None:
                with code.at(h.guard):
                    code.line(f"if {self.ex.cond(h.guard, ctx)}:")
                code.level += 1
            sends = _sends(h.body)
            # a network that keeps delivered messages (TLA+'s msgs) is unchanged: no store
            store = f"; st[{self.layout.net}] = {rest}" if rest != "net" else ""
            code.line("st = list(s)" + ("; out = []" if sends else "") + store)
            self.st.body(h.body, ctx.child(src="st"), code, finish=f"res.append((({idx}, me, m), {_done(sends)}))")
            code.level = depth

    def _handler_locals(self, role: RoleInfo, h: A.Handler) -> Ctx:
        """Binds the message's fields and its sender to Python names."""
        ctx = Ctx("s", role)
        for k, p in enumerate(h.params):
            py = ctx.locals[p] = self.ex.fresh(p)
            self.code.line(f"{py} = m[{3 + k}]")
        if h.sender is not None:
            py = ctx.locals[h.sender] = self.ex.fresh(h.sender)
            self.code.line(f"{py} = m[1]")
        ctx.sender = "m[1]"
        return ctx

    def action(self, fn: str, role: RoleInfo | None, a: A.ActionDecl) -> None:
        """``fn(s, me)`` -> [(params, next state), ...] (validation runs it;
        `successors` has the same steps inlined, `inline_action`)."""
        code = self.code
        with code.at(a), code.block(f"def {fn}(s, me):"):
            self._prologue(role)
            code.line("found = []; _fails = []")
            depth = code.level
            body, ptuple = self._action_head(role, a)
            # A failed assertion ends its binding (or its branch of a
            # choose) only: the other bindings and branches go on.
            code.line("res = []; _first = len(_fails)")
            with code.block("try:"):
                self.st.body(a.body, body, code)
            with code.block("except _AssertFail as exc:"):
                code.line("_fails.append(exc)")
            with code.block("for exc in _fails[_first:]:"):
                code.line(f"exc.params = {ptuple}")
            code.line(f"for t in res: found.append(({ptuple}, t))")
            code.level = depth
            code.line("if _fails: raise _BranchFailures(_fails, found)", "return found")

    def inline_action(self, idx: int, role: RoleInfo | None, a: A.ActionDecl) -> None:
        """The steps of action ``idx`` for node ``me``, written into the
        caller's loop: each appends ``(label, next state)`` to ``res``."""
        depth = self.code.level
        sends = _sends(a.body)
        with self.code.at(a):
            body, ptuple = self._action_head(role, a, sends)
            label = f"({idx}, {'me, ' if role is not None else ''}{ptuple[1:]}"  # (3, me, ) is a tuple
            self.st.body(a.body, body, self.code, finish=f"res.append(({label}, {_done(sends)}))")
        self.code.level = depth

    def _action_head(self, role: RoleInfo | None, a: A.ActionDecl, sends: bool = True) -> tuple[Ctx, str]:
        """The loops over the parameters, the guard and the copy of the
        state; -> the body's context and the parameters' tuple. Leaves
        the code indented inside them."""
        code, ex = self.code, self.ex
        ctx = Ctx("s", role)
        params, loops, names = [], [], []
        for p in a.params:
            inner = ctx.child()
            loops.append(ex.bind((p.name,), p.domain, ctx, inner)[0])
            ctx = inner
            params.append(ctx.locals[p.name])
            names.append(p.name)
        # Each conjunct of the guard is tested in the loop of the last
        # parameter it reads: Paxos's Phase2a(b, v) tests "no 2a message
        # of ballot b yet" once per b, not once per (b, v).
        tests = _placed(ex, a.guard, ctx, names)
        for k, loop in enumerate(loops):
            if tests[k]:
                with code.at(a.guard):
                    code.line(f"if {' and '.join(tests[k])}:")
                code.level += 1
            code.line(loop + ":")
            code.level += 1
        if tests[len(loops)]:
            with code.at(a.guard):
                code.line(f"if {' and '.join(tests[len(loops)])}:")
            code.level += 1
        ptuple = "(" + "".join(p + ", " for p in params) + ")"
        code.line("st = list(s); out = []" if sends else "st = list(s)")
        # The body works on copies of the parameters: one binding's
        # assignment to a parameter must not leak into the next binding.
        body = ctx.child(src="st")
        copies = []
        for p in a.params:
            copies.append(ex.fresh(p.name))
            body.locals[p.name] = copies[-1]
        if copies:
            code.line(f"{''.join(c + ', ' for c in copies)}= {ptuple}")
        return body, ptuple

    def reset(self, role: RoleInfo, persistent: set[str]) -> None:
        """``_reset_<Role>(st, me)``: the node's volatile variables back to
        their initial values (a crash)."""
        code = self.code
        with code.block(f"def _reset_{role.name}(st, me):"):
            self._prologue(role)
            for name, v in role.vars.items():
                if name not in persistent:
                    assert v.decl.init is not None, "a 'var x in S' of a crashing role is persistent (checked)"
                    code.line(f"st[{self.layout.var(role, name)} + _i] = {self.ex.expr(v.decl.init, Ctx('st', role))}")
            code.line("return st")

    def initial(self, network_empty: str) -> None:
        r, code, ex, layout = self.r, self.code, self.ex, self.layout
        start, finish = initial_finish(r, ex, code)  # `var x in S`, `init when`: checker.compile.initial
        with code.block("def initial():"):
            code.line(f"st = [None] * {layout.size}; out = []; res = []; _fails = []", "me = None; _i = None")
            # The network and the fault slots first: an initial value may read them.
            code.line(f"st[{layout.net}] = {network_empty}")
            if layout.sent is not None:
                code.line(f"st[{layout.sent}] = _EMPTY_SET")
            for slot in layout.counters.values():
                code.line(f"st[{slot}] = 0")
            if layout.crashed is not None:
                code.line(f"st[{layout.crashed}] = _EMPTY_SET")
            if layout.partition is not None:
                code.line(f"st[{layout.partition}] = _NONE")
            if start:
                code.line(start)
            for role in r.roles.values():
                for name, v in role.vars.items():
                    with code.at(v.decl), code.block(f"for _i in range({role.count}):"):
                        value = "_NONE" if v.decl.init is None else ex.expr(v.decl.init, Ctx('st', role))
                        code.line(f"me = {role.nodes!r}[_i]", f"st[{layout.var(role, name)} + _i] = {value}")
            for name, v in r.global_vars.items():
                with code.at(v.decl):
                    value = "_NONE" if v.decl.init is None else ex.expr(v.decl.init, Ctx('st', None))
                    code.line(f"st[{layout.globals[name]}] = {value}")
            stmts: list[Any] = domain_choices(r)
            for role in r.roles.values():
                for i in range(role.count):
                    for init in role.inits:
                        stmts.append(SetSelf(role, i))
                        stmts.extend(init.body)
            # Global init blocks run after every node's, outside any role.
            for init in r.inits:
                stmts.append(SetSelf(None, 0))
                stmts.extend(init.body)
            self.st.body(stmts, Ctx("st", None), code, finish)
            code.line("if _fails: raise _fails[0]", "return res")

    # ---- predicates ------------------------------------------------------------
    def predicates(self) -> None:
        """``inv_k``/``explain_k`` per invariant, ``constraint``, ``terminal``."""
        r, code, ex = self.r, self.code, self.ex
        ctx = Ctx("s", None)
        for k, inv in enumerate(r.invariants):
            with code.at(inv.cond):
                with code.block(f"def inv_{k}(s):"):
                    code.line(f"return {ex.cond(inv.cond, ctx)}")
                self.explain(k, inv.cond)
        # one line for all: it names the place when there is one
        with code.at(r.constraints[0].cond if len(r.constraints) == 1 else None):
            conds = [ex.cond(c.cond, ctx) for c in r.constraints]
            with code.block("def constraint(s):"):
                code.line(f"return {' and '.join(conds) if conds else 'True'}")
        with code.at(r.terminals[0].cond if len(r.terminals) == 1 else None):
            terms = [ex.cond(t.cond, ctx) for t in r.terminals]
            with code.block("def terminal(s):"):
                code.line(f"return {' or '.join(terms) if terms else 'False'}")

    def explain(self, k: int, cond: A.Expr, fn: str = "", after: str | None = None) -> None:
        """``explain_k(s)``: the binding and values that falsify invariant k
        (``fn(s, t)`` with ``after="t"``: those of a step property).

        For ``forall xs: P`` the first binding where P is false; for
        ``not exists xs: P`` the first where P is true; in both cases the
        values of the node variables and fields P reads through the bound
        names, and of the global variables and definitions it reads."""
        code, ex = self.code, self.ex
        ctx = Ctx("s", None, after=after)
        want_true = False
        body = cond
        if isinstance(cond, A.Unary) and cond.op == "not" and isinstance(cond.operand, A.Quantifier) \
                and cond.operand.kind == "exists":
            body, want_true = cond.operand, True
        with code.block(f"def {fn or f'explain_{k}'}(s{', ' + after if after else ''}):"):
            code.line("found = {}")
            depth = code.level
            inner = ctx
            bound: list[str] = []
            # nested quantifiers of the same kind too (forall i: forall j: P): their bindings and the
            # values P read name the failing case
            while isinstance(body, A.Quantifier) and body.kind == ("exists" if want_true else "forall"):
                for b in body.binders:
                    outer, inner = inner, inner.child()
                    for loop in ex.bind(b.names, b.domain, outer.child(), inner):
                        code.line(loop + ":")
                        code.level += 1
                    bound.extend(b.names)
                body = body.body
            with code.block(f"if {'' if want_true else 'not '}{ex.cond(body, inner)}:"):
                for name in bound:
                    code.line(f"found[{name!r}] = _show({inner.locals[name]})")
                for sub in _reads(body, set(bound), self.r, ex.reads):
                    if ex.reads.free(sub) <= set(inner.locals) | _global_names(self.r):
                        code.line(f"try: found[{_text(sub)!r}] = _show({ex.expr(sub, inner)})",
                                  "except Exception: pass")  # a value the state does not define
                code.line("return found")
            code.level = depth
            code.line("return found")

    def liveness(self) -> list[LiveSpec]:
        """``live_bind_k(s)`` (every binding of the parameters, evaluated on
        an initial state), ``live_p_k(s, x, ...)`` and ``live_q_k``."""
        code, ex = self.code, self.ex
        out = []
        for k, d in enumerate(self.r.properties):
            ctx = Ctx("s", None)
            loops: list[str] = []
            pys: list[str] = []
            for p in d.params:
                inner = ctx.child()
                loops += ex.bind((p.name,), p.domain, ctx, inner)
                ctx = inner
                pys.append(ctx.locals[p.name])
            args = "".join(f", {py}" for py in pys)
            with code.block(f"def live_bind_{k}(s):"):
                code.line("out = []")
                depth = code.level
                for loop in loops:
                    code.line(loop + ":")
                    code.level += 1
                code.line("out.append((" + "".join(f"{py}, " for py in pys) + "))")
                code.level = depth
                code.line("return out")
            with code.at(d.p), code.block(f"def live_p_{k}(s{args}):"):
                code.line(f"return {ex.cond(d.p, ctx)}")
            q_fn = None
            if d.q is not None:
                q_fn = f"live_q_{k}"
                with code.at(d.q), code.block(f"def {q_fn}(s{args}):"):
                    code.line(f"return {ex.cond(d.q, ctx)}")
            out.append(LiveSpec(d.name, d.kind, tuple(p.name for p in d.params), f"live_bind_{k}", f"live_p_{k}", q_fn))
        return out


def _placed(ex: ExprCompiler, guard: A.Expr | None, ctx: Ctx, params: list[str]) -> list[list[str]]:
    """The guard's conjuncts by where they are tested: ``[k]`` before the
    loop of parameter ``k``, the last after every loop. A conjunct moves
    out of inner loops when it and every conjunct before it that stays
    inside cannot fail (an evaluation error the literal reading would
    raise is never skipped)."""
    placed: list[list[str]] = [[] for _ in range(len(params) + 1)]
    if guard is None:
        return placed
    total = True
    for c in conjuncts(guard):
        code = ex.cond(c, ctx)
        reads = ex.reads.free(c)
        level = max((k + 1 for k, p in enumerate(params) if p in reads), default=0)
        total = total and not may_fail(code)
        placed[level if total else len(params)].append(code)
    return placed


def _sends(body: tuple[A.Stmt, ...]) -> bool:
    """Whether a step body may send: without a send its next state is the
    list it changed (no ``_finish``)."""
    return any(isinstance(x, A.Send) or (isinstance(x, A.NetOp) and x.kind == "resend") for x in A.walk(body))


def _done(sends: bool) -> str:
    return "_finish(st, out)" if sends else "tuple(st)"


def _reads(e: Any, bound: set[str], r: ResolvedSpec, reads: Reads) -> list[A.Expr]:
    """Sub-expressions worth showing when an invariant fails: fields and
    node variables read through bound names, elements indexed by them
    (``leader[i]``), global variables, and calls
    of definitions (e.g. ``Chosen()`` in ``size(Chosen()) <= 1``)."""
    found: list[A.Expr] = []
    for x in A.walk(e):
        wanted = (isinstance(x, A.Field) and isinstance(x.base, A.Name) and x.base.id in bound) \
            or (isinstance(x, A.Name) and x.id in r.global_vars) \
            or (isinstance(x, A.Call) and x.func in r.defs) \
            or (isinstance(x, A.Index) and bool(reads.free(x.index) & bound)) \
            or isinstance(x, A.Primed)  # in a step property: a value after the step
        if wanted and x not in found:
            found.append(x)  # type: ignore[arg-type]
    return found


def _global_names(r: ResolvedSpec) -> set[str]:
    return set(r.global_vars) | set(r.consts) | set(r.roles) | {"sent", "network", "crashed"}


def _text(e: A.Expr) -> str:
    if isinstance(e, A.Field):
        return f"{_text(e.base)}.{e.name}"
    if isinstance(e, A.Primed):
        return f"{_text(e.expr)}'"
    if isinstance(e, A.Index):
        return f"{_text(e.base)}[{_text(e.index)}]"
    if isinstance(e, A.Name):
        return e.id
    if isinstance(e, A.Call):
        return f"{e.func}(" + ", ".join(_text(a.value) for a in e.args) + ")"
    if isinstance(e, A.BoolLit):
        return str(e.value).lower()
    if isinstance(e, A.IntLit):
        return str(e.value)
    if isinstance(e, A.StrLit):
        return repr(e.value)
    return "..."
