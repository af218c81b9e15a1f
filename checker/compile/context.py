"""What generated code is written into (`Code`) and what an expression is
compiled against (`Ctx`).

Generated functions use a few fixed local names, documented here once:
``s`` the state being read (a tuple), ``st`` the next state being built (a
list copy of ``s``), ``out`` the messages the step sends, ``res`` the
finished next states, ``me`` the acting node and ``_i`` its index in its
role, ``m`` the message being handled.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from checker.dsl.exprcheck import Path
from checker.dsl.resolve import RoleInfo
from checker.errors import Span
from checker.faults import Fault
from checker.model import StepKind


class Code:
    """Lines of generated Python, with the current indentation, and the
    place in the spec each line was compiled from (`where`, set by the
    compilers), so that a run-time error names it (`span_at`)."""

    def __init__(self, level: int = 0):
        self.lines: list[str] = []
        self.level = level
        #: the spec's construct being compiled; recorded for each line written
        self.where: Span | None = None
        self.spans: dict[int, Span] = {}

    def line(self, *texts: str) -> None:
        pad = "    " * self.level
        if self.where is not None:
            for k in range(len(self.lines), len(self.lines) + len(texts)):
                self.spans[k] = self.where
        self.lines.extend(pad + t for t in texts)

    @contextmanager
    def at(self, node: object) -> Iterator[None]:
        """Lines written inside the ``with`` come from ``node`` (an AST node
        or its span; None: where the lines before came from)."""
        span = node if isinstance(node, Span) else getattr(node, "span", None)
        before, self.where = self.where, span if span is not None else self.where
        try:
            yield
        finally:
            self.where = before

    def span_at(self, lineno: int) -> Span | None:
        """The place in the spec of generated line ``lineno`` (1-based)."""
        return self.spans.get(lineno - 1)

    @contextmanager
    def block(self, header: str | None = None) -> Iterator[None]:
        """``header`` (e.g. ``for x in s:``), then the lines written inside
        the ``with`` one level deeper (``pass`` if there are none)."""
        if header is not None:
            self.line(header)
        self.level += 1
        before = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == before:
                self.line("pass")
            self.level -= 1

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Ctx:
    """Where an expression is compiled: the Python name of the state it
    reads, the role (for ``self`` and its variables), the Python names of
    the DSL's local names, the current message's sender (inside a handler),
    the chain of definition calls being expanded (for kinds), whether the
    code runs in a loop and, in a step property, the state after the step."""

    src: str
    role: RoleInfo | None
    locals: dict[str, str] = field(default_factory=dict)
    sender: str | None = None
    path: Path = ()
    #: ``x.f`` of a quantified node ``x`` read as a loop variable over the
    #: slots of ``f`` (`checker.compile.quantifiers`): (x, f) -> its Python name
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    #: inside a loop over a binder: a value computed per state pays off
    looping: bool = False
    #: the state after the step, which primed expressions read (step properties)
    after: str | None = None

    def child(self, **changes: Any) -> Ctx:
        return replace(self, locals=dict(self.locals), fields=dict(self.fields), **changes)


@dataclass
class ActionKind:
    """One entry of a compiled model's action table (``action[0]`` indexes
    it): what kind of step it is and what formatting needs."""

    name: str
    kind: StepKind
    role: RoleInfo | None = None
    decl: Any = None  # the handler or action declaration
    params: tuple[str, ...] = ()
    #: the fault object whose step this is (`checker.faults`), if any
    fault: Fault | None = None
