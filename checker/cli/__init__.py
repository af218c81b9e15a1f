"""The `checker` command: thin subcommands with stable exit codes
(`checker.exitcode.ExitCode`), one module each.

Each subcommand module offers ``add_parser(subparsers)`` and
``run(args) -> ExitCode``; it turns the parsed flags into the typed
options objects (`checker.options`) and calls the core with those only.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Sequence

from checker.cli import check, explore, prove, run, show, simulate, validate
from checker.cli.common import Parser, quiet_stdout, usage_error
from checker.errors import CheckerError
from checker.exitcode import ExitCode
from checker.options import OptionError

COMMANDS = {"run": run, "check": check, "prove": prove, "validate": validate, "show": show, "explore": explore,
            "simulate": simulate}

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="checker", description="Model checker and trace validator for distributed protocols.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS.values():
        module.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        if not args_list:
            parser.print_help()
            return ExitCode.ERROR
        args = parser.parse_args(args_list)
        command = COMMANDS.get(args.command)
        if command is None:
            parser.print_help()
            return ExitCode.ERROR
        return command.run(args)
    except OptionError as exc:
        print(usage_error(exc).format(), file=sys.stderr)
        return ExitCode.ERROR
    except CheckerError as exc:
        print(exc.format(), file=sys.stderr)
        return ExitCode.ERROR
    except BrokenPipeError:  # output piped into e.g. `head` (commands with a verdict keep it: cli.common.report)
        quiet_stdout()
        return ExitCode.OK
    except KeyboardInterrupt:
        print("checker: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a bug in the checker, not in the user's input
        if os.environ.get("CHECKER_DEBUG"):
            traceback.print_exc()
        print(f"checker: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the checker; set CHECKER_DEBUG=1 to see the traceback.", file=sys.stderr)
        return ExitCode.INTERNAL
