"""`checker prove SPEC...`: discharge every `prove` obligation of each spec
with Z3, and the proof cases `checker check` adds to its report.

Exit codes: 0 every result as expected, 1 a result other than expected
(refuted when a proof was expected, or proved when a refutation was), 2 a
spec or usage error, 3 some result unknown (timeout, nonlinear rule) and
none wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from checker import junit
from checker.cliargs import positive_seconds
from checker.errors import CheckerError, SpecError, UsageError
from checker.proofs.obligations import DEFAULT_TIMEOUT, quorum_names
from checker.proofs.results import ProofResult

EXIT_OK, EXIT_WRONG, EXIT_ERROR, EXIT_UNKNOWN = 0, 1, 2, 3


def add_timeout_option(parser: argparse.ArgumentParser, flag: str) -> None:
    """The per-obligation solver time limit (``prove --timeout``,
    ``check --proof-timeout``)."""
    parser.add_argument(flag, type=positive_seconds(flag), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"solver time per proof obligation (default {DEFAULT_TIMEOUT:g})")


def add_prove_parser(sub: Any) -> None:
    """Register the `prove` subcommand."""
    p = sub.add_parser("prove", help="prove every spec's quorum obligations with Z3")
    p.add_argument("specs", nargs="+", help="spec files or directories (searched for *.dsl)")
    p.add_argument("--const", action="append", metavar="NAME=VALUE", help="override a constant of the spec")
    add_timeout_option(p, "--timeout")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")


def prove_resolved(r: Any, timeout: float = DEFAULT_TIMEOUT) -> list[ProofResult]:
    """Prove the obligations of a `ResolvedSpec`, in source order. An
    obligation that cannot be posed raises a positioned `SpecError`."""
    from checker.dsl.quorums import node_namer
    from checker.proofs import prove

    quorums = {name: q.quorum() for name, q in r.quorums.items()}
    results = []
    for ob in r.obligations:
        role = r.quorums[quorum_names(ob)[0]].role
        try:
            results.append(prove(ob, quorums, timeout=timeout, node_names=node_namer(role)))
        except SpecError as exc:
            raise exc.with_source(r.spec.source) from None
    return results


def proof_cases(model: Any, classname: str, timeout: float = DEFAULT_TIMEOUT) -> list[junit.Case]:
    """One JUnit case per obligation of a compiled spec (none for Python
    models): passed when as expected, a failure carrying the witness when
    not, an error when unknown."""
    from checker.proofs.report import to_junit_case

    resolved = getattr(model, "resolved", None)
    if resolved is None or not resolved.obligations:
        return []
    cases = []
    for res in prove_resolved(resolved, timeout):
        case = to_junit_case(res, classname)
        expect = res.obligation.expect
        case.name = f"{'prove' if expect == 'proved' else 'expect ' + expect} {case.name}"  # as written
        cases.append(case)
    return cases


def _exit_code(results: list[ProofResult]) -> int:
    if any(not r.ok and r.status != "unknown" for r in results):
        return EXIT_WRONG
    if any(r.status == "unknown" for r in results):
        return EXIT_UNKNOWN
    return EXIT_OK


def cmd_prove(args: argparse.Namespace) -> int:
    """Run `checker prove`; returns the exit code."""
    from checker.cli import spec_files
    from checker.compile import load_spec
    from checker.loader import parse_consts
    from checker.proofs.report import format_table, to_junit_suite

    files = spec_files(args.specs)
    consts = parse_consts(args.const)
    docs, suites, codes = [], [], []
    for k, path in enumerate(files):
        if path.suffix != ".dsl":
            raise UsageError(f"{path}: prove needs a .dsl spec (Python models declare no obligations)")
        try:
            r = load_spec(str(path), consts).resolved
            results = prove_resolved(r, args.timeout)
        except CheckerError as exc:
            # UsageError (e.g. --const) applies to every spec: stop at once.
            if isinstance(exc, UsageError):
                raise
            codes.append(EXIT_ERROR)
            docs.append({"spec": str(path), "error": exc.format(), "results": []})
            suites.append(junit.Suite(str(path), [junit.Case("spec", str(path), 0.0, "error", "spec error",
                                                             exc.format(), "spec-error")]))
            if not args.json:
                print(exc.format(), file=sys.stderr)
            continue
        codes.append(_exit_code(results))
        docs.append({"spec": str(path), "error": None, "results": [x.to_json() for x in results]})
        suites.append(to_junit_suite(results, str(path)))
        if not args.json:
            if k:
                print()
            print(path)
            print(format_table(results) if results else "no proof obligations\n", end="")
    # A spec error outranks a wrong result, which outranks an unknown one.
    code = next((c for c in (EXIT_ERROR, EXIT_WRONG, EXIT_UNKNOWN) if c in codes), EXIT_OK)
    if args.junit:
        try:
            junit.write(args.junit, suites)
        except OSError as exc:
            raise UsageError(f"--junit {args.junit}: cannot write: {exc.strerror}") from None
    if args.json:
        print(json.dumps({"version": 1, "kind": "proofs", "specs": docs, "exit_code": code}, indent=1))
    return code

