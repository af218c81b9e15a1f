"""Source spans and the error hierarchy.

Every error a user can cause is a `CheckerError`; the CLI prints its
`format()` and exits 2. Errors tied to a place in a file carry a `Span` and
show the offending line with a caret under it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A region of a source file; lines and columns are 1-based."""

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class CheckerError(Exception):
    """Base of every error caused by user input (exit code 2)."""

    def format(self) -> str:
        return str(self)


class UsageError(CheckerError):
    """A bad command-line option or argument; names the option."""


class SpecError(CheckerError):
    """A static error in a spec: syntax, unknown name, arity, type, ..."""

    def __init__(self, message: str, span: Span | None = None, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.source = source

    def with_source(self, source: str) -> SpecError:
        if self.source is None:
            self.source = source
        return self

    def format(self) -> str:
        if self.span is None:
            return f"error: {self.message}"
        head = f"{self.span}: error: {self.message}"
        if not self.source:
            return head
        lines = self.source.splitlines()
        if not 1 <= self.span.line <= len(lines):
            return head
        text = lines[self.span.line - 1].expandtabs(1)
        width = 1
        if self.span.end_line == self.span.line and self.span.end_col > self.span.col:
            width = self.span.end_col - self.span.col
        caret = " " * (self.span.col - 1) + "^" * max(1, min(width, len(text) - self.span.col + 1))
        return f"{head}\n    {text}\n    {caret}"

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span else self.message


class ModelError(CheckerError):
    """A run-time error while evaluating a model (e.g. a map lookup of a
    missing key, division by zero, an unbounded fault budget)."""

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.message = message
        self.span = span

    def format(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}error: {self.message}"


class TraceFileError(CheckerError):
    """A malformed or hand-edited trace or log file; names file and place."""
