"""The exploration engine: sees only `checker.model.Model`, never the DSL."""

from checker.explore.progress import Progress, ProgressPrinter
from checker.explore.result import CheckResult, ExpectationOutcome, Stats
from checker.explore.search import explore

__all__ = ["CheckResult", "ExpectationOutcome", "Progress", "ProgressPrinter", "Stats", "explore"]
