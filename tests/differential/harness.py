"""Run one spec through the compiled engine and the reference interpreter
and list every way their answers differ.

Compared: distinct states and depth (unless the engine stopped early
because every safety property was violated), every verdict, the length of
each safety counterexample, and for a liveness counterexample the prefix
length (both are shortest) and the loop: the engine's loop must be at
least the reference's lower bound, and may be empty (the run stops) only
when the reference's bound is 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from checker import reference
from checker.compile import load_text
from checker.errors import ModelError
from checker.explore.search import explore
from checker.options import LoadOptions


@dataclass
class Figures:
    distinct: int = 0
    depth: int = 0
    verdicts: dict[str, str] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    lassos: dict[str, tuple[int, int]] = field(default_factory=dict)  # prefix, loop
    error: str | None = None
    early: bool = False  # the engine stopped once every safety property was violated


def engine(text: str, options: LoadOptions | None = None) -> Figures:
    options = replace(options or LoadOptions(), symmetry=False)
    model = load_text(text, "<generated>", options)
    try:
        result = explore(model)
    except ModelError as exc:
        return Figures(error=str(exc))
    live = {lp.name for lp in model.liveness}
    out = Figures(result.stats.distinct, result.stats.max_depth, dict(result.verdicts),
                  early=result.reason.startswith("stopped early"))
    for prop, trace in result.traces.items():
        if prop in live:
            start = trace.loop_start
            out.lassos[prop] = (len(trace), 0) if start is None else (start, len(trace) - start)
        else:
            out.lengths[prop] = len(trace)
    return out


def reference_run(text: str, options: LoadOptions | None = None, max_states: int | None = 200_000) -> Figures:
    r = reference.check_text(text, "<generated>", options, max_states)
    if r.error is not None:
        return Figures(error=r.error)
    return Figures(r.distinct, r.depth, dict(r.verdicts), dict(r.lengths),
                   {p: (x.prefix, x.loop) for p, x in r.lassos.items()})


def compare(eng: Figures, ref: Figures) -> list[str]:
    """Every difference between the two answers (empty: they agree)."""
    if eng.error or ref.error:
        if bool(eng.error) != bool(ref.error):
            return [f"error: engine {eng.error!r}, reference {ref.error!r}"]
        return []
    out = []
    if not eng.early:
        if eng.distinct != ref.distinct:
            out.append(f"distinct states: engine {eng.distinct}, reference {ref.distinct}")
        if eng.depth != ref.depth:
            out.append(f"depth: engine {eng.depth}, reference {ref.depth}")
    if eng.verdicts != ref.verdicts:
        out.append(f"verdicts: engine {eng.verdicts}, reference {ref.verdicts}")
    for prop, n in ref.lengths.items():
        if prop in eng.lengths and eng.lengths[prop] != n:
            out.append(f"{prop}: counterexample of {eng.lengths[prop]} steps, the shortest has {n}")
    for prop, (prefix, loop) in ref.lassos.items():
        if prop not in eng.lassos:
            continue
        e_prefix, e_loop = eng.lassos[prop]
        if e_prefix != prefix:
            out.append(f"{prop}: lasso prefix of {e_prefix} steps, the shortest has {prefix}")
        if e_loop < loop:
            out.append(f"{prop}: lasso loop of {e_loop} steps, but a fair loop needs at least {loop}")
    return out


def discrepancies(text: str, options: LoadOptions | None = None) -> list[str]:
    return compare(engine(text, options), reference_run(text, options))
