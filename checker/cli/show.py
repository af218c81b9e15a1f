"""`checker show TRACE`: re-render a saved trace without re-running the search."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from checker.cli.common import open_first_html
from checker.errors import UsageError
from checker.exitcode import ExitCode
from checker.render import Format, render
from checker.trace import load_trace_file


def add_parser(sub: Any) -> None:
    p = sub.add_parser("show", help="re-render a saved trace (from run --out) without re-running the search")
    p.add_argument("trace", help="a .trace.json file written by `checker run --out`")
    p.add_argument("--format", default=Format.TEXT.value, choices=[f.value for f in Format])
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--open", action="store_true", help="open the HTML page in the default browser")


def run(args: argparse.Namespace) -> ExitCode:
    fmt = Format(args.format)
    if args.open and fmt is not Format.HTML:
        raise UsageError("--open needs --format html")
    trace = load_trace_file(args.trace)
    text = render(trace, fmt)
    if args.output or args.open:
        default = Path(args.trace).with_suffix("").with_suffix(".html")
        target = Path(args.output) if args.output else default
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {target}: cannot write: {exc.strerror}") from None
        if args.open:
            open_first_html([target])
    else:
        sys.stdout.write(text)
    return ExitCode.OK
