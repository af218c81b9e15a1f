"""Property tests: the prover against brute-force enumeration of all
subsets for small N, on randomly generated rules (fixed seeds)."""

import itertools
import random

import pytest

from checker.proofs import (
    AllN,
    AllOf,
    AnyOf,
    Available,
    BinOp,
    BoolOp,
    Compare,
    Concrete,
    Explicit,
    Intersect,
    Not,
    Num,
    OneSide,
    Range,
    Restrict,
    Threshold,
    Var,
    Weighted,
    is_quorum,
    prove,
)
from checker.proofs.rules import eval_expr, fixed_n, min_n

MAX_N = 6


def subsets(n: int) -> list[frozenset[int]]:
    return [frozenset(c) for k in range(n + 1) for c in itertools.combinations(range(n), k)]


def holds(rule, nodes: frozenset[int], n: int) -> bool:
    return any(is_quorum(rule, frozenset(c), n)
               for k in range(len(nodes) + 1) for c in itertools.combinations(sorted(nodes), k))


def brute(ob, rules, n: int) -> bool:
    """Whether the obligation holds at N = n, by enumeration."""
    if isinstance(ob, Intersect):
        quorums = [[s for s in subsets(n) if is_quorum(r, s, n)] for r in rules]
        return all(frozenset.intersection(*combo) for combo in itertools.product(*quorums))
    if isinstance(ob, OneSide):
        return not any(holds(rules[0], a, n) and holds(rules[0], frozenset(range(n)) - a, n)
                       for a in subsets(n))
    f = eval_expr(ob.crashes, {"N": n})
    return all(holds(rules[0], frozenset(range(n)) - c, n)
               for c in subsets(n) if len(c) <= max(f, 0))


def rand_bound(rng: random.Random, var: str) -> BinOp:
    """(a * var + c) / b"""
    return BinOp("/", BinOp("+", BinOp("*", Num(rng.randint(0, 3)), Var(var)),
                            Num(rng.randint(-2, 3))), Num(rng.randint(1, 4)))


def rand_cond(rng: random.Random, lhs: str, rhs: str, depth: int = 0):
    op = rng.choice([">", ">=", ">=", ">", "==", "<=", "!="])
    cond = Compare(op, Var(lhs), rand_bound(rng, rhs))
    roll = rng.random()
    if depth == 0 and roll < 0.2:
        return BoolOp(rng.choice(["and", "or"]), (cond, rand_cond(rng, lhs, rhs, 1)))
    if depth == 0 and roll < 0.27:
        return Not(cond)
    return cond


def rand_rule(rng: random.Random, kind: str, n_fixed: int):
    if kind == "threshold":
        return Threshold(rand_cond(rng, "size", "N"))
    if kind == "restrict":
        parts = tuple(Restrict(Threshold(rand_cond(rng, "size", "N")),
                               frozenset(rng.sample(range(5), rng.randint(1, 4))))
                      for _ in range(2))
        return rng.choice([AllOf, AnyOf])(parts)
    if kind == "weighted":
        weights = tuple(rng.randint(0, 3) for _ in range(n_fixed))
        return Weighted(weights, rand_cond(rng, "weight", "total"))
    sets = tuple(frozenset(rng.sample(range(n_fixed), rng.randint(1, n_fixed)))
                 for _ in range(rng.randint(1, 3)))
    return Explicit(sets, n_fixed)


def rand_obligation(rng: random.Random, names: list[str]):
    roll = rng.random()
    if roll < 0.45:
        return Intersect(tuple(rng.choice(names) for _ in range(2)))
    if roll < 0.6:
        return Intersect(tuple(rng.choice(names) for _ in range(3)))
    if roll < 0.8:
        return OneSide(names[0])
    return Available(names[0], rand_bound(rng, "N") if rng.random() < 0.7 else Num(rng.randint(0, 2)))


def with_scope(ob, scope):
    return type(ob)(**{**{f: getattr(ob, f) for f in ob.__dataclass_fields__}, "scope": scope})


@pytest.mark.parametrize("seed", range(80))
def test_matches_brute_force(seed: int):
    rng = random.Random(seed)
    kind = ["threshold", "threshold", "restrict", "weighted", "explicit"][seed % 5]
    n_fixed = rng.randint(3, 5)
    quorums = {name: rand_rule(rng, kind, n_fixed) for name in ("A", "B")}
    for _ in range(3):
        ob = rand_obligation(rng, list(quorums))
        rules = [quorums[q] for q in (ob.quorums if isinstance(ob, Intersect) else (ob.quorum,))]
        if isinstance(ob, OneSide):
            rules *= 2
        fixed = fixed_n(rules[0])
        top = 5 if isinstance(ob, Intersect) and len(ob.quorums) == 3 else MAX_N
        lo = max(min_n(r) for r in rules)
        ns = [fixed] if fixed else list(range(lo, top + 1))
        truth = {n: brute(ob, rules, n) for n in ns}
        # Exact encoding at each N.
        for n in ns:
            r = prove(with_scope(ob, Concrete(n)), quorums)
            assert r.status == ("proved" if truth[n] else "refuted"), (ob, n, r.detail())
            if r.status == "refuted":
                assert r.witness.n == n
        if fixed:
            continue
        # Symbolic encoding over a range: the smallest N must match.
        smallest = next((n for n in ns if not truth[n]), None)
        r = prove(with_scope(ob, Range(lo, top)), quorums)
        if smallest is None:
            assert r.status == "proved", (ob, r.detail())
        else:
            assert r.status == "refuted" and r.witness.n == smallest, (ob, smallest, r.detail())
        # For every N: agrees with the range wherever the range decides.
        r = prove(with_scope(ob, AllN()), quorums)
        if smallest is not None:
            assert r.status == "refuted" and r.witness.n == smallest, (ob, smallest, r.detail())
        else:
            assert r.status == "proved" or (r.status == "refuted" and r.witness.n > top)
