"""What an expression is compiled against: value kinds and the context.

A *kind* ("int", "bool", "str", "node:Role", "node", "set", "seq", "map",
"rec", "msg", "bag", "none", "any") is the compiler's static view of a
value, used for type errors and to choose inline code over a helper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.dsl.resolve import RoleInfo
from checker.values import NODE_BASE, NONE, STR_BASE, VBag, VMap, VRec, VSet

ANY = "any"


def kind_of_value(v: Any) -> str:
    if type(v) is bool:
        return "bool"
    if type(v) is int:
        if v == NONE:
            return "none"
        if v >= NODE_BASE:
            return "node"
        return "str" if v >= STR_BASE else "int"
    if isinstance(v, VSet):
        return "set"
    if isinstance(v, VMap):
        return "map"
    if isinstance(v, VBag):
        return "bag"
    if isinstance(v, VRec):
        return "rec"
    if isinstance(v, tuple):
        return "seq"
    return ANY


def base_kind(k: str) -> str:
    return "node" if k.startswith("node") else k


def compatible(a: str, b: str) -> bool:
    """Whether values of kinds a and b may meet (compare, assign)."""
    a, b = base_kind(a), base_kind(b)
    return a == b or ANY in (a, b) or "none" in (a, b) or {a, b} <= {"rec", "msg"}


@dataclass
class Ctx:
    """Where an expression is compiled: the state variable holding the
    current state, the role (for ``self`` and own variables), locals."""

    src: str
    role: RoleInfo | None
    locals: dict[str, tuple[str, str]] = field(default_factory=dict)
    sender: str | None = None  # python expr of the current message's sender (for reply)
    in_global: bool = False
    expanding: tuple[str, ...] = ()

    def child(self, **changes: Any) -> "Ctx":
        c = Ctx(self.src, self.role, dict(self.locals), self.sender, self.in_global, self.expanding)
        for k, v in changes.items():
            setattr(c, k, v)
        return c


def _describe(kind: str) -> str:
    k = base_kind(kind)
    return {
        "int": "an int", "bool": "a boolean", "str": "a string", "node": "a node", "set": "a set",
        "seq": "a sequence", "map": "a map", "rec": "a record", "msg": "a message", "bag": "a bag",
        "none": "none", ANY: "a value",
    }.get(k, k)
