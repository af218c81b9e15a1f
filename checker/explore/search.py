"""`explore`: the entry point of the exploration engine.

It runs the search in this process (`checker.explore.sequential`); a
breadth-first search with several workers hands itself, at the first level
of at least ``parallel_threshold`` states, to the parallel engine
(`checker.explore.parallel`), which hands it back for a level where the
search stops part-way (a bound, or every property violated), so the
counts, verdicts and counterexamples are those of one process. Then the
result is built: verdicts, traces re-executed from the parent links,
figures; liveness properties are decided last, on the state graph.
"""

from __future__ import annotations

import gc
from typing import Any, Callable

from checker.errors import ModelError
from checker.explore.control import Control, Stop
from checker.explore.evaluation import ERROR_KIND, EVAL_ERROR
from checker.explore.fingerprint import collision_probability, fingerprint
from checker.explore.outcome import Outcome
from checker.explore.paths import make_trace
from checker.explore.progress import ProgressCallback
from checker.explore.result import HOLDS, UNKNOWN, VIOLATED, CheckResult, Stats
from checker.explore.sequential import SequentialSearch
from checker.explore.snapshot import Snapshot, read_checkpoint
from checker.model import Model, State, Verdict
from checker.options import Option, OptionError, SearchOptions
from checker.trace import Trace


def checkpoint_header(model: Model, options: SearchOptions) -> dict[str, Any]:
    """What a checkpoint records besides the search: enough to rebuild the
    model (its recipe) and to refuse resuming it with another one."""
    return {"model": model.name, "actions": list(model.action_names), "recipe": model.recipe,
            "options": options}


def resume_header(directory: str) -> dict[str, Any]:
    """The header of the checkpoint in ``directory`` (its recipe and options)."""
    return read_checkpoint(directory)[1]


def _resume(model: Model, options: SearchOptions) -> Snapshot:
    assert options.resume is not None
    snap, header = read_checkpoint(options.resume)
    if header.get("model") != model.name or header.get("actions") != list(model.action_names):
        raise OptionError(Option.RESUME, options.resume,
                          f"the checkpoint is of model {header.get('model')!r}, not of {model.name!r}")
    if snap.exact != options.exact_states:
        raise OptionError(Option.RESUME, options.resume, "the checkpoint was written with"
                          f"{'' if snap.exact else 'out'} --exact-states; resume it the same way")
    return snap


def explore(model: Model, options: SearchOptions | None = None, *,
            progress: ProgressCallback | None = None) -> CheckResult:
    """Explore every reachable state of ``model`` and check its properties.

    ``options`` (`checker.options.SearchOptions`): the strategy (BFS finds
    shortest counterexamples), ``max_depth`` steps from an initial state
    (default: `Model.max_depth`), ``max_states`` distinct states,
    ``time_limit`` seconds, the memory limit; hitting any of them makes
    the result incomplete. Fingerprints or exact states, workers,
    checkpoints and resuming: see `SearchOptions`. ``progress`` is called
    about every two seconds. Deterministic: the same model gives the same
    counts and traces, whatever the number of workers. Liveness properties
    (`Model.liveness`) are then checked on the state graph, which may hold
    at most ``options.liveness_max_states`` states
    (`checker.explore.livecheck`).
    """
    options = options or SearchOptions()
    snap = _resume(model, options) if options.resume else None
    control = Control(options, prior_seconds=snap.seconds if snap else 0.0)
    parallel = options.parallel and not model.liveness
    if parallel and model.recipe is None:
        raise OptionError(Option.WORKERS, str(options.workers),
                          "needs a model that worker processes can rebuild (one loaded by checker.loader."
                          "load_model, or given a recipe); use one worker")
    search = SequentialSearch(model, options, control, progress, checkpoint_header(model, options))
    if snap is not None:
        search.restore(snap)
    # States are acyclic tuples: the cyclic GC only burns time rescanning
    # the ever-growing seen set, so it is paused during the search.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with control.catching_interrupts():
            result = _search(model, options, control, progress, search, parallel)
    finally:
        if gc_was_enabled:
            gc.enable()
    if model.liveness:
        from checker.explore.livecheck import add_liveness

        # A bound (not an early stop) leaves no complete graph to check.
        early = bool(search.props) and search.found.keys() >= set(search.props)
        cut = "" if early else search.reason
        deadline = control.start + options.time_limit if options.time_limit is not None else None
        del search  # frees the seen set before the graph is built
        gc.disable()
        try:
            add_liveness(model, result, max_states=options.liveness_max_states, skip=cut, deadline=deadline,
                         progress=progress)
        except ModelError as exc:  # a property's predicate on some state: the verdict, without a trace
            result.verdicts[EVAL_ERROR] = VIOLATED
            result.error = model.describe_error(exc).located()
        finally:
            if gc_was_enabled:
                gc.enable()
    return result


#: seconds of search after which the workers are started (they build the
#: model while this process goes on; a shorter search never starts them).
WARM_UP_AFTER = 0.3


def _search(model: Model, options: SearchOptions, control: Control, progress: ProgressCallback | None,
            search: SequentialSearch, parallel: bool) -> CheckResult:
    if not parallel:
        search.run()
        return build_result(model, options, Outcome.of(search), control.elapsed())
    from checker.explore.parallel import ParallelSearch

    threshold = options.parallel_threshold
    with ParallelSearch(model, options, control, progress, search.header) as par:

        def hand_over(level: int) -> bool:
            """At a level boundary: start the workers early, hand the search
            over once the level is big enough and they are ready (a level
            much bigger waits for them)."""
            if level >= threshold // 4 or control.elapsed() >= WARM_UP_AFTER:
                par.start()
            return level >= threshold and par.started and par.ready(wait=level >= 8 * threshold)

        if not search.run(hand_over):
            return build_result(model, options, Outcome.of(search), control.elapsed())
        back = par.run(search.snapshot())
        if back is None:  # finished in parallel: traces need the workers' parent tables
            return build_result(model, options, par.outcome(), control.elapsed())
    # The parallel engine handed back the level where the search stops.
    search.restore(back)
    search.run()
    out = Outcome.of(search, par.workers)
    out.notes = par.notes()
    return build_result(model, options, out, control.elapsed())


def build_result(model: Model, options: SearchOptions, out: Outcome, seconds: float) -> CheckResult:
    """Verdicts, replayed counterexamples and figures of a finished search."""
    complete = not out.reason
    verdicts: dict[str, Verdict] = {}
    for prop in out.props + [p for p in out.found if p not in out.props]:
        verdicts[prop] = VIOLATED if prop in out.found else (HOLDS if complete else UNKNOWN)
    traces: dict[str, Trace] = {}
    trace_options: dict[str, Any] = {"strategy": str(options.strategy)}
    key_of: Callable[[State], Any] = (lambda s: s) if out.exact else fingerprint
    for prop in verdicts:
        if prop in out.found:
            f = out.found[prop]
            if f.kind == ERROR_KIND and f.key is None:
                continue  # computing the initial states failed: no state to show
            traces[prop] = make_trace(model, out.parent_of, prop, f.kind, f.key, f.assertion, trace_options, key_of)
    coverage = {name: out.coverage[k] for k, name in enumerate(model.action_names)}
    generated = sum(out.coverage)
    stats = Stats(out.distinct, generated, out.depth, seconds, out.queue,
                  collision=None if out.exact else collision_probability(out.distinct, generated),
                  workers=out.workers)
    notes = list(out.notes)
    if out.assertion_cuts:
        notes.append(f"a failed step assertion left the remaining steps of {out.assertion_cuts} state(s) unexplored")
    if out.stop is not None and options.checkpoint:
        notes.append(f"checkpoint written to {options.checkpoint}; continue with: checker run --resume "
                     f"{options.checkpoint}")
    failed = out.found.get(EVAL_ERROR)
    return CheckResult(model.name, options.strategy, verdicts, traces, stats, coverage, complete, out.reason,
                       out.assertion_cuts, notes, interrupted=out.stop is Stop.INTERRUPT,
                       out_of_memory=out.stop is Stop.MEMORY,
                       error=failed.assertion.message if failed is not None and failed.assertion else "")
