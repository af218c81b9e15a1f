"""Runs one `checker` command in this process on fuzzed input and says
whether it crashed.

A crash is what a user must never see: exit code 4 (an internal error),
a Python traceback, or a hang (no answer within `DEADLINE` seconds, though
every run is given small bounds). Any other outcome (a positioned error,
exit 2; a verdict, 0, 1 or 3) is a good answer to bad input.
"""

from __future__ import annotations

import contextlib
import io
import signal
from dataclasses import dataclass
from pathlib import Path

from checker.cli import main

#: seconds one command may take (each run is bounded far below this)
DEADLINE = 30.0
#: bounds given to every fuzzed search
BOUNDS = ("--max-states", "300", "--time-limit", "5", "--liveness-max-states", "3000", "--no-progress")


class Hang(Exception):
    """A command did not answer within `DEADLINE` seconds."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def crashed(self) -> bool:
        # (a spec's own text, quoted in an error message, may say "internal error")
        return self.code == 4 or "Traceback (most recent call last)" in self.err \
            or "checker: internal error:" in self.err

    def describe(self, argv: list[str]) -> str:
        return f"checker {' '.join(argv)} -> exit {self.code}\n{self.err[-3000:]}"


def _alarm(signum: int, frame: object) -> None:
    raise Hang(f"no answer within {DEADLINE:g} s")


def run_cli(argv: list[str]) -> Outcome:
    """``checker ARGV`` in this process, its output captured."""
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, DEADLINE)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(int(code), out.getvalue(), err.getvalue())


def check(argv: list[str]) -> Outcome:
    """Run ``checker ARGV`` and fail the test on a crash."""
    outcome = run_cli(argv)
    assert not outcome.crashed, outcome.describe(argv)
    return outcome


def write(directory: Path, name: str, data: bytes) -> str:
    path = directory / name
    path.write_bytes(data)
    return str(path)
