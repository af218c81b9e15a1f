"""Draw a `Chart` as inline SVG (for the self-contained HTML page).

Time runs downwards: one row per step, one vertical lifeline per lane. Every
element carries ``data-*`` attributes (``data-step``, ``data-from``,
``data-to``, ``data-lane``) that the page's script uses for stepping and
that the browser tests query. All text is escaped: labels come from specs.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from checker.render.chart import Arrow, Chart, Mark, violation_summary

ROW_H = 36  # one step
SUB_H = 22  # one in-flight message below the last step
HEAD_H = 44  # lane name boxes (a separate sticky SVG)
NUM_W = 36  # step number column
LABEL_W = 230  # step label column
CHAR_W = 6.4  # rough width of one 11-12px character, for truncation


def esc(text: object) -> str:
    """Escape for HTML text and attribute values (inline SVG is HTML here)."""
    return escape(str(text), quote=True)


def clip(text: str, width: float) -> str:
    """Shorten ``text`` to about ``width`` pixels, ending in an ellipsis."""
    limit = max(4, int(width / CHAR_W))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass
class Geometry:
    """Where things go; every coordinate of the drawing comes from here."""

    chart: Chart
    lane_w: float

    @property
    def gutter(self) -> float:
        return NUM_W + LABEL_W

    def x(self, lane: str) -> float:
        return self.gutter + self.lane_w * (self.chart.lanes.index(lane) + 0.5)

    def top(self, step: int) -> float:
        return step * ROW_H

    def y(self, step: int) -> float:
        return step * ROW_H + ROW_H / 2

    @property
    def in_flight(self) -> list[Arrow]:
        return [a for a in self.chart.arrows if a.fate == "in_flight"]

    @property
    def y_attempt(self) -> float:
        """The row of a failed step assertion's attempted step."""
        return self.top(self.chart.last + 1) + ROW_H / 2

    @property
    def y_verdict(self) -> float:
        """The row saying which property broke, right below the last step."""
        extra = ROW_H if self.chart.trace.failing_step else 0
        return self.top(self.chart.last + 1) + extra + ROW_H / 2

    def y_air(self, k: int) -> float:
        """The k-th in-flight message's end, below the verdict row."""
        return self.y_verdict + ROW_H / 2 + 14 + k * SUB_H

    @property
    def lanes_right(self) -> float:
        return self.gutter + self.lane_w * len(self.chart.lanes)

    @property
    def width(self) -> float:
        # right of the lanes: room for the loop bracket and its note
        return self.lanes_right + (44 if self.chart.trace.loop_start is not None else 16)

    @property
    def height(self) -> float:
        return self.y_air(len(self.in_flight)) - 4


def geometry(chart: Chart) -> Geometry:
    longest = max((len(a.text) for a in chart.arrows), default=10)
    longest = max(longest, max((len(m) for m in chart.lanes), default=8))
    return Geometry(chart, lane_w=min(250.0, max(150.0, longest * CHAR_W * 0.8 + 40)))


def _rect(x: float, y: float, w: float, h: float, cls: str, extra: str = "") -> str:
    return f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"{extra}/>'


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    return f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{esc(text)}</text>'


def lanes_header(g: Geometry) -> str:
    """The lane name boxes: a separate SVG that stays on top while scrolling."""
    out = [f'<svg class="lanes-head" xmlns="http://www.w3.org/2000/svg" width="{g.width:.0f}" '
           f'height="{HEAD_H}" viewBox="0 0 {g.width:.0f} {HEAD_H}">']
    out.append(_text(NUM_W - 8, HEAD_H - 12, "step", "head-note", "end"))
    out.append(_text(NUM_W + 4, HEAD_H - 12, "what happened", "head-note"))
    for lane in g.chart.lanes:
        x = g.x(lane)
        w = g.lane_w - 16
        cls = "lane-box env" if lane == "env" else "lane-box"
        out.append(f'<g class="lane-head" data-lane="{esc(lane)}"><title>{esc(lane)}</title>')
        out.append(_rect(x - w / 2, 6, w, HEAD_H - 12, cls, ' rx="5"'))
        out.append(_text(x, HEAD_H / 2 + 4, clip(lane, w - 8), "lane-name", "middle"))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def chart_svg(g: Geometry) -> str:
    """The chart body: rows, lifelines, marks, arrows, the violation, the loop."""
    c = g.chart
    trace = c.trace
    parts: list[str] = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{g.width:.0f}" height="{g.height:.0f}" '
        f'viewBox="0 0 {g.width:.0f} {g.height:.0f}" role="img" aria-label="message sequence chart">',
        _defs(),
    ]
    parts += _backgrounds(g)
    parts += _lifelines(g)
    parts += _rows(g)
    for mark in c.marks:
        parts.append(_mark(g, mark))
    air = {a.id: k for k, a in enumerate(g.in_flight)}
    for arrow in c.arrows:
        parts.append(_arrow(g, arrow, air.get(arrow.id)))
    parts += _violation(g)
    if trace.loop_start is not None:
        parts.append(_loop(g, trace.loop_start))
    parts.append(_rect(0, g.top(c.last), g.width, ROW_H, "cursor", ' id="cursor" pointer-events="none"'))
    parts.append("</svg>")
    return "".join(parts)


def _defs() -> str:
    heads = []
    for name, cls in (("head", "ah"), ("head-dup", "ah dup"), ("head-loop", "ah loop")):
        heads.append(
            f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            f'orient="auto-start-reverse"><path class="{cls}" d="M0,0 L10,5 L0,10 z"/></marker>'
        )
    return "<defs>" + "".join(heads) + "</defs>"


def _backgrounds(g: Geometry) -> list[str]:
    c = g.chart
    out = []
    for i in range(0, c.last + 1, 2):  # zebra rows for reading across
        out.append(_rect(0, g.top(i), g.width, ROW_H, "zebra"))
    for start, end, label in c.partitions:
        stop = g.top(end) if end is not None else g.top(c.last + 1)
        out.append(f'<g class="partition-span" data-step="{start}"><title>{esc(label)}</title>'
                   + _rect(g.gutter, g.y(start), g.lanes_right - g.gutter, stop - g.y(start), "partition-bg") + "</g>")
    if c.trace.loop_start is not None:
        s = c.trace.loop_start
        out.append(_rect(g.gutter, g.top(s), g.lanes_right - g.gutter, g.top(c.last + 1) - g.top(s), "loop-bg"))
    if c.trace.violates:
        out.append(_rect(0, g.top(c.last), g.width, ROW_H, "violation-row"))
    return out


def _lifelines(g: Geometry) -> list[str]:
    c = g.chart
    bottom = g.height
    out = []
    for lane in c.lanes:
        x = g.x(lane)
        out.append(f'<line class="lifeline" data-lane="{esc(lane)}" '
                   f'x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{bottom:.1f}"/>')
        for start, end in c.down.get(lane, []):
            y2 = g.y(end) if end is not None else bottom
            out.append(f'<line class="down" data-lane="{esc(lane)}" x1="{x:.1f}" y1="{g.y(start):.1f}" '
                       f'x2="{x:.1f}" y2="{y2:.1f}"><title>{esc(lane)} is down</title></line>')
    return out


def _rows(g: Geometry) -> list[str]:
    """Per step: a clickable row with the step number and label."""
    c = g.chart
    out = []
    for step in c.trace.steps:
        i = step.index
        last = " last" if i == c.last else ""
        out.append(f'<g class="row{last}" data-step="{i}"><title>{esc(f"step {i}: {step.label}")}</title>')
        out.append(_rect(0, g.top(i), g.width, ROW_H, "row-hit"))
        out.append(_text(NUM_W - 8, g.y(i) + 4, str(i), "step-num", "end"))
        out.append(_text(NUM_W + 4, g.y(i) + 4, clip(step.label, LABEL_W - 12), f"step-label k-{esc(step.kind)}"))
        out.append("</g>")
    return out


def _mark(g: Geometry, m: Mark) -> str:
    y = g.y(m.step)
    head = (f'<g class="mark {esc(m.kind)}" data-step="{m.step}" data-lane="{esc(m.lane or "")}">'
            f'<title>{esc(m.text)}</title>')
    if m.lane is None:  # a band across every lifeline
        x1, x2 = g.gutter + 6, g.lanes_right - 6
        body = (f'<line class="band-line" x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}"/>'
                + _text(x1 + 4, y - 5, clip(m.text, x2 - x1), "band-text"))
        return head + body + "</g>"
    x = g.x(m.lane)
    w = g.lane_w - 24
    if m.kind == "deliver":  # the arrow shows it; keep only the hover text
        return head + "</g>"
    if m.kind == "crash":
        d = 8
        body = (f'<path class="crash-x" d="M{x - d:.1f},{y - d:.1f} L{x + d:.1f},{y + d:.1f} M{x + d:.1f},{y - d:.1f} '
                f'L{x - d:.1f},{y + d:.1f}"/>' + _text(x + 12, y + 4, "crash", "crash-text"))
    elif m.kind == "restart":
        body = (f'<circle class="restart-o" cx="{x:.1f}" cy="{y:.1f}" r="7"/>'
                + _text(x + 12, y + 4, "restart", "restart-text"))
    elif m.kind in ("duplicate", "reorder"):
        word = "\u00d72 duplicated" if m.kind == "duplicate" else "reordered"
        body = (_rect(x + 6, y - 9, 86, 18, f"badge {m.kind}", ' rx="9"')
                + _text(x + 49, y + 4, word, "badge-text", "middle"))
    else:  # action, timer, global with an actor, unknown kinds: a box on the lifeline
        cls = m.kind if m.kind in ("timer", "global") else "action"
        body = _rect(x - w / 2, y - 11, w, 22, f"box {cls}", ' rx="4"')
        tx = x
        if m.kind == "timer":  # a small clock face at the box's left end
            cx = x - w / 2 + 11
            body += (f'<circle class="clock" cx="{cx:.1f}" cy="{y:.1f}" r="6"/>'
                     f'<path class="clock-hands" d="M{cx:.1f},{y - 4:.1f} L{cx:.1f},{y:.1f} '
                     f'L{cx + 3:.1f},{y + 2:.1f}"/>')
            tx += 8
        body += _text(tx, y + 4, clip(m.text, w - (26 if m.kind == "timer" else 10)), "box-text", "middle")
    return head + body + "</g>"


def _arrow(g: Geometry, a: Arrow, air_slot: int | None) -> str:
    x1, y1 = g.x(a.src), g.y(a.sent_at)
    x2 = g.x(a.dst)
    classes = ["msg", a.fate.replace("_", "-")]
    if a.origin != "send":
        classes.append("from-" + a.origin)
    if a.redelivery:
        classes.append("redelivery")
    end = a.end_at if a.end_at is not None else ""
    step = a.end_at if a.end_at is not None else a.sent_at
    title = {
        "delivered": f"{a.src} \u2192 {a.dst}: {a.text} (sent at step {a.sent_at}, delivered at step {a.end_at})",
        "lost": f"{a.src} \u2192 {a.dst}: {a.text} (sent at step {a.sent_at}, lost at step {a.end_at})",
        "corrupted": f"{a.src} \u2192 {a.dst}: {a.text} (sent at step {a.sent_at}, corrupted at step {a.end_at})",
        "in_flight": f"{a.src} \u2192 {a.dst}: {a.text} (sent at step {a.sent_at}, still in flight at the end)",
    }[a.fate]
    if a.origin == "initial":
        title += "; in the network from the start"
    elif a.origin == "duplicate":
        title += "; a copy made by a duplicate step"
    elif a.origin == "corrupt":
        title += "; the corrupted copy"
    if a.redelivery:
        title += "; received again (the network keeps sent messages)"
    head = (f'<g class="{" ".join(classes)}" data-arrow="{a.id}" data-from="{a.sent_at}" data-to="{end}" '
            f'data-step="{step}" data-src="{esc(a.src)}" data-dst="{esc(a.dst)}"><title>{esc(title)}</title>')
    text = a.text
    head += f'<circle class="dot" cx="{x1:.1f}" cy="{y1:.1f}" r="2.6"/>'
    marker = ' marker-end="url(#head-dup)"' if a.origin == "duplicate" else ' marker-end="url(#head)"'
    if a.fate == "delivered":
        y2 = g.y(a.end_at or 0)
        path = _path(x1, y1, x2, y2, a.src == a.dst, g.lane_w)
        body = f'<path class="line" d="{path}"{marker}/>'
        body += _label(x1, x2, y2, text, g.lane_w, a.src == a.dst)
    elif a.fate in ("lost", "corrupted"):
        y2 = g.y(a.end_at or 0)
        xe = x1 + (x2 - x1) * 0.6 if a.src != a.dst else x1 + g.lane_w * 0.35
        body = f'<path class="line" d="M{x1:.1f},{y1:.1f} L{xe:.1f},{y2:.1f}"/>'
        d = 6
        if a.fate == "lost":
            body += (f'<path class="cross" d="M{xe - d:.1f},{y2 - d:.1f} L{xe + d:.1f},{y2 + d:.1f} '
                     f'M{xe + d:.1f},{y2 - d:.1f} L{xe - d:.1f},{y2 + d:.1f}"/>')
        else:  # a jagged "damaged" mark
            body += (f'<path class="zigzag" d="M{xe - 8:.1f},{y2:.1f} l4,-6 l4,12 l4,-12 l4,12 l4,-6"/>')
        word = "lost" if a.fate == "lost" else "corrupted"
        body += _label(x1, xe, y2, f"{text} ({word})", g.lane_w, False)
    else:  # in flight: ends in the air below the last step
        y2 = g.y_air(air_slot or 0)
        xe = x1 + (x2 - x1) * 0.55 if a.src != a.dst else x1 + g.lane_w * 0.35
        body = (f'<path class="line" d="M{x1:.1f},{y1:.1f} L{xe:.1f},{y2:.1f}"/>'
                f'<circle class="air" cx="{xe:.1f}" cy="{y2:.1f}" r="4"/>')
        anchor = "start" if x2 >= x1 else "end"
        tx = xe + 8 if anchor == "start" else xe - 8
        body += _text(tx, y2 + 4, clip(f"{text} \u2192 {a.dst}: in flight", g.lane_w * 1.6), "msg-label", anchor)
    return head + body + "</g>"


def _path(x1: float, y1: float, x2: float, y2: float, self_msg: bool, lane_w: float) -> str:
    if self_msg:  # a loop out to the right and back into the same lifeline
        r = lane_w * 0.3
        return f"M{x1:.1f},{y1:.1f} C{x1 + r:.1f},{y1:.1f} {x2 + r:.1f},{y2:.1f} {x2 + 3:.1f},{y2:.1f}"
    # stop short of the lifeline so the arrowhead is visible
    shorten = 3 if x2 > x1 else -3
    return f"M{x1:.1f},{y1:.1f} L{x2 - shorten:.1f},{y2:.1f}"


def _label(x1: float, x2: float, y2: float, text: str, lane_w: float, self_msg: bool) -> str:
    """The message text just below the arrow's end, on the side it comes from
    (that corner is free of this arrow's own line)."""
    if self_msg or x1 > x2:
        return _text(x2 + 8, y2 + 13, clip(text, lane_w * 1.6), "msg-label", "start")
    return _text(x2 - 8, y2 + 13, clip(text, lane_w * 1.6), "msg-label", "end")


def _violation(g: Geometry) -> list[str]:
    c = g.chart
    v = c.trace.violation
    if not c.trace.violates:  # a path walked by hand: nothing to mark
        return []
    y = g.y(c.last)
    out = [f'<g class="violation" data-step="{c.last}"><title>{esc(v.prop)}: {esc(v.message)}</title>']
    # Ring the lanes named by the values that broke the property: a variable
    # "Server[0].executed", or a quantified node "a = Server[0]".
    hit = {lane for lane in c.lanes for key, val in v.values.items()
           if key.startswith(lane + ".") or lane in (key, val)}
    for lane in c.lanes:
        if lane in hit:
            out.append(f'<circle class="culprit" data-lane="{esc(lane)}" cx="{g.x(lane):.1f}" cy="{y:.1f}" r="11"/>')
    out.append("</g>")
    if c.trace.failing_step:
        ya = g.y_attempt
        out.append(f'<g class="attempt" data-step="{c.last}"><title>{esc(c.trace.failing_step)}</title>')
        out.append(_rect(0, ya - ROW_H / 2, g.width, ROW_H, "violation-row"))
        out.append(_text(NUM_W - 8, ya + 4, "\u2717", "step-num bad", "end"))
        attempted = clip("attempted: " + c.trace.failing_step, g.width - NUM_W - 12)
        out.append(_text(NUM_W + 4, ya + 4, attempted, "step-label bad"))
        out.append("</g>")
    yv = g.y_verdict
    values = ", ".join(f"{k} = {val}" for k, val in v.values.items())
    detail = values or v.message
    if v.kind == "deadlock":
        verdict = "deadlock: no step is enabled after the last step" + (f" ({detail})" if detail else "")
    else:
        verdict = f"{v.prop} violated" + (f": {detail}" if detail else "")
    out.append(f'<g class="verdict" data-step="{c.last}"><title>{esc(violation_summary(c.trace))}</title>')
    out.append(_rect(4, yv - ROW_H / 2 + 5, g.lanes_right - 4, ROW_H - 10, "violation-badge", ' rx="4"'))
    out.append(_text(NUM_W - 8, yv + 4, "\u2717", "violation-text", "end"))
    out.append(_text(NUM_W + 4, yv + 4, clip(verdict, g.lanes_right - NUM_W - 12), "violation-text"))
    out.append("</g>")
    return out


def _loop(g: Geometry, start: int) -> str:
    """A bracket right of the lanes: the last step leads back to ``start``."""
    c = g.chart
    x = g.lanes_right + 14
    y1, y2 = g.y(start), g.y(c.last)
    same = c.trace.steps[start].state == c.trace.steps[c.last].state
    note = f"loop: back to step {start}" + (" (same state)" if same and c.last - start > 1 else "")
    # the note runs upwards along the bracket, so the column stays narrow
    tx, ty = x + 14, (y1 + y2) / 2
    return (f'<g class="loop" data-step="{c.last}" data-loop-start="{start}"><title>the last step leads back to step '
            f'{start}: steps {start}..{c.last} repeat forever</title>'
            f'<path class="loop-line" d="M{x - 10:.1f},{y2:.1f} L{x:.1f},{y2:.1f} '
            f'L{x:.1f},{y1:.1f} L{x - 8:.1f},{y1:.1f}" '
            f'marker-end="url(#head-loop)"/>'
            f'<text class="loop-text" x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 {tx:.1f} {ty:.1f})">{esc(note)}</text></g>')
