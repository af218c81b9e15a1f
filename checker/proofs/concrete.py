"""The exact encoding for one concrete N: one Boolean per node per set.

A size threshold becomes a cardinality constraint on the Booleans of its
universe (the allowed sizes are computed in Python for that N, so any rule,
even a nonlinear one, is exact here); a weighted rule becomes a linear
constraint over ``If(b, w, 0)`` sums; an explicit list an ``Or`` of
``And``s. The solver then decides the claim for that N.

Nodes the rules cannot tell apart (equal `node_signature`) are
interchangeable, so their Boolean vectors are ordered lexicographically:
without that symmetry breaking, two disjoint majorities at N = 31 is a
pigeonhole problem that times out; with it, N = 201 takes milliseconds.
"""

from __future__ import annotations

import z3

from checker.proofs.encode import Budget, Counter, Holds, Outcome, Undecided, z3_cond
from checker.proofs.obligations import Available, Intersect, Obligation
from checker.proofs.rules import AllOf, AnyOf, Explicit, Restrict, Rule, Threshold, Weighted, eval_cond, node_signature


def _intervals(ks: list[int]) -> list[tuple[int, int]]:
    """Sorted integers as maximal runs [lo, hi]."""
    runs: list[tuple[int, int]] = []
    for k in ks:
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def _count_in(bits: list[z3.BoolRef], allowed: list[int]) -> z3.BoolRef:
    """The number of true ``bits`` is one of ``allowed``."""
    m = len(bits)
    options = []
    for lo, hi in _intervals(allowed):
        parts = []
        if lo > 0:
            parts.append(z3.AtLeast(*bits, lo))
        if hi < m:
            parts.append(z3.AtMost(*bits, hi))
        options.append(z3.And(parts) if parts else z3.BoolVal(True))
    return z3.Or(options) if options else z3.BoolVal(False)


def quorum_formula(rule: Rule, bits: list[z3.BoolRef], universe: frozenset[int]) -> z3.BoolRef:
    """``bits[i]`` (node i is in the set) describes a quorum of ``rule``
    evaluated inside ``universe``. May raise `Nonlinear`/`RuleEvalError`."""
    if isinstance(rule, Threshold):
        members = [bits[i] for i in sorted(universe)]
        m = len(members)
        allowed = [k for k in range(m + 1) if eval_cond(rule.cond, {"size": k, "N": m})]
        return _count_in(members, allowed)
    if isinstance(rule, Weighted):
        nodes = sorted(universe)
        zero = z3.IntVal(0)
        env = {
            "size": z3.Sum([z3.If(bits[i], 1, 0) for i in nodes]) if nodes else zero,
            "weight": z3.Sum([z3.If(bits[i], rule.weights[i], 0) for i in nodes]) if nodes else zero,
            "N": len(nodes),
            "total": sum(rule.weights[i] for i in nodes),
        }
        # N is concrete, so products of size/weight stay bounded: let z3 try.
        return z3_cond(rule.cond, env, nonlinear_ok=True)
    if isinstance(rule, Explicit):
        options = [z3.And([bits[i] for i in sorted(s)]) for s in rule.sets if s <= universe]
        return z3.Or(options) if options else z3.BoolVal(False)
    if isinstance(rule, AllOf):
        return z3.And([quorum_formula(r, bits, universe) for r in rule.rules])
    if isinstance(rule, AnyOf):
        return z3.Or([quorum_formula(r, bits, universe) for r in rule.rules])
    assert isinstance(rule, Restrict)
    return quorum_formula(rule.rule, bits, universe & rule.members)


def quorum(rule: Rule, bits: list[z3.BoolRef]) -> z3.BoolRef:
    """``bits`` describes a quorum of ``rule`` (never the empty set)."""
    return z3.And(z3.Or(bits), quorum_formula(rule, bits, frozenset(range(len(bits)))))


def _lex_ge(x: list[z3.BoolRef], y: list[z3.BoolRef]) -> z3.BoolRef:
    """``x >= y`` lexicographically, with True > False."""
    if not x:
        return z3.BoolVal(True)
    return z3.Or(z3.And(x[0], z3.Not(y[0])), z3.And(x[0] == y[0], _lex_ge(x[1:], y[1:])))


def break_symmetry(solver: z3.Solver, rules: list[Rule], vectors: list[list[z3.BoolRef]]) -> None:
    """Order interchangeable nodes: node i's bits (one per vector) are
    lexicographically >= those of the next node of its class."""
    n = len(vectors[0])
    last: dict[tuple, int] = {}
    for i in range(n):
        sig = node_signature(rules, i)
        if sig in last:
            j = last[sig]
            solver.add(_lex_ge([v[j] for v in vectors], [v[i] for v in vectors]))
        last[sig] = i


def _bits(prefix: str, n: int) -> list[z3.BoolRef]:
    return [z3.Bool(f"{prefix}_{i}") for i in range(n)]


def _nodes(model: z3.ModelRef, bits: list[z3.BoolRef]) -> frozenset[int]:
    return frozenset(i for i, b in enumerate(bits)
                     if z3.is_true(model.eval(b, model_completion=True)))


def is_monotone(rule: Rule, n: int, budget: Budget) -> bool:
    """Whether every superset of a quorum is a quorum at this N (False when
    the solver cannot tell: callers then use the general encoding)."""
    a, b = _bits("mono_a", n), _bits("mono_b", n)
    s = z3.Solver()
    s.add([z3.Implies(a[i], b[i]) for i in range(n)])
    s.add(quorum(rule, a), z3.Not(quorum(rule, b)))
    break_symmetry(s, [rule], [a, b])
    return budget.check(s) == z3.unsat


def prove_concrete(ob: Obligation, rules: list[Rule], labels: list[str], n: int,
                   crashes: int, budget: Budget) -> Outcome:
    """Decide ``ob`` at N = n. ``rules``/``labels`` give the quorum rule and
    witness label of each set of the claim; ``crashes`` is F(n) for
    `Available` (ignored otherwise)."""
    u = frozenset(range(n))
    s = z3.Solver()
    if isinstance(ob, Available):
        crashed = _bits("crashed", n)
        s.add(z3.AtMost(*crashed, max(crashes, 0)))
        break_symmetry(s, rules, [crashed])
        if is_monotone(rules[0], n, budget):
            # Upward closed: the live nodes hold a quorum iff they are one.
            s.add(z3.Not(quorum(rules[0], [z3.Not(c) for c in crashed])))
        else:
            # Otherwise: no subset of the live nodes is a quorum.
            q = _bits("sub", n)
            inside = z3.And([z3.Implies(q[i], z3.Not(crashed[i])) for i in range(n)])
            s.add(z3.ForAll(q, z3.Implies(inside, z3.Not(quorum(rules[0], q)))))
        result = budget.check(s)
        if isinstance(result, Undecided):
            return result
        if result == z3.unsat:
            return Holds()
        down = _nodes(s.model(), crashed)
        return Counter(n, (("crashed", down), ("live", u - down)),
                       f"the live nodes hold no {labels[0]} quorum")

    sets = [_bits(f"q{j}", n) for j in range(len(rules))]
    for rule, bits in zip(rules, sets):
        s.add(quorum(rule, bits))
    break_symmetry(s, rules, sets)
    # No node is in all of the sets.
    s.add([z3.Not(z3.And([bits[i] for bits in sets])) for i in range(n)])
    result = budget.check(s)
    if isinstance(result, Undecided):
        return result
    if result == z3.unsat:
        return Holds()
    found = [_nodes(s.model(), bits) for bits in sets]
    if isinstance(ob, Intersect):
        return Counter(n, tuple(zip(labels, found)))
    # OneSide: side B is the second quorum, side A everything else.
    return Counter(n, (("side A", u - found[1]), ("side B", found[1]),
                       (labels[0], found[0]), (labels[1], found[1])))
