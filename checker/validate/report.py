"""Rendering a validation outcome: text, JSON, and the trace of one
surviving behaviour (for the sequence chart, ITF, Mermaid and DOT)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from checker.trace import Trace, Violation, build_trace
from checker.validate.engine import Outcome
from checker.validate.explain import describe


def render_text(out: Outcome, model, spec: str, logs: list[str], mapping: str) -> str:
    lines = [f"validate: {spec} against {', '.join(logs)} (mapping {mapping})"]
    if out.verdict == "accepted":
        lines.append(f"ACCEPTED: all {out.events:,} events match a behaviour of the model"
                     + _skipped(out) + f" ({_last_count(out):,} candidate state(s) at the end)")
    elif out.failed is not None:
        ev = out.failed
        head = "REJECTED" if out.verdict == "rejected" else "INCONCLUSIVE"
        lines.append(f"{head} at {ev.where}: no behaviour of the model matches event '{ev.kind}'")
        lines.append(f"  {ev.text(300)}")
        prefix = f"{out.events:,} event(s)" + (f" (up to {out.last_where})" if out.last_where else "")
        lines.append(f"matched prefix: {prefix}{_skipped(out)}; {out.candidates_before:,} candidate state(s) "
                     "when this event came")
        if out.verdict == "inconclusive":
            lines.append(f"inconclusive: {out.reason}")
        shown = len(out.reports)
        more = f"; {shown} of {out.candidates_before:,} shown" if out.candidates_before > shown else ""
        lines.append(f"what the candidate states offer for this event (closest first{more}):")
        closest = describe(out.reports[0]) if out.reports and out.reports[0].closest else None
        if closest:
            lines.append(f"  {closest}")
        for rep in out.reports:
            state = ", ".join(f"{k}={v}" for k, v in rep.node_state.items())
            via = f" after silent steps: {'; '.join(rep.silent)}" if rep.silent else ""
            lines.append(f"  candidate {rep.index}{via}" + (f" [{_cut(state, 200)}]" if state else "") + ":")
            for step, text in rep.reasons[:12]:
                lines.append(f"    - {step}: {text}" if step else f"    - {text}")
            if len(rep.reasons) > 12:
                lines.append(f"    ... {len(rep.reasons) - 12} more")
    else:
        lines.append(f"INCONCLUSIVE after {out.events:,} events (up to {out.last_where}): {out.reason}")
    if out.runs:
        lines.append("candidate states after each event: " + _runs_text(out))
    if out.truncated and out.verdict != "inconclusive":
        lines.append(f"note: candidates were cut at the bound after {out.truncated} event(s)")
    if out.silent_used:
        lines.append(f"silent steps taken (unlogged model steps): {out.silent_used:,} match(es) needed them")
    lines.append(f"time: {out.seconds:.2f} s ({out.events_per_second:,.0f} events/s)")
    return "\n".join(lines)


def _skipped(out: Outcome) -> str:
    return f", {out.skipped:,} skipped by the mapping" if out.skipped else ""


def _last_count(out: Outcome) -> int:
    return out.runs[-1][4] if out.runs else 0


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


def _runs_text(out: Outcome, limit: int = 12) -> str:
    runs = out.runs
    parts = []
    for first, last, _wf, _wl, n in runs[-limit:]:
        span = f"event {first}" if first == last else f"events {first}-{last}"
        parts.append(f"{n} ({span})")
    more = len(runs) - limit + out.runs_dropped
    return ("... " if more > 0 else "") + ", ".join(parts)


def to_json(out: Outcome, spec: str, logs: list[str], mapping: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "spec": spec, "logs": logs, "mapping": mapping, "verdict": out.verdict, "exit_code": int(out.exit_code),
        "events_matched": out.events, "events_skipped": out.skipped, "last_matched": out.last_where,
        "candidates_per_event": [{"first": a, "last": b, "from": c, "to": d, "candidates": n}
                                 for a, b, c, d, n in out.runs],
        "max_candidates": out.max_candidates_seen, "truncated_events": out.truncated,
        "seconds": round(out.seconds, 3), "events_per_second": round(out.events_per_second, 1),
    }
    if out.reason:
        data["reason"] = out.reason
    if out.failed is not None:
        ev = out.failed
        data["failed_event"] = {"file": ev.file, "line": ev.line, "kind": ev.kind, "event": ev.data}
        data["candidates_before"] = out.candidates_before
        data["candidates"] = [{"candidate": r.index, "node_state": r.node_state, "closest": r.closest,
                               "silent_steps": r.silent, "differences": r.differences,
                               "steps": [{"step": s, "mismatch": t} for s, t in r.reasons]} for r in out.reports]
    return data


def outcome_trace(out: Outcome, model, spec: str) -> Trace | None:
    """One surviving behaviour (the last ``window`` steps of it) as a
    `Trace`, each step labelled with the log line it matched."""
    nodes = out.path
    if not nodes:
        return None
    raw = [(None, nodes[0].state)] + [(n.action, n.state) for n in nodes[1:]]
    if out.verdict == "accepted":
        violation = Violation("accepted", "log", f"every event of the log matched this behaviour ({out.events} events)")
        failing = None
    elif out.failed is not None:
        ev = out.failed
        first = out.reports[0].reasons[0][1] if out.reports and out.reports[0].reasons else ""
        violation = Violation(ev.where, "log", f"no behaviour matches event '{ev.kind}' at {ev.where}: {first}")
        failing = f"{ev.where}: {ev.kind} {ev.text(200)}"
    else:
        violation = Violation("inconclusive", "log", out.reason)
        failing = None
    trace = build_trace(model, raw, violation, spec=spec, options={"validated": True})
    steps = list(trace.steps)
    if nodes[0].action is not None or nodes[0].depth > 0:
        steps[0] = dataclasses.replace(steps[0], label=f"state before {nodes[1].where if len(nodes) > 1 else 'the end'}"
                                                       " (earlier steps omitted)")
    for i, n in enumerate(nodes[1:], 1):
        # The model's words first (charts cut long labels), then the log line.
        where = Path(n.where).name if n.where else ""
        tag = " (silent: not in the log)" if n.silent else f"  [{where}]"
        steps[i] = dataclasses.replace(steps[i], label=steps[i].label + tag)
    return dataclasses.replace(trace, steps=tuple(steps), failing_step=failing)


def write_outputs(trace: Trace, out_dir: Path, stem: str, charts: bool = True) -> list[Path]:
    """``<stem>.trace.json`` and every rendering (HTML chart, ITF, ...);
    with ``charts`` False (an accepted log: the charts would call it a
    violation) only the trace and its ITF."""
    from checker.render import make_out_dir, write_all
    from checker.render.itf import render_itf

    make_out_dir(out_dir)
    path = out_dir / f"{stem}.trace.json"
    path.write_text(trace.dumps() + "\n", encoding="utf-8")
    if not charts:
        itf = out_dir / f"{stem}.itf.json"
        itf.write_text(render_itf(trace), encoding="utf-8")
        return [path, itf]
    return [path] + write_all(trace, out_dir / stem)
