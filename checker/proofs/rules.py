"""Quorum rules: a tiny expression AST, rule dataclasses, and plain-Python
evaluation.

This module is the DSL-independent input model of the prover. The DSL
compiler translates `quorum Name of Role: <rule>` into these values; the
prover never sees DSL syntax. Nothing here imports z3: the re-checker and
the tests evaluate rules with ordinary Python.

Expressions (`Expr`) are integers over the variables

- ``size``   the number of members of the candidate set (inside the rule's
  universe, see `Restrict`),
- ``N``      the number of nodes of the universe,
- ``weight`` the total weight of the candidate set (weighted rules only),
- ``total``  the total weight of the universe (weighted rules only),

combined with ``+ - * /``; ``/`` is floor division (Python's ``//``).
Conditions (`Cond`) compare expressions and combine with and/or/not.

Rules (the empty set is never a quorum, whatever the rule says: a rule
like ``size >= N / 2`` would otherwise admit it at N = 1):

- `Threshold(cond)`: a set is a quorum iff ``cond`` holds for its size.
  Exact for every N in the symbolic prover when ``cond`` is linear.
- `Weighted(weights, cond)`: per-node weights (indexed by node number);
  fixes the node count to ``len(weights)``.
- `Explicit(sets, n)`: a set is a quorum iff it includes one of the listed
  sets (list the minimal quorums); fixes the node count to ``n``.
- `AllOf(rules)` / `AnyOf(rules)`: conjunction / disjunction of rules, e.g.
  joint consensus ``AllOf((Restrict(maj, old), Restrict(maj, new)))``.
- `Restrict(rule, members)`: evaluate ``rule`` inside the sub-configuration
  ``members`` (node numbers): ``size`` counts only members, ``N`` is the
  number of members. Works for every N >= max(members) + 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

VARIABLES = ("size", "N", "weight", "total")
ARITH_OPS = ("+", "-", "*", "/")
COMPARE_OPS = ("<", "<=", ">", ">=", "==", "!=")


@dataclass(frozen=True)
class Num:
    """An integer literal."""

    value: int


@dataclass(frozen=True)
class Var:
    """One of `VARIABLES`."""

    name: str


@dataclass(frozen=True)
class BinOp:
    """``left op right`` with op in ``+ - * /`` (``/`` floors)."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare:
    """``left op right`` with op in `COMPARE_OPS`."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    """``args[0] op args[1] op ...`` with op ``and`` or ``or``."""

    op: str
    args: tuple[Cond, ...]


@dataclass(frozen=True)
class Not:
    """Negation of a condition."""

    arg: Cond


Expr = Num | Var | BinOp
Cond = Compare | BoolOp | Not


@dataclass(frozen=True)
class Threshold:
    """A size threshold: a set is a quorum iff ``cond`` holds (vars size, N)."""

    cond: Cond


@dataclass(frozen=True)
class Weighted:
    """A weight threshold; ``weights[i]`` is the weight of node i (>= 0)."""

    weights: tuple[int, ...]
    cond: Cond


@dataclass(frozen=True)
class Explicit:
    """An explicit quorum system over ``n`` nodes (upward closed)."""

    sets: tuple[frozenset[int], ...]
    n: int


@dataclass(frozen=True)
class AllOf:
    """A set is a quorum iff it is a quorum of every rule."""

    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    """A set is a quorum iff it is a quorum of some rule."""

    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Restrict:
    """``rule`` evaluated inside the sub-configuration ``members``."""

    rule: Rule
    members: frozenset[int]


Rule = Threshold | Weighted | Explicit | AllOf | AnyOf | Restrict


class RuleEvalError(Exception):
    """A rule cannot be evaluated (division by zero, unknown variable)."""


# ---------------------------------------------------------------- evaluation


def eval_expr(expr: Expr, env: Mapping[str, int]) -> int:
    """Evaluate an expression; ``/`` is floor division."""
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Var):
        if expr.name not in env:
            raise RuleEvalError(f"`{expr.name}` is not defined here")
        return env[expr.name]
    a, b = eval_expr(expr.left, env), eval_expr(expr.right, env)
    if expr.op == "+":
        return a + b
    if expr.op == "-":
        return a - b
    if expr.op == "*":
        return a * b
    if b == 0:
        raise RuleEvalError(f"division by zero in {format_expr(expr)}")
    return a // b


def eval_cond(cond: Cond, env: Mapping[str, int]) -> bool:
    """Evaluate a condition."""
    if isinstance(cond, Not):
        return not eval_cond(cond.arg, env)
    if isinstance(cond, BoolOp):
        if cond.op == "and":
            return all(eval_cond(c, env) for c in cond.args)
        return any(eval_cond(c, env) for c in cond.args)
    a, b = eval_expr(cond.left, env), eval_expr(cond.right, env)
    return {
        "<": a < b, "<=": a <= b, ">": a > b,
        ">=": a >= b, "==": a == b, "!=": a != b,
    }[cond.op]


def is_quorum(rule: Rule, members: frozenset[int], n: int,
              universe: frozenset[int] | None = None) -> bool:
    """Whether ``members`` (node numbers in 0..n-1) is a quorum of ``rule``
    among ``n`` nodes. ``universe`` is for recursion through `Restrict`."""
    if universe is None:
        u = frozenset(range(n))
        if not members & u:
            return False
    else:
        u = universe
    inside = members & u
    if isinstance(rule, Threshold):
        return eval_cond(rule.cond, {"size": len(inside), "N": len(u)})
    if isinstance(rule, Weighted):
        if len(rule.weights) != n:
            raise RuleEvalError(f"weighted rule has {len(rule.weights)} weights, N = {n}")
        env = {"size": len(inside), "N": len(u),
               "weight": sum(rule.weights[i] for i in inside),
               "total": sum(rule.weights[i] for i in u)}
        return eval_cond(rule.cond, env)
    if isinstance(rule, Explicit):
        return any(s <= inside for s in rule.sets)
    if isinstance(rule, AllOf):
        return all(is_quorum(r, members, n, u) for r in rule.rules)
    if isinstance(rule, AnyOf):
        return any(is_quorum(r, members, n, u) for r in rule.rules)
    return is_quorum(rule.rule, members, n, u & rule.members)


# ---------------------------------------------------------------- structure


def subrules(rule: Rule) -> Iterator[Rule]:
    """The rule and all rules nested in it, parents first."""
    yield rule
    if isinstance(rule, (AllOf, AnyOf)):
        for r in rule.rules:
            yield from subrules(r)
    elif isinstance(rule, Restrict):
        yield from subrules(rule.rule)


def fixed_n(rule: Rule) -> int | None:
    """The node count a rule fixes (weighted, explicit), or None."""
    for r in subrules(rule):
        if isinstance(r, Weighted):
            return len(r.weights)
        if isinstance(r, Explicit):
            return r.n
    return None


def min_n(rule: Rule) -> int:
    """The least node count at which every node the rule names exists."""
    named = [max(r.members, default=-1) for r in subrules(rule) if isinstance(r, Restrict)]
    named += [max(s, default=-1) for r in subrules(rule) if isinstance(r, Explicit) for s in r.sets]
    return max([1] + [m + 1 for m in named])


def node_signature(rules: Iterable[Rule], i: int) -> tuple:
    """What the rules can tell about node i. Nodes with equal signatures are
    interchangeable: swapping them maps quorums to quorums."""
    parts: list[object] = []
    for rule in rules:
        for r in subrules(rule):
            if isinstance(r, Restrict):
                parts.append(i in r.members)
            elif isinstance(r, Weighted):
                parts.append(r.weights[i])
            elif isinstance(r, Explicit):
                parts.extend(i in s for s in r.sets)
    return tuple(parts)


def variables(cond: Cond | Expr) -> set[str]:
    """The variable names a condition or expression mentions."""
    if isinstance(cond, Var):
        return {cond.name}
    if isinstance(cond, Num):
        return set()
    if isinstance(cond, Not):
        return variables(cond.arg)
    if isinstance(cond, BoolOp):
        return set().union(*(variables(c) for c in cond.args))
    return variables(cond.left) | variables(cond.right)


def validate(rule: Rule) -> list[str]:
    """Problems with a rule, as messages (empty when it is well formed)."""
    errors: list[str] = []
    fixed = {fixed_n(r) for r in subrules(rule) if isinstance(r, (Weighted, Explicit))}
    if len(fixed) > 1:
        errors.append(f"weighted/explicit parts disagree on the node count: {sorted(fixed, key=str)}")
    for r in subrules(rule):
        if isinstance(r, Threshold):
            extra = variables(r.cond) - {"size", "N"}
            if extra:
                errors.append(f"`{sorted(extra)[0]}` is only meaningful in a weighted rule")
        elif isinstance(r, Weighted):
            if any(w < 0 for w in r.weights):
                errors.append("weights must be non-negative")
            extra = variables(r.cond) - set(VARIABLES)
            if extra:
                errors.append(f"unknown variable `{sorted(extra)[0]}`")
        elif isinstance(r, Explicit):
            if not r.sets:
                errors.append("an explicit quorum list needs at least one set")
            if any(not s for s in r.sets):
                errors.append("the empty set cannot be a quorum")
            if any(i < 0 or i >= r.n for s in r.sets for i in s):
                errors.append(f"explicit quorum names a node outside 0..{r.n - 1}")
        elif isinstance(r, (AllOf, AnyOf)) and not r.rules:
            errors.append("an and/or of rules needs at least one rule")
        elif isinstance(r, Restrict) and any(i < 0 for i in r.members):
            errors.append("a sub-configuration names a negative node number")
    n = fixed.pop() if len(fixed) == 1 else None
    if n is not None and min_n(rule) > n:
        errors.append(f"a sub-configuration names a node outside 0..{n - 1}")
    return errors


# ---------------------------------------------------------------- printing

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


def format_expr(expr: Expr, parent: int = 0) -> str:
    """Source-like text of an expression, with minimal parentheses."""
    if isinstance(expr, Num):
        return str(expr.value)
    if isinstance(expr, Var):
        return expr.name
    p = _PREC[expr.op]
    # Left-associative: the right operand needs parentheses at equal precedence.
    text = f"{format_expr(expr.left, p)} {expr.op} {format_expr(expr.right, p + 1)}"
    return f"({text})" if p < parent else text


def format_cond(cond: Cond) -> str:
    """Source-like text of a condition."""
    if isinstance(cond, Compare):
        return f"{format_expr(cond.left)} {cond.op} {format_expr(cond.right)}"
    if isinstance(cond, Not):
        return f"not ({format_cond(cond.arg)})"
    return f" {cond.op} ".join(
        f"({format_cond(c)})" if isinstance(c, BoolOp) else format_cond(c) for c in cond.args)


def format_rule(rule: Rule) -> str:
    """Readable text of a rule (for reports and messages)."""
    if isinstance(rule, Threshold):
        return format_cond(rule.cond)
    if isinstance(rule, Weighted):
        return f"weights {list(rule.weights)}: {format_cond(rule.cond)}"
    if isinstance(rule, Explicit):
        return "one of " + ", ".join("{" + ", ".join(map(str, sorted(s))) + "}" for s in rule.sets)
    if isinstance(rule, Restrict):
        return f"({format_rule(rule.rule)}) within {{{', '.join(map(str, sorted(rule.members)))}}}"
    op = " and " if isinstance(rule, AllOf) else " or "
    return op.join(f"({format_rule(r)})" for r in rule.rules)
