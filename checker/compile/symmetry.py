"""Symmetry reduction: one canonical representative per orbit of states.

A spec that declares ``symmetric Server`` promises that Server's nodes are
interchangeable: renaming them (a permutation) maps every behaviour to a
behaviour and preserves every property. The engine then needs to store
only one state per orbit; `build_canonicalizer` makes the function that
picks it (`Model.canonicalize`).

A permutation acts on a state by moving each node's variable slots to the
slots of its image and renaming nodes inside every value (sets, bags and
maps are re-sorted afterwards; ints, strings and sequences keep their
order). The representative is the least permuted state, but not over all
n! permutations: each node first gets a *signature* that no renaming can
change (its own variables, and to split ties every other slot, with itself
written as SELF and every other node as OTHER); only permutations that
list the nodes in signature order are tried, i.e. every order within
groups of equal signatures, and of those only one per set of orders that
differ by exchanging nodes whose exchange leaves the state unchanged.
Renaming the state renames the candidate set the same way, so equivalent
states try the same candidates and agree on the least one: a true
canonical form, and counts do not depend on which state of an orbit the
search happens to reach first.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from checker.compile.layout import StateLayout
from checker.dsl.resolve import ResolvedSpec
from checker.values import BAG, MAP, NONE, SET, canonical, is_record, make_map, map_items, node, order_key

State = tuple


def build_canonicalizer(r: ResolvedSpec, layout: StateLayout, roles: list[str]) -> Callable[[State], State]:
    """``canon(state)``: the canonical representative of the state's orbit
    under every permutation of the nodes of each role in ``roles``. The
    per-node arrays of those roles are permuted; everything else, fault
    state included (the set of crashed nodes, a partition), is a value
    renamed in place."""
    groups = []  # (role number, node values, per-node slot bases)
    moved: set[int] = set()
    for g, name in enumerate(roles):
        role = r.roles[name]
        bases = layout.per_node_bases(role)
        groups.append((g, role.nodes, bases))
        for b in bases:
            moved.update(range(b, b + role.count))
    fixed = [j for j in range(layout.size) if j not in moved]
    # A partition is stored as the side that holds the first node; a
    # renaming may move that node to the other side (see `_Partition`).
    part = _Partition(r, layout)
    plain = [j for j in fixed if j != part.slot]
    role_of = {n: g for g, nodes, _ in groups for n in nodes}
    n_slots = layout.size

    # Per node, the renaming that writes the node as SELF and every other
    # node of a symmetric role as OTHER (per role): a value renamed so is
    # the same for the node's image in any permuted state.
    viewers = []
    for g, nodes, _ in groups:
        per_node = []
        for me in nodes:
            mapping = {n: _OTHER + chr(role_of[n]) for n in role_of}
            mapping[me] = _SELF + chr(g)
            per_node.append(_memo(_renamer(mapping), mapping))
        viewers.append(per_node)

    def split(idx: list[int], keys: list) -> list[list[int]]:
        """``idx`` sorted by ``keys[i]``, cut into runs of equal keys."""
        order = _sort_by(idx, keys)
        runs = [[order[0]]]
        for a, b in zip(order, order[1:]):
            if keys[a] == keys[b]:
                runs[-1].append(b)
            else:
                runs.append([b])
        return runs

    def candidates(s: State):
        """Per role, the runs of node indices with equal signatures, in
        signature order; None when every run has one node and the order is
        already the identity. A node's signature is its own variables as it
        sees them, then (only to split ties) every other slot as it sees it."""
        runs_per_role = []
        identity = True
        for g, nodes, bases in groups:
            view = viewers[g]
            own = [tuple([view[i](s[b + i]) for b in bases]) for i in range(len(nodes))]
            runs = split(list(range(len(nodes))), own)
            if len(runs) < len(nodes):
                rest: list = [None] * len(nodes)
                refined = []
                for run in runs:
                    if len(run) == 1:
                        refined.append(run)
                        continue
                    for i in run:
                        rest[i] = tuple([view[i](s[j]) for j in plain]) + part.seen_by(view[i], s)
                    refined.extend(split(run, rest))
                runs = refined
            for k, run in enumerate(runs):
                if len(run) > 1 or run[0] != k:
                    identity = False
            runs_per_role.append(runs)
        return None if identity else runs_per_role

    def apply(s: State, orders: list[list[int]]) -> State:
        """The state with node ``orders[g][k]`` of role g renamed to node k."""
        mapping: dict[str, str] = {}
        for (_, nodes, _), order in zip(groups, orders):
            for new, old in enumerate(order):
                mapping[nodes[old]] = nodes[new]
        perm = _renamer(mapping)
        t: list[Any] = [None] * n_slots
        for (_, _nodes, bases), order in zip(groups, orders):
            for b in bases:
                for new, old in enumerate(order):
                    t[b + new] = perm(s[b + old])
        for j in plain:
            t[j] = perm(s[j])
        if part.slot is not None:
            t[part.slot] = part.renamed(perm, s[part.slot])
        return tuple(t)

    def swap_fixes(s: State, g: int, x: int, y: int) -> bool:
        """Whether exchanging nodes x and y of role g leaves ``s`` unchanged."""
        orders = [list(range(len(nodes))) for _, nodes, _ in groups]
        orders[g][x], orders[g][y] = y, x
        return apply(s, orders) == s

    def run_orders(s: State, g: int, run: list[int]) -> list[list[int]]:
        """The orders of a run of tied nodes worth trying. Nodes whose
        exchange fixes the state are merged into classes; every order of a
        class's members gives the same permuted state (the transpositions
        that fix ``s`` generate the full symmetric group of each class), so
        only orders listing each class's members by index are tried."""
        if len(run) == 1:
            return [run]
        classes: list[list[int]] = []
        for x in sorted(run):
            for c in classes:
                if swap_fixes(s, g, c[0], x):
                    c.append(x)
                    break
            else:
                classes.append([x])
        if len(classes) == len(run):
            return [list(p) for p in itertools.permutations(run)]
        labels = [k for k, c in enumerate(classes) for _ in c]
        out = []
        for arrangement in _distinct_permutations(labels):
            nxt = [0] * len(classes)
            order = []
            for k in arrangement:
                order.append(classes[k][nxt[k]])
                nxt[k] += 1
            out.append(order)
        return out

    def canon(s: State) -> State:
        runs_per_role = candidates(s)
        if runs_per_role is None:
            return s
        choices = []
        for g, runs in enumerate(runs_per_role):
            per_run = [run_orders(s, g, run) for run in runs]
            choices.append([[i for part in parts for i in part] for parts in itertools.product(*per_run)])
        best: State | None = None
        for orders in itertools.product(*choices):
            t = apply(s, list(orders))
            if best is None or _less(t, best):
                best = t
        assert best is not None  # there is at least the identity order
        return best

    return canon


def _distinct_permutations(items: list[int]) -> list[tuple[int, ...]]:
    """Every distinct ordering of a multiset of small ints."""
    counts: dict[int, int] = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    keys = sorted(counts)
    out: list[tuple[int, ...]] = []
    prefix: list[int] = []

    def rec(left: int) -> None:
        if not left:
            out.append(tuple(prefix))
            return
        for k in keys:
            if counts[k]:
                counts[k] -= 1
                prefix.append(k)
                rec(left - 1)
                prefix.pop()
                counts[k] += 1

    rec(len(items))
    return out


#: slot values remembered per viewer; logs and histories recur in many states.
MEMO_LIMIT = 1 << 15


#: how a viewer writes itself and the other nodes of a symmetric role
#: (values no node, string or tag can be)
_SELF, _OTHER = "\x0e", "\x0f"


def _memo(fn: Callable[[Any], Any], mapping: dict[str, str]) -> Callable[[Any], Any]:
    """``fn`` (the renaming by ``mapping``) with its results on collections
    remembered."""
    cache: dict[Any, Any] = {}
    get = cache.get
    rename = mapping.get

    def f(v: Any) -> Any:
        t = type(v)
        if t is str:
            return rename(v, v)
        if t is int:
            return v
        r = get(v)
        if r is None:
            if len(cache) >= MEMO_LIMIT:
                cache.clear()
            r = cache[v] = fn(v)
        return r

    return f


def _renamer(mapping: dict[str, str]) -> Callable[[Any], Any]:
    get = mapping.get

    def perm(v: Any) -> Any:
        t = type(v)
        if t is str:
            return get(v, v)
        if t is int or not v:
            return v
        head = v[0]
        if head == SET or head == BAG:  # re-sorted: renaming changes the order
            return (head, *canonical([perm(x) for x in v[1:]]))
        if head == MAP:
            return make_map([(perm(k), perm(x)) for k, x in map_items(v)])
        if is_record(v):
            return (head, *[perm(x) for x in v[1:]])  # the tag is never a node
        return tuple([perm(x) for x in v])

    return perm


class _Partition:
    """The partition slot of the fault layer (`checker.dsl.faults`), if any:
    ``none``, or the side of the cut that holds the first node."""

    def __init__(self, r: ResolvedSpec, layout: StateLayout):
        self.slot = layout.partition
        self.nodes = frozenset(node(i) for i in range(len(r.node_roles)))
        self.first = node(0)

    def renamed(self, perm: Callable[[Any], Any], side: Any) -> Any:
        if side == NONE:
            return side
        side = perm(side)
        if self.first in side:
            return side
        return (SET, *canonical(self.nodes - set(side[1:])))

    def seen_by(self, view: Callable[[Any], Any], s: State) -> tuple:
        """Both sides as a node sees them, in a fixed order: which side holds
        the first node is not invariant under renaming."""
        if self.slot is None:
            return ()
        side = s[self.slot]
        if side == NONE:
            return (NONE,)
        other = (SET, *canonical(self.nodes - set(side[1:])))
        return tuple(sorted([view(side), view(other)]))


def _sort_by(idx: list[int], keys: list) -> list[int]:
    """``idx`` sorted by ``keys[i]`` in the total order of `_less`."""
    try:
        return sorted(idx, key=keys.__getitem__)
    except TypeError:
        return sorted(idx, key=lambda i: order_key(keys[i]))


def _less(a: State, b: State) -> bool:
    """``a < b`` in one total order of states. Python's own comparison is
    used when it works; it fails only where a slot holds an int in one
    state and a str in the other, and then `order_key` decides; the two
    agree wherever both are defined, so the order does not depend on which
    pairs happen to be compared."""
    try:
        return a < b
    except TypeError:
        return order_key(a) < order_key(b)
