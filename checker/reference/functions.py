"""``[S -> T]`` in the reference: every map from S to T, built outright
(past `MAX_FUNCTIONS` maps an evaluation error, as in the compiler)."""

from __future__ import annotations

from itertools import product

from checker.errors import Span
from checker.reference.typed import make_set
from checker.reference.values import EvalError, Map, Set, Value, show

#: the most maps ``[S -> T]`` may hold (the compiler's bound)
MAX_FUNCTIONS = 1_000_000


def function_set(dom: Value, cod: Value, span: Span | None) -> Set:
    for side in (dom, cod):
        if not isinstance(side, Set):
            raise EvalError(f"[S -> T] needs two sets, not {side.kind} ({show(side)})", span)
    assert isinstance(dom, Set) and isinstance(cod, Set)
    make_set(dom.items, span)  # keys must be comparable, as in any map
    if len(cod.items) ** len(dom.items) > MAX_FUNCTIONS:
        raise EvalError(f"[S -> T] has more than {MAX_FUNCTIONS} elements", span)
    return Set(Map(zip(dom.items, values)) for values in product(cod.items, repeat=len(dom.items)))
