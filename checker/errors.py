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


#: a source line longer than this is shown clipped around the caret
EXCERPT_WIDTH = 100


def excerpt(source: str | None, span: Span) -> str:
    """The line of ``source`` that ``span`` starts on, with a caret line
    under the span (empty when there is no such line), each prefixed by a
    newline and indented. A long line is clipped to `EXCERPT_WIDTH`
    characters around the caret, the cut ends marked ``...``."""
    if not source:
        return ""
    lines = source.split("\n")  # as the parser counts lines
    if not 1 <= span.line <= len(lines):
        return ""
    # one character per column: a tab as one space, a control character as '?'
    text = "".join(" " if c == "\t" else "?" if ord(c) < 32 or ord(c) == 127 else c
                   for c in lines[span.line - 1].rstrip("\r"))
    col = max(1, min(span.col, len(text) + 1))
    width = span.end_col - span.col if span.end_line == span.line and span.end_col > span.col else 1
    width = max(1, min(width, len(text) - col + 1))
    start = 0
    if len(text) > EXCERPT_WIDTH:
        # keep a third of the window before the caret, the rest after it
        start = max(0, min(col - 1 - EXCERPT_WIDTH // 3, len(text) - EXCERPT_WIDTH))
        shown = text[start:start + EXCERPT_WIDTH]
        width = min(width, EXCERPT_WIDTH - (col - 1 - start))
        text = ("..." if start else "") + shown + ("..." if start + EXCERPT_WIDTH < len(text) else "")
        col = col - start + (3 if start else 0)
    caret = " " * (col - 1) + "^" * width
    return f"\n    {text}\n    {caret}"


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
        return f"{self.span}: error: {self.message}" + excerpt(self.source, self.span)

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span else self.message


class ModelError(CheckerError):
    """A run-time error while evaluating a model (e.g. a map lookup of a
    missing key, division by zero, an unbounded fault budget)."""

    def __init__(self, message: str, span: Span | None = None, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.source = source

    def format(self) -> str:
        if self.span is None:
            return f"error: {self.message}"
        return f"{self.span}: error: {self.message}" + excerpt(self.source, self.span)

    def located(self) -> str:
        """``file:line:col: message`` and the source line with a caret
        (the message alone when the place is not known): the text of an
        "evaluation error" verdict."""
        if self.span is None:
            return self.message
        return f"{self.span}: {self.message}" + excerpt(self.source, self.span)


class TraceFileError(CheckerError):
    """A malformed or hand-edited trace or log file; names file and place."""
