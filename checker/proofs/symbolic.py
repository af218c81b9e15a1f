"""The symbolic encoding for every N: sizes of Venn regions.

Size-threshold rules only look at how many nodes of each universe a set
contains, so a claim about k sets among N nodes is a claim about 2^k
region sizes: non-negative integers summing to N. With `Restrict`, the
nodes first split into *atoms* -- nodes with the same membership in every
sub-configuration, plus the unnamed rest (N - |named| nodes) -- and each
atom splits into the 2^k regions. N stays a z3 integer, so an unsat answer
proves the claim for every N of the domain, and a sat answer is searched
down to the smallest N.

Exact for linear threshold rules (``/`` by constants is linear integer
arithmetic); a nonlinear rule raises `Nonlinear`, which the prover reports
as Unknown. Weighted and explicit rules never come here (they fix N).
"""

from __future__ import annotations

import itertools

import z3

from checker.proofs.encode import Budget, Counter, Holds, Outcome, Term, Undecided, model_int, z3_cond, z3_expr
from checker.proofs.obligations import Available, Intersect, Obligation
from checker.proofs.rules import AllOf, AnyOf, Expr, Restrict, Rule, Threshold, subrules


class _Atoms:
    """The partition of the nodes by membership in the sub-configurations."""

    def __init__(self, rules: list[Rule], n: z3.ArithRef):
        configs = sorted({r.members for rule in rules for r in subrules(rule)
                          if isinstance(r, Restrict)}, key=lambda m: sorted(m))
        named = sorted(set().union(*configs)) if configs else []
        groups: dict[tuple[bool, ...], list[int]] = {}
        for i in named:
            groups.setdefault(tuple(i in m for m in configs), []).append(i)
        # Atom 0 is the rest (nodes no sub-configuration names); its size is symbolic.
        self.nodes: list[tuple[int, ...] | None] = [None] + [tuple(v) for v in groups.values()]
        self.sizes: list[Term] = [n - len(named)] + [len(v) for v in groups.values()]
        self.named = frozenset(named)
        self.within = {m: frozenset(a for a, nodes in enumerate(self.nodes)
                                    if nodes is not None and set(nodes) <= m) for m in configs}

    def concrete(self, n: int) -> list[tuple[int, ...]]:
        """The nodes of each atom at N = n."""
        rest = tuple(i for i in range(n) if i not in self.named)
        return [rest] + [nodes for nodes in self.nodes[1:] if nodes is not None]


def _formula(rule: Rule, counts: list[Term], atoms: _Atoms, universe: frozenset[int]) -> z3.BoolRef:
    """A set with ``counts[a]`` nodes in atom a is a quorum of ``rule``."""
    if isinstance(rule, Threshold):
        env = {"size": sum((counts[a] for a in sorted(universe)), 0),
               "N": sum((atoms.sizes[a] for a in sorted(universe)), 0)}
        return z3_cond(rule.cond, env)
    if isinstance(rule, AllOf):
        return z3.And([_formula(r, counts, atoms, universe) for r in rule.rules])
    if isinstance(rule, AnyOf):
        return z3.Or([_formula(r, counts, atoms, universe) for r in rule.rules])
    if isinstance(rule, Restrict):
        return _formula(rule.rule, counts, atoms, universe & atoms.within[rule.members])
    raise AssertionError(f"not a size-threshold rule: {rule!r}")


def _quorum(rule: Rule, counts: list[Term], atoms: _Atoms) -> z3.BoolRef:
    """The set is a quorum of ``rule`` (never the empty set)."""
    everything = frozenset(range(len(atoms.nodes)))
    return z3.And(sum(counts, 0) >= 1, _formula(rule, counts, atoms, everything))


class _Encoding:
    """The constraints of one obligation, with the variables to read back."""

    def __init__(self, ob: Obligation, rules: list[Rule], crashes: Expr | None):
        self.ob = ob
        self.n = z3.Int("N")
        self.atoms = _Atoms(rules, self.n)
        everything = frozenset(range(len(self.atoms.nodes)))
        self.solver = z3.Solver()
        s = self.solver
        if isinstance(ob, Available):
            assert crashes is not None
            self.crashed = [z3.Int(f"crashed_{a}") for a in everything]
            alive = [z3.Int(f"alive_{a}") for a in everything]
            s.add([z3.And(c >= 0, c <= size) for c, size in zip(self.crashed, self.atoms.sizes)])
            allowed = z3_expr(crashes, {"N": self.n})
            # A negative budget means no crash at all, as in the exact encoding.
            allowed = max(allowed, 0) if isinstance(allowed, int) else z3.If(allowed > 0, allowed, 0)
            s.add(sum(self.crashed, 0) <= allowed)
            # No way of picking live nodes from each atom makes a quorum.
            inside = z3.And([z3.And(q >= 0, q <= size - c) for q, size, c
                             in zip(alive, self.atoms.sizes, self.crashed)])
            s.add(z3.ForAll(alive, z3.Implies(inside, z3.Not(
                _quorum(rules[0], alive, self.atoms)))))
            return
        k = len(rules)
        # Patterns in descending order so that Q1 gets the lowest node numbers.
        self.patterns = sorted(itertools.product((0, 1), repeat=k), reverse=True)
        self.regions = [[z3.Int(f"r_{a}_{''.join(map(str, p))}") for p in self.patterns]
                        for a in everything]
        for a in everything:
            s.add([r >= 0 for r in self.regions[a]])
            s.add(sum(self.regions[a], 0) == self.atoms.sizes[a])
            s.add(self.regions[a][0] == 0)  # pattern (1, ..., 1): no common node
        for j, rule in enumerate(rules):
            counts = [sum((r for r, p in zip(self.regions[a], self.patterns) if p[j]), 0)
                      for a in everything]
            s.add(_quorum(rule, counts, self.atoms))

    def witness(self, model: z3.ModelRef, n: int, labels: list[str]) -> Counter:
        """Concrete node sets from a model with N = n."""
        nodes = self.atoms.concrete(n)
        if isinstance(self.ob, Available):
            down = frozenset(i for a, c in enumerate(self.crashed)
                             for i in nodes[a][:model_int(model, c)])
            return Counter(n, (("crashed", down), ("live", frozenset(range(n)) - down)),
                           f"the live nodes hold no {labels[0]} quorum")
        members: list[set[int]] = [set() for _ in labels]
        for a, regions in enumerate(self.regions):
            pos = 0
            for r, p in zip(regions, self.patterns):
                take = nodes[a][pos:pos + model_int(model, r)]
                pos += len(take)
                for j, bit in enumerate(p):
                    if bit:
                        members[j].update(take)
        found = [frozenset(m) for m in members]
        if isinstance(self.ob, Intersect):
            return Counter(n, tuple(zip(labels, found)))
        everyone = frozenset(range(n))
        return Counter(n, (("side A", everyone - found[1]), ("side B", found[1]),
                           (labels[0], found[0]), (labels[1], found[1])))


def prove_symbolic(ob: Obligation, rules: list[Rule], labels: list[str], lo: int,
                   hi: int | None, budget: Budget, crashes: Expr | None = None) -> Outcome:
    """Decide ``ob`` for every N with lo <= N (<= hi); a counterexample has
    the smallest such N. Raises `Nonlinear` for rules outside linear
    arithmetic."""
    enc = _Encoding(ob, rules, crashes)
    s, n = enc.solver, enc.n
    s.add(n >= lo)
    if hi is not None:
        s.add(n <= hi)
    result = budget.check(s)
    if isinstance(result, Undecided):
        return result
    if result == z3.unsat:
        return Holds()
    # Binary search for the least N with a counterexample.
    best, model = model_int(s.model(), n), s.model()
    note = ""
    low = lo
    while low < best:
        mid = (low + best - 1) // 2
        s.push()
        s.add(n <= mid)
        result = budget.check(s)
        if isinstance(result, Undecided):
            s.pop()
            note = f"N = {best} may not be the smallest: {result.reason}"
            break
        if result == z3.sat:
            best, model = model_int(s.model(), n), s.model()
        else:
            low = mid + 1
        s.pop()
    counter = enc.witness(model, best, labels)
    if note:
        counter = Counter(counter.n, counter.sets, "; ".join(x for x in (counter.note, note) if x))
    return counter
