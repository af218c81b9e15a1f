"""``[S -> T]``, the set of every map from S to T (TLA+'s function set):
its code, and the run-time helpers that build it or test membership.

Building the set enumerates |T|^|S| maps; past `MAX_FUNCTIONS` that is a
positioned evaluation error, like a too large range or powerset. A
membership test (``m in [S -> T]``, TLA+'s ``TypeOK``) builds nothing.
"""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING, Any

from checker.compile.runtime import EvalError, iterate
from checker.dsl import ast as A
from checker.values import is_map, is_set, make_map, make_set

if TYPE_CHECKING:
    from checker.compile.context import Ctx
    from checker.compile.exprs import ExprCompiler

#: the most maps ``[S -> T]`` may enumerate (as many as a range may hold)
MAX_FUNCTIONS = 1_000_000


def function_set(ex: ExprCompiler, e: A.FuncSet, ctx: Ctx) -> str:
    """Code building the set ``[S -> T]``."""
    return f"_rt_functions({ex.expr(e.domain, ctx)}, {ex.expr(e.codomain, ctx)}, {str(e.span)!r})"


def function_set_member(ex: ExprCompiler, value: str, e: A.FuncSet, ctx: Ctx) -> str:
    """Code testing ``value in [S -> T]`` (a condition)."""
    return f"_rt_is_function({value}, {ex.expr(e.domain, ctx)}, {ex.expr(e.codomain, ctx)}, {str(e.span)!r})"


def _at(where: str) -> str:
    """A position, escaped for an `EvalError` template."""
    return where.replace("{", "{{").replace("}", "}}")


def _sets(dom: Any, cod: Any, where: str) -> None:
    for side in (dom, cod):
        if not is_set(side):
            raise EvalError(f"{_at(where)}: [S -> T] needs two sets, not {{0}}", side)


def functions(dom: Any, cod: Any, where: str) -> tuple:
    """``[dom -> cod]``: every map with keys ``dom`` and values in ``cod``."""
    _sets(dom, cod, where)
    keys, vals = iterate(dom), iterate(cod)
    n = len(vals) ** len(keys)
    if n > MAX_FUNCTIONS:
        raise EvalError(f"{_at(where)}: [S -> T] has {len(vals)}^{len(keys)} = {n:,} elements; at most "
                        f"{MAX_FUNCTIONS:,} can be built")
    return make_set(make_map(zip(keys, combo)) for combo in product(vals, repeat=len(keys)))


def is_function(v: Any, dom: Any, cod: Any, where: str) -> bool:
    """``v in [dom -> cod]``, without building the set."""
    _sets(dom, cod, where)
    if not is_map(v) or v[1::2] != dom[1:]:  # keys, like a set's elements, are in canonical order
        return False
    allowed = set(cod[1:])
    return all(x in allowed for x in v[2::2])


NAMESPACE: dict[str, Any] = {"_rt_functions": functions, "_rt_is_function": is_function}

