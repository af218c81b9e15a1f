"""The run-time check of an assignment whose value the type checker could
not prove to be of its target's kind (`checker.dsl.typecheck`: e.g. a value
taken from a set of ints and booleans, assigned to a variable that starts
as an int). Code reading the target trusts its kind, so a value of another
kind is an evaluation error at the assignment, as the static error would
have been."""

from __future__ import annotations

from typing import Any

from checker.compile.runtime import EvalError
from checker.dsl.kinds import Kind
from checker.dsl.resolve import ResolvedSpec
from checker.values import KIND_PHRASES, ValueKind, elements, is_node, kind_of, node_number, shape_tag


class AssignmentCheck:
    """``check(value, kind, target)``: ``value`` if it is of ``kind``, else
    an `EvalError` naming ``target`` (as the spec writes it)."""

    def __init__(self, r: ResolvedSpec):
        self.node_roles = [role.name for role in r.node_roles]
        self.message_tags = {name: shape_tag(m.shape) for name, m in r.messages.items()}

    def __call__(self, v: Any, kind: Kind, target: str) -> Any:
        if not self.fits(v, kind):
            holds = kind.describe() + (f" of role {kind.role}" if kind.role else "") \
                + (f" ({kind.shape})" if kind.shape else "")
            raise EvalError(f"cannot assign {{0}} ({KIND_PHRASES[kind_of(v)]}) to '{target}', which holds {holds}", v)
        return v

    def fits(self, v: Any, kind: Kind) -> bool:
        base = kind_of(v)
        if base is ValueKind.NONE:  # any variable may hold none (as in the reference interpreter)
            return True
        if kind.base in (ValueKind.REC, ValueKind.MSG):
            if base is not ValueKind.REC:
                return False
            return kind.shape is None or v[0] == self.message_tags[kind.shape]
        if base is not kind.base:
            return False
        if kind.role is not None and is_node(v):
            return node_number(v) < len(self.node_roles) and self.node_roles[node_number(v)] == kind.role
        if kind.elem is not None:
            items = v if base is ValueKind.SEQ else elements(v)
            return all(self.fits(x, kind.elem) for x in items)
        return True

