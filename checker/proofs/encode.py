"""Shared z3 plumbing: rule expressions to z3 terms, the time budget, and
the raw outcomes the concrete and symbolic encodings return.

Imports z3: only the prover imports this module, when a proof runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping, Union

import z3

from checker.proofs.rules import BinOp, BoolOp, Compare, Cond, Expr, Not, Num, RuleEvalError, Var, format_expr

Term = Union[int, z3.ArithRef]  # noqa: UP007 - z3 is untyped, so mypy needs the Union form


class Nonlinear(Exception):
    """The expression is outside linear integer arithmetic."""


@dataclass(frozen=True)
class Holds:
    """The solver showed the claim for the whole scope."""


@dataclass(frozen=True)
class Counter:
    """A counterexample: N and labelled node sets (unchecked)."""

    n: int
    sets: tuple[tuple[str, frozenset[int]], ...]
    note: str = ""


@dataclass(frozen=True)
class Undecided:
    """The solver gave up; ``reason`` says why."""

    reason: str


Outcome = Holds | Counter | Undecided


class Budget:
    """A wall-clock deadline shared by all solver calls of one proof."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self, solver: z3.Solver) -> z3.CheckSatResult | Undecided:
        """Run ``solver.check()`` within the remaining time; an `Undecided`
        stands for unknown (timeout or the solver's own reason)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return Undecided(f"timeout after {self.seconds:g} s")
        solver.set("timeout", max(1, int(left * 1000)))
        result = solver.check()
        if result == z3.unknown:
            why = solver.reason_unknown()
            if "timeout" in why or "canceled" in why or time.monotonic() >= self.deadline:
                return Undecided(f"timeout after {self.seconds:g} s")
            return Undecided(f"z3 gave up: {why}")
        return result


def z3_expr(expr: Expr, env: Mapping[str, Term], nonlinear_ok: bool = False) -> Term:
    """Translate an expression; constant parts fold to Python ints.

    ``/`` is floor division. Raises `Nonlinear` for a product of two
    non-constant terms (unless ``nonlinear_ok``) and for division by a
    non-constant; `RuleEvalError` for division by zero.
    """
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Var):
        if expr.name not in env:
            raise RuleEvalError(f"`{expr.name}` is not defined here")
        return env[expr.name]
    assert isinstance(expr, BinOp)
    a = z3_expr(expr.left, env, nonlinear_ok)
    b = z3_expr(expr.right, env, nonlinear_ok)
    if isinstance(a, int) and isinstance(b, int):
        if expr.op == "/":
            if b == 0:
                raise RuleEvalError(f"division by zero in {format_expr(expr)}")
            return a // b
        return {"+": a + b, "-": a - b, "*": a * b}[expr.op]
    if expr.op == "+":
        return a + b
    if expr.op == "-":
        return a - b
    if expr.op == "*":
        if not (isinstance(a, int) or isinstance(b, int) or nonlinear_ok):
            raise Nonlinear(f"nonlinear rule: {format_expr(expr)} multiplies two variables")
        return a * b
    if not isinstance(b, int):
        raise Nonlinear(f"nonlinear rule: {format_expr(expr)} divides by a variable")
    if b == 0:
        raise RuleEvalError(f"division by zero in {format_expr(expr)}")
    # z3's integer division is Euclidean: it floors for positive divisors.
    return a / b if b > 0 else (-a) / (-b)


def z3_cond(cond: Cond, env: Mapping[str, Term], nonlinear_ok: bool = False) -> z3.BoolRef:
    """Translate a condition (see `z3_expr`)."""
    if isinstance(cond, Not):
        return z3.Not(z3_cond(cond.arg, env, nonlinear_ok))
    if isinstance(cond, BoolOp):
        parts = [z3_cond(c, env, nonlinear_ok) for c in cond.args]
        return z3.And(parts) if cond.op == "and" else z3.Or(parts)
    assert isinstance(cond, Compare)
    a = z3_expr(cond.left, env, nonlinear_ok)
    b = z3_expr(cond.right, env, nonlinear_ok)
    if isinstance(a, int) and isinstance(b, int):
        a, b = z3.IntVal(a), z3.IntVal(b)
    return {
        "<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b,
        ">=": lambda: a >= b, "==": lambda: a == b, "!=": lambda: a != b,
    }[cond.op]()


def model_int(model: z3.ModelRef, term: Term) -> int:
    """The value of a term in a model (unconstrained terms read as 0)."""
    if isinstance(term, int):
        return term
    return model.eval(term, model_completion=True).as_long()
