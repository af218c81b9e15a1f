"""`checker explore SPEC`: walk the state space by hand in a local web page.

Only this module sees argparse for the explorer; it builds one frozen
`checker.webui.options.ExplorerOptions` and hands it to `checker.webui`.
"""

from __future__ import annotations

import argparse
from typing import Any

from checker.cli.common import Parser, add_load_options, load_options, non_negative_int, positive_seconds
from checker.exitcode import ExitCode
from checker.options import SearchOptions
from checker.webui.options import ExplorerOptions


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port must be a port number, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be from 0 to 65535 (0 picks a free port), not {port}")
    return port


def add_parser(sub: Any) -> None:
    p: Parser = sub.add_parser(
        "explore", help="walk the state space by hand in a local web page",
        description="Serve a page on 127.0.0.1 to walk the spec's states step by step: take any enabled step "
                    "(faults included), go back and forward, see the path as a sequence chart and every "
                    "invariant's verdict, open a saved .trace.json and export the path as one.")
    p.add_argument("spec", help="a spec (.dsl) or a Python model (.py with build_model())")
    add_load_options(p)
    p.add_argument("--port", type=_port, default=0, metavar="N", help="listen on 127.0.0.1:N (default: a free port)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.add_argument("--trace", metavar="FILE", help="open this .trace.json (from run --out, or exported) at start")
    p.add_argument("--no-search", action="store_true",
                   help="do not check the properties in the background (no shortest-path buttons)")
    p.add_argument("--max-states", type=non_negative_int("--max-states"), metavar="N",
                   help="the background check stops after N distinct states")
    p.add_argument("--time-limit", type=positive_seconds("--time-limit"), metavar="SECONDS",
                   help="the background check stops after this many seconds")


def explorer_options(args: argparse.Namespace) -> ExplorerOptions:
    """The frozen options of parsed flags (a bad value: a usage error, exit 2)."""
    search = None if args.no_search else SearchOptions(max_states=args.max_states, time_limit=args.time_limit)
    return ExplorerOptions(spec=args.spec, load=load_options(args), search=search, port=args.port,
                           open_browser=args.open, trace=args.trace)


def run(args: argparse.Namespace) -> ExitCode:
    """Serve the explorer until Ctrl-C; OK on a clean stop."""
    from checker.webui import serve

    return serve(explorer_options(args))
