"""The DSL's abstract syntax: frozen dataclasses, each with a source span.

Spans are excluded from equality so that ``parse(pretty(ast)) == ast``
compares structure only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from checker.errors import Span
from checker.model import Fairness, Temporal

NOSPAN = Span("<none>", 0, 0)


def _span() -> Span:
    return field(default=NOSPAN, compare=False, repr=False)


# ---- expressions ------------------------------------------------------------

@dataclass(frozen=True)
class Expr:
    pass


@dataclass(frozen=True)
class IntLit(Expr):
    value: int
    span: Span = _span()


@dataclass(frozen=True)
class StrLit(Expr):
    value: str
    span: Span = _span()


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool
    span: Span = _span()


@dataclass(frozen=True)
class NoneLit(Expr):
    span: Span = _span()


@dataclass(frozen=True)
class SelfRef(Expr):
    span: Span = _span()


@dataclass(frozen=True)
class Name(Expr):
    id: str
    span: Span = _span()


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-" or "not"
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Binary(Expr):
    """Arithmetic, boolean, set and comparison operators.

    op in: + - * / % & and or => == != < <= > >= in "not in" subset is ..
    """

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Index(Expr):
    base: Expr
    index: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Slice(Expr):
    base: Expr
    lo: Expr | None
    hi: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class Field(Expr):
    base: Expr
    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Arg:
    name: str | None  # None for a positional argument
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Call(Expr):
    """A builtin or `def` call, a message constructor, or `Role[i]`-free
    function application; the resolver decides which."""

    func: str
    args: tuple[Arg, ...]
    span: Span = _span()


@dataclass(frozen=True)
class TupleLit(Expr):
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class SeqLit(Expr):
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class SetLit(Expr):
    items: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True)
class MapLit(Expr):
    items: tuple[tuple[Expr, Expr], ...]
    span: Span = _span()


@dataclass(frozen=True)
class RecordLit(Expr):
    fields: tuple[tuple[str, Expr], ...]
    span: Span = _span()


@dataclass(frozen=True)
class CompFor:
    names: tuple[str, ...]
    source: Expr
    span: Span = _span()


@dataclass(frozen=True)
class CompIf:
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Comprehension(Expr):
    kind: str  # "set", "seq" or "map"
    element: Expr  # for maps: the key
    value: Expr | None  # for maps: the value
    clauses: tuple[CompFor | CompIf, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Binder:
    names: tuple[str, ...]
    domain: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Quantifier(Expr):
    kind: str  # "forall" or "exists"
    binders: tuple[Binder, ...]
    body: Expr
    span: Span = _span()


@dataclass(frozen=True)
class CondExpr(Expr):
    cond: Expr
    then: Expr
    orelse: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Primed(Expr):
    """``e'``: ``e`` evaluated in the state after a step (only in a step
    property)."""

    expr: Expr
    span: Span = _span()


@dataclass(frozen=True)
class FuncSet(Expr):
    """``[S -> T]``: the set of every map whose keys are S and whose values
    are in T (TLA+'s function set)."""

    domain: Expr
    codomain: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ChooseExpr(Expr):
    """``choose x in S: p`` — the least element of S satisfying p."""

    name: str
    domain: Expr
    cond: Expr
    span: Span = _span()


# ---- statements -------------------------------------------------------------

@dataclass(frozen=True)
class Stmt:
    pass


@dataclass(frozen=True)
class LValue:
    """``name``, ``name[k]``, ``name.f``, ... ; accessors are Expr (index)
    or str (field)."""

    name: str
    accessors: tuple[Expr | str, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Assign(Stmt):
    target: LValue
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class If(Stmt):
    cond: Expr
    then: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]
    span: Span = _span()


@dataclass(frozen=True)
class For(Stmt):
    names: tuple[str, ...]
    source: Expr
    body: tuple[Stmt, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Let(Stmt):
    name: str
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Send(Stmt):
    """kind: "send" (to one node, a set of nodes, or anyone when ``to`` is
    None), "broadcast" (to every node of a role or set), "reply"."""

    kind: str
    message: Call
    to: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class Assert(Stmt):
    name: str | None
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Choose(Stmt):
    """Nondeterministic choice: the rest of the block runs once per element."""

    name: str
    domain: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Skip(Stmt):
    span: Span = _span()


@dataclass(frozen=True)
class NetOp(Stmt):
    """A network step written in the spec (TLA+'s bag operations):
    ``keep`` leaves the message being handled in the network (UNCHANGED
    messages); ``resend m`` adds one more copy of message ``m``;
    ``discard m`` removes one copy of ``m`` from the network."""

    kind: str  # "keep", "resend" or "discard"
    message: Expr | None  # None for keep
    span: Span = _span()


# ---- declarations -----------------------------------------------------------

@dataclass(frozen=True)
class Param:
    name: str
    domain: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ConstDecl:
    name: str
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class NetworkDecl:
    kind: str
    span: Span = _span()


@dataclass(frozen=True)
class FaultBound:
    kind: str  # loss, duplicate, ...
    target: str | None  # a role name for node faults (crash Server <= 1)
    bound: Expr
    span: Span = _span()


@dataclass(frozen=True)
class FaultsDecl:
    bounds: tuple[FaultBound, ...]
    span: Span = _span()


@dataclass(frozen=True)
class MessageDecl:
    name: str
    fields: tuple[str, ...]
    span: Span = _span()
    #: per field, the domain a corruption draws from (``f in D``), or None;
    #: empty when no field declares one.
    domains: tuple[Expr | None, ...] = ()


@dataclass(frozen=True)
class VarDecl:
    """``var x = e`` (``init``) or ``var x in S`` (``domain``: every element
    of S is an initial value); exactly one of the two is set."""

    name: str
    init: Expr | None
    persistent: bool = False
    span: Span = _span()
    domain: Expr | None = None


@dataclass(frozen=True)
class FairnessDecl:
    """``unfair``, ``fair`` or ``strong fair`` before a handler, action or
    timer; ``per``: the parameters whose every value has a class of its own."""

    kind: Fairness
    per: tuple[str, ...] = ()
    span: Span = _span()


@dataclass(frozen=True)
class Handler:
    message: str
    params: tuple[str, ...]
    sender: str | None
    guard: Expr | None
    body: tuple[Stmt, ...]
    span: Span = _span()
    fairness: FairnessDecl | None = None  # None: fair (weak)


@dataclass(frozen=True)
class ActionDecl:
    """An internal action (inside a role), a global action, or a timer
    (``kind == "timeout"``)."""

    name: str
    params: tuple[Param, ...]
    guard: Expr | None
    body: tuple[Stmt, ...]
    kind: str = "action"
    span: Span = _span()
    fairness: FairnessDecl | None = None  # None: fair (weak)


@dataclass(frozen=True)
class InitDecl:
    body: tuple[Stmt, ...]
    span: Span = _span()


@dataclass(frozen=True)
class RestartDecl:
    body: tuple[Stmt, ...]
    span: Span = _span()


@dataclass(frozen=True)
class PersistentDecl:
    """``persistent x, y`` inside a role: variables that survive a crash."""

    names: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True)
class PropertyDecl:
    """A liveness property for every binding of ``params``: ``eventually
    p``, ``p leadsto q``, ``always eventually p``, ``eventually always p``
    (q is only set for leadsto)."""

    name: str
    params: tuple[Param, ...]
    kind: Temporal
    p: Expr
    q: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class StepPropertyDecl:
    """``step property P(x in S): cond``: ``cond`` (which reads the state
    after the step through primes) holds for every binding of ``params``
    in every step that changes the state."""

    name: str
    params: tuple[Param, ...]
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class InitWhenDecl:
    """``init when cond``: only the initial states where ``cond`` holds."""

    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class RoleDecl:
    name: str
    count: Expr | None
    items: tuple[object, ...]  # VarDecl | Handler | ActionDecl | InitDecl | RestartDecl
    span: Span = _span()


@dataclass(frozen=True)
class DefDecl:
    name: str
    params: tuple[str, ...]
    body: Expr
    span: Span = _span()


@dataclass(frozen=True)
class InvariantDecl:
    name: str
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ConstraintDecl:
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class TerminalDecl:
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ExpectDecl:
    verdict: str  # "violation" or "holds"
    prop: str
    span: Span = _span()


@dataclass(frozen=True)
class MaxDepthDecl:
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class SymmetricDecl:
    roles: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Spec:
    name: str
    decls: tuple[object, ...]
    file: str = field(default="<spec>", compare=False)
    source: str = field(default="", compare=False, repr=False)
    span: Span = _span()


_NOT_CHILDREN = ("span",)  # a str field (a comprehension's source is a node) is no node anyway


def walk(node: object) -> Iterator[object]:
    """Every AST node under ``node`` (itself included; tuples of nodes are
    looked through), parents before children, in source order."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(reversed(x))
        elif hasattr(x, "__dataclass_fields__"):
            yield x
            stack.extend(reversed([getattr(x, f) for f in x.__dataclass_fields__ if f not in _NOT_CHILDREN]))
