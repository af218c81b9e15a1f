"""A counterexample as Mermaid ``sequenceDiagram`` text.

The same chart as the HTML page (`checker.render.chart`), in a form that
GitHub, GitLab and most Markdown viewers draw::

    from checker.render.mermaid import render_mermaid
    text = render_mermaid(trace)

- participants are the trace's nodes, with safe ids and the display name as
  alias (``participant Server_0 as Server[0]``), plus ``env`` only when the
  environment sends messages;
- a delivered message is an arrow at its delivery step (``A->>B: [5]
  Ticket(t=1)``; a duplicated copy or a re-delivery is dotted), a lost one
  ``A-xB: [4] msg (lost)``, a corrupted one ``A-xB: ... (corrupted)``;
- crashes, restarts, timers and internal actions are notes over the node;
  partitions, heals and global actions notes over every node;
- a liveness lasso wraps the repeating steps in a ``loop`` block;
- messages still in flight at the end and the violation are final notes
  (the violating step is shaded red).

Mermaid reads ``;`` as a statement separator and ``#`` as the start of an
entity code, and sanitises HTML, so user text is written with entity codes
(``#59;``, ``#35;``, ``#60;`` ...) which Mermaid turns back into characters.
"""

from __future__ import annotations

import re

from checker.render.chart import Arrow, Chart, Mark, build_chart, violation_summary
from checker.trace import Trace

#: words Mermaid's sequence grammar reserves; a participant id must not be one
_RESERVED = {
    "participant", "actor", "as", "note", "over", "left", "right", "of", "loop", "alt", "else", "opt", "par",
    "and", "rect", "end", "critical", "break", "box", "create", "destroy", "activate", "deactivate",
    "autonumber", "title", "links", "link", "properties", "details", "off", "sequencediagram", "accdescr",
    "acctitle",
}
_ENTITIES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "\n": " ", "\r": " ", "%": "#37;",
             "{": "#123;", "}": "#125;"}
MAX_TEXT = 120  # long labels make unreadable diagrams; the HTML page has the rest


def mermaid_text(text: object, limit: int = MAX_TEXT) -> str:
    """User text made safe for a Mermaid label: no ``;``, ``#``, ``<``,
    ``>``, ``&`` or line breaks except as entity codes."""
    s = str(text)
    if len(s) > limit:
        s = s[: limit - 1] + "\u2026"
    s = "".join(_ENTITIES.get(ch, ch) for ch in s)
    # "-x" / "->>"-like runs are harmless after ':' but keep labels single-spaced
    return re.sub(r"\s+", " ", s).strip() or " "


def participant_ids(lanes: list[str]) -> dict[str, str]:
    """A unique Mermaid-safe id per lane: ``Server[0]`` -> ``Server_0``."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for lane in lanes:
        base = re.sub(r"[^A-Za-z0-9_]+", "_", lane).strip("_") or "node"
        if base[0].isdigit():
            base = "n_" + base
        if base.lower() in _RESERVED:
            base += "_"
        name, k = base, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        ids[lane] = name
    return ids


def render_mermaid(trace: Trace) -> str:
    """The Mermaid source of ``trace``'s sequence chart (ends with a newline)."""
    chart = build_chart(trace)
    ids = participant_ids(chart.lanes)
    v = trace.violation
    lines = ["sequenceDiagram"]
    what = "deadlock" if v.kind == "deadlock" else v.prop + " violated" if trace.violates else "a path"
    title = f"{trace.spec}: {what}"
    lines.append(f"    title {mermaid_text(title)}")
    for lane in chart.lanes:
        alias = "env (environment)" if lane == "env" else lane
        lines.append(f"    participant {ids[lane]} as {mermaid_text(alias)}")

    events = _events_by_step(chart, ids)
    everyone = _over_all(chart, ids)
    loop_start = trace.loop_start
    indent = "    "
    for step in trace.steps:
        i = step.index
        if loop_start is not None and i == loop_start + 1:
            lines.append(f"    loop {mermaid_text(f'forever: after step {chart.last} back to step {loop_start}')}")
            indent = "        "
        red = i == chart.last and trace.violates  # the violating step
        if red:
            lines.append(f"{indent}rect rgb(255, 228, 228)")
        body = events.get(i, [])
        if i == 0:
            body = body or [f"Note over {everyone}: [0] initial state"]
        elif not body:  # every step shows up, even one that draws nothing else
            body = [f"Note over {everyone}: [{i}] {mermaid_text(step.label)}"]
        pad = indent + ("    " if red else "")
        lines += [pad + line for line in body]
        if red:
            if trace.failing_step:
                lines.append(f"{pad}Note over {everyone}: attempted: {mermaid_text(trace.failing_step)}")
            lines.append(f"{indent}end")
    if loop_start is not None:
        if loop_start == chart.last:  # a self-loop: the last state repeats
            lines.append(f"    loop {mermaid_text(f'step {loop_start} repeats forever')}")
            lines.append(f"        Note over {everyone}: stays in the state of step {loop_start}")
        lines.append("    end")
    for a in chart.arrows:
        if a.fate == "in_flight":
            lines.append(f"    Note over {_pair(ids, a)}: in flight, never delivered: "
                         f"{mermaid_text(a.text)} (sent at step {a.sent_at})")
    verdict = violation_summary(trace)
    values = ", ".join(f"{k} = {val}" for k, val in v.values.items())
    detail = "; ".join(x for x in (v.message, values) if x)
    if trace.violates:
        lines.append(f"    Note over {everyone}: VIOLATED {mermaid_text(verdict, 200)}"
                     + (f" - {mermaid_text(detail, 300)}" if detail else ""))
    else:
        lines.append(f"    Note over {everyone}: {mermaid_text(verdict, 200)}")
    return "\n".join(lines) + "\n"


def _over_all(chart: Chart, ids: dict[str, str]) -> str:
    first, last = ids[chart.lanes[0]], ids[chart.lanes[-1]]
    return first if first == last else f"{first},{last}"


def _pair(ids: dict[str, str], a: Arrow) -> str:
    return ids[a.src] if a.src == a.dst else f"{ids[a.src]},{ids[a.dst]}"


def _events_by_step(chart: Chart, ids: dict[str, str]) -> dict[int, list[str]]:
    """The Mermaid lines of each step, in the order they happen."""
    out: dict[int, list[str]] = {}
    for a in chart.arrows:
        if a.end_at is None:
            continue
        tag = f"[{a.end_at}] "
        text = mermaid_text(a.text)
        if a.fate == "delivered":
            arrow = "-->>" if a.origin == "duplicate" or a.redelivery else "->>"
            extra = " (duplicate copy)" if a.origin == "duplicate" else ""
            extra += " (received again)" if a.redelivery else ""
            extra += " (corrupted copy)" if a.origin == "corrupt" else ""
            line = f"{ids[a.src]}{arrow}{ids[a.dst]}: {tag}{text}{extra}"
        else:
            line = f"{ids[a.src]}-x{ids[a.dst]}: {tag}{text} ({'lost' if a.fate == 'lost' else 'corrupted'})"
        out.setdefault(a.end_at, []).append(line)
    everyone = _over_all(chart, ids)
    for m in chart.marks:
        if m.kind == "deliver":
            continue  # the arrow says it
        out.setdefault(m.step, []).append(_mark_line(m, ids, everyone))
    return out


def _mark_line(m: Mark, ids: dict[str, str], everyone: str) -> str:
    tag = f"[{m.step}] "
    if m.lane is None:
        return f"Note over {everyone}: {tag}{mermaid_text(m.text)}"
    where = ids[m.lane]
    if m.kind in ("crash", "restart"):
        return f"Note over {where}: {tag}{m.kind.upper()}"
    if m.kind == "timer":
        return f"Note over {where}: {tag}timer: {mermaid_text(m.text)}"
    return f"Note over {where}: {tag}{mermaid_text(m.text)}"
