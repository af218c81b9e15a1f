"""Where an expression or statement is evaluated: the spec's tables, the
frame (the state being read or changed), the acting node, local names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.reference.state import Frame
from checker.reference.values import EvalError, Message, Node, Value

if TYPE_CHECKING:
    from checker.reference.spec import RefSpec, RoleTable

_MISSING = object()


class Scope:
    """Local names (parameters, ``let``, loop variables), innermost first;
    a block gets a child scope, so its ``let``s end with it."""

    __slots__ = ("names", "parent")

    def __init__(self, names: dict[str, Value] | None = None, parent: Scope | None = None):
        self.names = names if names is not None else {}
        self.parent = parent

    def lookup(self, name: str) -> Any:
        s: Scope | None = self
        while s is not None:
            v = s.names.get(name, _MISSING)
            if v is not _MISSING:
                return v
            s = s.parent
        return _MISSING

    def assign(self, name: str, value: Value) -> None:
        s: Scope | None = self
        while s is not None:
            if name in s.names:
                s.names[name] = value
                return
            s = s.parent
        raise KeyError(name)  # pragma: no cover - callers look the name up first

    def child(self, names: dict[str, Value] | None = None) -> Scope:
        return Scope(dict(names or {}), self)

    def copy(self) -> Scope:
        return Scope(dict(self.names), self.parent.copy() if self.parent is not None else None)


class Env:
    """Evaluation context. ``frame`` is None while constants are evaluated."""

    __slots__ = ("spec", "frame", "me", "role", "scope", "msg", "defs", "after")

    def __init__(self, spec: RefSpec, frame: Frame | None, me: Node | None = None,
                 role: RoleTable | None = None, scope: Scope | None = None, msg: Message | None = None):
        self.spec = spec
        self.frame = frame
        self.me = me
        self.role = role
        self.scope = scope if scope is not None else Scope()
        self.msg = msg  # the message being handled (reply, keep)
        self.defs: tuple[str, ...] = ()  # definitions being expanded
        self.after: Frame | None = None  # the state after a step (a step property's x')

    def with_scope(self, scope: Scope) -> Env:
        e = Env(self.spec, self.frame, self.me, self.role, scope, self.msg)
        e.defs, e.after = self.defs, self.after
        return e

    def primed(self) -> Env:
        """Where ``e'`` is evaluated: the state after the step."""
        if self.after is None:
            raise EvalError("a primed expression is only defined in a step property")
        e = self.with_scope(self.scope)
        e.frame, e.after = self.after, None
        return e

    def copy(self) -> Env:
        """An independent copy (frame and locals): one branch of a choose."""
        assert self.frame is not None
        e = Env(self.spec, self.frame.copy(), self.me, self.role, self.scope.copy(), self.msg)
        e.defs = self.defs
        return e


MISSING = _MISSING
