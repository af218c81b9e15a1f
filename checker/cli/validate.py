"""`checker validate SPEC --log run.jsonl --map mapping.toml`: check the log
of a real implementation against a model (`checker.validate`).

Exit codes: 0 accepted (some behaviour of the model does every event of
the log), 1 rejected (an event no behaviour can match; the report names its
line and why), 2 a spec, mapping, log or usage error (positioned), 3
inconclusive (a bound or the time limit was hit).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from checker.cli.common import add_const_option, non_negative_int, parse_consts, positive_seconds, report
from checker.errors import UsageError
from checker.exitcode import ExitCode


def add_parser(sub: Any) -> None:
    """The `validate` subcommand's options."""
    p = sub.add_parser("validate", help="check an implementation's log (JSON Lines) against a model")
    p.add_argument("spec", help="the model (.dsl, or .py defining build_model)")
    p.add_argument("--log", action="append", required=True, metavar="FILE",
                   help="a JSON Lines log ('-': standard input); several are merged on the mapping's [log] time")
    p.add_argument("--map", required=True, metavar="MAPPING", help="the mapping of events to model steps (TOML)")
    add_const_option(p)
    p.add_argument("--max-candidates", type=non_negative_int("--max-candidates"), metavar="N",
                   help="keep at most N candidate states per event (default: the mapping's, or 10000)")
    p.add_argument("--max-silent", type=non_negative_int("--max-silent"), metavar="N",
                   help="at most N silent (unlogged) model steps before each event (default: the mapping's)")
    p.add_argument("--time-limit", type=positive_seconds("--time-limit"), metavar="SECONDS",
                   help="stop after this many seconds (exit 3)")
    p.add_argument("--window", type=non_negative_int("--window"), default=1000, metavar="N",
                   help="keep the last N steps of the surviving behaviour for --out (default 1000)")
    p.add_argument("--explain", type=non_negative_int("--explain"), default=3, metavar="N",
                   help="explain a rejected event from at most N candidate states (default 3)")
    p.add_argument("--out", metavar="DIR",
                   help="write the matched behaviour as trace JSON, HTML chart, ITF, Mermaid, DOT")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress lines on long runs")


def run(args: argparse.Namespace) -> ExitCode:
    from checker.validate import run as validate_run
    from checker.validate.report import outcome_trace, render_text, to_json, write_outputs

    model, out = validate_run(validate_options(args))
    written = []
    if args.out:
        trace = outcome_trace(out, model, args.spec)
        if trace is not None:
            stem = "accepted" if out.verdict == "accepted" else "rejected" if out.verdict == "rejected" else "prefix"
            written = write_outputs(trace, Path(args.out), stem, charts=out.verdict != "accepted")
    with report():
        if args.json:
            data = to_json(out, args.spec, args.log, args.map)
            data["written"] = [str(p) for p in written]
            print(json.dumps(data, indent=1))
        else:
            print(render_text(out, model, args.spec, args.log, args.map))
            for p in written:
                if p.suffix == ".html":
                    print(f"chart of the matched prefix: {p}")
                elif p.name.endswith(".trace.json") and out.verdict == "accepted":
                    print(f"the accepted behaviour: {p} (and .itf.json)")
    return out.exit_code


def validate_options(args: argparse.Namespace) -> Any:
    """The parsed options as one `checker.validate.ValidateOptions`."""
    from checker.validate import ValidateOptions

    if args.max_candidates == 0:
        raise UsageError("--max-candidates must be at least 1")
    return ValidateOptions(args.spec, tuple(args.log), args.map, tuple(parse_consts(args.const).items()),
                           max_candidates=args.max_candidates, max_silent=args.max_silent,
                           time_limit=args.time_limit, window=args.window, explain=args.explain,
                           progress=None if args.no_progress else _progress_printer())


def _progress_printer():
    """One line per call on stderr, quiet for the first seconds."""

    def show(p) -> None:
        if p.seconds < 3.0:
            return
        sys.stderr.write(f"progress: {p.events:,} events (at {p.where}), {p.candidates:,} candidate state(s), "
                         f"{p.rate:,.0f} events/s ({p.seconds:.0f} s)\n")
        sys.stderr.flush()

    return show
