"""Adds the verdicts of a model's liveness properties to a `CheckResult`.

Called by `explore` after the safety search, only for models with
liveness properties (`Model.liveness`); see `checker.explore.liveness`.
"""

from __future__ import annotations

import time
from typing import Any

from checker.explore.graph import DEFAULT_MAX_STATES, GraphTooLarge, build_graph
from checker.explore.lasso import lasso_trace
from checker.explore.liveness import find_violation
from checker.explore.progress import ProgressCallback
from checker.explore.result import HOLDS, UNKNOWN, VIOLATED, CheckResult
from checker.model import Model, Verdict


def add_liveness(model: Model, result: CheckResult, *, max_states: int | None = None, skip: str = "",
                 deadline: float | None = None, progress: ProgressCallback | None = None) -> None:
    """Decide every liveness property of ``model`` and record the verdicts,
    counterexamples and figures in ``result``.

    ``skip`` (a reason) leaves them unknown: a search cut by a depth or
    state bound has no complete graph to check. Past ``max_states`` states
    (default `DEFAULT_MAX_STATES`) or the ``deadline`` the check stops
    cleanly; the result is then incomplete and the verdicts unknown.
    """
    names = list(dict.fromkeys(lp.name for lp in model.liveness))
    verdicts: dict[str, Verdict] = {}
    if skip:
        verdicts = {n: UNKNOWN for n in names}
        result.notes.append(f"liveness not checked: {skip}")
    else:
        limit = DEFAULT_MAX_STATES if max_states is None else max_states
        t0 = time.monotonic()
        try:
            if result.stats.distinct > limit:  # the safety search already saw more
                raise GraphTooLarge(f"liveness-max-states {limit} reached (the state graph would hold at least "
                                    f"{result.stats.distinct:,} states)")
            g = build_graph(model, limit, deadline, progress)
        except GraphTooLarge as exc:
            verdicts = {n: UNKNOWN for n in names}
            result.complete = False
            result.reason = f"{result.reason}; {exc}" if result.reason else str(exc)
        else:
            options: dict[str, Any] = {"strategy": str(result.strategy), "liveness": True}
            for lp in model.liveness:
                if verdicts.get(lp.name) == VIOLATED:
                    continue
                found = find_violation(g, lp)
                if found is not None:
                    verdicts[lp.name] = VIOLATED
                    result.traces[lp.name] = lasso_trace(model, g, found, options)
                else:
                    verdicts.setdefault(lp.name, HOLDS if not g.cut else UNKNOWN)
            if g.cut:
                result.notes.append("liveness: a failed step assertion cut the state graph; "
                                    "properties without a counterexample are unknown")
            fairness = "weak and strong fairness" if g.strong else "weak fairness"
            result.notes.append(f"liveness: state graph of {len(g.states):,} states and {g.n_edges:,} steps "
                                f"checked in {time.monotonic() - t0:.2f} s under {fairness}")
    merged = dict(result.verdicts)
    merged.update(verdicts)
    order = [p for p in model.properties() if p in merged] + [p for p in merged if p not in model.properties()]
    result.verdicts = {p: merged[p] for p in order}
    result.traces = {p: result.traces[p] for p in order if p in result.traces}
