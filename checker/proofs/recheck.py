"""Re-check a solver's counterexample with plain Python (no z3).

Every witness is re-checked before it is reported; one that does not hold
up raises `WitnessError` -- a bug in an encoding, never a user error.
"""

from __future__ import annotations

import itertools
import math

from checker.proofs.obligations import Available, Intersect, Obligation
from checker.proofs.results import Witness, WitnessError
from checker.proofs.rules import Rule, is_quorum, node_signature

# Above this many candidate subsets a "holds no quorum" claim is not re-checked.
ENUMERATION_LIMIT = 1 << 20


class RecheckTooLarge(Exception):
    """The witness is too large to re-check by enumeration."""


def holds_quorum(rule: Rule, nodes: frozenset[int], n: int) -> bool:
    """Whether some subset of ``nodes`` is a quorum of ``rule`` at N = n.

    Enumerates subsets up to symmetry: only how many nodes of each class of
    interchangeable nodes are taken matters.
    """
    if is_quorum(rule, nodes, n):
        return True
    classes: dict[tuple, list[int]] = {}
    for i in sorted(nodes):
        classes.setdefault(node_signature([rule], i), []).append(i)
    groups = list(classes.values())
    if math.prod(len(g) + 1 for g in groups) > ENUMERATION_LIMIT:
        raise RecheckTooLarge(f"{len(nodes)} nodes in {len(groups)} classes")
    for counts in itertools.product(*(range(len(g) + 1) for g in groups)):
        subset = frozenset(i for g, c in zip(groups, counts) for i in g[:c])
        if is_quorum(rule, subset, n):
            return True
    return False


def recheck(ob: Obligation, rules: list[Rule], witness: Witness, lo: int, hi: int | None,
            crashes: int | None = None) -> None:
    """Raise `WitnessError` unless ``witness`` refutes ``ob`` for the
    instance ``rules`` (one per set of the claim) at an N in [lo, hi].
    ``crashes`` is F(N) for `Available`."""
    n = witness.n

    def fail(why: str) -> None:
        raise WitnessError(
            f"internal error: the solver's counterexample does not re-check ({why}); "
            f"obligation {ob!r}, witness {witness.format()}. This is a bug, please report it.")

    if n < lo or (hi is not None and n > hi):
        fail(f"N = {n} is outside {lo}..{hi if hi is not None else 'inf'}")
    everyone = frozenset(range(n))
    for label, nodes in witness.sets:
        if not nodes <= everyone:
            fail(f"{label} names nodes outside 0..{n - 1}")
    sets = [nodes for _, nodes in witness.sets]
    if isinstance(ob, Available):
        down, live = sets
        if live != everyone - down:
            fail("live is not the complement of crashed")
        if crashes is None or len(down) > max(crashes, 0):
            fail(f"{len(down)} crashed nodes, at most {crashes} allowed")
        if holds_quorum(rules[0], live, n):
            fail("the live nodes hold a quorum")
        return
    if isinstance(ob, Intersect):
        if len(sets) != len(rules):
            fail("wrong number of sets")
        quorums = sets
    else:
        side_a, side_b, qa, qb = sets
        if side_a | side_b != everyone or side_a & side_b:
            fail("the sides are not a partition")
        if not (qa <= side_a and qb <= side_b):
            fail("a quorum is not inside its side")
        quorums = [qa, qb]
    for rule, (label, nodes) in zip(rules, witness.sets[-len(quorums):]):
        if not is_quorum(rule, nodes, n):
            fail(f"{label} is not a quorum")
    if frozenset.intersection(*quorums):
        fail("the quorums have a common node")
