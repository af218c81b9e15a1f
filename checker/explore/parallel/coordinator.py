"""The coordinator of a parallel breadth-first search.

It takes a search from the one-process engine at a level boundary, spreads
the seen set over the workers by fingerprint and the frontier evenly, and
drives the levels (`checker.explore.parallel.partition` describes one).
Each state of a level has a global rank, its place in the order a
one-process BFS would have expanded it; order keys derived from the ranks
decide every parent link and every first violation exactly as one process
would. A level in which the one-process search would stop part-way (every
property violated, the state bound crossed, an evaluation error) or that lies at the depth
bound is handed back to the one-process engine, unexpanded, so that counts,
depths, verdicts and counterexamples are the same with any number of
workers.

A stop request (time limit, Ctrl-C, memory limit) ends the search at the
last level boundary; checkpoints are written at level boundaries.
"""

from __future__ import annotations

import pickle
from array import array
from typing import Any

from checker.explore.control import Control, Stop, resident_bytes
from checker.explore.evaluation import EVAL_ERROR
from checker.explore.outcome import Outcome
from checker.explore.parallel.backends import ProcessBackend, RayBackend
from checker.explore.parallel.partition import Events, Partition, owner_of
from checker.explore.progress import INTERVAL, Progress, ProgressCallback
from checker.explore.snapshot import Found, Snapshot, write_checkpoint
from checker.model import Model
from checker.options import SearchOptions, cores


def default_workers() -> int:
    """The cores this process may run on."""
    return cores()


class ParallelSearch:
    """Use as a context manager: the workers live until it exits."""

    def __init__(self, model: Model, options: SearchOptions, control: Control, progress: ProgressCallback | None,
                 header: dict[str, Any]):
        self.model = model
        self.options = options
        self.control = control
        self.progress = progress
        self.header = header
        self.max_depth = model.max_depth if options.max_depth is None else options.max_depth
        live = {lp.name for lp in model.liveness}
        self.props = [p for p in model.properties() if p not in live]
        self.workers = options.workers or default_workers()
        self.backend: Any = None
        self.checked = False
        self.stopping: Stop | None = None
        self.partial = [0] * self.workers
        self.last_report = control.elapsed()
        # committed figures of the search
        self.found: dict[str, Found] = {}
        self.coverage: list[int] = []
        self.depth = 0
        self.distinct = 0
        self.frontier = 0
        self.cuts = 0
        self.reason = ""

    # -- workers -------------------------------------------------------------
    def __enter__(self) -> ParallelSearch:
        return self

    @property
    def started(self) -> bool:
        return self.backend is not None

    def start(self) -> None:
        """Start the workers; they build the model while this process goes on."""
        if self.backend is not None:
            return
        recipe, options = self.model.recipe, self.options
        if options.ray_address:
            self.backend = RayBackend(options.ray_address, Partition, lambda i, n: (recipe, options, i, n),
                                      options.workers, self._on_wait)
        else:
            n = self.workers
            self.backend = ProcessBackend(Partition, [(recipe, options, i, n) for i in range(n)], self._on_wait,
                                          self._on_progress, wait=False)
        self.workers = self.backend.n
        self.partial = [0] * self.workers

    def ready(self, wait: bool = False) -> bool:
        """Whether every worker has built its model (``wait``: until they have)."""
        self.start()
        if not self.backend.ready(wait):
            return False
        if not self.checked:
            mine = (self.model.name, list(self.model.action_names))
            for name, actions, _ in self.backend.call("check", [()] * self.workers):
                if (name, actions) != mine:
                    raise RuntimeError(f"a worker rebuilt model {name!r}, not {mine[0]!r}")
            self.checked = True
        return True

    def __exit__(self, *exc: Any) -> None:
        if self.backend is not None:
            self.backend.close()

    def _on_wait(self) -> None:
        """While workers run: watch the stop conditions, report progress."""
        control = self.control
        if self.stopping is None:
            if self.options.memory_limit is not None:
                control.extra_memory = sum(resident_bytes(pid) for pid in self.backend.pids()) \
                    if self.backend is not None else 0
            stop = control.poll()
            if stop is not None:
                self.stopping = stop
                self.reason = control.reason
                if self.backend is not None:
                    self.backend.abort()
        now = control.elapsed()
        if self.progress is not None and now - self.last_report >= INTERVAL:
            self.last_report = now
            self.progress(Progress(sum(self.coverage) + sum(self.partial), self.distinct, self.frontier, self.depth,
                                   now))

    def _on_progress(self, worker: int, generated: int) -> None:
        self.partial[worker] = generated

    # -- hand-over -------------------------------------------------------------
    def _scatter(self, snap: Snapshot) -> None:
        n = self.workers
        keys: list[array] = [array("Q") for _ in range(n)]
        parents: list[array] = [array("Q") for _ in range(n)]
        for k, p in snap.seen.items():
            o = owner_of(k, n)
            keys[o].append(k)
            parents[o].append(k if p is None else p)
        ranks = range(len(snap.rest))
        args = []
        for w in range(n):
            part = slice(w, None, n)  # round robin keeps the rank order in each part
            frontier = pickle.dumps((list(ranks[part]), snap.rest_keys[part], snap.rest[part]),
                                    protocol=pickle.HIGHEST_PROTOCOL)
            args.append((keys[w].tobytes() + parents[w].tobytes(), frontier, list(snap.found)))
        self.backend.call("seed", args)
        self.found = dict(snap.found)
        self.coverage = list(snap.coverage)
        self.depth = snap.depth
        self.distinct = len(snap.seen)
        self.frontier = len(snap.rest)
        self.cuts = snap.assertion_cuts

    def _gather(self) -> Snapshot:
        """The search at the last committed level boundary."""
        seen: dict[int, int | None] = {}
        ranks: list[int] = []
        fps: list[int] = []
        states: list[Any] = []
        for seen_blob, frontier in self.backend.call("part", [()] * self.workers):
            keys, parents = array("Q"), array("Q")
            half = len(seen_blob) // 2
            keys.frombytes(seen_blob[:half])
            parents.frombytes(seen_blob[half:])
            seen.update((k, None if p == k else p) for k, p in zip(keys, parents))
            r, f, s = pickle.loads(frontier)
            ranks.extend(r)
            fps.extend(f)
            states.extend(s)
        order = sorted(range(len(ranks)), key=ranks.__getitem__)
        return Snapshot(False, seen, [states[j] for j in order], [fps[j] for j in order], [], [], self.depth,
                        list(self.coverage), dict(self.found), self.cuts, self.control.elapsed())

    def _checkpoint(self) -> None:
        if self.options.checkpoint:
            write_checkpoint(self.options.checkpoint, self._gather(), self.header)
            self.control.checkpoint_written()

    # -- the levels --------------------------------------------------------------
    def run(self, snap: Snapshot) -> Snapshot | None:
        """Search from ``snap`` (at a level boundary). Returns a snapshot to
        finish in one process, or None when done here (see `outcome`)."""
        self.ready(wait=True)
        self._scatter(snap)
        n = self.workers
        shipments: list[list[bytes]] = [[] for _ in range(n)]
        bound = self.max_depth
        while self.frontier:
            if bound is not None and self.depth >= bound:
                return self._hand_back(shipments)
            if self.stopping is None:
                self._on_wait()
            if self.stopping is not None:
                self._stop(shipments)
                return None
            if self.control.checkpoint_due():
                self._deliver(shipments)
                self._checkpoint()
            expanded = self.backend.call("expand", [(shipments[w],) for w in range(n)])
            shipments = [[] for _ in range(n)]
            if any(r[1].get("aborted") for r in expanded):
                self._stop(shipments)
                return None
            if any(EVAL_ERROR in r[1].get("events", {}) for r in expanded):
                # an evaluation error: one process finds it again, with the
                # trace and place it would have without workers
                self.backend.call("rollback", [()] * n)
                return self._hand_back(shipments)
            claims = [r[0] for r in expanded]
            verdicts = self.backend.call("judge", [([claims[w][v] for w in range(n)],) for v in range(n)])
            adopted = self.backend.call("adopt", [([verdicts[v][w] for v in range(n)],) for w in range(n)])
            events: Events = {}
            for report in (r[1] for r in expanded):
                for prop, e in report["events"].items():
                    if prop not in events or e[0] < events[prop][0]:
                        events[prop] = e
            for _, level_events in adopted:
                for prop, e in level_events.items():
                    if prop not in events or e[0] < events[prop][0]:
                        events[prop] = e
            keys = []
            for blob, _ in adopted:
                k = array("q")
                k.frombytes(blob)
                keys.append(k)
            new = sum(len(k) for k in keys)
            fresh = {p: e for p, e in events.items() if p not in self.found}
            found_all = bool(fresh) and all(p in self.found or p in fresh for p in self.props)
            over = self.options.max_states is not None and self.distinct + new > self.options.max_states
            if found_all or over or EVAL_ERROR in events:
                self.backend.call("rollback", [()] * n)
                return self._hand_back(shipments)
            if self.stopping is not None:
                self._stop(shipments)
                return None
            self._commit(expanded, fresh)
            if not new:
                self.frontier = 0
                break
            ranks, moves = _rank(keys)
            out = self.backend.call("advance", [(ranks[w].tobytes(), moves[w]) for w in range(n)])
            for w in range(n):
                for v in range(n):
                    if out[w][v] is not None:
                        shipments[v].append(out[w][v])
            self.depth += 1
            self.distinct += new
            self.frontier = new
            self.partial = [0] * n
        return None

    def _commit(self, expanded: list[Any], fresh: Events) -> None:
        for _, report in expanded:
            for k, c in enumerate(report["coverage"]):
                self.coverage[k] += c
            self.cuts += report["cuts"]
        for prop, (_, kind, fp, record) in sorted(fresh.items(), key=lambda item: item[1][0]):
            self.found[prop] = Found(kind, fp, record)
        if fresh:
            self.backend.call("forget", [(list(self.found),)] * self.workers)

    def _deliver(self, shipments: list[list[bytes]]) -> None:
        """Hand over states still in transit, so that `part` sees them."""
        if any(shipments):
            self.backend.call("receive", [(shipments[w],) for w in range(self.workers)])
            for s in shipments:
                s.clear()

    def _hand_back(self, shipments: list[list[bytes]]) -> Snapshot:
        self._deliver(shipments)
        return self._gather()

    def _stop(self, shipments: list[list[bytes]]) -> None:
        self.backend.clear_abort()
        self.backend.call("rollback", [()] * self.workers)
        self._deliver(shipments)
        if self.options.checkpoint:
            self._checkpoint()
        return None

    # -- the outcome ----------------------------------------------------------
    def parent_of(self, fp: int) -> int | None:
        return self.backend.call_one(owner_of(fp, self.workers), "parent_of", fp)

    def outcome(self) -> Outcome:
        return Outcome(self.props, self.found, self.coverage, self.distinct, self.depth, self.frontier,
                       self.reason, self.stopping, self.cuts, self.parent_of, False, self.workers, self.notes())

    def notes(self) -> list[str]:
        nodes = getattr(self.backend, "nodes", None)
        if nodes is None:
            return []
        return [f"Ray: {len(nodes)} partitions on {len(set(nodes))} node(s) of the cluster at "
                f"{self.options.ray_address}"]


def _rank(keys: list[array]) -> tuple[list[array], list[list[tuple[int, int]]]]:
    """Global ranks of each worker's (sorted) keys, and the moves that even
    out the workers' shares: per worker, a list of (receiver, count)."""
    order = sorted(k for part in keys for k in part)
    place = {k: i for i, k in enumerate(order)}
    ranks = [array("q", map(place.__getitem__, part)) for part in keys]
    n = len(keys)
    total = len(order)
    target = [total // n + (1 if w < total % n else 0) for w in range(n)]
    surplus = [(w, len(keys[w]) - target[w]) for w in range(n) if len(keys[w]) > target[w]]
    deficit = [[w, target[w] - len(keys[w])] for w in range(n) if len(keys[w]) < target[w]]
    moves: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for w, extra in surplus:
        while extra:
            d = deficit[0]
            count = min(extra, d[1])
            moves[w].append((d[0], count))
            extra -= count
            d[1] -= count
            if not d[1]:
                deficit.pop(0)
    return ranks, moves
