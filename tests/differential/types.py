"""The small type system of the spec generator (`tests.differential.generate`).

A type is a tuple: ("int",), ("bool",), ("str",), ("opt",) (an int or
none), ("rec",) (a record ``(a: int, b: bool)``), ("crc",) (a checksum),
("node", R), ("set", T), ("seq", T), ("map", K, V). Every type has a
literal (for initial values and fallbacks) and a bound: a predicate that
keeps the values of a variable of that type finite, so the generated
`constraint` makes every state space finite.
"""

from __future__ import annotations

Type = tuple

INT, BOOL, STR, OPT, REC, CRC = ("int",), ("bool",), ("str",), ("opt",), ("rec",), ("crc",)
STRINGS = ('"a"', '"b"', '"c"')
#: every int the constraint lets a variable, a field or an element hold
LO, HI = -1, 2


def node(role: str) -> Type:
    return ("node", role)


def set_of(t: Type) -> Type:
    return ("set", t)


def seq_of(t: Type) -> Type:
    return ("seq", t)


def map_of(k: Type, v: Type) -> Type:
    return ("map", k, v)


def is_collection(t: Type) -> bool:
    return t[0] in ("set", "seq", "map")


def element(t: Type) -> Type:
    """What iterating over a collection gives (a map: its keys)."""
    return t[1]


def literal(t: Type, roles: dict[str, int]) -> str:
    k = t[0]
    if k == "int":
        return "0"
    if k == "bool":
        return "false"
    if k == "str":
        return STRINGS[0]
    if k == "opt":
        return "none"
    if k == "rec":
        return "(a: 0, b: false)"
    if k == "crc":
        return "checksum(0)"
    if k == "node":
        return f"{t[1]}[0]"
    if k == "set":
        return "{}"
    if k == "seq":
        return "[]"
    return "{:}"


def bound(t: Type, v: str, fresh: Fresh) -> str | None:
    """A predicate on ``v`` keeping it finite, or None when it is already."""
    k = t[0]
    if k == "int":
        return f"({LO} <= {v} and {v} <= {HI})"
    if k == "opt":
        return f"({v} == none or ({LO} <= {v} and {v} <= {HI}))"
    if k == "rec":
        return f"({LO} <= {v}.a and {v}.a <= {HI})"
    if k in ("set", "seq"):
        x = fresh("e")
        inner = bound(t[1], x, fresh)
        size = f"size({v}) <= 2"
        return f"({size} and (forall {x} in {v}: {inner}))" if inner else f"({size})"
    if k == "map":
        x = fresh("k")
        parts = [f"size({v}) <= 2"]
        kb, vb = bound(t[1], x, fresh), bound(t[2], f"{v}[{x}]", fresh)
        if kb or vb:
            parts.append(f"(forall {x} in keys({v}): {' and '.join(p for p in (kb, vb) if p)})")
        return "(" + " and ".join(parts) + ")"
    return None


class Fresh:
    """Unique local names (q0, q1, ...) so no binder shadows another."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, base: str = "q") -> str:
        self.n += 1
        return f"{base}{self.n}"
