"""`checker run SPEC`: explore every reachable state and report each
property's verdict, statistics, coverage and counterexamples."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from checker.cli.common import (
    add_load_options,
    add_search_options,
    load_options,
    open_first_html,
    progress_printer,
    search_options,
)
from checker.exitcode import ExitCode
from checker.explore.search import explore
from checker.loader import load_model
from checker.render import write_traces
from checker.render.text import render_summary, render_trace


def add_parser(sub: Any) -> None:
    p = sub.add_parser("run", help="explore every reachable state and report each property's verdict")
    p.add_argument("spec", help="a spec (.dsl) or a Python model (.py with build_model())")
    add_load_options(p)
    add_search_options(p)
    p.add_argument("--out", metavar="DIR",
                   help="write each counterexample into DIR: <property>.trace.json (replayable, "
                        "`checker show` re-renders it), .html (sequence chart), .mmd (Mermaid), "
                        ".itf.json (ITF) and .dot (Graphviz)")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of text")
    p.add_argument("--open", action="store_true", help="open the counterexample's HTML chart in the default browser")


def run(args: argparse.Namespace) -> ExitCode:
    model = load_model(args.spec, load_options(args))
    result = explore(model, search_options(args), progress=progress_printer(args))
    out_dir = Path(args.out) if args.out else None
    if args.open and out_dir is None and result.traces:
        out_dir = Path(tempfile.mkdtemp(prefix="checker-"))
    if out_dir is not None:
        written = write_traces(result.traces, out_dir)
        if args.open:
            open_first_html(written)
    if args.json:
        print(json.dumps(result.to_json(model.expectations), indent=1))
    else:
        print(render_summary(result, model))
        for trace in result.traces.values():
            print()
            print(render_trace(trace))
    return result.exit_code
