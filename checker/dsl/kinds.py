"""Value kinds: the static view of a value the type checker
(`checker.dsl.typecheck`) infers and the compiler reads to pick fast inline
code over a run-time helper.

A `Kind` is a `ValueKind`, for a node the role when it is known
(``node:Server``), for a message its name when known (after ``m is P1b``),
and whether the value may also be ``none`` (``nullable``: a variable that
starts as none and is later given ints). ``ANY`` is a value whose kind is
known only at run time.
The functions below give the kind of an expression from the kinds of its
parts; the type checker adds the errors, the compiler only the kinds, so
the two agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from checker.values import ValueKind

_ARTICLES = {
    ValueKind.INT: "an int", ValueKind.BOOL: "a boolean", ValueKind.STR: "a string", ValueKind.NODE: "a node",
    ValueKind.SET: "a set", ValueKind.SEQ: "a sequence", ValueKind.MAP: "a map", ValueKind.REC: "a record",
    ValueKind.MSG: "a message", ValueKind.BAG: "a bag", ValueKind.NONE: "none", ValueKind.ANY: "a value",
}


@dataclass(frozen=True)
class Kind:
    """A value kind; ``role`` names the role of a node when known, ``shape``
    the message when known; ``nullable``: the value may also be none.
    ``inferred``: learnt from the values a run gives (a variable that starts
    as none, a message field), not declared: it makes faster code but no
    static error (the value is checked where it is used)."""

    base: ValueKind
    role: str | None = None
    shape: str | None = None
    nullable: bool = False
    inferred: bool = False
    #: for a set, bag or sequence: the kind of its elements, when known
    elem: Kind | None = None

    def describe(self) -> str:
        """``an int``, ``a set``: for error messages."""
        return _ARTICLES[self.base]

    def is_(self, *bases: ValueKind) -> bool:
        return self.base in bases

    def sure(self, *bases: ValueKind) -> bool:
        """One of ``bases`` and never none: safe for an inline operation."""
        return self.base in bases and not self.nullable

    @property
    def known(self) -> bool:
        return self.base is not ValueKind.ANY

    def __str__(self) -> str:
        text = f"node:{self.role}" if self.base is ValueKind.NODE and self.role else str(self.base)
        return text + ("?" if self.nullable else "")


INT, BOOL, STR = Kind(ValueKind.INT), Kind(ValueKind.BOOL), Kind(ValueKind.STR)
NODE, SET, SEQ, MAP = Kind(ValueKind.NODE), Kind(ValueKind.SET), Kind(ValueKind.SEQ), Kind(ValueKind.MAP)
REC, MSG, BAG, NONE = Kind(ValueKind.REC), Kind(ValueKind.MSG), Kind(ValueKind.BAG), Kind(ValueKind.NONE)
ANY = Kind(ValueKind.ANY)

#: kinds that are not collections (no elements, no fields).
SCALARS = (ValueKind.INT, ValueKind.BOOL, ValueKind.STR, ValueKind.NONE, ValueKind.NODE)
#: collections Python iterates and tests membership in directly.
ITERABLE = (ValueKind.SET, ValueKind.SEQ, ValueKind.BAG)


def node_of(role: str) -> Kind:
    return Kind(ValueKind.NODE, role)


def collection(base: ValueKind, elem: Kind | None) -> Kind:
    """A set, bag or sequence whose elements are of kind ``elem``."""
    return Kind(base, elem=elem if elem is not None and elem.known else None)


def element_of(k: Kind) -> Kind:
    """The kind of an element of a collection of kind ``k``."""
    if k.elem is not None and k.is_(ValueKind.SET, ValueKind.BAG, ValueKind.SEQ):
        return k.elem if not k.inferred else replace(k.elem, inferred=True)
    return ANY


def joined_all(kinds: list[Kind]) -> Kind | None:
    """The join of ``kinds`` (None for none: an empty literal)."""
    out: Kind | None = None
    for k in kinds:
        out = k if out is None else joined(out, k)
    return out


def compatible(a: Kind, b: Kind) -> bool:
    """Whether values of kinds a and b may meet (be compared, assigned)."""
    x, y = a.base, b.base
    return (x == y or ValueKind.ANY in (x, y) or ValueKind.NONE in (x, y)
            or {x, y} <= {ValueKind.REC, ValueKind.MSG})


def joined(a: Kind, b: Kind) -> Kind:
    """The kind of a value that is either an a or a b (``if c then a else b``)."""
    if a == b:
        return a
    if a.base is ValueKind.NONE or b.base is ValueKind.NONE:
        other = b if a.base is ValueKind.NONE else a
        return replace(other, nullable=True) if other.known else ANY
    if a.base is b.base and a.known:
        elem = joined(a.elem, b.elem) if a.elem is not None and b.elem is not None else None
        return Kind(a.base, a.role if a.role == b.role else None, a.shape if a.shape == b.shape else None,
                    a.nullable or b.nullable, a.inferred or b.inferred, elem)
    if {a.base, b.base} <= {ValueKind.REC, ValueKind.MSG}:
        return Kind(ValueKind.REC, nullable=a.nullable or b.nullable)
    return ANY


def binary_kind(op: str, a: Kind, b: Kind) -> Kind:
    """The kind of ``a op b`` (an operator the type checker accepted)."""
    if op in ("and", "or", "=>", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "subset", "is"):
        return BOOL
    if op == "..":
        return collection(ValueKind.SET, INT)
    if op == "&":
        return collection(ValueKind.SET, a.elem) if a.is_(ValueKind.SET) else SET
    if op in ("*", "/", "%"):
        return INT
    # + and -
    if ValueKind.INT in (a.base, b.base):
        return INT
    if a.base is b.base and a.is_(ValueKind.SEQ, ValueKind.SET, ValueKind.BAG):
        elem = a.elem if op == "-" else (joined(a.elem, b.elem) if a.elem and b.elem else None)
        return collection(a.base, elem)  # a result is never none
    known = a if a.known else b
    return Kind(known.base) if known.known else ANY
