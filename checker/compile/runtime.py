"""Helpers that generated step functions call at run time (each named
``_rt_<name>`` in generated code: `NAMESPACE`).

The code generator inlines plain int arithmetic, comparisons and slot
reads; these helpers cover what depends on a value's kind (``+`` on sets
vs sequences, ``x[k]`` on maps vs sequences, ``.f`` on nodes vs records)
and operations that must fail with a clear message instead of silently
doing the Python thing (negative indices, missing map keys).
"""

from __future__ import annotations

from typing import Any, Iterable

from checker.errors import ModelError
from checker.values import NODE_BASE, NONE, STR_BASE, VBag, VMap, VRec, VSet


class AssertFail(Exception):
    """An ``assert`` inside a step failed (wrapped by the dispatcher)."""

    def __init__(self, prop: str, values: dict[str, str] | None = None):
        super().__init__(prop)
        self.prop = prop
        self.values = values or {}
        self.params: tuple = ()  # set by an action's loop: its parameters
        self.action: tuple | None = None  # set by the dispatcher


class StepFailures(Exception):
    """Assertions that failed in some steps of a state, with the state's
    successful steps (so exploration can go on past them)."""

    def __init__(self, failures: list[AssertFail], successors: list):
        super().__init__(failures[0].prop)
        self.failures = failures
        self.successors = successors


class Runtime:
    """Per-model tables the helpers need (shape fields, node variables)."""

    def __init__(self, shape_fields: list[dict[str, int]], node_var_offsets: dict[str, dict[int, int]],
                 node_count: int, show):
        self.shape_fields = shape_fields
        # var name -> {global node index -> slot}
        self.node_var_slots = node_var_offsets
        self.node_count = node_count
        self.show = show

    def field(self, v: Any, name: str, st: Any) -> Any:
        """``v.name``: a record/message field, or a variable of node ``v``."""
        if type(v) is int and NODE_BASE <= v < NONE:
            slots = self.node_var_slots.get(name)
            if slots is None or (v - NODE_BASE) not in slots:
                raise ModelError(f"node {self.show(v)} has no variable '{name}'")
            return st[slots[v - NODE_BASE]]
        if isinstance(v, VRec):
            idx = self.shape_fields[v[0]].get(name)
            if idx is None:
                raise ModelError(f"{self.show(v)} has no field '{name}'")
            return v[idx]
        raise ModelError(f"cannot read field '{name}' of {self.show(v)}")

    def set_field(self, v: Any, name: str, new: Any) -> VRec:
        if not isinstance(v, VRec):
            raise ModelError(f"cannot set field '{name}' of {self.show(v)}")
        idx = self.shape_fields[v[0]].get(name)
        if idx is None:
            raise ModelError(f"{self.show(v)} has no field '{name}'")
        return VRec(v[:idx] + (new,) + v[idx + 1:])

    def node_slot(self, v: Any, name: str) -> int:
        if type(v) is int and NODE_BASE <= v < NONE:
            slots = self.node_var_slots.get(name, {})
            if (v - NODE_BASE) in slots:
                return slots[v - NODE_BASE]
        raise ModelError(f"{self.show(v)} is not a node with a variable '{name}'")


def mkset(items: Iterable[Any]) -> VSet:
    return VSet(sorted(set(items)))


def mkmap(pairs: Iterable[tuple[Any, Any]]) -> VMap:
    return VMap(sorted(dict(pairs).items()))


def iterate(c: Any) -> Iterable[Any]:
    """Deterministic iteration: sets/bags/sequences in order, maps by key."""
    if isinstance(c, VMap):
        return [k for k, _ in c]
    if isinstance(c, tuple):
        return c
    raise ModelError(f"cannot iterate over {c!r}")


def plus(a: Any, b: Any) -> Any:
    if isinstance(a, VSet) and isinstance(b, VSet):
        return VSet(sorted(set(a).union(b)))
    if isinstance(a, VBag) and isinstance(b, VBag):
        return VBag(sorted(a + b))
    if isinstance(a, VMap) or isinstance(b, VMap):
        raise ModelError("'+' is not defined on maps")
    if type(a) is tuple and type(b) is tuple:
        return a + b
    if type(a) is int and type(b) is int and a < STR_BASE and b < STR_BASE:
        return a + b
    raise ModelError("'+' needs two ints, two sets or two sequences")


def minus(a: Any, b: Any) -> Any:
    if isinstance(a, VSet) and isinstance(b, VSet):
        bs = set(b)
        return VSet(x for x in a if x not in bs)
    if type(a) is int and type(b) is int:
        return a - b
    raise ModelError("'-' needs two ints or two sets")


def intersect(a: Any, b: Any) -> VSet:
    if isinstance(a, VSet) and isinstance(b, VSet):
        bs = set(b)
        return VSet(x for x in a if x in bs)
    raise ModelError("'&' needs two sets")


def contains(x: Any, c: Any) -> bool:
    if isinstance(c, VMap):
        return any(k == x for k, _ in c)
    if isinstance(c, tuple):
        return x in c
    raise ModelError("'in' needs a set, sequence, bag or map on its right")


def subset(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return set(a) <= set(b)
    raise ModelError("'subset' needs two sets")


def div(a: int, b: int) -> int:
    if b == 0:
        raise ModelError("division by zero")
    return a // b


def mod(a: int, b: int) -> int:
    if b == 0:
        raise ModelError("modulo by zero")
    return a % b


def int_range(a: int, b: int) -> VSet:
    return VSet(range(a, b + 1))


def getitem(c: Any, k: Any) -> Any:
    if isinstance(c, VMap):
        for key, v in c:
            if key == k:
                return v
        raise ModelError(f"key {k!r} is not in the map")
    if isinstance(c, tuple) and not isinstance(c, (VSet, VBag, VRec)):
        if type(k) is int and 0 <= k < len(c):
            return c[k]
        raise ModelError(f"index {k} is out of range for a sequence of length {len(c)}")
    raise ModelError("indexing needs a sequence or a map")


def setitem(c: Any, k: Any, v: Any) -> Any:
    if isinstance(c, VMap):
        d = dict(c)
        d[k] = v
        return VMap(sorted(d.items()))
    if type(c) is tuple:
        if type(k) is int and 0 <= k < len(c):
            return c[:k] + (v,) + c[k + 1:]
        raise ModelError(f"index {k} is out of range for a sequence of length {len(c)}")
    raise ModelError("item assignment needs a sequence or a map")


def slice_(c: Any, lo: Any, hi: Any) -> tuple:
    if type(c) is not tuple:
        raise ModelError("slicing needs a sequence")
    n = len(c)
    lo = 0 if lo is None else max(0, min(lo, n))
    hi = n if hi is None else max(lo, min(hi, n))
    return c[lo:hi]


def append(s: Any, x: Any) -> tuple:
    if type(s) is not tuple:
        raise ModelError("append() needs a sequence")
    return s + (x,)


def head(s: Any) -> Any:
    if type(s) is not tuple or not s:
        raise ModelError("head() of an empty sequence")
    return s[0]


def tail(s: Any) -> tuple:
    if type(s) is not tuple or not s:
        raise ModelError("tail() of an empty sequence")
    return s[1:]


def last(s: Any) -> Any:
    if type(s) is not tuple or not s:
        raise ModelError("last() of an empty sequence")
    return s[-1]


def maximum(c: Any) -> Any:
    items = list(iterate(c))
    if not items:
        raise ModelError("max() of an empty collection")
    return max(items)


def minimum(c: Any) -> Any:
    items = list(iterate(c))
    if not items:
        raise ModelError("min() of an empty collection")
    return min(items)


def keys(m: Any) -> VSet:
    if isinstance(m, VMap):
        return VSet(k for k, _ in m)
    raise ModelError("keys() needs a map")


def values(m: Any) -> VSet:
    if isinstance(m, VMap):
        return VSet(sorted({v for _, v in m}))
    raise ModelError("values() needs a map")


def choose_first(items: Iterable[Any]) -> Any:
    for x in items:
        return x
    raise ModelError("choose: no element satisfies the condition")


def is_shape(v: Any, shape: int) -> bool:
    return isinstance(v, VRec) and v[0] == shape


def dests(v: Any) -> Iterable[int]:
    """The receivers named by ``to``: one node, or a set of nodes."""
    if type(v) is int and NODE_BASE <= v < NONE:
        return (v,)
    if isinstance(v, VSet):
        return v
    raise ModelError("a message must be sent to a node or a set of nodes")


def subsets(c: Any) -> VSet:
    """Every subset of a (small) set, as a set of sets."""
    items = list(iterate(c))
    if len(items) > 16:
        raise ModelError(f"subsets() of a set with {len(items)} elements is too large to enumerate")
    out = []
    for mask in range(1 << len(items)):
        out.append(VSet(x for i, x in enumerate(items) if mask >> i & 1))
    return VSet(sorted(out))


def count(c: Any, x: Any) -> int:
    """``count(c, x)``: how many times ``x`` occurs in a bag or sequence (0
    or 1 in a set; for a map: whether ``x`` is a key)."""
    if isinstance(c, VMap):
        return int(any(k == x for k, _ in c))
    if isinstance(c, tuple):
        return c.count(x)
    raise ModelError("count() needs a bag, sequence, set or map")


def message(v: Any) -> VRec:
    """``v`` itself, after checking that it is a message (``resend v``)."""
    if isinstance(v, VRec) and len(v) >= 3:
        return v
    raise ModelError("resend/discard need a message (e.g. an element of network)")


#: the helpers by the names generated code calls them
NAMESPACE: dict[str, Any] = {f"_rt_{fn.__name__.rstrip('_')}": fn for fn in (
    mkset, mkmap, iterate, plus, minus, intersect, contains, subset, div, mod, int_range, getitem, setitem, slice_,
    append, head, tail, last, maximum, minimum, keys, values, choose_first, is_shape, dests, subsets, count,
    message)}
