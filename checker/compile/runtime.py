"""Helpers that generated step functions call at run time (each named
``_rt_<name>`` in generated code: `NAMESPACE`).

The code generator inlines what the checker's kinds make safe (int
arithmetic, comparisons of two values of one type, slot reads); these
helpers cover what depends on a value's type at run time (``+`` on sets
vs sequences, ``x[k]`` on maps vs sequences, ``.f`` on nodes vs records)
and fail with an `EvalError` where Python would silently do something else
or TLC reports an error (comparing a boolean with an int, a missing map
key, a negative index). An `EvalError` keeps the values it is about; the
model shows them in the spec's terms (`EvalError.shown`).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from checker.errors import ModelError
from checker.values import (
    BAG,
    FALSE,
    KIND_PHRASES,
    MAP,
    SET,
    TRUE,
    ValueKind,
    canonical,
    is_bag,
    is_map,
    is_node,
    is_record,
    is_seq,
    is_set,
    kind_of,
    make_map,
    make_set,
    map_items,
    node_number,
    set_insert,
    shape_number,
)


class AssertFail(Exception):
    """An ``assert`` inside a step failed (wrapped by the dispatcher)."""

    def __init__(self, prop: str, values: dict[str, str] | None = None):
        super().__init__(prop)
        self.prop = prop
        self.values = values or {}
        self.params: tuple = ()  # set by an action's loop: its parameters
        self.action: tuple | None = None  # set by the dispatcher


class BranchFailures(AssertFail):
    """Raised by a step function when some of its branches (bindings of an
    action's parameters, elements of a ``choose``) failed an assertion:
    ``failures`` are theirs, ``done`` what the other branches produced."""

    def __init__(self, failures: list[AssertFail], done: list):
        super().__init__(failures[0].prop, failures[0].values)
        self.failures = failures
        self.done = done


def failed(exc: AssertFail, fails: list[AssertFail], action: tuple) -> list:
    """A step function of ``action`` raised ``exc``: its failures (each
    named by the action and its parameters) go to ``fails``; returns what
    its other branches produced."""
    parts = exc.failures if isinstance(exc, BranchFailures) else [exc]
    for f in parts:
        f.action = action + f.params
        fails.append(f)
    return exc.done if isinstance(exc, BranchFailures) else []


class StepFailures(Exception):
    """Assertions that failed in some steps of a state, with the state's
    successful steps (so exploration can go on past them)."""

    def __init__(self, failures: list[AssertFail], successors: list):
        super().__init__(failures[0].prop)
        self.failures = failures
        self.successors = successors


class EvalError(ModelError):
    """An expression cannot be evaluated; ``{0}``, ``{1}``... in the
    message stand for ``values``, shown by the model that catches it."""

    def __init__(self, template: str, *values: Any):
        super().__init__(template.format(*(repr(v) for v in values)))
        self.template = template
        self.values = values

    def shown(self, show: Callable[[Any], str]) -> str:
        """The message with the values shown as the spec writes them."""
        return self.template.format(*(show(v) for v in self.values))


class Runtime:
    """Per-model tables the helpers need (shape fields, node variables)."""

    def __init__(self, shape_fields: list[dict[str, int]], node_var_slots: dict[str, dict[int, int]],
                 node_count: int, show: Callable[[Any], str]):
        self.shape_fields = shape_fields
        # var name -> {global node number -> slot}
        self.node_var_slots = node_var_slots
        self.node_count = node_count
        self.show = show

    def field(self, v: Any, name: str, st: Any) -> Any:
        """``v.name``: a record/message field, or a variable of node ``v``."""
        if is_node(v):
            slots = self.node_var_slots.get(name)
            if slots is None or node_number(v) not in slots:
                raise EvalError(f"node {{0}} has no variable '{name}'", v)
            return st[slots[node_number(v)]]
        if is_record(v):
            idx = self.shape_fields[shape_number(v)].get(name)
            if idx is None:
                raise EvalError(f"{{0}} has no field '{name}'", v)
            return v[idx]
        raise EvalError(f"cannot read field '{name}' of {{0}}", v)

    def set_field(self, v: Any, name: str, new: Any) -> tuple:
        if not is_record(v):
            raise EvalError(f"cannot set field '{name}' of {{0}}", v)
        idx = self.shape_fields[shape_number(v)].get(name)
        if idx is None:
            raise EvalError(f"{{0}} has no field '{name}'", v)
        return v[:idx] + (new,) + v[idx + 1:]

    def node_slot(self, v: Any, name: str) -> int:
        if is_node(v):
            slots = self.node_var_slots.get(name, {})
            if node_number(v) in slots:
                return slots[node_number(v)]
        raise EvalError(f"{{0}} is not a node with a variable '{name}'", v)


def _kind(v: Any) -> str:
    """``an int``, ``a set``: a value's type, for messages."""
    return KIND_PHRASES[kind_of(v)]


def _same_kind(a: Any, b: Any) -> bool:
    ka, kb = kind_of(a), kind_of(b)
    return ka == kb or ValueKind.NONE in (ka, kb)


# ---- comparisons -------------------------------------------------------------

def eq(a: Any, b: Any) -> bool:
    """``a == b`` where the kinds could not be checked statically: values of
    different types cannot be compared (as in TLC), except with ``none``."""
    if a == b:
        return True
    ta = type(a)
    if ta is type(b) and (ta is int or (ta is str and a[:1] == b[:1])):  # the same kind (the tag char)
        return False
    if not _same_kind(a, b):
        raise EvalError(f"cannot compare {{0}} ({_kind(a)}) with {{1}} ({_kind(b)})", a, b)
    return False


def compare(op: str, a: Any, b: Any) -> bool:
    """``a < b`` etc. on two ints or two strings."""
    ka, kb = kind_of(a), kind_of(b)
    if ka != kb or ka not in (ValueKind.INT, ValueKind.STR):
        raise EvalError(f"'{op}' needs two ints or two strings, not {{0}} ({_kind(a)}) and {{1}} ({_kind(b)})", a, b)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def truth(v: Any) -> bool:
    """A value used as a condition must be a boolean."""
    if v == TRUE:
        return True
    if v == FALSE:
        return False
    raise EvalError(f"a condition must be a boolean, not {{0}} ({_kind(v)})", v)


# ---- arithmetic ---------------------------------------------------------------

def _int(v: Any, what: str) -> int:
    if type(v) is not int:
        raise EvalError(f"{what} needs ints, not {{0}} ({_kind(v)})", v)
    return v


def neg(a: Any) -> int:
    return -_int(a, "'-'")


def times(a: Any, b: Any) -> int:
    return _int(a, "'*'") * _int(b, "'*'")


def div(a: Any, b: Any) -> int:
    if _int(b, "'/'") == 0:
        raise EvalError("division by zero")
    return _int(a, "'/'") // b


def mod(a: Any, b: Any) -> int:
    if _int(b, "'%'") == 0:
        raise EvalError("modulo by zero")
    return _int(a, "'%'") % b


def int_range(a: Any, b: Any) -> tuple:
    lo, hi = _int(a, "'..'"), _int(b, "'..'")
    if hi - lo >= MAX_RANGE:
        raise EvalError(f"the range {{0}}..{{1}} has {hi - lo + 1} elements; at most {MAX_RANGE} can be built", lo, hi)
    return (SET, *range(lo, hi + 1))


def abs_(a: Any) -> int:
    return abs(_int(a, "abs()"))


def total(c: Any) -> int:
    """``sum(c)``."""
    return sum(_int(x, "sum()") for x in iterate(c))


#: ranges and powersets larger than this are typos (and would exhaust memory)
MAX_RANGE = 1_000_000
MAX_SUBSET_ELEMENTS = 16


# ---- collections -----------------------------------------------------------------

def mkset(items: Iterable[Any]) -> tuple:
    return make_set(items)


def mkmap(pairs: Iterable[tuple[Any, Any]]) -> tuple:
    return make_map(pairs)


def iterate(c: Any) -> tuple:
    """Deterministic iteration: sets and bags in order, sequences, map keys."""
    if type(c) is tuple:
        if not c or is_seq(c):
            return c
        if c[0] == SET or c[0] == BAG:
            return c[1:]
        if c[0] == MAP:
            return c[1::2]
    raise EvalError(f"cannot iterate over {{0}} ({_kind(c)})", c)


def size(c: Any) -> int:
    if type(c) is tuple:
        if not c or is_seq(c):
            return len(c)
        if c[0] == SET or c[0] == BAG:
            return len(c) - 1
        if c[0] == MAP:
            return (len(c) - 1) // 2
    raise EvalError(f"size() needs a collection, not {{0}} ({_kind(c)})", c)


def plus(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a + b
    if is_set(a) and is_set(b):
        return make_set(a[1:] + b[1:])
    if is_bag(a) and is_bag(b):
        return (BAG,) + canonical(a[1:] + b[1:])
    if is_seq(a) and is_seq(b):
        return a + b
    raise EvalError(f"'+' needs two ints, two sets or two sequences, not {{0}} ({_kind(a)}) and {{1}} ({_kind(b)})",
                    a, b)


def set_union(a: tuple, b: tuple) -> tuple:
    """``a + b`` of two values the compiler knows are sets."""
    if len(b) == 2:
        return set_insert(a, b[1])
    if len(a) == 2:
        return set_insert(b, a[1])
    return make_set(a[1:] + b[1:])


def bag_set(b: tuple) -> tuple:
    """``set(b)`` of a value the compiler knows is a bag (in canonical
    order already, repeats adjacent)."""
    return (SET, *dict.fromkeys(b[1:]))


def set_minus(a: tuple, b: tuple) -> tuple:
    """``a - b`` of two values the compiler knows are sets."""
    if len(b) == 2:
        return a if b[1] not in a[1:] else tuple(x for x in a if x != b[1])
    bs = set(b[1:])
    return (SET,) + tuple(x for x in a[1:] if x not in bs)


def minus(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a - b
    if is_set(a) and is_set(b):
        bs = set(b[1:])
        return (SET,) + tuple(x for x in a[1:] if x not in bs)
    raise EvalError(f"'-' needs two ints or two sets, not {{0}} ({_kind(a)}) and {{1}} ({_kind(b)})", a, b)


def intersect(a: Any, b: Any) -> tuple:
    if is_set(a) and is_set(b):
        bs = set(b[1:])
        return (SET,) + tuple(x for x in a[1:] if x in bs)
    raise EvalError("'&' needs two sets, not {0} and {1}", a, b)


def contains(x: Any, c: Any) -> bool:
    if type(c) is tuple:
        if not c or is_seq(c):
            return x in c
        if c[0] == SET or c[0] == BAG:
            return x in c[1:]
        if c[0] == MAP:
            return x in c[1::2]
    raise EvalError(f"'in' needs a set, sequence, bag or map on its right, not {{0}} ({_kind(c)})", c)


def subset(a: Any, b: Any) -> bool:
    if (is_set(a) or is_bag(a)) and (is_set(b) or is_bag(b)):
        return set(a[1:]) <= set(b[1:])
    raise EvalError("'subset' needs two sets, not {0} and {1}", a, b)


def getitem(c: Any, k: Any) -> Any:
    if type(c) is tuple and c and c[0] == MAP:
        return map_get(c, k)
    if is_seq(c):
        if type(k) is int and 0 <= k < len(c):
            return c[k]
        raise EvalError(f"index {{0}} is out of range for a sequence of length {len(c)}", k)
    raise EvalError(f"indexing needs a sequence or a map, not {{0}} ({_kind(c)})", c)


def map_get(c: tuple, k: Any) -> Any:
    """``c[k]`` of a value the compiler knows is a map (the keys are
    searched in C: they sit at the odd places)."""
    try:
        return c[2 * c[1::2].index(k) + 2]
    except ValueError:
        raise EvalError("key {0} is not in the map {1}", k, c) from None


def setitem(c: Any, k: Any, v: Any) -> Any:
    if type(c) is tuple and c and c[0] == MAP:
        try:
            i = 2 * c[1::2].index(k) + 1
        except ValueError:
            return make_map([*map_items(c), (k, v)])
        return c[:i + 1] + (v,) + c[i + 2:]
    if is_seq(c):
        if type(k) is int and 0 <= k < len(c):
            return c[:k] + (v,) + c[k + 1:]
        raise EvalError(f"index {{0}} is out of range for a sequence of length {len(c)}", k)
    raise EvalError(f"item assignment needs a sequence or a map, not {{0}} ({_kind(c)})", c)


def slice_(c: Any, lo: Any, hi: Any) -> tuple:
    if not is_seq(c):
        raise EvalError(f"slicing needs a sequence, not {{0}} ({_kind(c)})", c)
    n = len(c)
    lo = 0 if lo is None else max(0, min(_int(lo, "a slice"), n))
    hi = n if hi is None else max(lo, min(_int(hi, "a slice"), n))
    return c[lo:hi]


def append(s: Any, x: Any) -> tuple:
    if not is_seq(s):
        raise EvalError(f"append() needs a sequence, not {{0}} ({_kind(s)})", s)
    return s + (x,)


def head(s: Any) -> Any:
    if not is_seq(s) or not s:
        raise EvalError("head() of {0}: needs a non-empty sequence", s)
    return s[0]


def tail(s: Any) -> tuple:
    if not is_seq(s) or not s:
        raise EvalError("tail() of {0}: needs a non-empty sequence", s)
    return s[1:]


def last(s: Any) -> Any:
    if not is_seq(s) or not s:
        raise EvalError("last() of {0}: needs a non-empty sequence", s)
    return s[-1]


def _ordered(c: Any, what: str) -> tuple:
    items = iterate(c)
    if not items:
        raise EvalError(f"{what}() of an empty collection")
    kinds = {kind_of(x) for x in items}
    if len(kinds) > 1 or not kinds <= {ValueKind.INT, ValueKind.STR, ValueKind.NODE, ValueKind.SEQ}:
        raise EvalError(f"{what}() needs ints, strings, nodes or sequences of one type, not {{0}}", c)
    return items


def maximum(c: Any) -> Any:
    return max(_ordered(c, "max"))


def minimum(c: Any) -> Any:
    return min(_ordered(c, "min"))


def keys(m: Any) -> tuple:
    if is_map(m):
        return make_set(m[1::2])
    raise EvalError(f"keys() needs a map, not {{0}} ({_kind(m)})", m)


def values(m: Any) -> tuple:
    if is_map(m):
        return make_set(m[2::2])
    raise EvalError(f"values() needs a map, not {{0}} ({_kind(m)})", m)


def choose_first(items: Iterable[Any]) -> Any:
    for x in items:
        return x
    raise EvalError("choose: no element satisfies the condition")


def is_shape(v: Any, tag: str) -> bool:
    return type(v) is tuple and len(v) > 0 and v[0] == tag


def dests(v: Any) -> Iterable[Any]:
    """The receivers named by ``to``: one node, or a set of nodes."""
    if is_node(v):
        return (v,)
    if is_set(v) and all(is_node(x) for x in v[1:]):
        return v[1:]
    raise EvalError("a message must be sent to a node or a set of nodes, not {0}", v)


def subsets(c: Any) -> tuple:
    """Every subset of a (small) set, as a set of sets."""
    items = iterate(c)
    if len(items) > MAX_SUBSET_ELEMENTS:
        raise EvalError(f"subsets() of a set with {len(items)} elements is too large to enumerate "
                        f"(at most {MAX_SUBSET_ELEMENTS})")
    return make_set((SET, *(x for i, x in enumerate(items) if mask >> i & 1)) for mask in range(1 << len(items)))


def count(c: Any, x: Any) -> int:
    """``count(c, x)``: how many times ``x`` occurs in a bag or sequence (0
    or 1 in a set; for a map: whether ``x`` is a key)."""
    if is_map(c):
        return int(x in c[1::2])
    if is_set(c) or is_bag(c):
        return c[1:].count(x)
    if is_seq(c):
        return c.count(x)
    raise EvalError(f"count() needs a bag, sequence, set or map, not {{0}} ({_kind(c)})", c)


def message(v: Any) -> tuple:
    """``v`` itself, after checking that it is a message (``resend v``)."""
    if is_record(v) and len(v) >= 3:
        return v
    raise EvalError("resend/discard need a message (e.g. an element of network), not {0}", v)


#: the helpers by the names generated code calls them
#: a memoised definition's "not computed yet" (`checker.compile.calls`)
MISS = object()


def frozen_cache() -> Callable[[tuple], frozenset]:
    """A function giving a set or bag (a tagged tuple) as a frozenset, for
    membership tests, rebuilt only when given another tuple: a loop that
    tests membership in one of the state's sets many times hashes its
    elements once instead of comparing against each one every time (the
    tag is no value, so it is never found)."""
    last: list[Any] = [None, frozenset()]

    def frozen(t: tuple) -> frozenset:
        if t is not last[0]:  # the cache holds ``t``: its identity cannot be reused
            last[0], last[1] = t, frozenset(t)
        return last[1]

    return frozen


NAMESPACE: dict[str, Any] = {f"_rt_{fn.__name__.rstrip('_')}": fn for fn in (
    eq, compare, truth, neg, times, div, mod, int_range, abs_, total, mkset, mkmap, iterate, size, plus, minus,
    set_union, set_minus, bag_set, map_get, intersect, contains, subset, getitem, setitem, slice_, append, head,
    tail, last, maximum, minimum, keys, values, choose_first, is_shape, dests, subsets, count, message, failed)}
