"""Which names an expression reads from around it.

A definition is expanded in place and its body sees the names visible at
the call (``checker.dsl.exprcheck``), so what an expression reads includes
what the definitions it calls read, less their parameters. Optimisations
that move or share code (`checker.compile.quantifiers`, the memoised
definitions of `checker.compile.calls`) ask this module; it may answer
too many names, never too few.
"""

from __future__ import annotations

from typing import Any

from checker.compile.layout import StateLayout
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec

#: what ``self`` reads: not a name a spec can bind
SELF = "self"


class Reads:
    """Free names of expressions of one spec, with ``x.f`` of one chosen
    name ``x`` optionally counted as a read of the variable ``f`` of the
    node ``x`` rather than of ``x`` itself."""

    def __init__(self, r: ResolvedSpec):
        self.r = r
        self._defs: dict[str, frozenset[str]] = {}

    def free(self, e: Any) -> set[str]:
        """The names ``e`` reads from around it (``SELF`` for ``self``)."""
        out: set[str] = set()
        self._walk(e, frozenset(), out, None, None)
        return out

    def through_fields(self, e: Any, name: str) -> tuple[set[str], set[str]]:
        """(the variables ``f`` of ``e``'s reads ``name.f``, the names
        ``e`` reads otherwise); a read inside an expanded definition counts
        as a read of ``name`` itself."""
        out: set[str] = set()
        fields: set[str] = set()
        self._walk(e, frozenset(), out, name, fields)
        return fields, out

    def of_def(self, func: str) -> frozenset[str]:
        """The names the body of definition ``func`` reads from the call's surroundings."""
        if func not in self._defs:
            d = self.r.defs[func]
            self._defs[func] = frozenset()  # a recursive definition is an error the checker reported
            out: set[str] = set()
            self._walk(d.body, frozenset(d.params), out, None, None)
            self._defs[func] = frozenset(out)
        return self._defs[func]

    def _walk(self, e: Any, bound: frozenset[str], out: set[str], via: str | None, fields: set[str] | None) -> None:
        if isinstance(e, A.Name):
            if e.id not in bound:
                out.add(e.id)
            return
        if isinstance(e, A.SelfRef):
            out.add(SELF)
            return
        if isinstance(e, A.Primed):  # after the step: a read of the node itself, not of its slots before it
            self._walk(e.expr, bound, out, None, None)
            return
        if isinstance(e, A.Field) and via is not None and fields is not None and isinstance(e.base, A.Name) \
                and e.base.id == via and via not in bound:
            fields.add(e.name)
            return
        if isinstance(e, A.Quantifier):
            inner = bound
            for b in e.binders:
                self._walk(b.domain, inner, out, via, fields)
                inner = inner | frozenset(b.names)
            self._walk(e.body, inner, out, via, fields)
            return
        if isinstance(e, A.Comprehension):
            inner = bound
            for c in e.clauses:
                if isinstance(c, A.CompFor):
                    self._walk(c.source, inner, out, via, fields)
                    inner = inner | frozenset(c.names)
                else:
                    self._walk(c.cond, inner, out, via, fields)
            self._walk(e.element, inner, out, via, fields)
            if e.value is not None:
                self._walk(e.value, inner, out, via, fields)
            return
        if isinstance(e, A.ChooseExpr):
            self._walk(e.domain, bound, out, via, fields)
            self._walk(e.cond, bound | {e.name}, out, via, fields)
            return
        if isinstance(e, A.Call) and e.func in self.r.defs:
            out.update(self.of_def(e.func) - bound)
        for child in _children(e):
            self._walk(child, bound, out, via, fields)


def _children(e: Any) -> list[Any]:
    """The sub-expressions of ``e`` (through tuples and call arguments)."""
    found: list[Any] = []
    for f in getattr(e, "__dataclass_fields__", ()):
        if f == "span":
            continue
        v = getattr(e, f)
        stack = [v]
        while stack:
            x = stack.pop()
            if isinstance(x, (tuple, list)):
                stack.extend(reversed(x))
            elif isinstance(x, A.Arg):
                found.append(x.value)
            elif isinstance(x, A.Expr):
                found.append(x)
    return found


def state_slots(r: ResolvedSpec, layout: StateLayout, e: A.Expr) -> tuple[int, ...] | None:
    """The slots of the state ``e`` can read (through the definitions it
    calls), or None when that is not known (``self``). Any ``x.f`` counts
    as a read of every node's variable ``f``: more slots than it reads,
    never fewer."""
    slots: set[int] = set()
    todo: list[Any] = [e]
    expanded: set[str] = set()
    while todo:
        for x in A.walk(todo.pop()):
            if isinstance(x, A.SelfRef):
                return None
            if isinstance(x, A.Call):
                if x.func in r.defs and x.func not in expanded:
                    expanded.add(x.func)
                    todo.append(r.defs[x.func].body)
                elif x.func == "connected" and layout.partition is not None:
                    slots.add(layout.partition)
            elif isinstance(x, A.Field):
                for role in r.roles.values():
                    if x.name in role.vars:
                        first = layout.var(role, x.name)
                        slots.update(range(first, first + role.count))
            elif isinstance(x, A.Name):
                if x.id in r.global_vars:
                    slots.add(layout.globals[x.id])
                elif x.id in ("sent", "network"):
                    slots.update(s for s in (layout.net, layout.sent) if s is not None)
                elif x.id == "crashed" and layout.crashed is not None:
                    slots.add(layout.crashed)
    return tuple(sorted(slots))
