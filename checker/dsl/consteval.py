"""Evaluate constant expressions (``const``, role counts, bounds) at
resolve time, to model values (`checker.values`)."""

from __future__ import annotations

from typing import Any

from checker.dsl import ast as A
from checker.errors import SpecError
from checker.values import (
    BOOLS,
    FALSE,
    NONE,
    TRUE,
    Names,
    Shape,
    elements,
    is_seq,
    is_set,
    make_map,
    make_set,
    record,
    string,
)

_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}
_COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


# Larger constant ranges are typos (and would exhaust memory).
MAX_RANGE = 1_000_000


def _is_int(v: Any) -> bool:
    return type(v) is int


def _is_bool(v: Any) -> bool:
    return v == TRUE or v == FALSE


def const_eval(e: A.Expr, consts: dict[str, Any], names: Names | None = None) -> Any:
    """Evaluate ``e`` using only literals and earlier constants (records
    need ``names``, where their shapes are numbered)."""

    def ev(x: A.Expr) -> Any:
        if isinstance(x, A.IntLit):
            return x.value
        if isinstance(x, A.BoolLit):
            return BOOLS[x.value]
        if isinstance(x, A.StrLit):
            return string(x.value)
        if isinstance(x, A.NoneLit):
            return NONE
        if isinstance(x, A.Name):
            if x.id not in consts:
                raise SpecError(f"'{x.id}' is not a constant declared above "
                                "(constants may only use earlier constants)", x.span)
            return consts[x.id]
        if isinstance(x, A.Unary):
            v = ev(x.operand)
            if x.op == "-" and _is_int(v):
                return -v
            if x.op == "not" and _is_bool(v):
                return BOOLS[v == FALSE]
            raise SpecError(f"cannot apply '{x.op}' to this constant", x.span)
        if isinstance(x, A.Binary):
            a, b = ev(x.left), ev(x.right)
            if x.op in _ARITH and _is_int(a) and _is_int(b):
                return _ARITH[x.op](a, b)
            if x.op in ("/", "%") and _is_int(a) and _is_int(b):
                if b == 0:
                    raise SpecError("division by zero", x.span)
                return a // b if x.op == "/" else a % b
            if x.op == ".." and _is_int(a) and _is_int(b):
                if b - a >= MAX_RANGE:
                    raise SpecError(f"the range has {b - a + 1} elements; a constant range may have at most "
                                    f"{MAX_RANGE}", x.span)
                return make_set(range(a, b + 1))
            if x.op in ("==", "!=") or (x.op in _COMPARE and _is_int(a) and _is_int(b)):
                return BOOLS[_COMPARE[x.op](a, b)]
            if x.op in ("and", "or") and _is_bool(a) and _is_bool(b):
                return BOOLS[(a == TRUE and b == TRUE) if x.op == "and" else (a == TRUE or b == TRUE)]
            if x.op == "+" and is_set(a) and is_set(b):
                return make_set(elements(a) + elements(b))
            raise SpecError(f"'{x.op}' is not supported in a constant expression here", x.span)
        if isinstance(x, A.CondExpr):
            c = ev(x.cond)
            if not _is_bool(c):
                raise SpecError("condition must be a boolean", getattr(x.cond, "span", None))
            return ev(x.then) if c == TRUE else ev(x.orelse)
        if isinstance(x, A.SeqLit):
            return tuple(ev(i) for i in x.items)
        if isinstance(x, A.TupleLit):
            return tuple(ev(i) for i in x.items)
        if isinstance(x, A.SetLit):
            return make_set(ev(i) for i in x.items)
        if isinstance(x, A.MapLit):
            pairs = [(ev(k), ev(v)) for k, v in x.items]
            if len({k for k, _ in pairs}) < len(pairs):
                raise SpecError("a map constant gives a key twice", x.span)
            return make_map(pairs)
        if isinstance(x, A.RecordLit) and names is not None:
            fields = sorted(x.fields, key=lambda f: f[0])  # in shape order, as compiled records
            return record(names.shape(Shape("", tuple(f for f, _ in fields))), (ev(v) for _, v in fields))
        if isinstance(x, A.Call) and x.func in ("size", "len") and len(x.args) == 1:
            v = ev(x.args[0].value)
            if is_set(v):
                return len(elements(v))
            if not is_seq(v):
                raise SpecError(f"{x.func}() needs a set or a sequence", getattr(x.args[0].value, "span", None))
            return len(v)
        raise SpecError("a constant must be built from literals, earlier constants and operators (literals: "
                        "numbers, strings, true, false, none, sequences, tuples, sets, maps and records)",
                        getattr(x, "span", None))

    return ev(e)
