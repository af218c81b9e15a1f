"""`checker check SPEC... | DIR`: the CI gate. Every spec's verdicts are
compared with its `expect` lines and its `prove` obligations discharged
(`checker.gate`); exit 2 if a spec has an error, else 1 if an expectation
is missed, else 3 if a search or proof was incomplete, else 0."""

from __future__ import annotations

import argparse
import json
from typing import Any

from checker import junit
from checker.cli.common import (
    add_load_options,
    add_search_options,
    load_options,
    positive_seconds,
    progress_printer,
    report,
    search_options,
    spec_files,
)
from checker.errors import UsageError
from checker.exitcode import ExitCode
from checker.gate import check_spec, gate_exit_code, outcomes_json
from checker.proofs.obligations import DEFAULT_TIMEOUT


def add_timeout_option(p: argparse.ArgumentParser, flag: str) -> None:
    """The per-obligation solver time limit (``prove --timeout``,
    ``check --proof-timeout``)."""
    p.add_argument(flag, type=positive_seconds(flag), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"solver time per proof obligation (default {DEFAULT_TIMEOUT:g})")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="CI gate: compare every spec's verdicts with its `expect` lines")
    p.add_argument("specs", nargs="+", help="spec files or directories (searched for *.dsl)")
    add_load_options(p)
    add_search_options(p)
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")
    add_timeout_option(p, "--proof-timeout")


def run(args: argparse.Namespace) -> ExitCode:
    load, search, progress = load_options(args), search_options(args), progress_printer(args)
    outcomes = [check_spec(f, load, search, proof_timeout=args.proof_timeout, progress=progress)
                for f in spec_files(args.specs)]
    if args.junit:
        try:
            junit.write(args.junit, [junit.Suite(o.path, o.cases) for o in outcomes])
        except OSError as exc:
            raise UsageError(f"--junit {args.junit}: cannot write: {exc.strerror}") from None
    with report():
        if args.json:
            print(json.dumps(outcomes_json(outcomes), indent=1))
        else:
            for o in outcomes:
                status = "ERROR" if o.error else "FAIL" if o.failed else "INCOMPLETE" if o.incomplete else "ok"
                print(f"{status:<10} {o.path}  ({o.seconds:.2f} s)")
                if o.error:
                    print("  " + o.error.replace("\n", "\n  "))
                for c in o.cases:
                    if c.outcome != "passed" and c.kind != "spec-error":
                        print(f"  {c.name}: {c.message}")
            total = sum(len(o.cases) for o in outcomes)
            bad = sum(1 for o in outcomes for c in o.cases if c.outcome != "passed")
            print(f"{len(outcomes)} spec(s), {total - bad} of {total} check(s) as expected")
    return gate_exit_code(outcomes)
