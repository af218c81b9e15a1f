"""Three-valued proof results and counterexample witnesses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.errors import SpecError
from checker.proofs.obligations import Obligation, describe


class ProofInputError(SpecError):
    """An obligation that cannot be posed: an unknown quorum name, a scope
    outside the quorums' domain, a malformed rule. A user error (exit 2)."""


class WitnessError(AssertionError):
    """Internal error: a solver witness failed the plain-Python re-check.
    Never caused by user input; it means a bug in an encoding."""


@dataclass(frozen=True)
class Witness:
    """A concrete counterexample: N nodes and labelled node sets.

    ``sets`` keeps the order the obligation gives them (Q1, Q2, ... or
    crashed/live or the sides of a partition); ``names[i]`` names node i.
    """

    n: int
    sets: tuple[tuple[str, frozenset[int]], ...]
    names: tuple[str, ...]
    note: str = ""

    def get(self, label: str) -> frozenset[int]:
        """The node set with this label."""
        return dict(self.sets)[label]

    def show(self, nodes: frozenset[int]) -> str:
        """A node set as text, e.g. ``{s0, s1}``."""
        return "{" + ", ".join(self.names[i] for i in sorted(nodes)) + "}"

    def format(self) -> str:
        """One line, e.g. ``N = 4, Q1 = {s0, s1}, Q2 = {s2, s3}``."""
        parts = [f"N = {self.n}"] + [f"{lab} = {self.show(s)}" for lab, s in self.sets]
        text = ", ".join(parts)
        return f"{text} ({self.note})" if self.note else text

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form: node sets as sorted lists of names."""
        return {
            "N": self.n,
            "sets": {lab: [self.names[i] for i in sorted(s)] for lab, s in self.sets},
            "note": self.note,
        }


@dataclass(frozen=True, kw_only=True)
class ProofResult:
    """Base of `Proved`, `Refuted` and `Unknown`.

    ``method`` says how it was decided (e.g. ``symbolic (Venn regions)`` or
    ``exact (N = 4)``); ``seconds`` is the wall time of the proof.
    """

    obligation: Obligation
    seconds: float
    method: str = ""

    status = "unknown"

    @property
    def name(self) -> str:
        """The obligation as text."""
        return describe(self.obligation)

    @property
    def ok(self) -> bool:
        """Whether the result is what the obligation expects (for CI)."""
        return self.status == self.obligation.expect

    def detail(self) -> str:
        """The domain, witness or reason, as one line."""
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "obligation": self.name, "status": self.status,
            "expect": self.obligation.expect, "ok": self.ok,
            "seconds": round(self.seconds, 6), "method": self.method,
        }


@dataclass(frozen=True, kw_only=True)
class Proved(ProofResult):
    """The claim holds for every N of ``domain`` (e.g. ``N >= 1``)."""

    domain: str
    status = "proved"

    def detail(self) -> str:
        return f"holds for {self.domain}"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "domain": self.domain}


@dataclass(frozen=True, kw_only=True)
class Refuted(ProofResult):
    """The claim fails; ``witness`` is re-checked without z3. For `AllN` and
    `Range` scopes its N is the smallest N at which the claim fails."""

    witness: Witness
    status = "refuted"

    def detail(self) -> str:
        return self.witness.format()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "witness": self.witness.to_json()}


@dataclass(frozen=True, kw_only=True)
class Unknown(ProofResult):
    """Undecided: ``reason`` says why (timeout, nonlinear rule, ...)."""

    reason: str
    status = "unknown"

    def detail(self) -> str:
        return self.reason

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "reason": self.reason}
