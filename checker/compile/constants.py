"""Constant folding: an expression that reads nothing of the state is
evaluated once, when the spec is compiled, and the generated code refers to
its value (``Quorums()``, ``0..MaxBallot``, ``subsets(Acceptor)``...) —
what a person would write by hand instead of recomputing it in every state.

An expression is constant when it reads no variable, no ``self``, no
``sent``/``network``/``crashed``, no partition (``connected``), no field
of a node, and no name bound outside it (a quantifier's, an action's
parameter); definitions are looked through. It is evaluated with the same
run-time helpers the generated code uses; one whose evaluation fails
(a division by zero in a branch never taken, say) is simply not folded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.dsl import ast as A
from checker.dsl.kinds import ValueKind

if TYPE_CHECKING:
    from checker.compile.context import Ctx
    from checker.compile.exprs import ExprCompiler

#: expressions worth folding: computing them costs more than a name lookup
_WORTH = (A.Call, A.Comprehension, A.Quantifier, A.ChooseExpr, A.SetLit, A.MapLit, A.Binary, A.CondExpr,
          A.FuncSet)


def foldable(ex: ExprCompiler, e: A.Expr, ctx: Ctx) -> bool:
    """Whether ``e`` is worth folding and reads nothing of the state."""
    if not isinstance(e, _WORTH):
        return False
    if isinstance(e, A.Binary) and e.op not in ("..", "+", "-", "&", "*"):
        return False
    if isinstance(e, A.SetLit) and not e.items:
        return False
    return _constant(ex, e, ctx, frozenset(), ())


def reads_state(ex: ExprCompiler, e: A.Expr, ctx: Ctx, bound: frozenset[str]) -> bool:
    """Whether ``e``, with the names ``bound`` given, reads the state."""
    return not _constant(ex, e, ctx, bound, ())


def _constant(ex: ExprCompiler, e: Any, ctx: Ctx, bound: frozenset[str], expanding: tuple[str, ...]) -> bool:
    r = ex.r
    if isinstance(e, A.Name):
        if e.id in bound:
            return True
        if e.id in ctx.locals or (ctx.role is not None and e.id in ctx.role.vars) or e.id in r.global_vars:
            return False
        return e.id in r.consts or e.id in r.roles
    if isinstance(e, A.SelfRef):
        return False
    if isinstance(e, A.Field):
        kind = ex.kind(e.base, ctx)
        if not kind.known or kind.is_(ValueKind.NODE):  # a node's variable: state
            return False
        return _constant(ex, e.base, ctx, bound, expanding)
    if isinstance(e, A.Call):
        if e.func in r.messages:
            if ctx.role is not None:  # its sender is the acting node
                return False
        elif e.func in r.defs:
            d = r.defs[e.func]
            if e.func in expanding:
                return False
            if not _constant(ex, d.body, ctx, bound | frozenset(d.params), expanding + (e.func,)):
                return False
        elif e.func == "connected":
            return False
        return all(_constant(ex, a.value, ctx, bound, expanding) for a in e.args)
    if isinstance(e, A.Quantifier):
        inner = bound
        for b in e.binders:
            if not _constant(ex, b.domain, ctx, inner, expanding):
                return False
            inner = inner | frozenset(b.names)
        return _constant(ex, e.body, ctx, inner, expanding)
    if isinstance(e, A.Comprehension):
        inner = bound
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                if not _constant(ex, c.source, ctx, inner, expanding):
                    return False
                inner = inner | frozenset(c.names)
            elif not _constant(ex, c.cond, ctx, inner, expanding):
                return False
        return _constant(ex, e.element, ctx, inner, expanding) and (
            e.value is None or _constant(ex, e.value, ctx, inner, expanding))
    if isinstance(e, A.ChooseExpr):
        return _constant(ex, e.domain, ctx, bound, expanding) and _constant(
            ex, e.cond, ctx, bound | {e.name}, expanding)
    if isinstance(e, (A.IntLit, A.StrLit, A.BoolLit, A.NoneLit)):
        return True
    if isinstance(e, A.Index) and isinstance(e.base, A.Name) and e.base.id in r.roles and e.base.id not in ctx.locals:
        return _constant(ex, e.index, ctx, bound, expanding)
    children = [getattr(e, f) for f in getattr(e, "__dataclass_fields__", ()) if f != "span"]
    flat: list[Any] = []
    for c in children:
        if isinstance(c, tuple):
            for x in c:
                flat.extend(x if isinstance(x, tuple) else (x,))
        elif c is not None and not isinstance(c, str):
            flat.append(c)
    return all(_constant(ex, c, ctx, bound, expanding) for c in flat if isinstance(c, A.Expr))


def evaluate(ex: ExprCompiler, code: str) -> Any:
    """The value of generated ``code`` that reads no state, computed with
    the run-time helpers now (raises what the code raises)."""
    from checker.compile import runtime as rt
    from checker.compile.functions import NAMESPACE as FUNCTIONS_NAMESPACE
    from checker.network import NAMESPACE as NETWORK_NAMESPACE
    from checker.values import BOOLS, EMPTY_BAG, EMPTY_MAP, EMPTY_SET, NONE, TRUE

    r = ex.r
    ns: dict[str, Any] = dict(rt.NAMESPACE)
    ns.update(NETWORK_NAMESPACE)
    ns.update(FUNCTIONS_NAMESPACE)
    ns.update(ex.namespace)
    shape_fields = [{f: i + 1 for i, f in enumerate(s.fields)} for s in r.names.shapes]
    ns.update({"_rt": rt.Runtime(shape_fields, {}, len(r.node_roles), r.names.show), "_NONE": NONE, "_TRUE": TRUE,
               "_B": BOOLS, "_EMPTY_SET": EMPTY_SET, "_EMPTY_MAP": EMPTY_MAP, "_EMPTY_BAG": EMPTY_BAG,
               "_NODE_INDEX": {n: i for role in r.roles.values() for i, n in enumerate(role.nodes)},
               "_ModelError": rt.ModelError})
    ns["_node_index"] = ns["_NODE_INDEX"].__getitem__
    for role in r.roles.values():
        ns[f"_node_{role.name}"] = _node_of(role.nodes)
    return eval(code, ns)  # noqa: S307 - our own generated code, reading no state


def _node_of(nodes: list[str]) -> Any:
    def node(i: Any) -> str:
        if type(i) is not int or not 0 <= i < len(nodes):
            raise IndexError(i)
        return nodes[i]

    return node
