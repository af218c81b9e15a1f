"""A counterexample as ONE self-contained HTML page: a message-sequence chart
with a step-through state explorer.

The page needs no network: SVG, CSS and JavaScript are inline and a Content
Security Policy forbids loading anything else. Usage::

    from checker.render.sequence import render_html
    Path("trace.html").write_text(render_html(trace), encoding="utf-8")

What it shows: a title with the spec and the violated property, the values
that broke it, a legend of the symbols used, one lifeline per node (plus an
"env" lane when the environment sends messages), numbered steps, arrows from
the step that sent a message to the step that delivered it, lost messages
ending in a cross, messages still in flight ending in the air, crashes,
restarts, partitions, timers and internal actions on the lifelines, the
violating step highlighted, and a liveness loop as a bracket. A slider (or
a click on a step, or the arrow keys) selects a step; the side panel shows
the full state after it with the changed variables highlighted.
"""

from __future__ import annotations

import json
from typing import Any

from checker.render.chart import Chart, build_chart, describe_step, violation_summary
from checker.render.sequence_assets import CSS, DOM_HELPERS_JS, JS, LEGEND, LEGEND_STYLE
from checker.render.svgchart import HEAD_H, ROW_H, chart_svg, esc, geometry, lanes_header
from checker.trace import Trace

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def render_html(trace: Trace, *, title: str | None = None) -> str:
    """The whole page for ``trace`` as a string (UTF-8 text)."""
    chart = build_chart(trace)
    g = geometry(chart)
    v = trace.violation
    broke = "deadlock" if v.kind == "deadlock" else f"{v.prop} violated" if trace.violates else "a path"
    heading = title or f"{trace.spec}: {broke}"
    n = len(trace.steps) - 1
    summary = [violation_summary(trace), f"{n} step{'s' if n != 1 else ''}", f"{len(trace.nodes)} nodes"]
    summary += [f"{k} = {val}" for k, val in sorted(trace.options.items()) if isinstance(val, (str, int, float, bool))]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="checker">',
        f"<title>{esc(heading)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<header>",
        f'<h1><span class="spec">{esc(trace.spec)}</span>: <span class="prop">{esc(v.prop)}</span>'
        f'{"" if v.kind == "deadlock" else " violated"}</h1>' if title is None and trace.violates
        else f"<h1>{esc(heading)}</h1>",
        f'<p class="summary">{esc(" · ".join(summary))}</p>',
        '<div class="head-row">',
        _violation_box(trace),
        _legend(chart),
        "</div></header><main>",
        '<section class="chart-pane">',
        '<div class="controls">',
        '<button id="btn-first" title="initial state (Home)">|&#9664;</button>',
        '<button id="btn-prev" title="previous step (&#8592;)">&#9664;</button>',
        f'<input type="range" id="slider" min="0" max="{n}" value="{n}" step="1" aria-label="step">',
        '<button id="btn-next" title="next step (&#8594;)">&#9654;</button>',
        '<button id="btn-last" title="last step (End)">&#9654;|</button>',
        f'<span id="step-title">Step {n} of {n}</span>',
        '<span class="hint">click a step or an arrow; &#8592;/&#8594; keys step through</span>',
        "</div>",
        '<div class="chart-scroll" id="chart-scroll">',
        lanes_header(g),
        chart_svg(g),
        "</div></section>",
        '<aside class="state-pane" id="state-pane">',
        '<h2 id="panel-title">Step</h2>',
        '<div id="panel-step"></div>',
        f'<div id="panel-violation">{_violation_box(trace, panel=True)}</div>',
        '<h3>State after this step</h3>',
        '<label class="hint"><input type="checkbox" id="only-changed"> only changed variables</label>',
        '<table id="state-table"></table>',
        "<h3>In flight after this step</h3>",
        '<ul class="plain" id="in-flight"></ul>',
        "</aside></main>",
        f'<script type="application/json" id="trace-data">{_data_json(chart)}</script>',
        f"<script>{DOM_HELPERS_JS}{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def _violation_box(trace: Trace, panel: bool = False) -> str:
    v = trace.violation
    if not trace.violates:
        return ""
    what = {"invariant": "Invariant", "assertion": "Assertion", "deadlock": "Deadlock", "liveness": "Liveness property"}
    head = f"{what.get(v.kind, v.kind)} {v.prop} violated" if v.kind != "deadlock" else "Deadlock"
    parts = [f'<div class="violation-box" data-prop="{esc(v.prop)}">',
             f'<div class="vtitle">&#10007; {esc(head)}</div>',
             f"<div>{esc(violation_summary(trace))}</div>"]
    if v.message:
        parts.append(f"<div>{esc(v.message)}</div>")
    if trace.failing_step:
        parts.append(f"<div>attempted step: <code>{esc(trace.failing_step)}</code></div>")
    if v.values:
        parts.append("<div>the values that broke it:</div><table>")
        for key, val in v.values.items():
            parts.append(f"<tr><td>{esc(key)}</td><td>= {esc(val)}</td></tr>")
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


def _legend(chart: Chart) -> str:
    used = {a.fate.replace("_", "-") for a in chart.arrows}
    used |= {"from-" + a.origin for a in chart.arrows}
    used |= {m.kind for m in chart.marks}
    if "reorder" in used:
        used.add("duplicate")
    if "heal" in used:
        used.add("partition")
    if chart.trace.loop_start is not None:
        used.add("loop")
    used |= {"delivered", "violation"}
    items = []
    for key, svg, text in LEGEND:
        if key in used:
            items.append(f'<span class="legend-item" data-legend="{key}"><svg width="44" height="19" '
                         f'viewBox="0 0 44 19" aria-hidden="true">{svg}</svg>{esc(text)}</span>')
    return ('<details class="legend" open><summary>How to read this chart</summary>'
            '<p class="hint">Time runs downwards, one numbered row per step; each node has a vertical lifeline. '
            'Select a step with the slider, the arrow keys or a click to see the whole state after it '
            '(changed variables are highlighted, with the old value struck through).</p>'
            f'{LEGEND_STYLE}<div class="legend-items">{"".join(items)}</div></details>')


def _data_json(chart: Chart) -> str:
    """The step data for the script, safe inside a <script> element."""
    trace = chart.trace
    steps: list[dict[str, Any]] = []
    for s in trace.steps:
        steps.append({
            "index": s.index,
            "kind": s.kind,
            "what": describe_step(s),
            "label": s.label,
            "actor": s.actor,
            "message": _msg(s.message) if s.message else None,
            "sends": [_msg(m) for m in s.sends],
            "shown": [[k, v] for k, v in s.shown.items()],  # a list keeps the variable order
            "changed": list(s.changed),
        })
    def flying(i: int) -> str:
        a = chart.arrow(i)
        return f"{a.src} \u2192 {a.dst}: {a.text} (sent at step {a.sent_at})"

    in_flight = [[flying(i) for i in ids] for ids in chart.in_flight_after]
    v = trace.violation
    data = {
        "spec": trace.spec,
        "rowH": ROW_H,
        "headH": HEAD_H,
        "loopStart": trace.loop_start,
        "violation": {"prop": v.prop, "kind": v.kind, "message": v.message, "values": dict(v.values)},
        "steps": steps,
        "inFlight": in_flight,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" inside a string must not end the element
    escapes = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
    for ch, code in escapes:
        text = text.replace(ch, code)
    return text


def _msg(m: dict[str, Any]) -> dict[str, str]:
    return {"src": str(m.get("src") or "env"), "dst": str(m.get("dst") or "?"), "text": str(m.get("text", ""))}
