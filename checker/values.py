"""Immutable model values and how they are shown.

A state is a plain tuple of values; every value is built from ints and
tuples only, so hashing and ordering are deterministic in every process
(Python salts only str/bytes hashes). The encoding:

- ints and bools are themselves;
- strings/atoms are interned at compile time as ``STR_BASE + k``;
- nodes (``Server[1]``) are ``NODE_BASE + k`` (k = global node index);
- ``none`` is the int ``NONE``;
- sequences and tuples are plain tuples;
- sets are `VSet`: a sorted tuple without repeats;
- multisets (bags, e.g. an unordered network) are `VBag`: a sorted tuple;
- maps are `VMap`: a tuple of (key, value) pairs sorted by key;
- records and messages are `VRec`: ``(shape, field values...)`` where
  ``shape`` indexes `Names.shapes` (for messages the first two fields are
  the hidden ``src`` and ``dst``).

The tuple subclasses carry no extra memory (``__slots__ = ()``); they exist
so a value can be shown and serialised without static type information.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

STR_BASE = 1 << 48
NODE_BASE = 1 << 52
NONE = 1 << 56


class VSet(tuple):
    """A finite set: sorted, without repeats."""

    __slots__ = ()


class VBag(tuple):
    """A finite multiset: sorted, repeats allowed."""

    __slots__ = ()


class VMap(tuple):
    """A finite map: (key, value) pairs sorted by key."""

    __slots__ = ()


class VRec(tuple):
    """A record or message: (shape id, values in the shape's field order)."""

    __slots__ = ()


EMPTY_SET = VSet()
EMPTY_MAP = VMap()
EMPTY_BAG = VBag()


def make_set(items: Iterable[Any]) -> VSet:
    return VSet(sorted(set(items)))


def make_bag(items: Iterable[Any]) -> VBag:
    return VBag(sorted(items))


def make_map(pairs: Iterable[tuple[Any, Any]]) -> VMap:
    return VMap(sorted(dict(pairs).items()))


def map_get(m: VMap, key: Any, default: Any = None) -> Any:
    for k, v in m:
        if k == key:
            return v
    return default


def map_put(m: VMap, key: Any, value: Any) -> VMap:
    d = dict(m)
    d[key] = value
    return VMap(sorted(d.items()))


@dataclass(frozen=True)
class Shape:
    """A record or message layout. Message shapes start with src, dst."""

    name: str  # message name, or "" for an anonymous record
    fields: tuple[str, ...]
    is_message: bool = False


@dataclass
class Names:
    """Display tables: what the interned ints and shape ids stand for."""

    strings: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    _string_ids: dict[str, int] = field(default_factory=dict, repr=False)
    _shape_ids: dict[Shape, int] = field(default_factory=dict, repr=False)

    def intern(self, text: str) -> int:
        k = self._string_ids.get(text)
        if k is None:
            k = self._string_ids[text] = len(self.strings)
            self.strings.append(text)
        return STR_BASE + k

    def node(self, display: str) -> int:
        self.nodes.append(display)
        return NODE_BASE + len(self.nodes) - 1

    def shape(self, shape: Shape) -> int:
        k = self._shape_ids.get(shape)
        if k is None:
            k = self._shape_ids[shape] = len(self.shapes)
            self.shapes.append(shape)
        return k

    # -- classification -------------------------------------------------
    @staticmethod
    def is_string(v: Any) -> bool:
        return type(v) is int and STR_BASE <= v < NODE_BASE

    @staticmethod
    def is_node(v: Any) -> bool:
        return type(v) is int and NODE_BASE <= v < NONE

    def string_of(self, v: int) -> str:
        return self.strings[v - STR_BASE]

    def node_name(self, v: int) -> str:
        return self.nodes[v - NODE_BASE]

    # -- display ---------------------------------------------------------
    def show(self, v: Any) -> str:
        """A compact human-readable rendering, as used in traces."""
        if v is True:
            return "true"
        if v is False:
            return "false"
        if type(v) is int:
            if v == NONE:
                return "none"
            if STR_BASE <= v < NODE_BASE:
                return '"' + self.strings[v - STR_BASE] + '"'
            if NODE_BASE <= v < NONE:
                return self.nodes[v - NODE_BASE]
            return str(v)
        if isinstance(v, VSet):
            return "{" + ", ".join(self.show(x) for x in v) + "}"
        if isinstance(v, VBag):
            return "bag{" + ", ".join(self.show(x) for x in v) + "}"
        if isinstance(v, VMap):
            return "{" + ", ".join(f"{self.show(k)}: {self.show(x)}" for k, x in v) + "}"
        if isinstance(v, VRec):
            shape = self.shapes[v[0]]
            if shape.is_message:
                return self.show_message(v)
            if shape.name == "crc":  # a checksum (checker.compile.faults); (): garbled
                return "crc(" + (", ".join(self.show(x) for x in v[1]) if v[1] else "garbled") + ")"
            return "(" + ", ".join(f"{f}: {self.show(x)}" for f, x in zip(shape.fields, v[1:])) + ")"
        if isinstance(v, tuple):
            return "[" + ", ".join(self.show(x) for x in v) + "]"
        if v is None:
            return "none"
        return repr(v)

    def show_payload(self, m: VRec) -> str:
        """A message without its routing: ``Propose(t=1, cmd="c1")``."""
        shape = self.shapes[m[0]]
        args = ", ".join(f"{f}={self.show(x)}" for f, x in zip(shape.fields[2:], m[3:]))
        return f"{shape.name}({args})"

    def show_message(self, m: VRec) -> str:
        """``Client[0] -> Server[1] Propose(t=1, cmd="c1")``."""
        src = "env" if m[1] == NONE else self.show(m[1])
        dst = "*" if m[2] == NONE else self.show(m[2])
        return f"{src} -> {dst} {self.show_payload(m)}"

    def to_json(self, v: Any) -> Any:
        """A typed JSON encoding (ITF-like tags) that `from_json` inverts."""
        if v is True or v is False:
            return v
        if type(v) is int:
            if v == NONE:
                return None
            if STR_BASE <= v < NODE_BASE:
                return self.strings[v - STR_BASE]
            if NODE_BASE <= v < NONE:
                return {"#node": self.nodes[v - NODE_BASE]}
            return v
        if isinstance(v, VSet):
            return {"#set": [self.to_json(x) for x in v]}
        if isinstance(v, VBag):
            return {"#bag": [self.to_json(x) for x in v]}
        if isinstance(v, VMap):
            return {"#map": [[self.to_json(k), self.to_json(x)] for k, x in v]}
        if isinstance(v, VRec):
            shape = self.shapes[v[0]]
            out: dict[str, Any] = {}
            if shape.is_message:
                out["#msg"] = shape.name
            for f, x in zip(shape.fields, v[1:]):
                out[f] = self.to_json(x)
            return out
        if isinstance(v, tuple):
            return [self.to_json(x) for x in v]
        if v is None:
            return None
        raise TypeError(f"not a model value: {v!r}")
