"""`checker check`: run every spec and compare its verdicts with its
`expect` lines, and discharge its `prove` obligations (checker.prove_cmd)
— the one command a project puts in CI.

A property without an `expect` line is expected to hold, so a violation
nobody anticipated fails the gate. Exit: 2 if a spec has an error, else 1
if an expectation is missed, else 3 if a search was incomplete, else 0.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from checker import junit
from checker.errors import CheckerError
from checker.model import Expectation


@dataclass
class SpecOutcome:
    path: str
    error: str | None = None
    cases: list[junit.Case] = field(default_factory=list)
    incomplete: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(c.outcome == "failure" for c in self.cases)


def check_one(path: Path, args) -> SpecOutcome:
    from checker.cli import _search
    from checker.loader import fault_options, load_model, parse_consts, symmetry_options
    from checker.render.text import render_trace
    from checker.prove_cmd import DEFAULT_TIMEOUT, proof_cases

    out = SpecOutcome(str(path))
    t0 = time.perf_counter()
    try:
        model = load_model(str(path), parse_consts(args.const), **symmetry_options(args), **fault_options(args))
        # One case per `prove` obligation, then one per expectation.
        proofs = proof_cases(model, str(path), getattr(args, "proof_timeout", None) or DEFAULT_TIMEOUT)
        result = _search(model, args)
    except CheckerError as exc:
        out.error = exc.format()
        out.cases.append(junit.Case("spec", str(path), 0.0, "error", "spec error", out.error, "spec-error"))
        return out
    out.cases.extend(proofs)
    out.incomplete = any(c.kind == "unknown" for c in proofs)  # a proof that timed out
    out.seconds = time.perf_counter() - t0
    expected = {e.prop: e for e in model.expectations}
    for prop in model.properties():
        expected.setdefault(prop, Expectation(prop, "holds", "(no expect line: expected to hold)"))
    outcomes = result.compare_expectations(list(expected.values()))
    share = out.seconds / max(1, len(outcomes))
    for o in outcomes:
        name = f"expect {o.expectation.verdict} {o.expectation.prop}"
        if o.met:
            case = junit.Case(name, str(path), share)
        elif o.actual == "unknown":
            out.incomplete = True
            case = junit.Case(name, str(path), share, "error", f"incomplete: {result.reason}", "", "incomplete")
        else:
            trace = result.traces.get(o.expectation.prop)
            details = render_trace(trace) if trace is not None else ""
            case = junit.Case(name, str(path), share, "failure",
                              f"expected {o.expectation.verdict}, got {o.actual}", details, "unexpected")
        out.cases.append(case)
    if not result.complete:
        out.incomplete = True
    return out


def check_specs(files: list[Path], args) -> int:
    outcomes = [check_one(f, args) for f in files]
    if args.junit:
        try:
            junit.write(args.junit, [junit.Suite(o.path, o.cases) for o in outcomes])
        except OSError as exc:
            print(f"--junit {args.junit}: cannot write: {exc.strerror}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([{"spec": o.path, "error": o.error, "cases": [
            {"name": c.name, "outcome": c.outcome, "message": c.message} for c in o.cases]} for o in outcomes], indent=1))
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
    if any(o.error for o in outcomes):
        return 2
    if any(o.failed for o in outcomes):
        return 1
    if any(o.incomplete for o in outcomes):
        return 3
    return 0
