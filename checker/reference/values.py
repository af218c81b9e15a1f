"""Typed values of the reference interpreter.

Every value carries its type as part of its identity: ``Int(1)`` never
equals ``Bool(True)``, a set never equals a sequence, a record never equals
a map, integers are Python ints of any size. Python equality and hashing
of these classes are structural *including the class*, which is what the
state set needs. The DSL's own ``==``, ``<`` and ``in`` go through
`checker.reference.typed` (`equal`, `less`, `member`), which raise `EvalError` on operands of
different types (``none`` excepted, like a TLC model value), as TLC does.

`Value.key` is a total order used only to iterate collections in a fixed
order (``for``, ``choose``, ``seq(set)``): ints numerically, nodes by their
global index, ``none`` after ints, strings and nodes; it is the order the
compiled engine uses for those cases.
"""

from __future__ import annotations

from typing import Any, Iterable

from checker.errors import Span


def span_of(node: object) -> Span | None:
    """The source span of an AST node (the base classes declare none)."""
    return getattr(node, "span", None)


class EvalError(Exception):
    """An evaluation error: an ill-typed operation, a missing key, ..."""

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span is not None and self.span.line else ""
        return f"{where}{self.message}"


class Value:
    """Base of every value; subclasses define ``_data`` (their identity)."""

    __slots__ = ("_key", "_hash")
    rank = -1
    kind = "value"

    def _data(self) -> Any:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._data() == other._data()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        try:
            return self._hash  # type: ignore[has-type]
        except AttributeError:
            h: int = hash((self.rank, self._data()))
            self._hash = h
            return h

    def key(self) -> tuple:
        try:
            return self._key  # type: ignore[has-type]
        except AttributeError:
            k: tuple = self._make_key()
            self._key = k
            return k

    def _make_key(self) -> tuple:
        raise NotImplementedError

    def __repr__(self) -> str:
        return show(self)


class Int(Value):
    __slots__ = ("n",)
    rank, kind = 1, "an int"

    def __init__(self, n: int):
        self.n = n

    def _data(self) -> Any:
        return self.n

    def _make_key(self) -> tuple:
        return (1, self.n)


class Bool(Value):
    __slots__ = ("b",)
    rank, kind = 0, "a boolean"

    def __init__(self, b: bool):
        self.b = bool(b)

    def _data(self) -> Any:
        return self.b

    def _make_key(self) -> tuple:
        return (0, int(self.b))


TRUE, FALSE = Bool(True), Bool(False)


def boolean(b: bool) -> Bool:
    return TRUE if b else FALSE


class Str(Value):
    __slots__ = ("s",)
    rank, kind = 2, "a string"

    def __init__(self, s: str):
        self.s = s

    def _data(self) -> Any:
        return self.s

    def _make_key(self) -> tuple:
        return (2, self.s)


class Node(Value):
    """A node: its global index (role declaration order, then index) is
    its identity; ``role`` and ``index`` locate it, ``name`` shows it."""

    __slots__ = ("gidx", "role", "index", "name")
    rank, kind = 3, "a node"

    def __init__(self, gidx: int, role: str, index: int, name: str):
        self.gidx, self.role, self.index, self.name = gidx, role, index, name

    def _data(self) -> Any:
        return self.gidx

    def _make_key(self) -> tuple:
        return (3, self.gidx)


class NoneValue(Value):
    __slots__ = ()
    rank, kind = 4, "none"

    def _data(self) -> Any:
        return None

    def _make_key(self) -> tuple:
        return (4,)


NONE = NoneValue()


def sort(items: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(sorted(items, key=Value.key))


class Seq(Value):
    """A sequence or tuple (0-based); its items may have different types."""

    __slots__ = ("items",)
    rank, kind = 5, "a sequence"

    def __init__(self, items: Iterable[Value]):
        self.items = tuple(items)

    def _data(self) -> Any:
        return self.items

    def _make_key(self) -> tuple:
        return (5, tuple(x.key() for x in self.items))


class Set(Value):
    """A finite set; ``items`` are sorted by `order_key`."""

    __slots__ = ("items", "members")
    rank, kind = 6, "a set"

    def __init__(self, items: Iterable[Value]):
        self.members = frozenset(items)
        self.items = sort(self.members)

    def _data(self) -> Any:
        return self.members

    def _make_key(self) -> tuple:
        return (6, tuple(x.key() for x in self.items))


class Map(Value):
    """A finite map; ``items`` are (key, value) pairs sorted by key."""

    __slots__ = ("table", "items", "frozen")
    rank, kind = 7, "a map"

    def __init__(self, pairs: Iterable[tuple[Value, Value]]):
        self.table: dict[Value, Value] = dict(pairs)
        self.items = tuple(sorted(self.table.items(), key=lambda kv: kv[0].key()))
        self.frozen = frozenset(self.table.items())

    def _data(self) -> Any:
        return self.frozen

    def _make_key(self) -> tuple:
        return (7, tuple((k.key(), v.key()) for k, v in self.items))


class Record(Value):
    """A record: (field, value) pairs sorted by field name."""

    __slots__ = ("fields",)
    rank, kind = 8, "a record"

    def __init__(self, fields: Iterable[tuple[str, Value]]):
        self.fields = tuple(sorted(fields))

    def get(self, name: str) -> Value | None:
        for f, v in self.fields:
            if f == name:
                return v
        return None

    def _data(self) -> Any:
        return self.fields

    def _make_key(self) -> tuple:
        return (8, tuple(f for f, _ in self.fields), tuple(v.key() for _, v in self.fields))


class Message(Value):
    """A message: its type, sender (a node or ``none``), receiver (a node,
    or ``none``: anyone handling it) and field values in declared order.
    ``order`` is the message type's position among the spec's messages."""

    __slots__ = ("name", "order", "src", "dst", "names", "values")
    rank, kind = 9, "a message"

    def __init__(self, name: str, order: int, src: Value, dst: Value, names: tuple[str, ...],
                 values: tuple[Value, ...]):
        self.name, self.order, self.src, self.dst = name, order, src, dst
        self.names, self.values = names, values

    def field(self, name: str) -> Value | None:
        if name == "src":
            return self.src
        if name == "dst":
            return self.dst
        if name in self.names:
            return self.values[self.names.index(name)]
        return None

    def replace(self, k: int, v: Value) -> Message:
        values = self.values[:k] + (v,) + self.values[k + 1:]
        return Message(self.name, self.order, self.src, self.dst, self.names, values)

    def _data(self) -> Any:
        return (self.name, self.src, self.dst, self.values)

    def _make_key(self) -> tuple:
        return (9, self.order, self.src.key(), self.dst.key(), tuple(v.key() for v in self.values))


class Bag(Value):
    """A multiset (the in-flight messages of a network): sorted items."""

    __slots__ = ("items",)
    rank, kind = 10, "a bag"

    def __init__(self, items: Iterable[Value]):
        self.items = sort(items)

    def _data(self) -> Any:
        return self.items

    def _make_key(self) -> tuple:
        return (10, tuple(x.key() for x in self.items))


class Checksum(Value):
    """``checksum(a, ...)``: a perfect digest; ``args`` None once garbled."""

    __slots__ = ("args",)
    rank, kind = 11, "a checksum"

    def __init__(self, args: tuple[Value, ...] | None):
        self.args = args

    def _data(self) -> Any:
        return self.args

    def _make_key(self) -> tuple:
        return (11, () if self.args is None else (0, tuple(a.key() for a in self.args)))


# ---- display ---------------------------------------------------------------

def payload(m: Message) -> str:
    """A message without its routing: ``Propose(t=1, cmd="c1")``."""
    return f"{m.name}(" + ", ".join(f"{f}={show(x)}" for f, x in zip(m.names, m.values)) + ")"


def show(v: Value) -> str:
    if isinstance(v, Bool):
        return "true" if v.b else "false"
    if isinstance(v, Int):
        return str(v.n)
    if isinstance(v, Str):
        return '"' + v.s + '"'
    if isinstance(v, Node):
        return v.name
    if isinstance(v, NoneValue):
        return "none"
    if isinstance(v, Seq):
        return "[" + ", ".join(show(x) for x in v.items) + "]"
    if isinstance(v, Set):
        return "{" + ", ".join(show(x) for x in v.items) + "}"
    if isinstance(v, Bag):
        return "bag{" + ", ".join(show(x) for x in v.items) + "}"
    if isinstance(v, Map):
        return "{" + ", ".join(f"{show(k)}: {show(x)}" for k, x in v.items) + "}" if v.items else "{:}"
    if isinstance(v, Record):
        return "(" + ", ".join(f"{f}: {show(x)}" for f, x in v.fields) + ")"
    if isinstance(v, Message):
        src = "env" if isinstance(v.src, NoneValue) else show(v.src)
        dst = "*" if isinstance(v.dst, NoneValue) else show(v.dst)
        return f"{src} -> {dst} {payload(v)}"
    if isinstance(v, Checksum):
        return "crc(" + (", ".join(show(x) for x in v.args) if v.args is not None else "garbled") + ")"
    return object.__repr__(v)
