"""One worker of the parallel search: it owns the fingerprints of one
partition of the seen set and expands part of each BFS level.

Between processes travel fingerprints, order keys and parent fingerprints
as arrays of 64-bit ints; whole states travel only to even out the
workers' frontiers (pickled in batches), never per successor.

A level, driven by `checker.explore.parallel.coordinator`:

1. ``expand``: expand the frontier in BFS order. Each successor gets an
   order key ``rank(parent) << 32 | 2 * i`` (its place in a one-process
   BFS); the worker keeps each fingerprint's first state and *claims* it
   from the fingerprint's owner with (fingerprint, key, parent).
2. ``judge`` (owner): a claimed fingerprint not yet seen is new; its
   parent is the claim with the least key, the one a one-process search
   would have met first; its keeper is that claimant.
3. ``adopt`` (claimant): keep the states it won, check invariants on them,
   report their keys.
4. ``advance``: the coordinator has ranked the new level globally and
   says how many states to hand to which worker; owners commit the new
   fingerprints to the seen set.

Nothing is committed before ``advance``, so a level can be dropped and
given back to the one-process search (`rollback`).
"""

from __future__ import annotations

import pickle
from array import array
from typing import Any, Callable

from checker.errors import ModelError
from checker.explore.evaluation import ERROR_KIND, EVAL_ERROR
from checker.explore.fingerprint import _digest as digest
from checker.explore.fingerprint import _pack as pack
from checker.explore.snapshot import AssertionRecord
from checker.explore.stepprops import checked_successors
from checker.model import State, StepAssertionError
from checker.options import SearchOptions

#: bits of an order key below the parent's rank.
SHIFT = 32
#: expansions between two looks at the abort flag.
CHECK_EVERY = 512

#: per property: (order key, kind, fingerprint, assertion or None)
Events = dict[str, tuple[int, str, int, AssertionRecord | None]]


def owner_of(fp: int, n: int) -> int:
    """The worker owning a fingerprint (bits the seen dict does not lean on)."""
    return (fp >> 32) % n


def _claims() -> tuple[array, array, array]:
    return array("Q"), array("q"), array("Q")


def _arrays(blob: bytes | None) -> tuple[array, array, array]:
    out = _claims()
    if blob:
        third = len(blob) // 3
        for a, part in zip(out, (blob[:third], blob[third:2 * third], blob[2 * third:])):
            a.frombytes(part)
    return out


def _blob(arrays: tuple[array, ...]) -> bytes:
    return b"".join(a.tobytes() for a in arrays)


def _note(events: Events, prop: str, key: int, kind: str, fp: int, record: AssertionRecord | None = None) -> None:
    old = events.get(prop)
    if old is None or key < old[0]:
        events[prop] = (key, kind, fp, record)


class Partition:
    """The state of one worker; every method returns plain picklable data."""

    def __init__(self, recipe: Any, options: SearchOptions, index: int, n: int,
                 aborted: Callable[[], bool] | None = None, progress: Callable[[int], None] | None = None):
        self.model = recipe.build()
        self.index, self.n = index, n
        self.aborted = aborted
        self.progress = progress
        self.seen: dict[int, int | None] = {}
        # the frontier in rank order
        self.ranks: list[int] = []
        self.fps: list[int] = []
        self.states: list[State] = []
        self.pending: dict[int, State] = {}
        self.own_claims = _claims()
        self.own_verdict: tuple[array, array] = (array("Q"), array("q"))
        self.level_parents: dict[int, int] = {}
        self.won: list[tuple[int, int, State]] = []
        self.invariants = [(inv.name, inv.check) for inv in self.model.invariants]

    # -- set-up and hand-over ------------------------------------------------
    def check(self) -> tuple[str, list[str], list[int]]:
        """What the coordinator compares with its own model: a worker that
        rebuilt another model must not take part."""
        m = self.model
        init = sorted(digest(pack(m.canonicalize(s) if m.canonicalize else s)) for s in m.initial_states())
        return m.name, list(m.action_names), init

    def seed(self, seen: bytes, frontier: bytes, found: list[str]) -> int:
        """Take this worker's part of a search: owned fingerprints with their
        parents (two arrays, an initial state its own parent), a pickled
        part of the frontier, and the properties already violated."""
        keys, parents = array("Q"), array("Q")
        half = len(seen) // 2
        keys.frombytes(seen[:half])
        parents.frombytes(seen[half:])
        self.seen = {k: (None if p == k else p) for k, p in zip(keys, parents)}
        self.ranks, self.fps, self.states = pickle.loads(frontier)
        self.invariants = [(name, check) for name, check in self.invariants if name not in found]
        return len(self.seen)

    def part(self) -> tuple[bytes, bytes]:
        """This worker's committed seen set and frontier (as `seed` takes them)."""
        keys = array("Q", self.seen.keys())
        parents = array("Q", (k if p is None else p for k, p in self.seen.items()))
        frontier = pickle.dumps((self.ranks, self.fps, self.states), protocol=pickle.HIGHEST_PROTOCOL)
        return keys.tobytes() + parents.tobytes(), frontier

    def parent_of(self, fp: int) -> int | None:
        return self.seen[fp]

    def forget(self, found: list[str]) -> None:
        """Stop checking invariants already violated."""
        self.invariants = [(name, check) for name, check in self.invariants if name not in found]

    # -- one level -------------------------------------------------------------
    def expand(self, shipments: list[bytes]) -> tuple[list[bytes | None], dict[str, Any]]:
        """Take the states handed over, expand the frontier, claim each new
        fingerprint from its owner. Returns the claims per owner (None for
        this worker's own) and a report: coverage, events, assertion cuts,
        or ``aborted``."""
        self.receive(shipments)
        model, n, me, seen = self.model, self.n, self.index, self.seen
        succ = checked_successors(model) if model.step_properties else model.successors
        constraint, canon = model.constraint, model.canonicalize
        deadlock = model.check_deadlock
        cov = [0] * len(model.action_names)
        events: Events = {}
        cuts = 0
        pending: dict[int, State] = {}
        claims = [_claims() for _ in range(n)]
        aborted = self.aborted
        countdown = CHECK_EVERY
        fps = self.fps
        # state -> fingerprint for this worker's part of the level and the
        # candidates it found (see checker.explore.sequential: a dict lookup
        # is cheaper than a fingerprint)
        recent = dict(zip(self.states, fps))
        try:  # around the whole level: an evaluation error hands the level back (see the coordinator)
            for idx, s in enumerate(self.states):
                countdown -= 1
                if not countdown:
                    countdown = CHECK_EVERY
                    if aborted is not None and aborted():
                        return [None] * n, {"aborted": True}
                    if self.progress is not None:
                        self.progress(sum(cov))
                ps = fps[idx]
                base = self.ranks[idx] << SHIFT
                i = 0
                failed = False
                # None: the state's steps; then the steps a failed assertion left
                source: Any = None
                while True:
                    try:
                        for a, t in (succ(s) if source is None else source):
                            cov[a[0]] += 1
                            i += 2
                            if t == s:  # a step that changes nothing
                                continue
                            if constraint is not None and not constraint(t):
                                continue
                            if canon is not None:
                                t = canon(t)
                            if t in recent:
                                continue
                            k = digest(pack(t))
                            if k in pending:
                                continue
                            o = (k >> 32) % n
                            if o == me and k in seen:
                                continue
                            pending[k] = t
                            recent[t] = k
                            c = claims[o]
                            c[0].append(k)
                            c[1].append(base + i)
                            c[2].append(ps)
                    except StepAssertionError as exc:
                        failed = True
                        if exc.successors is None:
                            cuts += 1
                        for e in exc.failures:  # failed assertions, violated step properties (target set)
                            _note(events, e.prop, base + i + 1, "assertion" if e.target is None else "step", ps,
                                  AssertionRecord.of(e))
                        source = exc.successors or []
                        continue
                    break
                if i == 0 and not failed and deadlock and not model.is_terminal(s):
                    _note(events, "deadlock", base + 1, "deadlock", ps)
        except ModelError:
            self.pending = {}
            return [None] * n, {"coverage": cov, "events": {EVAL_ERROR: (-1, ERROR_KIND, 0, None)}, "cuts": cuts}
        self.pending = pending
        self.own_claims = claims[me]
        out: list[bytes | None] = [None if v == me else _blob(claims[v]) for v in range(n)]
        return out, {"coverage": cov, "events": events, "cuts": cuts}

    def judge(self, claims: list[bytes | None]) -> list[bytes | None]:
        """As owner: decide which claimed fingerprints are new, the parent of
        each (least key) and who keeps it. Returns, per claimant, the
        fingerprints it keeps with their keys (None for this worker)."""
        seen, me, n = self.seen, self.index, self.n
        best: dict[int, list[int]] = {}
        for w in range(n):
            fps, keys, parents = self.own_claims if w == me else _arrays(claims[w])
            for j in [j for j, fp in enumerate(fps) if fp not in seen]:
                fp, key = fps[j], keys[j]
                b = best.get(fp)
                if b is None:
                    best[fp] = [key, parents[j], w]
                elif key < b[0]:
                    b[0], b[1], b[2] = key, parents[j], w
        self.own_claims = _claims()
        self.level_parents = {fp: b[1] for fp, b in best.items()}
        verdicts = [(array("Q"), array("q")) for _ in range(n)]
        for fp, (key, _, w) in best.items():
            v = verdicts[w]
            v[0].append(fp)
            v[1].append(key)
        self.own_verdict = verdicts[me]
        return [None if w == me else _blob(verdicts[w]) for w in range(n)]

    def adopt(self, verdicts: list[bytes | None]) -> tuple[bytes, Events]:
        """As claimant: keep the states won, check invariants on them.
        Returns their keys in order (an array of int64) and the invariant
        violations (least key per property)."""
        pending = self.pending
        won: list[tuple[int, int, State]] = []
        for v in range(self.n):
            if v == self.index:
                fps, keys = self.own_verdict
            else:
                blob = verdicts[v] or b""
                fps, keys = array("Q"), array("q")
                half = len(blob) // 2
                fps.frombytes(blob[:half])
                keys.frombytes(blob[half:])
            won.extend(zip(keys, fps, map(pending.__getitem__, fps)))
        self.pending = {}
        won.sort()
        events: Events = {}
        try:
            for name, check in self.invariants:
                for key, fp, t in won:
                    if not check(t):
                        _note(events, name, key, "invariant", fp)
                        break  # won is in key order: the first is the least
        except ModelError:  # the coordinator hands the level back
            events[EVAL_ERROR] = (-1, ERROR_KIND, 0, None)
        self.won = won
        return array("q", (w[0] for w in won)).tobytes(), events

    def advance(self, ranks: bytes, moves: list[tuple[int, int]]) -> list[bytes | None]:
        """Commit the level: owned new fingerprints enter the seen set, the
        states kept become the frontier with their global ranks, and the
        last ones go to other workers as ``moves`` (worker, count) say."""
        self.seen.update(self.level_parents)
        self.level_parents = {}
        r = array("q")
        r.frombytes(ranks)
        won = self.won
        self.won = []
        out: list[bytes | None] = [None] * self.n
        end = len(won)
        for dest, count in moves:
            part = range(end - count, end)
            out[dest] = pickle.dumps(([r[j] for j in part], [won[j][1] for j in part], [won[j][2] for j in part]),
                                     protocol=pickle.HIGHEST_PROTOCOL)
            end -= count
        self.ranks = list(r[:end])
        self.fps = [w[1] for w in won[:end]]
        self.states = [w[2] for w in won[:end]]
        return out

    def rollback(self) -> None:
        """Drop the level in progress (nothing of it was committed)."""
        self.pending, self.won, self.level_parents = {}, [], {}
        self.own_claims = _claims()

    def receive(self, shipments: list[bytes]) -> None:
        """Merge states handed over by other workers into the frontier."""
        if not shipments:
            return
        ranks, fps, states = self.ranks, self.fps, self.states
        for blob in shipments:
            r, f, s = pickle.loads(blob)
            ranks.extend(r)
            fps.extend(f)
            states.extend(s)
        order = sorted(range(len(ranks)), key=ranks.__getitem__)
        self.ranks = [ranks[j] for j in order]
        self.fps = [fps[j] for j in order]
        self.states = [states[j] for j in order]

    def memory(self) -> int:
        from checker.explore.control import resident_bytes

        return resident_bytes()
