"""What a search ends with, in one process or many: the figures and
violations the result is built from (`checker.explore.search.build_result`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from checker.explore.control import Stop
from checker.explore.sequential import SequentialSearch
from checker.explore.snapshot import Found


@dataclass
class Outcome:
    """What a search (in one process or many) ends with, for the result."""

    props: list[str]
    found: dict[str, Found]
    coverage: list[int]
    distinct: int
    depth: int
    queue: int
    reason: str
    stop: Stop | None
    assertion_cuts: int
    parent_of: Callable[[Any], Any]
    exact: bool
    workers: int = 1
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def of(search: SequentialSearch, workers: int = 1) -> Outcome:
        return Outcome(search.props, search.found, search.coverage, len(search.seen), search.depth, search.queue,
                       search.reason, search.stop, search.assertion_cuts, search.seen.__getitem__, search.exact,
                       workers)
