"""Z3 proofs of quorum obligations: intersection, availability, one side.

The input model is independent of the DSL (the DSL compiler builds it):

>>> from checker.proofs import Intersect, Threshold, parse_cond, prove
>>> majority = Threshold(parse_cond("size > N / 2"))
>>> prove(Intersect(("Majority", "Majority")), {"Majority": majority}).status
'proved'

- rules (`checker.proofs.rules`): `Threshold`, `Weighted`, `Explicit`,
  `AllOf`, `AnyOf`, `Restrict` over an expression AST (`Num`, `Var`,
  `BinOp`, `Compare`, `BoolOp`, `Not`); `is_quorum` evaluates one in Python.
- obligations (`checker.proofs.obligations`): `Intersect`, `Available`,
  `OneSide`, each with a scope `Concrete(n)`, `Range(lo, hi)` or `AllN()`.
- results (`checker.proofs.results`): `Proved` (with its domain), `Refuted`
  (with a re-checked `Witness`; the smallest N for ranges and all N),
  `Unknown` (with the reason).
- output: `checker.proofs.report` (table, JSON, JUnit cases).

Importing this package does not import z3; `prove` does, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from checker.proofs.obligations import (
    DEFAULT_TIMEOUT,
    AllN,
    Available,
    Concrete,
    Intersect,
    Obligation,
    OneSide,
    Quorum,
    Range,
    Scope,
    describe,
)
from checker.proofs.parse import RuleSyntaxError, parse_cond, parse_expr
from checker.proofs.results import ProofInputError, ProofResult, Proved, Refuted, Unknown, Witness, WitnessError
from checker.proofs.rules import (
    AllOf,
    AnyOf,
    BinOp,
    BoolOp,
    Compare,
    Cond,
    Explicit,
    Expr,
    Not,
    Num,
    Restrict,
    Rule,
    Threshold,
    Var,
    Weighted,
    is_quorum,
)

if TYPE_CHECKING:
    NodeNames = Sequence[str] | Callable[[int], str] | None


def prove(obligation: Obligation, quorums: Mapping[str, Quorum | Rule], *,
          timeout: float = DEFAULT_TIMEOUT, node_names: NodeNames = None) -> ProofResult:
    """Prove or refute ``obligation`` about the named ``quorums``.

    ``quorums`` maps each quorum name to its `Quorum` declaration (or a bare
    `Rule`, meaning ``Quorum(rule)``). ``timeout`` bounds the solver time of
    this obligation in seconds; running out gives `Unknown`. ``node_names``
    names node i in witnesses (a sequence, or a function of i; default
    ``s0, s1, ...``).

    Returns `Proved`, `Refuted` (its witness re-checked in plain Python) or
    `Unknown`. Raises `ProofInputError` (a `SpecError` carrying the
    obligation's span) for an obligation that cannot be posed, and
    `WitnessError` if a solver witness fails the re-check (a bug).
    """
    from checker.proofs import prover  # z3 is imported here, not at package import

    return prover.prove(obligation, quorums, timeout=timeout, node_names=node_names)


def prove_all(obligations: Sequence[Obligation], quorums: Mapping[str, Quorum | Rule], *,
              timeout: float = DEFAULT_TIMEOUT,
              node_names: NodeNames = None) -> list[ProofResult]:
    """`prove` each obligation in order (``timeout`` applies to each)."""
    return [prove(ob, quorums, timeout=timeout, node_names=node_names) for ob in obligations]


__all__ = [
    "DEFAULT_TIMEOUT", "AllN", "AllOf", "AnyOf", "Available", "BinOp", "BoolOp", "Compare",
    "Concrete", "Cond", "Explicit", "Expr", "Intersect", "Not", "Num", "Obligation", "OneSide",
    "ProofInputError", "ProofResult", "Proved", "Quorum", "Range", "Refuted", "Restrict", "Rule",
    "RuleSyntaxError", "Scope", "Threshold", "Unknown", "Var", "Weighted", "Witness",
    "WitnessError", "describe", "is_quorum", "parse_cond", "parse_expr", "prove", "prove_all",
]
