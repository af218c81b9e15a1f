"""The outcome of a search: verdicts, counterexample traces, stats, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Sequence

from checker.model import Expectation
from checker.trace import Trace

HOLDS = "holds"
VIOLATED = "violated"
UNKNOWN = "unknown"

EXIT_OK = 0
EXIT_VIOLATED = 1
EXIT_INCOMPLETE = 3


@dataclass
class Stats:
    """Figures of one search.

    ``max_depth`` counts steps from an initial state (an initial state has
    depth 0; TLC prints this number plus one). ``queue`` is the number of
    states still waiting to be expanded when the search ended.
    """

    distinct: int = 0
    generated: int = 0
    max_depth: int = 0
    seconds: float = 0.0
    queue: int = 0

    @property
    def states_per_second(self) -> float:
        """Distinct states per second of wall-clock search time."""
        return self.distinct / self.seconds if self.seconds > 0 else 0.0


class ExpectationOutcome(NamedTuple):
    """One `expect` line compared with what the search found."""

    expectation: Expectation
    met: bool
    actual: str  # "holds", "violated" or "unknown"


@dataclass
class CheckResult:
    """What `explore` found.

    ``verdicts`` maps every property of the model (in `Model.properties`
    order) to "holds", "violated", or "unknown" (the search was incomplete
    and did not violate it). ``traces`` holds one shortest (under BFS)
    counterexample per violated property. ``complete`` is False when a bound,
    the time limit, or an early stop cut the search; ``reason`` says which.
    """

    model_name: str
    strategy: str
    verdicts: dict[str, str]
    traces: dict[str, Trace]
    stats: Stats
    coverage: dict[str, int]
    complete: bool = True
    reason: str = ""
    #: states whose remaining steps were not generated because a step
    #: assertion failed part-way through their successors.
    assertion_cuts: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 if a property is violated, else 3 if incomplete, else 0."""
        if any(v == VIOLATED for v in self.verdicts.values()):
            return EXIT_VIOLATED
        if not self.complete:
            return EXIT_INCOMPLETE
        return EXIT_OK

    @property
    def violated(self) -> list[str]:
        """Violated properties, in `Model.properties` order."""
        return [p for p, v in self.verdicts.items() if v == VIOLATED]

    @property
    def never_fired(self) -> list[str]:
        """Action kinds that never fired (usually a modelling bug)."""
        return [name for name, count in self.coverage.items() if count == 0]

    def compare_expectations(self, expectations: Sequence[Expectation]) -> list[ExpectationOutcome]:
        """Each expectation with whether the search met it and the actual
        verdict. A property the model does not have is "unknown" (unmet)."""
        out = []
        for exp in expectations:
            actual = self.verdicts.get(exp.prop, UNKNOWN)
            out.append(ExpectationOutcome(exp, actual == exp.verdict, actual))
        return out
