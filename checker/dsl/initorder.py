"""Initial values read only variables that already have theirs.

The generated ``initial()`` gives the variables their initial values in a
fixed order: each role's ``var x = e`` in declaration order (every node),
then the global ones; then the ``var x in S`` choices in the same order;
then the ``init`` blocks, which may read everything. An initial value that
reads a variable later in that order would read nothing (TLC stops the
same way on a variable used in ``Init`` before it is given a value), so
the resolver says so, at the read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.dsl import ast as A
from checker.errors import SpecError

if TYPE_CHECKING:  # (the resolver calls this module)
    from checker.dsl.resolve import ResolvedSpec, VarInfo

Slot = tuple[str, str]  # (role name or "", variable)


def check_initial_order(r: ResolvedSpec) -> None:
    """Raise a positioned `SpecError` at the first read of a variable that
    has no value yet where it is read."""
    order: dict[Slot, int] = {}
    plain = [v for v in _all_vars(r) if v.decl.domain is None]
    chosen = [v for v in _all_vars(r) if v.decl.domain is not None]
    for v in plain + chosen:
        order[_slot(v)] = len(order)
    for v in plain + chosen:
        here = order[_slot(v)]
        e = v.decl.init if v.decl.domain is None else v.decl.domain
        assert e is not None
        for read, at in _reads(r, v, e, frozenset(), set()):
            places = [order[s] for s in read if s in order]
            if places and min(places) >= here:
                name = read[0][1]
                raise SpecError(
                    f"the initial value of '{v.name}' reads '{name}', which gets its initial value after it "
                    "(variables get theirs in order: each role's in declaration order, then the global ones, "
                    "then those of 'var ... in'); set it in an init block instead", getattr(at, "span", None))


def _all_vars(r: ResolvedSpec) -> list[VarInfo]:
    return [v for role in r.roles.values() for v in role.vars.values()] + list(r.global_vars.values())


def _slot(v: VarInfo) -> Slot:
    return (v.role.name if v.role is not None else "", v.name)


def _reads(r: ResolvedSpec, v: VarInfo, e: Any, bound: frozenset[str], seen: set[str]) -> list[tuple[list[Slot], Any]]:
    """The variables ``e`` may read, each as the slots it may be (a field
    ``x.f`` may be any role's ``f``) with the node that reads it."""
    out: list[tuple[list[Slot], Any]] = []
    if isinstance(e, A.Name):
        if e.id in bound:
            return out
        if v.role is not None and e.id in v.role.vars:
            out.append(([(v.role.name, e.id)], e))
        elif e.id in r.global_vars:
            out.append(([("", e.id)], e))
        return out
    if isinstance(e, A.Field):
        roles = [role.name for role in r.roles.values() if e.name in role.vars]
        if roles:
            out.append(([(name, e.name) for name in roles], e))
        return out + _reads(r, v, e.base, bound, seen)
    if isinstance(e, A.Call) and e.func in r.defs and e.func not in seen:
        d = r.defs[e.func]
        out += _reads(r, v, d.body, frozenset(d.params), seen | {e.func})
    inner = bound
    if isinstance(e, A.Quantifier):
        for b in e.binders:
            out += _reads(r, v, b.domain, inner, seen)
            inner = inner | frozenset(b.names)
        return out + _reads(r, v, e.body, inner, seen)
    if isinstance(e, A.Comprehension):
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                out += _reads(r, v, c.source, inner, seen)
                inner = inner | frozenset(c.names)
            else:
                out += _reads(r, v, c.cond, inner, seen)
        out += _reads(r, v, e.element, inner, seen)
        return out + (_reads(r, v, e.value, inner, seen) if e.value is not None else [])
    if isinstance(e, A.ChooseExpr):
        return out + _reads(r, v, e.domain, bound, seen) + _reads(r, v, e.cond, bound | {e.name}, seen)
    stack = [getattr(e, name) for name in getattr(e, "__dataclass_fields__", ()) if name != "span"]
    while stack:
        x = stack.pop()
        if isinstance(x, tuple):
            stack.extend(x)
        elif isinstance(x, A.Arg):
            stack.append(x.value)
        elif isinstance(x, A.Expr):
            out += _reads(r, v, x, bound, seen)
    return out
