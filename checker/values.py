"""Model values: a representation in which a value's type is part of its
identity, and how values are shown.

A state is a plain tuple of values; every value is built from Python ints,
strs and tuples only, so equality, hashing and ordering are those of the
built-in types (fast, in C) and a value never equals a value of another
type: an int is never a boolean, a string, a node or ``none``; a set is
never a sequence; a record is never a map. No value is an instance of a
class of ours, so states pickle and marshal compactly and canonically.

======================  ==============================================
DSL value               representation
======================  ==============================================
int (any size)          ``int``
``false`` / ``true``    ``FALSE`` / ``TRUE`` (one-character strs)
``none``                ``NONE`` (a one-character str)
string ``"abc"``        ``STR + "abc"``
node ``Server[1]``      ``NODE + chr(k)`` (k: the node's global number)
sequence / tuple        a ``tuple`` of values (no tag)
set                     ``(SET, e1, e2, ...)``, elements in canonical order
bag (multiset)          ``(BAG, e1, e1, e2, ...)``, canonical order
map                     ``(MAP, k1, v1, k2, v2, ...)``, keys in canonical order
record / message        ``(REC + chr(shape), v1, v2, ...)``; a message's
                        first two fields are its hidden ``src`` and ``dst``
======================  ==============================================

The tags are strs no DSL value can be (a DSL string starts with ``STR``),
so a tagged tuple is never equal to a sequence. The canonical order of a
set is Python's order when the elements are of one comparable type (ints;
strs: nodes < none < false < true < strings; tuples of such), else the
total order `order_key`, in which an int precedes every str and a str
every tuple.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterable, Iterator

NODE, NONE, FALSE, TRUE, STR = "\x00", "\x01", "\x02", "\x03", "\x04"
SET, BAG, MAP, REC = "\x05", "\x06", "\x07", "\x08"
#: ``BOOLS[cond]``: a Python bool as a model value
BOOLS = (FALSE, TRUE)
EMPTY_SET: tuple = (SET,)
EMPTY_BAG: tuple = (BAG,)
EMPTY_MAP: tuple = (MAP,)
_COLLECTIONS = (SET, BAG, MAP)


class ValueKind(StrEnum):
    """The types of model values (``ANY``: known only at run time)."""

    INT = "int"
    BOOL = "bool"
    STR = "str"
    NODE = "node"
    SET = "set"
    SEQ = "seq"
    MAP = "map"
    REC = "rec"
    MSG = "msg"
    BAG = "bag"
    NONE = "none"
    ANY = "any"


#: "an int", "a set": each type as a message names it
KIND_PHRASES = {ValueKind.INT: "an int", ValueKind.BOOL: "a boolean", ValueKind.STR: "a string",
                ValueKind.NODE: "a node", ValueKind.SET: "a set", ValueKind.SEQ: "a sequence", ValueKind.MAP: "a map",
                ValueKind.REC: "a record", ValueKind.MSG: "a message", ValueKind.BAG: "a bag",
                ValueKind.NONE: "none", ValueKind.ANY: "a value"}


def kind_of(v: Any) -> ValueKind:
    """The type of a model value."""
    t = type(v)
    if t is int:
        return ValueKind.INT
    if t is str:
        head = v[:1]
        if head == STR:
            return ValueKind.STR
        if head == NODE:
            return ValueKind.NODE
        return ValueKind.NONE if v == NONE else ValueKind.BOOL
    if is_set(v):
        return ValueKind.SET
    if is_bag(v):
        return ValueKind.BAG
    if is_map(v):
        return ValueKind.MAP
    if is_record(v):
        return ValueKind.REC
    return ValueKind.SEQ


# ---- scalars ------------------------------------------------------------------

def string(text: str) -> str:
    """The model value of the DSL string ``text``."""
    return STR + text


def node(k: int) -> str:
    """The model value of the node with global number ``k``."""
    return NODE + chr(k)


def node_number(v: str) -> int:
    return ord(v[1])


def boolean(b: bool) -> str:
    return TRUE if b else FALSE


def is_int(v: Any) -> bool:
    return type(v) is int


def is_bool(v: Any) -> bool:
    return v is TRUE or v is FALSE or v == TRUE or v == FALSE


def is_node(v: Any) -> bool:
    return type(v) is str and len(v) == 2 and v[0] == NODE


def is_string(v: Any) -> bool:
    return type(v) is str and v[:1] == STR


def text_of(v: str) -> str:
    """The text of a string value."""
    return v[1:]


# ---- collections --------------------------------------------------------------------

def order_key(v: Any) -> tuple:
    """A total order of all values (ints, then strs, then tuples); equal to
    Python's own order among values of one comparable type."""
    if type(v) is int:
        return (0, v)
    if type(v) is str:
        return (1, v)
    return (2, tuple(order_key(x) for x in v))


def canonical(items: Iterable[Any]) -> tuple:
    """``items`` in canonical order (repeats kept)."""
    items = list(items)
    try:
        items.sort()
    except TypeError:  # elements of several types
        items.sort(key=order_key)
    return tuple(items)


def set_insert(s: tuple, x: Any) -> tuple:
    """The set (or bag: ``repeats``) ``s`` with ``x`` added, in canonical
    order, without sorting it again."""
    try:
        i = bisect_left(s, x, 1)
    except TypeError:  # elements of several types
        return (s[0], *canonical(set(s[1:]) | {x})) if s[0] == SET else (s[0], *canonical(s[1:] + (x,)))
    if s[0] == SET and i < len(s) and s[i] == x:
        return s
    return s[:i] + (x,) + s[i:]


def make_set(items: Iterable[Any]) -> tuple:
    return (SET,) + canonical(set(items))


def make_bag(items: Iterable[Any]) -> tuple:
    return (BAG,) + canonical(items)


def make_map(pairs: Iterable[tuple[Any, Any]]) -> tuple:
    d = dict(pairs)
    out: list[Any] = [MAP]
    for k in canonical(d):
        out += (k, d[k])
    return tuple(out)


def is_set(v: Any) -> bool:
    return type(v) is tuple and len(v) > 0 and v[0] == SET


def is_bag(v: Any) -> bool:
    return type(v) is tuple and len(v) > 0 and v[0] == BAG


def is_map(v: Any) -> bool:
    return type(v) is tuple and len(v) > 0 and v[0] == MAP


def is_record(v: Any) -> bool:
    """A record or a message."""
    return type(v) is tuple and len(v) > 0 and type(v[0]) is str and len(v[0]) == 2 and v[0][0] == REC


def is_seq(v: Any) -> bool:
    """A sequence or tuple (an untagged tuple)."""
    if type(v) is not tuple:
        return False
    if not v:
        return True
    head = v[0]
    return not (type(head) is str and (head in _COLLECTIONS or (len(head) == 2 and head[0] == REC)))


def elements(v: tuple) -> tuple:
    """The elements of a set or bag (repeats kept)."""
    return v[1:]


def map_items(m: tuple) -> Iterator[tuple[Any, Any]]:
    """A map's (key, value) pairs in key order."""
    for i in range(1, len(m), 2):
        yield m[i], m[i + 1]


def map_keys(m: tuple) -> tuple:
    return m[1::2]


def map_get(m: tuple, key: Any, default: Any = None) -> Any:
    for i in range(1, len(m), 2):
        if m[i] == key:
            return m[i + 1]
    return default


def map_put(m: tuple, key: Any, value: Any) -> tuple:
    for i in range(1, len(m), 2):
        if m[i] == key:
            return m[:i + 1] + (value,) + m[i + 2:]
    return make_map(list(map_items(m)) + [(key, value)])


# ---- records and messages -----------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    """A record or message layout. Message shapes start with src, dst."""

    name: str  # message name, or "" for an anonymous record
    fields: tuple[str, ...]
    is_message: bool = False


def shape_tag(k: int) -> str:
    """The first element of the records of shape number ``k``."""
    return REC + chr(k)


def shape_number(v: tuple) -> int:
    return ord(v[0][1])


def record(k: int, values: Iterable[Any]) -> tuple:
    """A record of shape number ``k`` with its field values in shape order."""
    return (shape_tag(k), *values)


@dataclass
class Names:
    """Display tables: what node numbers and shape numbers stand for."""

    nodes: list[str] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    _shape_ids: dict[Shape, int] = field(default_factory=dict, repr=False)

    def node(self, display: str) -> str:
        """Number a new node (shown as ``display``); its value."""
        self.nodes.append(display)
        return node(len(self.nodes) - 1)

    def shape(self, shape: Shape) -> int:
        k = self._shape_ids.get(shape)
        if k is None:
            k = self._shape_ids[shape] = len(self.shapes)
            self.shapes.append(shape)
        return k

    def shape_of(self, v: tuple) -> Shape:
        return self.shapes[shape_number(v)]

    def node_name(self, v: str) -> str:
        return self.nodes[node_number(v)]

    # -- display ---------------------------------------------------------
    def show(self, v: Any) -> str:
        """A compact human-readable rendering, as used in traces."""
        t = type(v)
        if t is int:
            return str(v)
        if t is str:
            head = v[:1]
            if head == STR:
                return '"' + v[1:] + '"'
            if head == NODE and len(v) == 2:
                return self.node_name(v)
            if v == NONE:
                return "none"
            if v == TRUE:
                return "true"
            if v == FALSE:
                return "false"
            return repr(v)
        if t is not tuple:
            return repr(v)
        if is_set(v):
            return "{" + ", ".join(self.show(x) for x in v[1:]) + "}"
        if is_bag(v):
            return "bag{" + ", ".join(self.show(x) for x in v[1:]) + "}"
        if is_map(v):
            return "{" + ", ".join(f"{self.show(k)}: {self.show(x)}" for k, x in map_items(v)) + "}"
        if is_record(v):
            shape = self.shape_of(v)
            if shape.is_message:
                return self.show_message(v)
            if shape.name == "crc":  # a checksum (checker.faults); (): garbled
                return "crc(" + (", ".join(self.show(x) for x in v[1]) if v[1] else "garbled") + ")"
            return "(" + ", ".join(f"{f}: {self.show(x)}" for f, x in zip(shape.fields, v[1:])) + ")"
        return "[" + ", ".join(self.show(x) for x in v) + "]"

    def show_payload(self, m: tuple) -> str:
        """A message without its routing: ``Propose(t=1, cmd="c1")``."""
        shape = self.shape_of(m)
        args = ", ".join(f"{f}={self.show(x)}" for f, x in zip(shape.fields[2:], m[3:]))
        return f"{shape.name}({args})"

    def show_message(self, m: tuple) -> str:
        """``Client[0] -> Server[1] Propose(t=1, cmd="c1")``."""
        src = "env" if m[1] == NONE else self.show(m[1])
        dst = "*" if m[2] == NONE else self.show(m[2])
        return f"{src} -> {dst} {self.show_payload(m)}"

    def to_json(self, v: Any) -> Any:
        """A typed JSON encoding (ITF-like tags)."""
        t = type(v)
        if t is int:
            return v
        if t is str:
            if v[:1] == STR:
                return v[1:]
            if v[:1] == NODE and len(v) == 2:
                return {"#node": self.node_name(v)}
            if v == NONE:
                return None
            if v == TRUE or v == FALSE:
                return v == TRUE
        elif t is tuple:
            if is_set(v):
                return {"#set": [self.to_json(x) for x in v[1:]]}
            if is_bag(v):
                return {"#bag": [self.to_json(x) for x in v[1:]]}
            if is_map(v):
                return {"#map": [[self.to_json(k), self.to_json(x)] for k, x in map_items(v)]}
            if is_record(v):
                shape = self.shape_of(v)
                out: dict[str, Any] = {}
                if shape.is_message:
                    out["#msg"] = shape.name
                for f, x in zip(shape.fields, v[1:]):
                    out[f] = self.to_json(x)
                return out
            return [self.to_json(x) for x in v]
        raise TypeError(f"not a model value: {v!r}")
