"""`checker run SPEC`: explore every reachable state and report each
property's verdict, statistics, coverage and counterexamples."""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

from checker.cli.common import (
    RESUME_MAY_CHANGE,
    add_checkpoint_options,
    add_load_options,
    add_search_options,
    load_options,
    open_first_html,
    progress_printer,
    report,
    search_options,
)
from checker.errors import UsageError
from checker.exitcode import ExitCode
from checker.explore.search import explore, resume_header
from checker.loader import load_model
from checker.model import Model
from checker.options import SearchOptions
from checker.render import write_traces
from checker.render.text import render_summary, render_trace

EXIT_CODES = """\
exit codes:
  0    every property holds
  1    a property is violated, or an evaluation error (a run-time error of the
       model: the verdict "evaluation error", with its place in the spec and the
       trace that reached the state)
  2    a spec, usage or option error (file:line:col, never a traceback)
  3    incomplete: a bound, the time limit or the memory limit cut the search
  4    an internal error (a bug in the checker)
  130  stopped by Ctrl-C
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("run", help="explore every reachable state and report each property's verdict",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXIT_CODES)
    p.add_argument("spec", nargs="?", help="a spec (.dsl) or a Python model (.py with build_model())")
    add_load_options(p)
    add_search_options(p)
    add_checkpoint_options(p)
    p.add_argument("--out", metavar="DIR",
                   help="write each counterexample into DIR: <property>.trace.json (replayable, "
                        "`checker show` re-renders it), .html (sequence chart), .mmd (Mermaid), "
                        ".itf.json (ITF) and .dot (Graphviz)")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of text")
    p.add_argument("--open", action="store_true", help="open the counterexample's HTML chart in the default browser")


def run(args: argparse.Namespace) -> ExitCode:
    model, options = _resumed(args) if args.resume else _fresh(args)
    result = explore(model, options, progress=progress_printer(args))
    out_dir = Path(args.out) if args.out else None
    if args.open and out_dir is None and result.traces:
        out_dir = Path(tempfile.mkdtemp(prefix="checker-"))
    if out_dir is not None:
        written = write_traces(result.traces, out_dir)
        if args.open:
            open_first_html(written)
    with report():
        if args.json:
            print(json.dumps(result.to_json(model.expectations), indent=1))
        else:
            print(render_summary(result, model))
            for trace in result.traces.values():
                print()
                print(render_trace(trace))
    return result.exit_code


def _fresh(args: argparse.Namespace) -> tuple[Model, SearchOptions]:
    if not args.spec:
        raise UsageError("run: give a SPEC to explore, or --resume DIR to continue a checkpointed search")
    return load_model(args.spec, load_options(args)), search_options(args)


#: flags that fix the model or the search, and so come from the checkpoint.
_FIXED_BY_CHECKPOINT = {"spec": "SPEC", "const": "--const", "faults": "--faults", "no_symmetry": "--no-symmetry",
                        "symmetric": "--symmetric", "strategy": "--strategy", "max_depth": "--max-depth",
                        "max_states": "--max-states", "exact_states": "--exact-states",
                        "liveness_max_states": "--liveness-max-states"}


def _resumed(args: argparse.Namespace) -> tuple[Model, SearchOptions]:
    """The model and options of the checkpoint in ``args.resume``; the
    command line may change only how the search runs (workers, limits)."""
    given = [flag for name, flag in _FIXED_BY_CHECKPOINT.items() if getattr(args, name, None)]
    if given:
        raise UsageError(f"--resume {args.resume}: the checkpoint fixes the model and the search; "
                         f"drop {', '.join(given)}")
    header = resume_header(args.resume)
    recipe = header.get("recipe")
    if recipe is None:
        raise UsageError(f"--resume {args.resume}: the checkpoint does not say how to rebuild its model")
    stored: SearchOptions = header["options"]
    fresh = search_options(args)
    # How the search runs (workers, limits) is this run's own, not the checkpoint's.
    changes: dict[str, Any] = {name: getattr(fresh, name) for name in RESUME_MAY_CHANGE}
    changes.update(resume=args.resume, checkpoint=args.checkpoint or args.resume)
    if args.checkpoint_every is None:
        changes["checkpoint_every"] = stored.checkpoint_every
    return recipe.build(), dataclasses.replace(stored, **changes)
