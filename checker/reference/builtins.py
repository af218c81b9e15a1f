"""The DSL's builtin functions over typed values (README: Expressions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from checker.errors import Span
from checker.reference.typed import elements, equal, make_set
from checker.reference.values import (
    Bag,
    Checksum,
    EvalError,
    Int,
    Map,
    Node,
    NoneValue,
    Seq,
    Set,
    Value,
    boolean,
    show,
)

if TYPE_CHECKING:
    from checker.reference.env import Env

Builtin = Callable[[list[Value], "Env", Span | None], Value]

#: subsets() of a larger set is refused (2^16 sets already).
MAX_SUBSETS = 16


def _one(f: str, args: list[Value], span: Span | None, n: int = 1) -> None:
    if len(args) != n:
        raise EvalError(f"{f}() takes {n} argument(s), got {len(args)}", span)


def _ints(f: str, c: Value, span: Span | None) -> list[int]:
    out = []
    for x in elements(c, span, f"apply {f}() to"):
        if not isinstance(x, Int):
            raise EvalError(f"{f}() needs integers, not {x.kind} ({show(x)})", span)
        out.append(x.n)
    return out


def _seq(f: str, v: Value, span: Span | None, nonempty: bool = False) -> Seq:
    if not isinstance(v, Seq):
        raise EvalError(f"{f}() needs a sequence, not {v.kind} ({show(v)})", span)
    if nonempty and not v.items:
        raise EvalError(f"{f}() of an empty sequence", span)
    return v


def _size(args: list[Value], env: Env, span: Span | None) -> Value:
    c = args[0]
    if isinstance(c, (Set, Seq, Bag)):
        return Int(len(c.items))
    if isinstance(c, Map):
        return Int(len(c.table))
    raise EvalError(f"size() needs a collection, not {c.kind} ({show(c)})", span)


def _extreme(pick: Callable[[list[int]], int], name: str) -> Builtin:
    def fn(args: list[Value], env: Env, span: Span | None) -> Value:
        xs = _ints(name, args[0], span)
        if not xs:
            raise EvalError(f"{name}() of an empty collection", span)
        return Int(pick(xs))
    return fn


def _sum(args: list[Value], env: Env, span: Span | None) -> Value:
    if isinstance(args[0], Map):
        raise EvalError("sum() needs a set, sequence or bag of integers, not a map", span)
    return Int(sum(_ints("sum", args[0], span)))


def _abs(args: list[Value], env: Env, span: Span | None) -> Value:
    x = args[0]
    if not isinstance(x, Int):
        raise EvalError(f"abs() needs an int, not {x.kind}", span)
    return Int(abs(x.n))


def _keys(args: list[Value], env: Env, span: Span | None) -> Value:
    m = args[0]
    if not isinstance(m, Map):
        raise EvalError(f"keys() needs a map, not {m.kind} ({show(m)})", span)
    return Set(m.table)


def _values(args: list[Value], env: Env, span: Span | None) -> Value:
    m = args[0]
    if not isinstance(m, Map):
        raise EvalError(f"values() needs a map, not {m.kind} ({show(m)})", span)
    return make_set(m.table.values(), span)


def _index(args: list[Value], env: Env, span: Span | None) -> Value:
    n = args[0]
    if not isinstance(n, Node):
        raise EvalError(f"index() needs a node, not {n.kind} ({show(n)})", span)
    return Int(n.index)


def _subsets(args: list[Value], env: Env, span: Span | None) -> Value:
    s = args[0]
    if not isinstance(s, Set):
        raise EvalError(f"subsets() needs a set, not {s.kind} ({show(s)})", span)
    if len(s.items) > MAX_SUBSETS:
        raise EvalError(f"subsets() of a set with {len(s.items)} elements is too large to enumerate", span)
    items = s.items
    return Set(Set(x for i, x in enumerate(items) if mask >> i & 1) for mask in range(1 << len(items)))


def _count(args: list[Value], env: Env, span: Span | None) -> Value:
    c, x = args
    if isinstance(c, Map):
        return Int(int(any(equal(x, k, span) for k in c.table)))
    if isinstance(c, (Set, Seq, Bag)):
        return Int(sum(1 for e in c.items if equal(x, e, span)))
    raise EvalError(f"count() needs a bag, sequence, set or map, not {c.kind}", span)


def _checksum(args: list[Value], env: Env, span: Span | None) -> Value:
    if not args:
        raise EvalError("checksum() needs at least one argument", span)
    return Checksum(tuple(args))


def _connected(args: list[Value], env: Env, span: Span | None) -> Value:
    a, b = args
    if not (isinstance(a, Node) and isinstance(b, Node)):
        raise EvalError("connected() needs two nodes", span)
    assert env.frame is not None
    cut = env.frame.cut
    if isinstance(cut, NoneValue):
        return boolean(True)
    assert isinstance(cut, Set)
    return boolean((a in cut.members) == (b in cut.members))


_ARITY = {"append": 2, "count": 2, "connected": 2, "checksum": -1}

_FUNCS: dict[str, Builtin] = {
    "size": _size,
    "len": _size,
    "max": _extreme(max, "max"),
    "min": _extreme(min, "min"),
    "sum": _sum,
    "abs": _abs,
    "append": lambda a, env, sp: Seq(_seq("append", a[0], sp).items + (a[1],)),
    "head": lambda a, env, sp: _seq("head", a[0], sp, True).items[0],
    "last": lambda a, env, sp: _seq("last", a[0], sp, True).items[-1],
    "tail": lambda a, env, sp: Seq(_seq("tail", a[0], sp, True).items[1:]),
    "keys": _keys,
    "values": _values,
    "index": _index,
    "seq": lambda a, env, sp: Seq(elements(a[0], sp, "make a sequence of")),
    "set": lambda a, env, sp: make_set(elements(a[0], sp, "make a set of"), sp),
    "subsets": _subsets,
    "count": _count,
    "checksum": _checksum,
    "connected": _connected,
}


def is_builtin(name: str) -> bool:
    return name in _FUNCS


def call_builtin(name: str, args: list[Value], env: Env, span: Span | None) -> Value:
    arity = _ARITY.get(name, 1)
    if arity >= 0:
        _one(name, args, span, arity)
    return _FUNCS[name](args, env, span)

