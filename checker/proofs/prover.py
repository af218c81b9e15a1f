"""The prover: resolve the obligation, pick an encoding per scope, re-check.

- A weighted or explicit rule fixes N: the exact encoding at that N.
- `Concrete(n)`: the exact encoding at N = n.
- `Range(lo, hi)`: the symbolic encoding with lo <= N <= hi; for a
  nonlinear rule, the exact encoding at each N in turn (ascending, so the
  first counterexample has the smallest N).
- `AllN`: the symbolic encoding for N >= the domain's minimum; a nonlinear
  rule gives Unknown.
"""

from __future__ import annotations

import time
from typing import Callable, Mapping, Sequence

from checker.proofs.concrete import prove_concrete
from checker.proofs.encode import Budget, Counter, Holds, Nonlinear, Outcome, Undecided
from checker.proofs.obligations import (
    DEFAULT_TIMEOUT,
    AllN,
    Available,
    Concrete,
    Obligation,
    OneSide,
    Quorum,
    Range,
    describe,
    quorum_names,
)
from checker.proofs.recheck import RecheckTooLarge, recheck
from checker.proofs.results import ProofInputError, ProofResult, Proved, Refuted, Unknown, Witness
from checker.proofs.rules import Rule, RuleEvalError, eval_expr, fixed_n, min_n, validate, variables
from checker.proofs.symbolic import prove_symbolic

NodeNames = Sequence[str] | Callable[[int], str] | None


def _names(node_names: NodeNames, n: int) -> tuple[str, ...]:
    if node_names is None:
        return tuple(f"s{i}" for i in range(n))
    if callable(node_names):
        return tuple(node_names(i) for i in range(n))
    return tuple(node_names[i] if i < len(node_names) else f"s{i}" for i in range(n))


def _resolve(ob: Obligation, quorums: Mapping[str, Quorum | Rule]) -> list[tuple[str, Quorum]]:
    """The declaration of each quorum the obligation names, in order."""
    def error(msg: str) -> ProofInputError:
        return ProofInputError(f"{describe(ob)}: {msg}", ob.span)

    if ob.expect not in ("proved", "refuted"):
        raise error(f"expect must be 'proved' or 'refuted', not {ob.expect!r}")
    names = quorum_names(ob)
    if not names:
        raise error("names no quorum")
    found: list[tuple[str, Quorum]] = []
    for name in names:
        if name not in quorums:
            known = ", ".join(sorted(quorums)) or "none"
            raise error(f"unknown quorum `{name}` (declared: {known})")
        decl = quorums[name]
        decl = decl if isinstance(decl, Quorum) else Quorum(decl)
        for problem in validate(decl.rule):
            raise error(f"quorum {name}: {problem}")
        found.append((name, decl))
    roles = {d.role for _, d in found if d.role}
    if len(roles) > 1:
        raise error(f"quorums of different roles: {', '.join(sorted(roles))}")
    if isinstance(ob, Available) and variables(ob.crashes) - {"N"}:
        raise error("crashes may only mention N")
    return found


def _labels(ob: Obligation, names: tuple[str, ...]) -> list[str]:
    if isinstance(ob, OneSide):
        return [f"{names[0]} in A", f"{names[0]} in B"]
    if len(set(names)) == len(names):
        return list(names)
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(f"{name}#{seen[name]}")
    return labels


def prove(ob: Obligation, quorums: Mapping[str, Quorum | Rule], *,
          timeout: float = DEFAULT_TIMEOUT, node_names: NodeNames = None) -> ProofResult:
    """Prove or refute one obligation; see `checker.proofs.prove`."""
    start = time.perf_counter()
    found = _resolve(ob, quorums)
    budget = Budget(timeout)
    names = quorum_names(ob)
    rules: list[Rule] = [d.rule for _, d in found]
    if isinstance(ob, OneSide):
        rules = rules * 2
    labels = _labels(ob, names)
    lo = max([d.min_n for _, d in found] + [min_n(r) for r in rules])
    fixed = {(n, name) for name, d in found for n in [fixed_n(d.rule)] if n is not None}

    def error(msg: str) -> ProofInputError:
        return ProofInputError(f"{describe(ob)}: {msg}", ob.span)

    def crashes_at(n: int) -> int | None:
        if not isinstance(ob, Available):
            return None
        try:
            return eval_expr(ob.crashes, {"N": n})
        except RuleEvalError as e:
            raise error(f"crashes at N = {n}: {e}") from None

    def exact(n: int) -> Outcome:
        try:
            return prove_concrete(ob, rules, labels, n, crashes_at(n) or 0, budget)
        except RuleEvalError as e:
            raise error(f"at N = {n}: {e}") from None
        except Nonlinear as e:
            return Undecided(f"at N = {n}: {e}")

    scope = ob.scope
    hi: int | None
    if fixed:
        if len({n for n, _ in fixed}) > 1:
            raise error("the quorums fix different node counts: "
                        + ", ".join(f"{name}: N = {n}" for n, name in sorted(fixed)))
        n, who = min(fixed)
        if n < lo:
            raise error(f"{who} fixes N = {n}, below the domain N >= {lo}")
        if (isinstance(scope, Concrete) and scope.n != n) or (
                isinstance(scope, Range) and not scope.lo <= n <= scope.hi):
            raise error(f"{who} fixes N = {n}, outside the scope {scope}")
        lo = hi = n
        method, domain = f"exact (N = {n})", f"N = {n} (the node count {who} fixes)"
        outcome = exact(n)
    elif isinstance(scope, Concrete):
        if scope.n < lo:
            raise error(f"N = {scope.n} is below the domain of the quorums, N >= {lo}")
        lo = hi = scope.n
        method, domain = f"exact (N = {scope.n})", f"N = {scope.n}"
        outcome = exact(scope.n)
    elif isinstance(scope, Range):
        lo, hi = max(lo, scope.lo), scope.hi
        if lo > hi:
            raise error(f"the range {scope.lo}..{scope.hi} is empty or below the quorums' domain")
        domain = f"{lo} <= N <= {hi}"
        try:
            method = "symbolic (Venn regions)"
            outcome = prove_symbolic(ob, rules, labels, lo, hi, budget,
                                     ob.crashes if isinstance(ob, Available) else None)
        except Nonlinear:
            # Per-N exact proofs handle any rule; ascending N keeps the
            # first counterexample the smallest.
            method = f"exact (each N in {lo}..{hi})"
            outcome = Holds()
            for n in range(lo, hi + 1):
                outcome = exact(n)
                if not isinstance(outcome, Holds):
                    break
        except RuleEvalError as e:
            raise error(str(e)) from None
    else:
        assert isinstance(scope, AllN)
        hi = None
        method, domain = "symbolic (Venn regions)", f"N >= {lo}"
        try:
            outcome = prove_symbolic(ob, rules, labels, lo, None, budget,
                                     ob.crashes if isinstance(ob, Available) else None)
        except Nonlinear as e:
            outcome = Undecided(f"{e}; the proof for every N needs linear arithmetic "
                                "(prove it for a concrete N or a range instead)")
        except RuleEvalError as e:
            raise error(str(e)) from None

    def seconds() -> float:
        return time.perf_counter() - start

    if isinstance(outcome, Holds):
        return Proved(obligation=ob, seconds=seconds(), method=method, domain=domain)
    if isinstance(outcome, Undecided):
        return Unknown(obligation=ob, seconds=seconds(), method=method, reason=outcome.reason)
    assert isinstance(outcome, Counter)
    witness = Witness(outcome.n, outcome.sets, _names(node_names, outcome.n), outcome.note)
    try:
        recheck(ob, rules, witness, lo, hi, crashes_at(outcome.n))
    except RecheckTooLarge as e:
        return Unknown(obligation=ob, seconds=seconds(), method=method,
                       reason=f"counterexample {witness.format()} is too large to re-check ({e})")
    return Refuted(obligation=ob, seconds=seconds(), method=method, witness=witness)

