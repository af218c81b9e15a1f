"""Exhaustive explicit-state search (breadth-first by default, or depth-first).

The seen set is one dict ``canonical state -> canonical parent`` (None for an
initial state): one entry per distinct state, and counterexamples are rebuilt
from the parent links after the search (`checker.explore.paths`). BFS goes
level by level, so depth is known per level and every counterexample is a
shortest one. DFS keeps an explicit stack of frames, one per depth.

Semantics (TLC's where they overlap):

- `Model.constraint`: a generated state outside it is counted as generated
  but is neither a distinct state, nor checked, nor expanded.
- `Model.canonicalize`: applied before the seen lookup (symmetry).
- Every invariant is checked on every new distinct state.
- A `StepAssertionError` from `Model.successors(s)` is a violation of its
  property; its trace is the path to ``s`` plus the failing step.
- Deadlock: a state with no step at all (a step back to the same state
  counts) that is not `Model.is_terminal`, when `Model.check_deadlock`.
- The first violation of each property is kept; the search stops early only
  once every property is violated, otherwise it runs to exhaustion or to a
  bound (``max_depth`` steps, ``max_states`` distinct states, ``time_limit``
  seconds), and then the result is incomplete.

The hot loops below avoid per-state function layers on purpose: the only
calls per transition are `Model.successors` (a generator) and, when set, the
constraint and canonicalize hooks.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from checker.explore.paths import make_trace
from checker.explore.progress import INTERVAL, Progress, ProgressCallback
from checker.explore.result import HOLDS, UNKNOWN, VIOLATED, CheckResult, Stats
from checker.model import Model, State, StepAssertionError, Verdict
from checker.options import SearchOptions, Strategy
from checker.trace import Trace

#: expanded states between two looks at the clock.
CHECK_EVERY = 2048


class _Stop(Exception):
    """Unwinds the search loops (every property violated, or a bound hit)."""


class _Search:
    def __init__(self, model: Model, strategy: Strategy, max_depth: int | None, max_states: int | None,
                 time_limit: float | None, progress: ProgressCallback | None):
        self.model = model
        self.strategy = strategy
        self.max_depth = max_depth
        self.max_states = max_states
        self.time_limit = time_limit
        self.progress = progress
        # Liveness properties are decided afterwards on the state graph.
        live = {lp.name for lp in model.liveness}
        self.props = [p for p in model.properties() if p not in live]
        self.seen: dict[State, State | None] = {}
        self.coverage = [0] * len(model.action_names)
        # prop -> (kind, canonical state, exception or None), in discovery order
        self.found: dict[str, tuple[str, State, StepAssertionError | None]] = {}
        self.active = tuple((inv.name, inv.check) for inv in model.invariants)
        self.reason = ""
        self.depth = 0
        self.assertion_cuts = 0
        self.queue = 0  # states left unexpanded when the search stopped
        self.start = self.last_report = time.monotonic()

    # -- rare paths (violations, bounds, clock) --------------------------
    def _record(self, prop: str, kind: str, state: State, exc: StepAssertionError | None = None) -> None:
        if prop in self.found:
            return
        self.found[prop] = (kind, state, exc)
        self.active = tuple(p for p in self.active if p[0] not in self.found)
        if all(p in self.found for p in self.props):
            self.reason = "stopped early: every property is violated"
            raise _Stop

    def _check_new(self, state: State) -> None:
        for name, check in self.active:
            if not check(state):
                self._record(name, "invariant", state)

    def _absorb(self, parent: State, steps: list, out: list[State]) -> None:
        """Process the steps a failed assertion did not stop (rare path;
        the same work as the hot loops, without their micro-optimisations)."""
        model, seen = self.model, self.seen
        for a, t in steps:
            self.coverage[a[0]] += 1
            if model.constraint is not None and not model.constraint(t):
                continue
            if model.canonicalize is not None:
                t = model.canonicalize(t)
            if t in seen:
                continue
            if self.max_states is not None and len(seen) == self.max_states:
                self._full()
            seen[t] = parent
            out.append(t)
            self._check_new(t)

    def _assertion(self, state: State, exc: StepAssertionError) -> None:
        if exc.successors is None:
            self.assertion_cuts += 1
        self._record(exc.prop, "assertion", state, exc)

    def _deadlock(self, state: State) -> None:
        if not self.model.is_terminal(state):
            self._record("deadlock", "deadlock", state)

    def _full(self) -> None:
        self.reason = f"max-states {self.max_states} reached"
        raise _Stop

    def _tick(self, queue: int) -> None:
        now = time.monotonic()
        elapsed = now - self.start
        if self.time_limit is not None and elapsed >= self.time_limit:
            self.reason = f"time limit {self.time_limit:g}s reached"
            raise _Stop
        if self.progress is not None and now - self.last_report >= INTERVAL:
            self.last_report = now
            self.progress(Progress(sum(self.coverage), len(self.seen), queue, self.depth, elapsed))

    def _probe(self, state: State) -> bool:
        """At the depth bound: decide deadlock and whether a new state lies
        beyond (then the search is incomplete). Not counted as generated."""
        model, seen = self.model, self.seen
        constraint, canon = model.constraint, model.canonicalize
        any_step = beyond = False
        try:
            for _, t in model.successors(state):
                any_step = True
                if constraint is not None and not constraint(t):
                    continue
                if (canon(t) if canon is not None else t) not in seen:
                    beyond = True
                    break
        except StepAssertionError as exc:
            self._assertion(state, exc)
            return True
        if not any_step and self.model.check_deadlock:
            self._deadlock(state)
        return beyond

    # -- initial states ----------------------------------------------------
    def _initial(self) -> list[State]:
        model, seen = self.model, self.seen
        constraint, canon = model.constraint, model.canonicalize
        out: list[State] = []
        for s in model.initial_states():
            if constraint is not None and not constraint(s):
                continue
            if canon is not None:
                s = canon(s)
            if s in seen:
                continue
            if self.max_states is not None and len(seen) >= self.max_states:
                self.queue = len(out)
                self._full()
            seen[s] = None
            out.append(s)
            self._check_new(s)
        return out

    # -- breadth-first -------------------------------------------------------
    def bfs(self) -> None:
        model, seen, cov = self.model, self.seen, self.coverage
        succ = model.successors
        constraint, canon = model.constraint, model.canonicalize
        deadlock = model.check_deadlock
        limit = self.max_states if self.max_states is not None else -1
        bound = self.max_depth
        level = self._initial()
        active = self.active
        countdown = CHECK_EVERY
        while level:
            if bound is not None and self.depth >= bound:
                self._cut_level(level)
                return
            nxt: list[State] = []
            i = 0
            try:
                for i, s in enumerate(level):
                    countdown -= 1
                    if not countdown:
                        countdown = CHECK_EVERY
                        self._tick(len(level) - i + len(nxt))
                    a = None
                    try:
                        for a, t in succ(s):
                            cov[a[0]] += 1
                            if constraint is not None and not constraint(t):
                                continue
                            if canon is not None:
                                t = canon(t)
                            if t in seen:
                                continue
                            if len(seen) == limit:
                                self._full()
                            seen[t] = s
                            nxt.append(t)
                            if active:
                                for name, check in active:
                                    if not check(t):
                                        self._record(name, "invariant", t)
                                        active = self.active
                    except StepAssertionError as exc:
                        self._assertion(s, exc)
                        self._absorb(s, exc.successors or [], nxt)
                        active = self.active
                        continue
                    if a is None and deadlock:
                        self._deadlock(s)
                        active = self.active
            except _Stop:
                self.queue = len(level) - i + len(nxt)
                if nxt:
                    self.depth += 1
                raise
            level = nxt
            if nxt:
                self.depth += 1

    # -- depth-first -----------------------------------------------------------
    def dfs(self) -> None:
        model, seen, cov = self.model, self.seen, self.coverage
        succ = model.successors
        constraint, canon = model.constraint, model.canonicalize
        deadlock = model.check_deadlock
        limit = self.max_states if self.max_states is not None else -1
        bound = self.max_depth
        # frames[d] holds states of depth d still to expand, next one last.
        frames: list[list[State]] = [self._initial()[::-1]]
        active = self.active
        countdown = CHECK_EVERY
        try:
            while frames:
                top = frames[-1]
                if not top:
                    frames.pop()
                    continue
                s = top.pop()
                d = len(frames) - 1
                countdown -= 1
                if not countdown:
                    countdown = CHECK_EVERY
                    self._tick(sum(map(len, frames)) + 1)
                if bound is not None and d >= bound:
                    if self._probe(s):
                        self.reason = self.reason or f"max-depth {bound} reached"
                    active = self.active
                    continue
                children: list[State] = []
                a = None
                try:
                    for a, t in succ(s):
                        cov[a[0]] += 1
                        if constraint is not None and not constraint(t):
                            continue
                        if canon is not None:
                            t = canon(t)
                        if t in seen:
                            continue
                        if len(seen) == limit:
                            self._full()
                        seen[t] = s
                        children.append(t)
                        if active:
                            for name, check in active:
                                if not check(t):
                                    self._record(name, "invariant", t)
                                    active = self.active
                except StepAssertionError as exc:
                    self._assertion(s, exc)
                    self._absorb(s, exc.successors or [], children)
                    active = self.active
                else:
                    if a is None and deadlock:
                        self._deadlock(s)
                        active = self.active
                if children:
                    children.reverse()
                    frames.append(children)
                    if d + 1 > self.depth:
                        self.depth = d + 1
        except _Stop:
            self.queue = sum(map(len, frames))
            raise

    def _cut_level(self, level: list[State]) -> None:
        beyond = False
        for i, s in enumerate(level):
            try:
                beyond = self._probe(s) or beyond
            except _Stop:
                self.queue = len(level) - i
                raise
        if beyond:
            self.reason = f"max-depth {self.max_depth} reached"
            self.queue = len(level)

    # -- result ----------------------------------------------------------------
    def result(self, seconds: float, queue: int) -> CheckResult:
        model = self.model
        complete = not self.reason
        verdicts: dict[str, Verdict] = {}
        for prop in self.props + [p for p in self.found if p not in self.props]:
            verdicts[prop] = VIOLATED if prop in self.found else (HOLDS if complete else UNKNOWN)
        traces: dict[str, Trace] = {}
        options: dict[str, Any] = {"strategy": str(self.strategy)}
        for prop in verdicts:
            if prop in self.found:
                kind, state, exc = self.found[prop]
                traces[prop] = make_trace(model, self.seen, prop, kind, state, exc, options)
        coverage = {name: self.coverage[k] for k, name in enumerate(model.action_names)}
        stats = Stats(len(self.seen), sum(self.coverage), self.depth, seconds, queue)
        notes = []
        if self.assertion_cuts:
            notes.append(f"a failed step assertion left the remaining steps of {self.assertion_cuts} "
                         "state(s) unexplored")
        return CheckResult(model.name, self.strategy, verdicts, traces, stats, coverage,
                           complete, self.reason, self.assertion_cuts, notes)


def explore(model: Model, options: SearchOptions | None = None, *,
            progress: ProgressCallback | None = None) -> CheckResult:
    """Explore every reachable state of ``model`` and check its properties.

    ``options`` (`checker.options.SearchOptions`): the strategy (BFS finds
    shortest counterexamples), ``max_depth`` steps from an initial state
    (default: `Model.max_depth`), ``max_states`` distinct states and
    ``time_limit`` seconds; hitting any of them makes the result
    incomplete. ``progress`` is called about every two seconds.
    Deterministic: the same model gives the same counts and traces.
    Liveness properties (`Model.liveness`) are then checked on the state
    graph, which may hold at most ``options.liveness_max_states`` states
    (`checker.explore.livecheck`).
    """
    options = options or SearchOptions()
    max_depth = model.max_depth if options.max_depth is None else options.max_depth
    time_limit = options.time_limit
    search = _Search(model, options.strategy, max_depth, options.max_states, time_limit, progress)
    # States are acyclic tuples: the cyclic GC only burns time rescanning
    # the ever-growing seen set, so it is paused during the search.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            search.bfs() if options.strategy is Strategy.BFS else search.dfs()
        except _Stop:
            pass
    finally:
        if gc_was_enabled:
            gc.enable()
    seconds = time.monotonic() - search.start
    result = search.result(seconds, search.queue)
    if model.liveness:
        from checker.explore.livecheck import add_liveness

        # A bound (not an early stop) leaves no complete graph to check.
        early = bool(search.props) and search.found.keys() >= set(search.props)
        cut = "" if early else search.reason
        deadline = search.start + time_limit if time_limit is not None else None
        del search  # frees the seen set before the graph is built
        gc.disable()
        try:
            add_liveness(model, result, max_states=options.liveness_max_states, skip=cut, deadline=deadline,
                         progress=progress)
        finally:
            if gc_was_enabled:
                gc.enable()
    return result
