"""Progress lines for long searches.

The search calls a progress callback about every `INTERVAL` seconds (it
looks at the clock only every few thousand states, never per state) with a
`Progress` snapshot. `ProgressPrinter` writes one line per call to stderr,
staying silent during the first seconds so short runs print nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, TextIO

#: seconds between two progress callbacks.
INTERVAL = 2.0


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running search."""

    generated: int
    distinct: int
    queue: int
    depth: int
    seconds: float

    @property
    def states_per_second(self) -> float:
        return self.distinct / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


class ProgressPrinter:
    """A progress callback printing one line per call to ``stream``.

    Nothing is printed before ``quiet_seconds`` of search have passed.
    """

    def __init__(self, stream: TextIO | None = None, quiet_seconds: float = 3.0):
        self.stream = stream
        self.quiet_seconds = quiet_seconds
        self.lines = 0

    def __call__(self, p: Progress) -> None:
        if p.seconds < self.quiet_seconds:
            return
        stream = self.stream or sys.stderr  # looked up late: tests swap stderr
        stream.write(format_progress(p) + "\n")
        stream.flush()
        self.lines += 1


def format_progress(p: Progress) -> str:
    """``progress: 1,234,567 generated, 123,456 distinct, 2,345 queued, 30,123 states/s, depth 12 (41 s)``."""
    return (
        f"progress: {p.generated:,} generated, {p.distinct:,} distinct, {p.queue:,} queued, "
        f"{p.states_per_second:,.0f} states/s, depth {p.depth} ({p.seconds:.0f} s)"
    )
