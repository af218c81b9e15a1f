"""Syntax of quorum declarations and proof obligations: AST nodes, the
parse-tree transformer methods, and the pretty-printer.

::

    quorum Majority of Acceptor: size > N / 2
    quorum W of Server weights [3, 1, 1]: weight > total / 2
    quorum Old of Server within {Server[0], Server[1], Server[2]}: size > N / 2
    quorum Joint of Server: Old and New
    quorum Grid of Server: any of {{Server[0], Server[1]}, {Server[1], Server[2]}}

    prove intersect(Majority, Majority) for all N
    prove available(Majority, crashes = (N - 1) / 2) for N in 1..9
    expect refuted intersect(Phase1, Phase2) for N = 4

A rule body is an ordinary DSL expression (so spans and printing come for
free); `checker.dsl.quorums` gives it meaning. Kept apart from `ast.py`
and `parser.py` so that those shared modules only gain a line or two.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Transformer, v_args

from checker.dsl import ast as A
from checker.errors import Span, SpecError

OBLIGATIONS = ("intersect", "available", "one_side")


def _span() -> Span:
    return field(default=A.NOSPAN, compare=False, repr=False)


@dataclass(frozen=True)
class QuorumDecl:
    """``quorum Name of Role [weights W] [within S]: rule``.

    Exactly one of ``rule`` (a condition on size/weight, quorum names, and
    and/or/not) and ``explicit`` (the set of minimal quorums of
    ``any of {...}``) is set.
    """

    name: str
    role: str
    weights: A.Expr | None
    within: A.Expr | None
    rule: A.Expr | None
    explicit: A.Expr | None = None
    role_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class QuorumRef:
    """A quorum name used as an argument of an obligation."""

    name: str
    span: Span = _span()


@dataclass(frozen=True)
class ProveScope:
    """``for all N`` (kind "all"), ``for N = e`` ("eq", ``value``) or
    ``for N in lo..hi`` ("in", ``value`` the range); ``var`` is how N was
    spelled (``N`` or the role's count constant)."""

    kind: str
    var: str
    value: A.Expr | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ProveDecl:
    """``prove kind(args) scope`` (``expect == "proved"``) or
    ``expect refuted kind(args) scope``."""

    kind: str  # one of OBLIGATIONS (checked by the resolver)
    quorums: tuple[QuorumRef, ...]
    crashes: A.Expr | None
    scope: ProveScope
    expect: str = "proved"
    crashes_span: Span = _span()
    span: Span = _span()


@dataclass(frozen=True)
class _Obligation:
    """Parse-time only: an obligation before `prove`/`expect` wraps it."""

    kind: str
    args: tuple[tuple[str, A.Expr | None, Span], ...]
    scope: ProveScope
    span: Span


@v_args(meta=True)
class QuorumTransformer(Transformer):
    """The parser's transformer methods for these declarations; the parser's
    own transformer subclasses this one (it provides ``sp`` and ``file``)."""

    file: str

    def _tok(self, tok: Token) -> Span:
        line, col = tok.line or 0, tok.column or 0
        return Span(self.file, line, col, tok.end_line or line, tok.end_column or col + len(tok))

    def quorum_decl(self, meta, items):
        name, role, weights, within, body = items
        rule, explicit = (None, body[1]) if isinstance(body, tuple) else (body, None)
        return QuorumDecl(str(name), str(role), weights, within, rule, explicit, self._tok(role),
                          span=self.sp(meta))  # type: ignore[attr-defined]

    def quorum_any(self, meta, items):
        return ("any", items[0])

    def prove_decl(self, meta, items):
        return self._wrap(items[0], "proved", meta)

    def expect_prove_decl(self, meta, items):
        verdict, ob = items
        return self._wrap(ob, str(verdict), meta)

    def _wrap(self, ob: _Obligation, expect: str, meta) -> ProveDecl:
        refs = tuple(QuorumRef(name, span=sp) for name, value, sp in ob.args if value is None)
        named = [(name, value, sp) for name, value, sp in ob.args if value is not None]
        crashes, crashes_span = None, A.NOSPAN
        for name, value, sp in named:
            if name != "crashes" or crashes is not None:
                what = "is given twice" if name == "crashes" else "is not an argument (only crashes = ...)"
                raise SpecError(f"'{name}' {what}", sp)
            crashes, crashes_span = value, sp
        return ProveDecl(ob.kind, refs, crashes, ob.scope, expect, crashes_span,
                         span=self.sp(meta))  # type: ignore[attr-defined]

    def obligation(self, meta, items):
        kind, *args, scope = items
        return _Obligation(str(kind), tuple(args), scope, self._tok(kind))

    def ob_arg(self, meta, items):
        name, value = items
        return (str(name), value, self.sp(meta))  # type: ignore[attr-defined]

    def scope_all(self, meta, items):
        return ProveScope("all", str(items[0]), None, span=self.sp(meta))  # type: ignore[attr-defined]

    def scope_eq(self, meta, items):
        return ProveScope("eq", str(items[0]), items[1], span=self.sp(meta))  # type: ignore[attr-defined]

    def scope_in(self, meta, items):
        return ProveScope("in", str(items[0]), items[1], span=self.sp(meta))  # type: ignore[attr-defined]
