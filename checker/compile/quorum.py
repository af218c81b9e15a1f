"""``s is Majority`` in a model: whether a set of nodes is a quorum.

Evaluates exactly the declared rule with `checker.proofs.is_quorum` (plain
Python, no z3) -- the value the proofs are about -- so a proof covers what
the model checks. Results are memoised per set: a model asks about few
distinct sets, many times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from checker.errors import ModelError
from checker.values import is_node, is_set, node_number

if TYPE_CHECKING:
    from checker.dsl.quorums import QuorumInfo

# Enough for every subset of a 16-node role; past it, results are recomputed.
CACHE_LIMIT = 1 << 16


def quorum_check(info: QuorumInfo, show: Callable[[Any], str]) -> Callable[[Any], bool]:
    """``check(s) -> bool`` for one quorum declaration: whether the set
    ``s`` of the role's nodes is a quorum (a `ModelError` for anything else).
    A closure rather than an object: it runs in every state."""
    cache: dict[tuple, bool] = {}
    get = cache.get
    first, count, what = info.role.first, info.role.count, f"{info.role.name} nodes"

    def slow(s: Any) -> bool:
        if not is_set(s):
            raise ModelError(f"'is {info.name}' needs a set of {what}, not {show(s)}")
        members = []
        for v in s[1:]:
            i = node_number(v) - first if is_node(v) else -1
            if not 0 <= i < count:
                raise ModelError(f"'is {info.name}': {show(v)} in {show(s)} is not one of the {what}")
            members.append(i)
        result = info.holds(frozenset(members))
        if len(cache) < CACHE_LIMIT:
            cache[s] = result
        return result

    def check(s: Any) -> bool:
        hit = get(s) if type(s) is tuple else None
        return slow(s) if hit is None else hit

    return check
