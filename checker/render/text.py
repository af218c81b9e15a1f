"""Plain-text report: the run summary and counterexample traces.

`render_summary` prints the verdict per property (marked against the
model's `expect` lines), the search figures and the action coverage;
`render_trace` prints a trace as numbered steps showing only what changed.
Both read plain data (`CheckResult`, `Trace`) and return a string.
"""

from __future__ import annotations

from collections import Counter

from checker.explore.result import VIOLATED, CheckResult
from checker.model import Model
from checker.trace import Step, Trace

NEVER_FIRED = "never fired — usually a modelling bug"
#: values longer than this (old + new) that are collections print as a diff.
DIFF_WIDTH = 60
INDENT = "     "


def render_summary(result: CheckResult, model: Model) -> str:
    """The end-of-run report: verdicts, figures, action coverage."""
    lines: list[str] = []
    n_bad = len(result.violated)
    head = f"{result.model_name}: "
    if result.error:
        others = n_bad - 1
        head += "evaluation error" + (f"; {others} propert{'y' if others == 1 else 'ies'} violated" if others else "")
    elif n_bad:
        head += f"{n_bad} propert{'y' if n_bad == 1 else 'ies'} violated"
    elif result.complete:
        head += "every property holds"
    else:
        head += "no violation found, but the search is incomplete"
    lines.append(head)
    if result.error and "evaluation error" not in result.traces:  # no state to show it with
        lines.append(f"evaluation error: {result.error}")

    expected = {e.prop: e.verdict for e in model.expectations}
    width = max([len(p) for p in result.verdicts] + [len(p) for p in expected] + [8])
    for prop, verdict in result.verdicts.items():
        line = f"  {prop:<{width}}  {verdict:<8}"
        trace = result.traces.get(prop)
        if verdict == VIOLATED and trace is not None:
            line += f"  ({_steps(len(trace))})"
        if prop in expected:
            line += "  expected" if expected[prop] == verdict else f"  UNEXPECTED (expected {expected[prop]})"
        lines.append(line.rstrip())
    for prop, verdict in expected.items():
        if prop not in result.verdicts:
            lines.append(f"  {prop:<{width}}  {'-':<8}  UNEXPECTED (expected {verdict}; "
                         "the model has no such property)")

    s = result.stats
    if result.complete:
        lines.append(f"search: complete ({result.strategy})")
    else:
        lines.append(f"search: incomplete ({result.strategy}): {result.reason}")
    lines.append(f"distinct states: {s.distinct}")
    if model.symmetric_roles and model.canonicalize is not None:  # counts are of orbits under renaming
        lines.append(f"symmetry: {', '.join(model.symmetric_roles)} (one state per permutation of their nodes)")
    lines.append(f"generated states: {s.generated}")
    lines.append(f"depth: {s.max_depth}")
    lines.append(f"time: {s.seconds:.2f} s ({s.states_per_second:,.0f} states/s)"
                 + (f", {s.workers} workers" if s.workers > 1 else ""))
    if s.collision is not None:
        lines.append(f"fingerprint collision probability: {s.collision:.1e} (optimistic, as TLC computes it)")
    if s.queue:
        lines.append(f"unexplored queue: {s.queue}")
    for note in result.notes:
        lines.append(f"note: {note}")

    lines.extend(render_coverage(result.coverage))
    return "\n".join(lines) + "\n"


def render_coverage(coverage: dict[str, int], title: str = "action coverage:") -> list[str]:
    """How often each action fired, never-fired ones flagged."""
    if not coverage:
        return []
    lines = [title]
    name_w = max(len(n) for n in coverage)
    count_w = max(len(str(c)) for c in coverage.values())
    for name, count in coverage.items():
        line = f"  {name:<{name_w}}  {count:>{count_w}}"
        if count == 0:
            line += f"  {NEVER_FIRED}"
        lines.append(line)
    return lines


def render_trace(trace: Trace) -> str:
    """A counterexample as numbered steps with only the changed variables."""
    v = trace.violation
    then = ", then a failing step" if trace.failing_step is not None else ""
    if trace.violates:
        lines = [f"Counterexample: {_what(v.kind, v.prop)} ({_steps(len(trace))}{then})"]
    else:
        lines = [f"Path: {_steps(len(trace))} (no property is violated at its last step)"]
    prev: Step | None = None
    for step in trace.steps:
        # The loop is the steps after state loop_start: the marker goes after that state, before
        # the first step that repeats (before it, it would count the step that reached the loop)
        if trace.loop_start is not None and step.index == trace.loop_start + 1:
            lines.append(f"-- loop starts here: steps {step.index}..{len(trace)} repeat forever --")
        if prev is None:
            lines.append(f"{step.index}. {step.label}")
            lines += [f"{INDENT}{k} = {val}" for k, val in step.shown.items()]
        else:
            lines.append(f"{step.index}. {step.label}")
            changed = [k for k in step.shown if k in step.changed or prev.shown.get(k) != step.shown[k]]
            for k in changed:
                lines += _change(k, prev.shown.get(k, "?"), step.shown[k])
            if not changed:
                lines.append(f"{INDENT}(no variable changed)")
        prev = step
    if trace.loop_start is not None:
        lines.append(f"-- the last step leads back to step {trace.loop_start} --")
    if trace.failing_step is not None:
        lines.append(f"{len(trace.steps)}. {trace.failing_step}")
        lines.append(f"{INDENT}this step fails assertion {v.prop}")
    if not trace.violates:
        return "\n".join(lines) + "\n"
    verdict = "Evaluation error" if v.kind == "error" else f"Violated: {_what(v.kind, v.prop)}"
    if v.message and v.message not in (f"{_what(v.kind, v.prop)} is violated", f"{_what(v.kind, v.prop)} failed"):
        verdict += f": {v.message}"
    lines.append(verdict)
    lines += [f"{INDENT}{k} = {val}" for k, val in v.values.items()]
    return "\n".join(lines) + "\n"


def _what(kind: str, prop: str) -> str:
    if kind == "deadlock" and prop == "deadlock":
        return "deadlock"
    if kind == "error":
        return prop  # "evaluation error"
    if kind == "step":
        return f"step property {prop}"
    return f"{kind} {prop}"


def _steps(n: int) -> str:
    return f"{n} step{'' if n == 1 else 's'}"


def _change(name: str, old: str, new: str) -> list[str]:
    """``name: old -> new``, or an element diff for long collections."""
    if len(old) + len(new) > DIFF_WIDTH:
        a, b = _elements(old), _elements(new)
        if a is not None and b is not None and a[0] == b[0]:
            removed = Counter(a[1]) - Counter(b[1])
            added = Counter(b[1]) - Counter(a[1])
            if removed or added:
                pad = " " * (len(name) + 2)
                out = []
                for sign, items, order in (("-", removed, a[1]), ("+", added, b[1])):
                    left = Counter(items)
                    for item in order:  # keep the value's own order
                        if left[item] > 0:
                            left[item] -= 1
                            out.append(f"{sign} {item}")
                first, rest = out[0], out[1:]
                return [f"{INDENT}{name}: {first}"] + [f"{INDENT}{pad}{x}" for x in rest]
    return [f"{INDENT}{name}: {old} -> {new}"]


def _elements(text: str) -> tuple[str, list[str]] | None:
    """Split a shown set/bag/map ``prefix{a, b, ...}`` into its elements."""
    start = text.find("{")
    if start < 0 or not text.endswith("}") or not text[:start].isalnum() and start:
        return None
    inner = text[start + 1 : -1]
    items: list[str] = []
    depth, quoted, begin = 0, False, 0
    for i, ch in enumerate(inner):
        if quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(inner[begin:i].strip())
            begin = i + 1
    if inner.strip():
        items.append(inner[begin:].strip())
    return text[:start], items
