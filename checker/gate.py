"""The CI gate: check a spec against its `expect` lines and discharge its
`prove` obligations, as JUnit cases (`checker check`, `checker prove`).

A property without an `expect` line is expected to hold, so a violation
nobody anticipated fails the gate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from checker import junit
from checker.errors import CheckerError, SpecError
from checker.exitcode import ExitCode
from checker.explore.progress import ProgressCallback
from checker.explore.search import explore
from checker.loader import load_model
from checker.model import Expectation, Model, Verdict
from checker.options import LoadOptions, SearchOptions
from checker.proofs.obligations import DEFAULT_TIMEOUT, quorum_names
from checker.proofs.results import ProofResult, Unknown

if TYPE_CHECKING:
    from checker.dsl.resolve import ResolvedSpec


def prove_resolved(r: ResolvedSpec, timeout: float = DEFAULT_TIMEOUT) -> list[ProofResult]:
    """Prove the obligations of a resolved spec, in source order. An
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


def proofs_exit_code(results: Sequence[ProofResult]) -> ExitCode:
    """FAILED when a result is not the expected one, else INCOMPLETE when
    one is unknown, else OK."""
    if any(not r.ok and not isinstance(r, Unknown) for r in results):
        return ExitCode.FAILED
    if any(isinstance(r, Unknown) for r in results):
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def proof_cases(model: Model, classname: str, timeout: float = DEFAULT_TIMEOUT) -> list[junit.Case]:
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


@dataclass
class SpecOutcome:
    """One spec through the gate: its cases, or the error that stopped it."""

    path: str
    error: str | None = None
    cases: list[junit.Case] = field(default_factory=list)
    incomplete: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(c.outcome == "failure" for c in self.cases)


def check_spec(path: Path, load: LoadOptions, search: SearchOptions, *, proof_timeout: float = DEFAULT_TIMEOUT,
               progress: ProgressCallback | None = None) -> SpecOutcome:
    """Run one spec: one case per `prove` obligation, then one per
    expectation (every property without one is expected to hold)."""
    from checker.render.text import render_trace

    out = SpecOutcome(str(path))
    t0 = time.perf_counter()
    try:
        model = load_model(str(path), load)
        proofs = proof_cases(model, str(path), proof_timeout)
        result = explore(model, search, progress=progress)
    except CheckerError as exc:
        out.error = exc.format()
        out.cases.append(junit.Case("spec", str(path), 0.0, "error", "spec error", out.error, "spec-error"))
        return out
    out.cases.extend(proofs)
    out.incomplete = any(c.kind == "unknown" for c in proofs)  # a proof that timed out
    out.seconds = time.perf_counter() - t0
    expected = {e.prop: e for e in model.expectations}
    for prop in model.properties():
        expected.setdefault(prop, Expectation(prop, Verdict.HOLDS, "(no expect line: expected to hold)"))
    outcomes = result.compare_expectations(list(expected.values()))
    share = out.seconds / max(1, len(outcomes))
    for o in outcomes:
        name = f"expect {o.expectation.verdict} {o.expectation.prop}"
        if o.met:
            case = junit.Case(name, str(path), share)
        elif o.actual == Verdict.UNKNOWN:
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


def gate_exit_code(outcomes: Sequence[SpecOutcome]) -> ExitCode:
    """ERROR if a spec has an error, else FAILED if an expectation is
    missed, else INCOMPLETE if a search or proof did not finish, else OK."""
    if any(o.error for o in outcomes):
        return ExitCode.ERROR
    if any(o.failed for o in outcomes):
        return ExitCode.FAILED
    if any(o.incomplete for o in outcomes):
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def outcomes_json(outcomes: Sequence[SpecOutcome]) -> list[dict[str, Any]]:
    """``checker check --json``."""
    return [{"spec": o.path, "error": o.error, "cases": [
        {"name": c.name, "outcome": c.outcome, "message": c.message} for c in o.cases]} for o in outcomes]
