"""Output of proof results: a readable table, JSON, and JUnit cases.

Does not import z3 (it only reads results).
"""

from __future__ import annotations

from typing import Any, Sequence

from checker.junit import Case, Suite
from checker.proofs.results import ProofResult, Refuted, Unknown

JSON_VERSION = 1


def _verdict(r: ProofResult) -> str:
    text = r.status.upper() if r.status == "refuted" else r.status
    return text if r.ok else f"{text} (expected {r.obligation.expect})"


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def format_table(results: Sequence[ProofResult]) -> str:
    """A table with one row per result: obligation, result, time, details
    (the domain of a proof, the witness of a refutation, the reason of an
    unknown), then a summary line."""
    rows = [("obligation", "result", "time", "details")]
    rows += [(r.name, _verdict(r), _time(r.seconds), r.detail()) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3])
        if k == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]))
    counts = {s: sum(1 for r in results if r.status == s) for s in ("proved", "refuted", "unknown")}
    missed = sum(1 for r in results if not r.ok)
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    summary += f"; {missed} not as expected" if missed else "; all as expected"
    return "\n".join(line.rstrip() for line in lines) + "\n" + summary + "\n"


def to_json(results: Sequence[ProofResult], spec: str | None = None) -> dict[str, Any]:
    """A JSON-ready document: version, spec, and one entry per result."""
    doc: dict[str, Any] = {"version": JSON_VERSION, "kind": "proofs"}
    if spec is not None:
        doc["spec"] = spec
    doc["results"] = [r.to_json() for r in results]
    return doc


def to_junit_case(r: ProofResult, classname: str = "") -> Case:
    """One JUnit case: passed when the result is the expected one; a
    failure when the other verdict came out; an error when unknown."""
    case = Case(name=r.name, classname=classname, seconds=r.seconds)
    if r.ok:
        return case
    if isinstance(r, Unknown):
        case.outcome, case.kind = "error", "unknown"
        case.message = f"unknown: {r.reason}"
        case.details = f"method: {r.method}\nreason: {r.reason}"
        return case
    case.outcome, case.kind = "failure", r.status
    case.message = f"{r.status}, expected {r.obligation.expect}: {r.detail()}"
    lines = [f"method: {r.method}"]
    if isinstance(r, Refuted):
        w = r.witness
        lines.append(f"counterexample at N = {w.n}:")
        lines += [f"  {label} = {w.show(nodes)}" for label, nodes in w.sets]
        if w.note:
            lines.append(f"  ({w.note})")
    else:
        lines.append(r.detail())
    case.details = "\n".join(lines)
    return case


def to_junit_suite(results: Sequence[ProofResult], name: str) -> Suite:
    """A JUnit suite (e.g. one per spec file) of `to_junit_case`s."""
    return Suite(name=name, cases=[to_junit_case(r, name) for r in results])
