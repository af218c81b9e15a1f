"""The outcome of a search: verdicts, counterexample traces, stats, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Sequence

from checker.exitcode import ExitCode
from checker.model import Expectation, Verdict
from checker.options import Strategy
from checker.trace import Trace

HOLDS, VIOLATED, UNKNOWN = Verdict.HOLDS, Verdict.VIOLATED, Verdict.UNKNOWN


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
    #: with fingerprints: TLC's optimistic estimate of the probability that
    #: two distinct states shared one (None with exact states).
    collision: float | None = None
    #: processes that explored states (1: the search never spread).
    workers: int = 1

    @property
    def states_per_second(self) -> float:
        """Distinct states per second of wall-clock search time."""
        return self.distinct / self.seconds if self.seconds > 0 else 0.0


class ExpectationOutcome(NamedTuple):
    """One `expect` line compared with what the search found."""

    expectation: Expectation
    met: bool
    actual: Verdict


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
    strategy: Strategy
    verdicts: dict[str, Verdict]
    traces: dict[str, Trace]
    stats: Stats
    coverage: dict[str, int]
    complete: bool = True
    reason: str = ""
    #: states whose remaining steps were not generated because a step
    #: assertion failed part-way through their successors.
    assertion_cuts: int = 0
    notes: list[str] = field(default_factory=list)
    #: stopped by Ctrl-C (the result so far).
    interrupted: bool = False
    #: stopped by the memory limit (the result so far).
    out_of_memory: bool = False
    #: the message of an evaluation error that ended the search (its verdict
    #: is "evaluation error", its trace under that name when a state was reached)
    error: str = ""

    @property
    def exit_code(self) -> ExitCode:
        """FAILED if a property is violated (an evaluation error too), else INTERRUPTED after Ctrl-C,
        else INCOMPLETE if a bound or limit cut the search, else OK."""
        if any(v == VIOLATED for v in self.verdicts.values()):
            return ExitCode.FAILED
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if not self.complete:
            return ExitCode.INCOMPLETE
        return ExitCode.OK

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

    def to_json(self, expectations: Sequence[Expectation] = ()) -> dict[str, Any]:
        """The result as JSON data (``checker run --json``)."""
        return {
            "spec": self.model_name,
            "verdicts": {p: str(v) for p, v in self.verdicts.items()},
            "complete": self.complete,
            "reason": self.reason,
            "stats": {"distinct": self.stats.distinct, "generated": self.stats.generated,
                      "depth": self.stats.max_depth, "seconds": round(self.stats.seconds, 3),
                      "queue": self.stats.queue, "workers": self.stats.workers,
                      "fingerprint_collision_probability": self.stats.collision},
            "coverage": self.coverage,
            "expectations": [
                {"property": o.expectation.prop, "expected": str(o.expectation.verdict), "actual": str(o.actual),
                 "met": o.met}
                for o in self.compare_expectations(expectations)
            ],
            "traces": {prop: len(t) for prop, t in self.traces.items()},
            "error": self.error or None,
            "exit_code": int(self.exit_code),
        }
