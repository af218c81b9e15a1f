"""What may stop or pause a search besides its own outcome: the time
limit, Ctrl-C, the memory limit and the checkpoint timer.

The search asks `Control.poll` every few hundred expansions (never per
state); a stop takes effect between two expansions, where the search is
consistent and can be written as a checkpoint. The first Ctrl-C asks for
such a stop; a second one interrupts at once (Python's default).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, Iterator

from checker.options import SearchOptions


class Stop(StrEnum):
    """Why a search ended before exhausting its states (besides a bound)."""

    TIME = "time"
    INTERRUPT = "interrupt"
    MEMORY = "memory"


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes(pid: int | str = "self") -> int:
    """Resident memory of a process now (Linux /proc), or 0 if unknown."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


class Control:
    """The clock, the interrupt flag and the memory limit of one search."""

    def __init__(self, options: SearchOptions, prior_seconds: float = 0.0):
        self.options = options
        #: monotonic time at which the search (as if uninterrupted) began.
        self.start = time.monotonic() - prior_seconds
        #: the time limit counts from here (a resumed search gets it afresh).
        self.budget_start = time.monotonic()
        self.last_checkpoint = time.monotonic()
        self.interrupted = False
        self.reason = ""
        #: resident memory of other processes of this search (parallel workers).
        self.extra_memory = 0

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def poll(self) -> Stop | None:
        """A reason to stop now, or None (sets `reason` for the summary)."""
        o = self.options
        if self.interrupted:
            self.reason = "interrupted (Ctrl-C)"
            return Stop.INTERRUPT
        if o.time_limit is not None and time.monotonic() - self.budget_start >= o.time_limit:
            self.reason = f"time limit {o.time_limit:g}s reached"
            return Stop.TIME
        if o.memory_limit is not None:
            used = resident_bytes() + self.extra_memory
            if used >= o.memory_limit:
                self.reason = f"memory limit {format_size(o.memory_limit)} reached ({format_size(used)} resident)"
                return Stop.MEMORY
        return None

    def checkpoint_due(self) -> bool:
        o = self.options
        return bool(o.checkpoint) and time.monotonic() - self.last_checkpoint >= o.checkpoint_every

    def checkpoint_written(self) -> None:
        self.last_checkpoint = time.monotonic()

    @contextmanager
    def catching_interrupts(self) -> Iterator[None]:
        """Within: the first SIGINT sets `interrupted` (the search stops at
        its next poll); a second one raises KeyboardInterrupt as usual."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def first(signum: int, frame: Any) -> None:
            self.interrupted = True
            signal.signal(signal.SIGINT, signal.default_int_handler)

        previous = signal.signal(signal.SIGINT, first)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30, "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}


def parse_size(text: str) -> int:
    """``"4G"``, ``"512MB"``, ``"1.5GiB"``, ``"1000000"`` -> bytes (binary units).
    Raises ValueError with a message for anything else."""
    t = text.strip().upper().replace(" ", "")
    number = t.rstrip("BKMGTI")
    unit = t[len(number):]
    if unit not in _UNITS or not number:
        raise ValueError(f"expected a size such as 4G, 512M or 2000000000, not {text!r}")
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"expected a size such as 4G, 512M or 2000000000, not {text!r}") from None
    if not value > 0:
        raise ValueError("must be a positive size")
    return int(value * _UNITS[unit])


def format_size(n: int) -> str:
    for unit, size in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n}B"
