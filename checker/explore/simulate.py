"""Random simulation (TLC's ``-simulate``): behaviours chosen at random,
every state checked, for models too big to exhaust.

Behaviour ``i`` of a simulation with seed ``S`` draws its choices from
``random.Random(f"{S}:{i}")``: it starts in a random initial state and
takes a random enabled step (within the state constraint) until ``depth``
steps, a deadlock, or a state whose every step leaves the constraint.
Invariants are checked on every state and step assertions on every step
taken (a state is expanded in full, so an assertion of any of its steps
counts); a state without any step that is not terminal is a deadlock.

The first violating behaviour (the least ``i``) ends the simulation; the
figures count behaviours ``0..i``. So the result depends only on the
model, the seed and the bounds, not on the number of workers, which run
behaviours in batches.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from checker.errors import ModelError
from checker.exitcode import ExitCode
from checker.explore.evaluation import ERROR_KIND, EVAL_ERROR, error_record, failure_at
from checker.explore.paths import trace_of
from checker.explore.snapshot import AssertionRecord
from checker.explore.stepprops import checked_successors
from checker.model import Action, Model, State, StepAssertionError, Verdict
from checker.trace import Trace

#: behaviours per worker per batch (a violation stops at the end of a batch).
BATCH = 16


@dataclass
class Behaviour:
    """One simulated behaviour: how many steps, which actions, and its
    violation (property, kind, path, failing step) if it broke one."""

    index: int
    steps: int
    coverage: list[int]
    violation: tuple[str, str, list[tuple[Action | None, State]], Any] | None = None


@dataclass
class SimulationResult:
    """What `simulate` found (see the module doc)."""

    model_name: str
    seed: int
    runs: int  # behaviours simulated (up to the first violating one)
    depth: int
    steps: int  # steps taken over all of them
    verdicts: dict[str, Verdict]
    traces: dict[str, Trace]
    coverage: dict[str, int]
    seconds: float
    workers: int = 1
    notes: list[str] = field(default_factory=list)

    #: the message of an evaluation error that ended a behaviour
    error: str = ""

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.traces or self.error else ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.model_name, "seed": self.seed, "runs": self.runs, "depth": self.depth,
                "steps": self.steps, "verdicts": {p: str(v) for p, v in self.verdicts.items()},
                "coverage": self.coverage, "traces": {p: len(t) for p, t in self.traces.items()},
                "seconds": round(self.seconds, 3), "workers": self.workers, "error": self.error or None,
                "exit_code": int(self.exit_code)}


def behaviour(model: Model, seed: int, index: int, depth: int) -> Behaviour:
    """Simulate behaviour ``index`` (deterministic in seed and index). An
    evaluation error ends it with the verdict "evaluation error"
    (`checker.explore.evaluation`)."""
    coverage = [0] * len(model.action_names)
    path: list[tuple[Action | None, State]] = []
    successors = checked_successors(model) if model.step_properties else model.successors
    try:
        return _behaviour(model, random.Random(f"{seed}:{index}"), index, depth, coverage, path, successors)
    except ModelError as exc:
        record = failure_at(model, path[-1][1], successors, exc) if path else error_record(model, exc)
        return Behaviour(index, max(0, len(path) - 1), coverage, (EVAL_ERROR, ERROR_KIND, path, record))


def _behaviour(model: Model, rng: random.Random, index: int, depth: int, coverage: list[int],
               path: list[tuple[Action | None, State]], successors: Any) -> Behaviour:
    constraint = model.constraint
    inits = [s for s in model.initial_states() if constraint is None or constraint(s)]
    if not inits:
        return Behaviour(index, 0, coverage)
    state = inits[rng.randrange(len(inits))]
    path.append((None, state))
    broken = _broken_invariant(model, state)
    if broken is not None:
        return Behaviour(index, 0, coverage, (broken, "invariant", path, None))
    for step in range(depth):
        try:
            steps = list(successors(state))
        except StepAssertionError as exc:  # a failed assertion, or a step property violated (target set)
            kind = "assertion" if exc.target is None else "step"
            return Behaviour(index, step, coverage, (exc.prop, kind, path, AssertionRecord.of(exc)))
        if not steps:
            if model.check_deadlock and not model.is_terminal(state):
                return Behaviour(index, step, coverage, ("deadlock", "deadlock", path, None))
            return Behaviour(index, step, coverage)
        allowed = [s for s in steps if constraint is None or constraint(s[1])]
        if not allowed:
            return Behaviour(index, step, coverage)
        action, state = allowed[rng.randrange(len(allowed))]
        coverage[action[0]] += 1
        path.append((action, state))
        broken = _broken_invariant(model, state)
        if broken is not None:
            return Behaviour(index, step + 1, coverage, (broken, "invariant", path, None))
    return Behaviour(index, depth, coverage)


def _broken_invariant(model: Model, state: State) -> str | None:
    for inv in model.invariants:
        if not inv.check(state):
            return inv.name
    return None


class Simulator:
    """A worker of a parallel simulation: runs the behaviours it is given."""

    def __init__(self, recipe: Any, seed: int, depth: int, aborted: Callable[[], bool] | None = None,
                 progress: Callable[[int], None] | None = None):
        self.model = recipe.build()
        self.seed, self.depth = seed, depth

    def run(self, indices: list[int]) -> list[Behaviour]:
        out = []
        for i in indices:
            b = behaviour(self.model, self.seed, i, self.depth)
            out.append(b)
            if b.violation is not None:
                break
        return out


def simulate(model: Model, runs: int, depth: int, seed: int, *, workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Simulate ``runs`` random behaviours of at most ``depth`` steps.
    ``workers`` > 1 runs them in that many processes (the model needs a
    recipe, `Model.recipe`); the result is the same. ``progress`` is
    called with (behaviours done, steps) between batches."""
    start = time.monotonic()
    done: list[Behaviour] = []
    backend: Any = None
    if workers > 1 and runs > 1:
        if model.recipe is None:
            raise ValueError("a parallel simulation needs a model with a recipe (checker.loader.load_model)")
        from checker.explore.parallel.backends import ProcessBackend

        backend = ProcessBackend(Simulator, [(model.recipe, seed, depth)] * workers, on_wait=lambda: None)
    try:
        local = Simulator.__new__(Simulator)
        local.model, local.seed, local.depth = model, seed, depth
        n = backend.n if backend is not None else 1
        first_bad: int | None = None
        for start_index in range(0, runs, BATCH * n):
            batch = list(range(start_index, min(runs, start_index + BATCH * n)))
            if backend is None:
                results = [local.run(batch)]
            else:
                results = backend.call("run", [(batch[w::n],) for w in range(n)])
            for part in results:
                done.extend(part)
            bad = [b.index for b in done if b.violation is not None]
            if progress is not None:
                progress(len(done), sum(b.steps for b in done))
            if bad:
                first_bad = min(bad)
                break
    finally:
        if backend is not None:
            backend.close()
    done.sort(key=lambda b: b.index)
    if first_bad is not None:
        done = [b for b in done if b.index <= first_bad]
    return _result(model, seed, depth, done, time.monotonic() - start, backend.n if backend is not None else 1)


def _result(model: Model, seed: int, depth: int, done: list[Behaviour], seconds: float,
            workers: int) -> SimulationResult:
    live = {lp.name for lp in model.liveness}
    props = [p for p in model.properties() if p not in live]
    coverage = [0] * len(model.action_names)
    for b in done:
        coverage = [x + y for x, y in zip(coverage, b.coverage)]
    verdicts: dict[str, Verdict] = {p: Verdict.UNKNOWN for p in props}
    traces: dict[str, Trace] = {}
    notes = ["a simulation proves nothing: a property not violated may still fail in a behaviour not drawn"]
    if live:
        notes.append("liveness properties are not checked by simulation: " + ", ".join(sorted(live)))
    last = done[-1] if done else None
    error = ""
    if last is not None and last.violation is not None:
        prop, kind, path, exc = last.violation
        verdicts[prop] = Verdict.VIOLATED
        if kind == ERROR_KIND:
            error = exc.message
        if path:  # empty when computing the initial states failed
            traces[prop] = _trace(model, prop, kind, path, exc, seed, last.index)
    return SimulationResult(model.name, seed, len(done), depth, sum(b.steps for b in done), verdicts, traces,
                            {name: coverage[k] for k, name in enumerate(model.action_names)}, seconds, workers,
                            notes, error)


def _trace(model: Model, prop: str, kind: str, path: list[tuple[Action | None, State]], failure: Any, seed: int,
           index: int) -> Trace:
    return trace_of(model, path, prop, kind, failure, {"strategy": "simulate", "seed": seed, "behaviour": index})
