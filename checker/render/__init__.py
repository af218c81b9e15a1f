"""Renderers of counterexample traces: text (`text`), ITF JSON (`itf`), a
self-contained HTML sequence chart (`sequence`), Mermaid (`mermaid`) and
Graphviz DOT (`dot`). Each reads a `checker.trace.Trace`.

Renderer modules are imported lazily: ``import checker.render.text`` must
not pay for networkx.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.trace import Trace


def write_all(trace: "Trace", stem: Path) -> list[Path]:
    """Write ``<stem>.itf.json``, ``<stem>.html``, ``<stem>.mmd`` and
    ``<stem>.dot`` for ``trace`` (the files `checker run --out DIR` leaves
    beside ``<stem>.trace.json``); returns their paths."""
    from checker.render.dot import render_trace_dot
    from checker.render.itf import render_itf
    from checker.render.mermaid import render_mermaid
    from checker.render.sequence import render_html

    written = []
    for suffix, render in ((".itf.json", render_itf), (".html", render_html),
                           (".mmd", render_mermaid), (".dot", render_trace_dot)):
        path = stem.parent / (stem.name + suffix)  # the stem may itself contain dots
        path.write_text(render(trace), encoding="utf-8")
        written.append(path)
    return written
