"""`checker prove SPEC...`: discharge every `prove` obligation of each spec
with Z3. Exit 0 every result as expected, 1 a result other than expected,
2 a spec or usage error, 3 some result unknown (timeout, nonlinear rule)
and none wrong."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from checker import junit
from checker.cli.check import add_timeout_option
from checker.cli.common import add_const_option, load_options, spec_files
from checker.compile import load_spec
from checker.errors import CheckerError, UsageError
from checker.exitcode import ExitCode
from checker.gate import proofs_exit_code, prove_resolved
from checker.proofs.report import format_table, to_junit_suite


def add_parser(sub: Any) -> None:
    p = sub.add_parser("prove", help="prove every spec's quorum obligations with Z3")
    p.add_argument("specs", nargs="+", help="spec files or directories (searched for *.dsl)")
    add_const_option(p)
    add_timeout_option(p, "--timeout")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")


def run(args: argparse.Namespace) -> ExitCode:
    files = spec_files(args.specs)
    options = load_options(args)
    docs: list[dict[str, Any]] = []
    suites: list[junit.Suite] = []
    codes: list[ExitCode] = []
    for k, path in enumerate(files):
        if path.suffix != ".dsl":
            raise UsageError(f"{path}: prove needs a .dsl spec (Python models declare no obligations)")
        try:
            results = prove_resolved(load_spec(str(path), options).resolved, args.timeout)
        except CheckerError as exc:
            # A usage error (e.g. --const) applies to every spec: stop at once.
            if isinstance(exc, UsageError):
                raise
            codes.append(ExitCode.ERROR)
            docs.append({"spec": str(path), "error": exc.format(), "results": []})
            suites.append(junit.Suite(str(path), [junit.Case("spec", str(path), 0.0, "error", "spec error",
                                                             exc.format(), "spec-error")]))
            if not args.json:
                print(exc.format(), file=sys.stderr)
            continue
        codes.append(proofs_exit_code(results))
        docs.append({"spec": str(path), "error": None, "results": [x.to_json() for x in results]})
        suites.append(to_junit_suite(results, str(path)))
        if not args.json:
            if k:
                print()
            print(path)
            print(format_table(results) if results else "no proof obligations\n", end="")
    # A spec error outranks a wrong result, which outranks an unknown one.
    code = next((c for c in (ExitCode.ERROR, ExitCode.FAILED, ExitCode.INCOMPLETE) if c in codes), ExitCode.OK)
    if args.junit:
        try:
            junit.write(args.junit, suites)
        except OSError as exc:
            raise UsageError(f"--junit {args.junit}: cannot write: {exc.strerror}") from None
    if args.json:
        print(json.dumps({"version": 1, "kind": "proofs", "specs": docs, "exit_code": int(code)}, indent=1))
    return code
