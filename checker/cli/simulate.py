"""`checker simulate SPEC --runs N --depth D --seed S`: random behaviours
for models too big to exhaust (TLC's -simulate); invariants and step
assertions checked on every state, counterexamples in the trace format
and renderings of `checker run`, action coverage in the summary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from checker.cli.common import add_load_options, load_options, non_negative_int, positive_int, report
from checker.exitcode import ExitCode
from checker.explore.parallel import default_workers
from checker.explore.simulate import SimulationResult, simulate
from checker.loader import load_model
from checker.model import Model, Verdict
from checker.render import write_traces
from checker.render.text import render_coverage, render_trace


def add_parser(sub: Any) -> None:
    p = sub.add_parser("simulate", help="check random behaviours of a model too big to exhaust")
    p.add_argument("spec", help="a spec (.dsl) or a Python model (.py with build_model())")
    add_load_options(p)
    p.add_argument("--runs", type=positive_int("--runs"), default=1000, metavar="N",
                   help="behaviours to simulate (default 1000); the first violating one ends the simulation")
    p.add_argument("--depth", type=non_negative_int("--depth"), default=100, metavar="D",
                   help="steps per behaviour at most (default 100)")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="random seed (default 0): the same seed gives the same behaviours and result")
    p.add_argument("--workers", type=positive_int("--workers"), metavar="N",
                   help="processes simulating behaviours (default: one per core); the result does not depend on it")
    p.add_argument("--out", metavar="DIR", help="write the counterexample into DIR as `checker run --out` does")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of text")
    p.add_argument("--no-progress", action="store_true", help="do not print progress lines")


def run(args: argparse.Namespace) -> ExitCode:
    model = load_model(args.spec, load_options(args))
    workers = args.workers or default_workers()
    progress = None if args.no_progress else _progress_printer(args.runs)
    result = simulate(model, args.runs, args.depth, args.seed, workers=workers, progress=progress)
    if args.out:
        write_traces(result.traces, Path(args.out))
    with report():
        if args.json:
            print(json.dumps(result.to_json(), indent=1))
        else:
            print(render_simulation(result, model))
            for trace in result.traces.values():
                print()
                print(render_trace(trace))
    return result.exit_code


def _progress_printer(total: int) -> Any:
    import time

    start = time.monotonic()
    last = [start]

    def report(done: int, steps: int) -> None:
        now = time.monotonic()
        if now - start >= 3 and now - last[0] >= 2:
            last[0] = now
            print(f"simulate: {done:,} of {total:,} behaviours, {steps:,} steps ({now - start:.0f} s)",
                  file=sys.stderr, flush=True)

    return report


def render_simulation(result: SimulationResult, model: Model) -> str:
    """The summary of a simulation: verdicts, figures, action coverage."""
    bad = [p for p, v in result.verdicts.items() if v == Verdict.VIOLATED]
    lines = [f"{result.model_name}: " + (f"{len(bad)} property violated" if bad
                                         else f"no violation in {result.runs:,} behaviours")]
    if result.error and not result.traces:  # no state to show it with
        lines.append(f"evaluation error: {result.error}")
    width = max([len(p) for p in result.verdicts] + [8])
    for prop, verdict in result.verdicts.items():
        shown = "violated" if verdict == Verdict.VIOLATED else "not violated"
        trace = result.traces.get(prop)
        lines.append(f"  {prop:<{width}}  {shown}" + (f"  ({len(trace)} steps)" if trace else ""))
    lines.append(f"simulation: {result.runs:,} behaviours of at most {result.depth} steps, seed {result.seed}"
                 + (f", {result.workers} workers" if result.workers > 1 else ""))
    lines.append(f"steps taken: {result.steps:,}")
    lines.append(f"time: {result.seconds:.2f} s")
    for note in result.notes:
        lines.append(f"note: {note}")
    lines.extend(render_coverage(result.coverage, "action coverage (steps taken):"))
    return "\n".join(lines) + "\n"
