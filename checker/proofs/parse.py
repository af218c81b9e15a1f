"""A small parser for rule conditions and expressions.

Handy for tests, for the CLI and for writing obligations by hand in Python:
``parse_cond("size > N / 2")``. The DSL has its own grammar and builds the
AST of `checker.proofs.rules` directly; this parser is not part of it.

Grammar (lowest precedence first)::

    cond    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | compare
    compare := expr ("<"|"<="|">"|">="|"=="|"!=") expr | "(" cond ")"
    expr    := term (("+"|"-") term)*
    term    := factor (("*"|"/") factor)*
    factor  := INT | NAME | "-" factor | "(" expr ")"
"""

from __future__ import annotations

import re

from checker.proofs.rules import COMPARE_OPS, VARIABLES, BinOp, BoolOp, Compare, Cond, Expr, Not, Num, Var

_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_]\w*)|(<=|>=|==|!=|[-+*/()<>]))")


class RuleSyntaxError(ValueError):
    """A syntax error in a rule text; ``col`` is 1-based."""

    def __init__(self, message: str, text: str, col: int):
        super().__init__(f"{message} at column {col}: {text}")
        self.col = col


class _Parser:
    def __init__(self, text: str, names: dict[str, str]):
        self.text = text
        self.names = names
        self.tokens: list[tuple[str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m:
                raise RuleSyntaxError("unexpected character", text, pos + 1)
            group = m.lastindex or 0
            self.tokens.append((m.group(group), m.start(group) + 1))
            pos = m.end()
        self.i = 0

    def peek(self) -> str:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok == "" or (expected is not None and tok != expected):
            col = self.tokens[self.i][1] if self.i < len(self.tokens) else len(self.text) + 1
            want = f"`{expected}`" if expected else "more input"
            raise RuleSyntaxError(f"expected {want}", self.text, col)
        self.i += 1
        return tok

    def done(self) -> None:
        if self.i < len(self.tokens):
            raise RuleSyntaxError(f"unexpected `{self.peek()}`", self.text, self.tokens[self.i][1])

    def cond(self) -> Cond:
        args = [self.conj()]
        while self.peek() == "or":
            self.take()
            args.append(self.conj())
        return args[0] if len(args) == 1 else BoolOp("or", tuple(args))

    def conj(self) -> Cond:
        args = [self.unary()]
        while self.peek() == "and":
            self.take()
            args.append(self.unary())
        return args[0] if len(args) == 1 else BoolOp("and", tuple(args))

    def unary(self) -> Cond:
        if self.peek() == "not":
            self.take()
            return Not(self.unary())
        if self.peek() == "(":
            # Either a parenthesised condition or the start of an expression:
            # try the condition first and backtrack if no comparison follows.
            save = self.i
            try:
                self.take("(")
                inner = self.cond()
                self.take(")")
                if self.peek() not in COMPARE_OPS:
                    return inner
            except RuleSyntaxError:
                pass
            self.i = save
        left = self.expr()
        op = self.peek()
        if op not in COMPARE_OPS:
            self.take("comparison")
        self.take()
        return Compare(op, left, self.expr())

    def expr(self) -> Expr:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Expr:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = BinOp(op, node, self.factor())
        return node

    def factor(self) -> Expr:
        tok = self.peek()
        if tok == "-":
            self.take()
            return BinOp("-", Num(0), self.factor())
        if tok == "(":
            self.take()
            node = self.expr()
            self.take(")")
            return node
        if tok.isdigit():
            self.take()
            return Num(int(tok))
        if tok and (tok[0].isalpha() or tok[0] == "_"):
            name = self.names.get(tok, tok)
            if name not in VARIABLES:
                raise RuleSyntaxError(f"unknown name `{tok}`", self.text, self.tokens[self.i][1])
            self.take()
            return Var(name)
        self.take("a number, a name or `(`")
        raise AssertionError("unreachable")


def parse_cond(text: str, names: dict[str, str] | None = None) -> Cond:
    """Parse a condition such as ``size >= 2 * N / 3 + 1``.

    ``names`` renames identifiers, e.g. ``{"Servers": "N"}``.
    """
    p = _Parser(text, names or {})
    node = p.cond()
    p.done()
    return node


def parse_expr(text: str, names: dict[str, str] | None = None) -> Expr:
    """Parse an integer expression such as ``(N - 1) / 2``."""
    p = _Parser(text, names or {})
    node = p.expr()
    p.done()
    return node
