"""The DSL's typed questions about values: ``==``, ``<``, ``in``, and
building a set. Values of different types are an evaluation error here,
as in TLC (``none`` excepted: like a TLC model value it may be compared
with anything); Python's structural equality of `checker.reference.values`
never raises and is what the state set uses.
"""

from __future__ import annotations

from typing import Iterable

from checker.errors import Span
from checker.reference.values import (
    Bag,
    EvalError,
    Int,
    Map,
    Message,
    NoneValue,
    Record,
    Seq,
    Set,
    Value,
    show,
)


def comparable(a: Value, b: Value, span: Span | None = None) -> None:
    """Raise `EvalError` unless ``a == b`` is a well-typed question (as TLC
    asks it: values of different types are an error; ``none`` is like a
    model value, comparable with anything)."""
    if isinstance(a, NoneValue) or isinstance(b, NoneValue):
        return
    if type(a) is not type(b):
        raise EvalError(f"cannot compare {a.kind} ({show(a)}) with {b.kind} ({show(b)})", span)
    if isinstance(a, (Set, Bag)) and isinstance(b, (Set, Bag)):
        x, y = _some(a.items), _some(b.items)
        if x is not None and y is not None:
            comparable(x, y, span)
    elif isinstance(a, Seq) and isinstance(b, Seq):
        for x, y in zip(a.items, b.items):
            comparable(x, y, span)
    elif isinstance(a, Map) and isinstance(b, Map):
        for k in a.table.keys() & b.table.keys():
            comparable(a.table[k], b.table[k], span)
        ka, kb = _some(tuple(a.table)), _some(tuple(b.table))
        if ka is not None and kb is not None:
            comparable(ka, kb, span)
    elif isinstance(a, Record) and isinstance(b, Record):
        if [f for f, _ in a.fields] == [f for f, _ in b.fields]:
            for (_, x), (_, y) in zip(a.fields, b.fields):
                comparable(x, y, span)
    elif isinstance(a, Message) and isinstance(b, Message) and a.name == b.name:
        for x, y in zip(a.values, b.values):
            comparable(x, y, span)


def _some(items: tuple[Value, ...]) -> Value | None:
    for x in items:
        if not isinstance(x, NoneValue):
            return x
    return None


def equal(a: Value, b: Value, span: Span | None = None) -> bool:
    comparable(a, b, span)
    return a == b


def less(a: Value, b: Value, span: Span | None = None) -> bool:
    """``a < b``: integers only (TLC orders nothing else)."""
    if isinstance(a, Int) and isinstance(b, Int):
        return a.n < b.n
    raise EvalError(f"'<' and friends compare integers, not {a.kind} ({show(a)}) with {b.kind} ({show(b)})", span)


def elements(c: Value, span: Span | None = None, what: str = "iterate over") -> tuple[Value, ...]:
    """The elements of a collection in iteration order (a map: its keys)."""
    if isinstance(c, (Set, Seq, Bag)):
        return c.items
    if isinstance(c, Map):
        return tuple(k for k, _ in c.items)
    raise EvalError(f"cannot {what} {c.kind} ({show(c)})", span)


def member(x: Value, c: Value, span: Span | None = None) -> bool:
    """``x in c``: a set, sequence, bag, or a map's keys; ill-typed
    membership is an error."""
    if isinstance(c, Map):
        return any(equal(x, k, span) for k in c.table)
    if isinstance(c, Set):
        some = _some(c.items)
        if some is not None:
            comparable(x, some, span)
        return x in c.members
    return any(equal(x, e, span) for e in elements(c, span, "test membership in"))


def make_set(items: Iterable[Value], span: Span | None = None) -> Set:
    """A set whose elements must be comparable with each other (as TLC
    requires to normalise it)."""
    out = Set(items)
    first = _some(out.items)
    if first is not None:
        for x in out.items:
            comparable(first, x, span)
    return out


