"""Proof obligations about quorums, and the node counts they range over.

Obligations name quorums; `prove` looks the names up in a mapping of
`Quorum` declarations (or bare rules). All quorums of one obligation are
quorums of the same role: N is that role's node count.

Semantics (with "S holds a quorum" meaning some subset of S is a quorum,
which for the usual upward-closed rules is "S is a quorum"):

- `Intersect(("A", "B", ...))`: any quorums Q1 of A, Q2 of B, ... share at
  least one node (all of them in common). Two names: classic intersection;
  three: e.g. fast Paxos ``intersect(Fast, Fast, Classic)``.
- `Available("A", crashes=F)`: whichever F nodes crash (any set of at most
  F(N) nodes), the live nodes hold a quorum of A.
- `OneSide("A")`: of any partition of the nodes into two sides, at most one
  side holds a quorum of A.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.errors import Span
from checker.proofs.rules import Expr, Rule, format_expr

# Seconds of solver time one obligation may use (all its solver calls).
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Concrete:
    """Exactly N = n nodes."""

    n: int

    def __str__(self) -> str:
        return f"N = {self.n}"


@dataclass(frozen=True)
class Range:
    """Every N with lo <= N <= hi."""

    lo: int
    hi: int

    def __str__(self) -> str:
        return f"N in {self.lo}..{self.hi}"


@dataclass(frozen=True)
class AllN:
    """Every N >= 1 (or the quorums' declared minimum)."""

    def __str__(self) -> str:
        return "for all N"


Scope = Concrete | Range | AllN


@dataclass(frozen=True)
class Quorum:
    """A declared quorum: its rule, and the least N it is meant for.

    ``min_n`` is the declared minimum node count (``1`` if none): proofs
    over `AllN` or a `Range` cover only N >= min_n. ``role`` is informative
    (all quorums of one obligation must share it).
    """

    rule: Rule
    min_n: int = 1
    role: str = ""


@dataclass(frozen=True)
class Intersect:
    """Any quorums of the named quorum declarations have a common node."""

    quorums: tuple[str, ...]
    scope: Scope = AllN()
    expect: str = "proved"  # "proved" or "refuted": what CI must see
    label: str = ""  # a name for reports; default: `describe`
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Available:
    """Some quorum of ``quorum`` survives any ``crashes`` (an expression of
    N, e.g. ``(N - 1) / 2``) crashed nodes."""

    quorum: str
    crashes: Expr
    scope: Scope = AllN()
    expect: str = "proved"
    label: str = ""
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OneSide:
    """Of any two-sided partition, at most one side holds a quorum."""

    quorum: str
    scope: Scope = AllN()
    expect: str = "proved"
    label: str = ""
    span: Span | None = field(default=None, compare=False)


Obligation = Intersect | Available | OneSide


def quorum_names(ob: Obligation) -> tuple[str, ...]:
    """The quorum names an obligation mentions, in order (with repeats)."""
    if isinstance(ob, Intersect):
        return ob.quorums
    return (ob.quorum,)


def describe(ob: Obligation) -> str:
    """The obligation as text, e.g. ``intersect(Majority, Majority) for all N``."""
    if ob.label:
        return ob.label
    if isinstance(ob, Intersect):
        head = f"intersect({', '.join(ob.quorums)})"
    elif isinstance(ob, Available):
        head = f"available({ob.quorum}, crashes = {format_expr(ob.crashes)})"
    else:
        head = f"one_side({ob.quorum})"
    scope = ob.scope
    return f"{head} for all N" if isinstance(scope, AllN) else f"{head} for {scope}"
