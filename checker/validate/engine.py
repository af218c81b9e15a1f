"""The search: breadth-first over model states, constrained by the log.

After each event the validator keeps the set of *candidate* states: the
states some behaviour of the model reaches while doing exactly the events
so far (each candidate paired with its claims, see `checker.validate.steps`).
An event maps every candidate to the next states of the steps that match
it; when a candidate has none, the mapping's *silent* steps (e.g. message
loss) may run first, up to ``max_silent`` of them (``lazy``: only then;
``eager``: always). The log is accepted when some behaviour consumes all
of it, rejected at the first event no candidate can match.

Memory is bounded: events are read one at a time, and each candidate keeps
a back-linked path of only its last ``window`` steps (for the chart of one
surviving behaviour).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from checker.exitcode import ExitCode
from checker.validate.bind import EventBinding
from checker.validate.explain import CandidateReport, explain
from checker.validate.logfile import Event, LogError
from checker.validate.options import Dispatch
from checker.validate.steps import Matcher, silent_steps
from checker.validate.units import Ties, extras, units

#: seconds between progress callbacks, and of silence before the first.
PROGRESS_INTERVAL = 2.0


class PathNode:
    """One step of a candidate's behaviour (linked to the step before)."""

    __slots__ = ("parent", "action", "state", "where", "depth", "silent")

    def __init__(self, parent: PathNode | None, action: Any, state: tuple, where: str, depth: int,
                 silent: bool = False):
        self.parent, self.action, self.state = parent, action, state
        self.where, self.depth, self.silent = where, depth, silent

    def path(self) -> list[PathNode]:
        out: list[PathNode] = []
        n: PathNode | None = self
        while n is not None:
            out.append(n)
            n = n.parent
        return out[::-1]


@dataclass
class Progress:
    events: int
    where: str
    candidates: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Outcome:
    """What the search found; `checker.validate.report` renders it."""

    verdict: str  # accepted, rejected, inconclusive
    events: int = 0  # events matched (skipped kinds not counted)
    skipped: int = 0
    last_where: str = ""  # the last matched event
    failed: Event | None = None  # the first event nothing matched
    reports: list[CandidateReport] = field(default_factory=list)
    candidates_before: int = 0  # candidates when the failed event came
    runs: list[list[Any]] = field(default_factory=list)  # [first no, last no, first where, last where, count]
    runs_dropped: int = 0
    max_candidates_seen: int = 0
    truncated: int = 0  # events after which candidates were dropped (bound)
    reason: str = ""  # why inconclusive
    silent_used: int = 0
    seconds: float = 0.0
    path: list[PathNode] = field(default_factory=list)  # one surviving behaviour (its last window)
    window_cut: bool = False

    @property
    def exit_code(self) -> ExitCode:
        return {"accepted": ExitCode.OK, "rejected": ExitCode.FAILED}.get(self.verdict, ExitCode.INCOMPLETE)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class Validator:
    """Validates a stream of events against a model through a binding."""

    MAX_RUNS = 10_000  # candidate-count runs kept for the report

    def __init__(self, model, view, dispatch: Dispatch, nodes, *, skip: frozenset[str] = frozenset(),
                 silent: tuple[str, ...] = (), max_silent: int = 0, silent_mode: str = "lazy",
                 max_candidates: int = 10_000, window: int = 1000, explain_limit: int = 3,
                 time_limit: float | None = None, progress: Callable[[Progress], None] | None = None,
                 require_send: bool = False, time_field: str | None = None):
        self.model = model
        self.view = view
        self.dispatch = dispatch
        logged = frozenset(sb.shape for eb in dispatch.bindings for sb in eb.steps if sb.kind == "send")
        self.matcher = Matcher(model, view, nodes, require_send, logged)
        self.skip = skip
        self.kinds = view.kinds
        kinds = {k.name: i for i, k in enumerate(view.kinds)}
        self.silent = {kinds[n] for n in silent if n in kinds}
        self.max_silent = max_silent if self.silent else 0
        self.eager = silent_mode == "eager"
        self.max_candidates = max_candidates
        self.window = max(1, window)
        self.explain_limit = explain_limit
        self.time_limit = time_limit
        self.progress = progress
        self.time_field = time_field

    def run(self, events: Iterator[Event]) -> Outcome:
        """Consume the events; stop at the first one nothing matches.
        Raises `LogError` for an event the mapping cannot read."""
        out = Outcome("accepted")
        start = time.monotonic()
        next_progress = start + PROGRESS_INTERVAL
        cands: dict[tuple, PathNode] = {}
        for s in self.model.initial_states():
            cands.setdefault((s, ()), PathNode(None, None, s, "", 0))
        depth = 0
        stream = Ties(units(events, self.dispatch, self.dispatch.has_effects), self.time_field)
        try:
            while True:
                unit = stream.next()
                if unit is None:
                    break
                ev, eb, effects = unit
                if eb is None or eb.skips:
                    if eb is not None or ev.kind in self.skip:
                        out.skipped += 1
                        continue
                    raise LogError(self.dispatch.unmapped(ev), ev.file, ev.line)
                depth += 1
                view, views, full = self._views(eb, ev, effects)
                new = self._step(cands, eb, full, depth, out)
                if not new:
                    # Lines of other logs with the same time may have come first.
                    ahead = self._concurrent(stream, unit, cands, depth, out)
                    if ahead is not None:
                        (ev, eb, effects), new = ahead
                        stream.push_back(unit)
                if not new:
                    ev, view = self._blame(cands, eb, view, views, ev, full)
                    out.verdict = "inconclusive" if out.truncated else "rejected"
                    if out.truncated:
                        out.reason = (f"candidates were dropped at the max_candidates bound ({self.max_candidates}) "
                                      "after some events; a dropped one might have matched")
                    out.failed = ev
                    out.candidates_before = len(cands)
                    out.reports = explain(self.matcher, eb, view, list(cands), self.explain_limit,
                                          self._silent_closure if self.max_silent else None)
                    break
                if len(new) > self.max_candidates:
                    new = dict(list(new.items())[: self.max_candidates])
                    out.truncated += 1
                cands = new
                out.events += 1 + len(effects)
                if effects:
                    ev = effects[-1][0]
                out.last_where = ev.where
                self._count(out, ev.where, len(cands))
                if depth % self.window == 0:
                    self._prune(cands, depth)
                    out.window_cut = True
                if out.events % 256 == 0:
                    now = time.monotonic()
                    if self.time_limit is not None and now - start > self.time_limit:
                        out.verdict = "inconclusive"
                        out.reason = f"time limit {self.time_limit:g}s reached at {ev.where}"
                        break
                    if self.progress is not None and now >= next_progress:
                        self.progress(Progress(out.events, ev.where, len(cands), now - start))
                        next_progress = now + PROGRESS_INTERVAL
        finally:
            out.seconds = time.monotonic() - start
        if cands:
            first = next(iter(cands.values()))
            out.path = first.path()
        return out

    @staticmethod
    def _views(eb: EventBinding, ev: Event, effects: list) -> tuple[Any, list, Any]:
        """The step's view, its effects' views, and the step's view with the
        effects' observations folded in."""
        view = eb.view(ev)
        views = [(b2, b2.view(e2)) for e2, b2 in effects]
        full = dataclasses.replace(view, extra=tuple(x[:3] for x in extras(view.node, views))) if views else view
        return view, views, full

    def _concurrent(self, stream: Ties, unit: tuple, cands: dict, depth: int, out: Outcome) -> Any:
        """A later unit logged at the same time in another log that matches
        now: ((event, binding, effects), new candidates), taken out of the
        stream; or None."""
        for k, other in stream.ties(unit):
            ev, eb, effects = other
            if eb is None or eb.skips:
                continue
            _, _, full = self._views(eb, ev, effects)
            new = self._step(cands, eb, full, depth, out)
            if new:
                stream.take(k)
                return other, new
        return None

    def _blame(self, cands: dict, eb: EventBinding, view, views: list, ev: Event, full) -> tuple[Event, Any]:
        """The line a multi-line step fails at: the step line itself when it
        fails alone, else the first effect line whose (final) values no
        candidate has."""
        if not views:
            return ev, full
        scratch = Outcome("accepted")
        if not self._step(cands, eb, view, 0, scratch):
            return ev, view
        found = extras(view.node, views)
        for k in range(len(views)):
            prefix = dataclasses.replace(view, extra=tuple(x[:3] for x in found if x[3] <= k))
            if not self._step(cands, eb, prefix, 0, scratch):
                return views[k][1].event, prefix
        return views[-1][1].event, full

    def _step(self, cands: dict, eb: EventBinding, view, depth: int, out: Outcome) -> dict:
        new: dict[tuple, PathNode] = {}
        where = view.event.where
        match = self.matcher.match
        for (state, claims), pn in cands.items():
            found = match(eb, view, state, claims)
            for action, t, c in found:
                key = (t, c)
                if key not in new:
                    new[key] = pn if action is None else PathNode(pn, action, t, where, depth)
            if self.max_silent and (self.eager or not found):
                self._silent(state, claims, pn, eb, view, depth, new, out)
        if len(new) > out.max_candidates_seen:
            out.max_candidates_seen = len(new)
        return new

    def _silent(self, state, claims, pn, eb, view, depth, new, out) -> None:
        """Up to ``max_silent`` silent steps from one candidate, then the event."""
        where = view.event.where
        frontier = [(state, claims, pn)]
        seen = {(state, claims)}
        budget = self.max_candidates * 10  # states one closure may visit
        for _ in range(self.max_silent):
            nxt = []
            hit = False
            for s, c, p in frontier:
                for action, t in silent_steps(self.model, s, self.silent):
                    c2 = self._drop_claim(c, action)
                    if (t, c2) in seen:
                        continue
                    seen.add((t, c2))
                    if len(seen) > budget:
                        out.truncated += 1
                        return
                    sp = PathNode(p, action, t, where, depth, silent=True)
                    nxt.append((t, c2, sp))
                    for a2, t2, c3 in self.matcher.match(eb, view, t, c2):
                        hit = True
                        out.silent_used += 1
                        key = (t2, c3)
                        if key not in new:
                            new[key] = sp if a2 is None else PathNode(sp, a2, t2, where, depth)
            if hit and not self.eager:
                return
            frontier = nxt

    def _drop_claim(self, claims: tuple, action: Any) -> tuple:
        """A silent loss of a claimed message takes its claim too."""
        if self.kinds[action[0]].kind.value != "loss":
            return claims
        m = self.view.action_parts(action).message
        if m is None or m not in claims:
            return claims
        i = claims.index(m)
        return claims[:i] + claims[i + 1:]

    def _silent_closure(self, state: tuple, claims: tuple, limit: int) -> list[tuple[tuple, tuple, list]]:
        """The states up to ``max_silent`` silent steps from a candidate
        (with the silent actions taken), for explanations."""
        out: list[tuple[tuple, tuple, list]] = []
        frontier: list[tuple[tuple, tuple, list]] = [(state, claims, [])]
        seen = {(state, claims)}
        for _ in range(self.max_silent):
            nxt = []
            for s, c, path in frontier:
                for action, t in silent_steps(self.model, s, self.silent):
                    c2 = self._drop_claim(c, action)
                    if (t, c2) in seen:
                        continue
                    seen.add((t, c2))
                    nxt.append((t, c2, path + [action]))
                    if len(nxt) + len(out) >= limit:
                        return out + nxt
            out += nxt
            frontier = nxt
        return out

    def _count(self, out: Outcome, where: str, n: int) -> None:
        runs = out.runs
        if runs and runs[-1][4] == n:
            runs[-1][1] = out.events
            runs[-1][3] = where
        else:
            runs.append([out.events, out.events, where, where, n])
            if len(runs) > self.MAX_RUNS:
                del runs[0]
                out.runs_dropped += 1

    def _prune(self, cands: dict, depth: int) -> None:
        """Cut every candidate's path ``window`` steps back: memory stays
        bounded however long the log."""
        keep = depth - self.window
        done: set[int] = set()
        for pn in cands.values():
            n = pn
            while n is not None and id(n) not in done:
                done.add(id(n))
                if n.depth <= keep:
                    n.parent = None
                    break
                n = n.parent

