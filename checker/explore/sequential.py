"""Exhaustive explicit-state search in one process (breadth-first, or
depth-first).

The seen set is one dict ``key -> parent key`` (None for an initial
state), where a key is the canonical state's 64-bit fingerprint
(`checker.explore.fingerprint`) or, with exact states, the canonical state
itself. Only the frontier holds whole states; counterexamples are rebuilt
from the parent links by re-executing the model (`checker.explore.paths`).
BFS goes level by level, so depth is known per level and every
counterexample is a shortest one. DFS keeps an explicit stack of frames,
one per depth.

Semantics (TLC's where they overlap):

- `Model.constraint`: a generated state outside it is counted as generated
  but is neither a distinct state, nor checked, nor expanded.
- `Model.canonicalize`: applied before the seen lookup (symmetry).
- Every invariant is checked on every new distinct state, except where
  the step left every slot it reads (`Invariant.reads`) as the parent,
  which passed it, had them.
- A `StepAssertionError` from `Model.successors(s)` is a violation of each
  property it names; its trace is the path to ``s`` plus the failing step.
  Step properties (`Model.step_properties`) are checked on every step
  (`checker.explore.stepprops`); a violation's trace ends with the step.
- A `ModelError` while evaluating the model ends the search with the
  verdict "evaluation error" (`checker.explore.evaluation`); it is caught
  around a whole level (BFS) or the whole search (DFS), never per step.
- Deadlock: a state with no step at all (a step back to the same state
  counts) that is not `Model.is_terminal`, when `Model.check_deadlock`.
- The first violation of each property is kept; the search stops early only
  once every property is violated, otherwise it runs to exhaustion or to a
  bound (``max_depth`` steps, ``max_states`` distinct states, ``time_limit``
  seconds, the memory limit, Ctrl-C), and then the result is incomplete.

Between two expansions the BFS is a consistent `Snapshot`: it can start
from one (a checkpoint, or the parallel engine handing the search back),
write one as a checkpoint, and stop at a level boundary to hand itself to
the parallel engine.

The hot loops below avoid per-state function layers on purpose: the only
calls per transition are `Model.successors` (a generator), the
fingerprint (two C functions) and, when set, the constraint and
canonicalize hooks.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable

from checker.errors import ModelError
from checker.explore.control import Control, Stop
from checker.explore.evaluation import ERROR_KIND, EVAL_ERROR, error_record, failure_at
from checker.explore.fingerprint import _digest as digest
from checker.explore.fingerprint import _pack as pack
from checker.explore.fingerprint import unpack_state as unpack
from checker.explore.progress import INTERVAL, Progress, ProgressCallback
from checker.explore.snapshot import AssertionRecord, Found, Snapshot, write_checkpoint
from checker.explore.stepprops import checked_successors
from checker.model import Model, State, StepAssertionError
from checker.options import SearchOptions, Strategy

#: expanded states between two looks at the clock.
CHECK_EVERY = 512


class Stopped(Exception):
    """Unwinds the search loops (every property violated, or a bound hit)."""


class SequentialSearch:
    """One search in this process; `run` explores, then the fields hold
    the outcome (`found`, `coverage`, `seen`, `reason`, ...)."""

    def __init__(self, model: Model, options: SearchOptions, control: Control,
                 progress: ProgressCallback | None, header: dict[str, Any] | None = None):
        self.model = model
        self.options = options
        self.strategy = options.strategy
        self.max_depth = model.max_depth if options.max_depth is None else options.max_depth
        self.max_states = options.max_states
        self.exact = options.exact_states
        self.control = control
        self.progress = progress
        self.header = header or {}
        # Liveness properties are decided afterwards on the state graph.
        live = {lp.name for lp in model.liveness}
        self.props = [p for p in model.properties() if p not in live]
        self.seen: dict[Any, Any] = {}
        self.coverage = [0] * len(model.action_names)
        #: the model's steps, checked against its step properties if it has any
        self.successors = checked_successors(model) if model.step_properties else model.successors
        self.found: dict[str, Found] = {}
        self.active = tuple((inv.name, inv.check, _slots_of(inv.reads)) for inv in model.invariants)
        self.reason = ""
        self.stop: Stop | None = None
        self.depth = 0
        self.assertion_cuts = 0
        self.queue = 0  # states left unexpanded when the search stopped
        self.last_report = control.elapsed()
        # the BFS frontier: rest of the current level and the next one so far
        self.level: list[State] | None = None
        self.keys: list[Any] = []
        self.nxt: list[State] = []
        self.nkeys: list[Any] = []

    def key_of(self) -> Callable[[State], Any]:
        return (lambda s: s) if self.exact else (lambda s: digest(pack(s)))

    # -- snapshots -----------------------------------------------------------
    def restore(self, snap: Snapshot) -> None:
        """Continue from ``snap`` (a checkpoint or a handed-back search)."""
        if snap.exact != self.exact:
            raise ValueError("snapshot and search disagree on exact states")
        self.seen = snap.seen
        self.level, self.keys = snap.rest, (snap.rest if self.exact else snap.rest_keys)
        self.nxt, self.nkeys = snap.nxt, (snap.nxt if self.exact else snap.nxt_keys)
        self.depth = snap.depth
        self.coverage = list(snap.coverage)
        self.found = dict(snap.found)
        self.active = tuple(p for p in self.active if p[0] not in self.found)
        self.assertion_cuts = snap.assertion_cuts

    def snapshot(self, i: int = 0) -> Snapshot:
        """The search before expanding state ``i`` of the current level."""
        level = _states(self.level[i:]) if self.level else []
        return Snapshot(self.exact, self.seen, level, self.keys[i:], _states(self.nxt), self.nkeys, self.depth,
                        list(self.coverage), dict(self.found), self.assertion_cuts, self.control.elapsed())

    def save(self, i: int = 0) -> None:
        if self.options.checkpoint:
            write_checkpoint(self.options.checkpoint, self.snapshot(i), self.header)
            self.control.checkpoint_written()

    # -- rare paths (violations, bounds, clock) --------------------------
    def _record(self, prop: str, kind: str, key: Any, exc: StepAssertionError | None = None) -> None:
        if prop in self.found:
            return
        self.found[prop] = Found(kind, key, AssertionRecord.of(exc) if exc is not None else None)
        self.active = tuple(p for p in self.active if p[0] not in self.found)
        if all(p in self.found for p in self.props):
            self.reason = "stopped early: every property is violated"
            raise Stopped

    def _check_new(self, state: State, key: Any) -> None:
        for name, check, _ in self.active:
            if not check(state):
                self._record(name, "invariant", key)

    def _canonical_key(self, t: State) -> tuple[State, Any] | None:
        """(canonical state, key) of a successor, or None outside the constraint."""
        model = self.model
        if model.constraint is not None and not model.constraint(t):
            return None
        if model.canonicalize is not None:
            t = model.canonicalize(t)
        return t, (t if self.exact else digest(pack(t)))

    def _absorb(self, parent: Any, steps: list, out: list[State], out_keys: list[Any],
                recent: dict[Any, Any] | None = None) -> None:
        """Process the steps a failed assertion did not stop (rare path;
        the same work as the hot loops, without their micro-optimisations)."""
        seen = self.seen
        for a, t in steps:
            self.coverage[a[0]] += 1
            ck = self._canonical_key(t)
            if ck is None or ck[1] in seen:
                continue
            t, k = ck
            if self.max_states is not None and len(seen) == self.max_states:
                self._full()
            seen[k] = parent
            out.append(t)
            if out_keys is not out:
                out_keys.append(k)
                if recent is not None:
                    recent[t] = k
            self._check_new(t, k)

    def _assertion(self, key: Any, exc: StepAssertionError) -> None:
        if exc.successors is None:
            self.assertion_cuts += 1
        for e in exc.failures:  # a failed assertion, or a violated step property (target set)
            self._record(e.prop, "assertion" if e.target is None else "step", key, e)

    def _model_error(self, state: State | None, key: Any, exc: ModelError, at_state: bool = False) -> None:
        """End the search with an evaluation error met while expanding
        ``state`` (``at_state``: while checking ``state`` itself; no state:
        while computing the initial states)."""
        if state is None or at_state:
            record = error_record(self.model, exc)
        else:
            record = failure_at(self.model, state, self.successors, exc)
        self.found[EVAL_ERROR] = Found(ERROR_KIND, key, record)
        self.reason = "stopped by an evaluation error"

    def _deadlock(self, state: State, key: Any) -> None:
        if not self.model.is_terminal(state):
            self._record("deadlock", "deadlock", key)

    def _full(self) -> None:
        self.reason = f"max-states {self.max_states} reached"
        raise Stopped

    def _tick(self, queue: int, i: int = -1) -> None:
        """Every few hundred expansions: stop requests, checkpoints, progress.
        ``i``: the BFS is consistent before expanding state ``i`` (-1: DFS)."""
        control = self.control
        stop = control.poll()
        if i >= 0 and (stop is not None or control.checkpoint_due()):
            self.save(i)
        if stop is not None:
            self.stop, self.reason = stop, control.reason
            raise Stopped
        now = control.elapsed()
        if self.progress is not None and now - self.last_report >= INTERVAL:
            self.last_report = now
            self.progress(Progress(sum(self.coverage), len(self.seen), queue, self.depth, now))

    def _probe(self, state: State, key: Any) -> bool:
        """At the depth bound: decide deadlock and whether a new state lies
        beyond (then the search is incomplete). Not counted as generated."""
        any_step = beyond = False
        try:
            for _, t in self.successors(state):
                any_step = True
                ck = self._canonical_key(t)
                if ck is not None and ck[1] not in self.seen:
                    beyond = True
                    break
        except StepAssertionError as exc:
            self._assertion(key, exc)
            return True
        if not any_step and self.model.check_deadlock:
            self._deadlock(state, key)
        return beyond

    # -- initial states ----------------------------------------------------
    def _initial(self) -> tuple[list[State], list[Any]]:
        seen = self.seen
        out: list[State] = []
        keys: list[Any] = out if self.exact else []
        try:
            initial = self.model.initial_states()
        except ModelError as exc:
            self._model_error(None, None, exc)
            raise Stopped from None
        for s in initial:
            try:
                ck = self._canonical_key(s)
            except ModelError as exc:  # the constraint or the symmetry on an initial state
                self._model_error(None, None, exc)
                raise Stopped from None
            if ck is None or ck[1] in seen:
                continue
            s, k = ck
            if self.max_states is not None and len(seen) >= self.max_states:
                self.queue = len(out)
                self._full()
            seen[k] = None
            out.append(s)
            if keys is not out:
                keys.append(k)
            try:
                self._check_new(s, k)
            except ModelError as exc:
                self._model_error(s, k, exc, at_state=True)
                self.queue = len(out)
                raise Stopped from None
        return out, keys

    # -- driver ---------------------------------------------------------------
    def run(self, hand_over: Callable[[int], bool] | None = None) -> bool:
        """Explore; True when the BFS stopped at a level boundary to hand
        itself to the parallel engine (when ``hand_over(level size)`` said
        so at a boundary), False when done."""
        try:
            if self.strategy is Strategy.BFS:
                return self.bfs(hand_over)
            self.dfs()
        except Stopped:
            pass
        return False

    # -- breadth-first -------------------------------------------------------
    def bfs(self, hand_over: Callable[[int], bool] | None) -> bool:
        model, seen, cov = self.model, self.seen, self.coverage
        succ = self.successors
        constraint, canon = model.constraint, model.canonicalize
        deadlock = model.check_deadlock
        exact = self.exact
        limit = self.max_states if self.max_states is not None else -1
        bound = self.max_depth
        if self.level is None:
            self.level, self.keys = self._initial()
            self.nxt = []
            self.nkeys = self.nxt if exact else []
        level, keys, nxt, nkeys = self.level, self.keys, self.nxt, self.nkeys
        # With fingerprints, the states of the current and the next level
        # map to theirs: most repeated successors are one of those (in
        # TwoPhase, Paxos and the ticket spec all; in raft.tla half), and a
        # dict lookup is several times cheaper than a fingerprint.
        recent: dict[Any, Any] = seen if exact else {**dict(zip(level, keys)), **dict(zip(nxt, nkeys))}
        # A frontier larger than `compact_at` is held as the states'
        # encodings (a third of their size), without `recent`.
        compact_at = self.options.compact_frontier if self.model.plain_states and not exact else None
        compact = any(type(x) is bytes for x in level) or any(type(x) is bytes for x in nxt)
        if compact:
            recent = {}
        # Without symmetry the recent states are looked up before the
        # constraint is evaluated (raft.tla's costs a quarter of its run).
        early = constraint is not None and canon is None and not exact and not compact
        active = self.active
        countdown = CHECK_EVERY
        while level or nxt:
            if not nxt:  # a level boundary
                if bound is not None and self.depth >= bound:
                    try:
                        self._cut_level(level, keys)
                    except ModelError as exc:  # rare: `_cut_level` keeps the index in self.queue
                        i = len(level) - self.queue
                        self._model_error(_states(level[i:i + 1])[0], keys[i], exc)
                        raise Stopped from None
                    return False
                if hand_over is not None and hand_over(len(level)):
                    return True
                if compact and compact_at is not None and len(level) < compact_at // 2:
                    compact = False
                    level = self.level = _states(level)
                    recent = dict(zip(level, keys))
                    early = constraint is not None and canon is None
                elif not compact and compact_at is not None and len(level) > compact_at:
                    compact = True
                    recent = {}
                    early = False
                    _encode(level, 0)
            i = 0
            try:
                for i, s in enumerate(level):
                    countdown -= 1
                    if not countdown:
                        countdown = CHECK_EVERY
                        self._tick(len(level) - i + len(nxt), i)
                        if not compact and compact_at is not None and len(level) - i + len(nxt) > compact_at:
                            compact = True
                            recent = {}
                            early = False
                            _encode(level, i + 1)
                            _encode(nxt, 0)
                    if compact and type(s) is bytes:
                        s = unpack(s)
                    ps = keys[i]
                    a = None
                    try:
                        for a, u in succ(s):
                            cov[a[0]] += 1
                            if u == s:  # a step that changes nothing (a third of TwoPhase's, most of Paxos's)
                                continue
                            if constraint is not None:
                                # a state of these levels met the constraint: a lookup is cheaper
                                if early and u in recent:
                                    continue
                                if not constraint(u):
                                    continue
                            t = u if canon is None else canon(u)
                            if exact:
                                if t in seen:
                                    continue
                                k: Any = t
                                entry: Any = t
                            elif compact:
                                entry = pack(t)
                                k = digest(entry)
                                if k in seen:
                                    continue
                                nkeys.append(k)
                            else:
                                if not early and t in recent:
                                    continue
                                k = digest(pack(t))
                                if k in seen:
                                    continue
                                recent[t] = k
                                nkeys.append(k)
                                entry = t
                            if len(seen) == limit:
                                self._full()
                            seen[k] = ps
                            nxt.append(entry)
                            if active:
                                for name, check, slots in active:
                                    # it reads what the parent, which passed it, holds: it holds
                                    if slots is not None and slots(u) == slots(s):
                                        continue
                                    if not check(t):
                                        self._record(name, "invariant", k)
                                        active = self.active
                    except StepAssertionError as exc:
                        self._assertion(ps, exc)
                        self._absorb(ps, exc.successors or [], nxt, nkeys, recent)
                        active = self.active
                        continue
                    if a is None and deadlock:
                        self._deadlock(s, ps)
                        active = self.active
            except (Stopped, ModelError) as exc:
                if isinstance(exc, ModelError):
                    self._model_error(_states(level[i:i + 1])[0], keys[i], exc)
                self.queue = len(level) - i + len(nxt)
                if nxt:
                    self.depth += 1
                raise Stopped from None
            if not exact and not compact:
                for s in level:
                    recent.pop(s, None)  # (a level expanded in part compact is in part only)
            level, keys = nxt, nkeys
            nxt = []
            nkeys = nxt if exact else []
            self.level, self.keys, self.nxt, self.nkeys = level, keys, nxt, nkeys
            if level:
                self.depth += 1
        return False

    def _cut_level(self, level: list[State], keys: list[Any]) -> None:
        beyond = False
        for i, s in enumerate(level):
            if type(s) is bytes:
                s = unpack(s)
            try:
                beyond = self._probe(s, keys[i]) or beyond
            except (Stopped, ModelError):
                self.queue = len(level) - i
                raise
        if beyond:
            self.reason = f"max-depth {self.max_depth} reached"
            self.queue = len(level)

    # -- depth-first -----------------------------------------------------------
    def dfs(self) -> None:
        model, seen, cov = self.model, self.seen, self.coverage
        succ = self.successors
        constraint, canon = model.constraint, model.canonicalize
        deadlock = model.check_deadlock
        exact = self.exact
        limit = self.max_states if self.max_states is not None else -1
        bound = self.max_depth
        init, init_keys = self._initial()
        # frames[d] holds (state, key) of depth d still to expand, next one last.
        frames: list[list[tuple[State, Any]]] = [list(zip(init, init_keys))[::-1]]
        active = self.active
        countdown = CHECK_EVERY
        s: Any = None
        ps: Any = None
        try:
            while frames:
                top = frames[-1]
                if not top:
                    frames.pop()
                    continue
                s, ps = top.pop()
                d = len(frames) - 1
                countdown -= 1
                if not countdown:
                    countdown = CHECK_EVERY
                    self._tick(sum(map(len, frames)) + 1)
                if bound is not None and d >= bound:
                    if self._probe(s, ps):
                        self.reason = self.reason or f"max-depth {bound} reached"
                    active = self.active
                    continue
                children: list[tuple[State, Any]] = []
                a = None
                try:
                    for a, u in succ(s):
                        cov[a[0]] += 1
                        if u == s:  # a step that changes nothing
                            continue
                        if constraint is not None and not constraint(u):
                            continue
                        t = u if canon is None else canon(u)
                        k = t if exact else digest(pack(t))
                        if k in seen:
                            continue
                        if len(seen) == limit:
                            self._full()
                        seen[k] = ps
                        children.append((t, k))
                        if active:
                            for name, check, slots in active:
                                if slots is not None and slots(u) == slots(s):  # as in the parent: it holds
                                    continue
                                if not check(t):
                                    self._record(name, "invariant", k)
                                    active = self.active
                except StepAssertionError as exc:
                    self._assertion(ps, exc)
                    rest: list[State] = []
                    rest_keys: list[Any] = rest if exact else []
                    self._absorb(ps, exc.successors or [], rest, rest_keys)
                    children.extend(zip(rest, rest_keys))
                    active = self.active
                else:
                    if a is None and deadlock:
                        self._deadlock(s, ps)
                        active = self.active
                if children:
                    children.reverse()
                    frames.append(children)
                    if d + 1 > self.depth:
                        self.depth = d + 1
        except (Stopped, ModelError) as exc:
            if isinstance(exc, ModelError):
                self._model_error(s, ps, exc)
            self.queue = sum(map(len, frames))
            raise Stopped from None


def _slots_of(reads: tuple[int, ...] | None) -> Callable[[State], Any] | None:
    """A function giving the slots an invariant reads, to compare a state's
    with its parent's (equal values: the same answer)."""
    if reads is None:
        return None
    if not reads:
        return lambda state: ()
    return itemgetter(*reads)


def _encode(frontier: list[Any], start: int) -> None:
    """Encode the states of ``frontier`` from ``start`` on, in place (each
    whole state is freed as soon as its encoding exists)."""
    for j in range(start, len(frontier)):
        if type(frontier[j]) is not bytes:
            frontier[j] = pack(frontier[j])


def _states(frontier: list[Any]) -> list[State]:
    """A frontier with its compact entries decoded."""
    if not any(type(x) is bytes for x in frontier):
        return frontier
    return [unpack(x) if type(x) is bytes else x for x in frontier]
