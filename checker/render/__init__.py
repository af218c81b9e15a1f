"""Renderers of counterexample traces: text (`text`), ITF JSON (`itf`), a
self-contained HTML sequence chart (`sequence`), Mermaid (`mermaid`) and
Graphviz DOT (`dot`). Each reads a `checker.trace.Trace`.

Renderer modules are imported lazily: ``import checker.render.text`` must
not pay for networkx.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from checker.options import Option, OptionError

if TYPE_CHECKING:
    from checker.trace import Trace


class Format(StrEnum):
    """The renderings of a trace."""

    TEXT = "text"
    HTML = "html"
    MERMAID = "mermaid"
    ITF = "itf"
    DOT = "dot"


def render(trace: Trace, fmt: Format) -> str:
    """``trace`` rendered in one format."""
    if fmt is Format.TEXT:
        from checker.render.text import render_trace

        return render_trace(trace) + "\n"
    if fmt is Format.HTML:
        from checker.render.sequence import render_html

        return render_html(trace)
    if fmt is Format.MERMAID:
        from checker.render.mermaid import render_mermaid

        return render_mermaid(trace)
    if fmt is Format.ITF:
        from checker.render.itf import render_itf

        return render_itf(trace)
    from checker.render.dot import render_trace_dot

    return render_trace_dot(trace)


#: the files `write_all` writes beside ``<stem>.trace.json``.
SUFFIXES = {Format.ITF: ".itf.json", Format.HTML: ".html", Format.MERMAID: ".mmd", Format.DOT: ".dot"}


def write_all(trace: Trace, stem: Path) -> list[Path]:
    """Write ``<stem>.itf.json``, ``<stem>.html``, ``<stem>.mmd`` and
    ``<stem>.dot`` for ``trace`` (the files `checker run --out DIR` leaves
    beside ``<stem>.trace.json``); returns their paths."""
    written = []
    for fmt, suffix in SUFFIXES.items():
        path = stem.parent / (stem.name + suffix)  # the stem may itself contain dots
        path.write_text(render(trace, fmt), encoding="utf-8")
        written.append(path)
    return written


def make_out_dir(out: Path) -> None:
    """Create the output directory, or report it as a bad ``out`` option."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(Option.OUT, str(out), f"cannot create the directory: {exc.strerror}") from None


def write_traces(traces: Mapping[str, Trace], out: Path) -> list[Path]:
    """Write every counterexample as ``<property>.trace.json`` and its
    renderings (`write_all`) into ``out``; returns the paths written."""
    make_out_dir(out)
    written = []
    for prop, trace in traces.items():
        stem = file_stem(prop)
        path = out / f"{stem}.trace.json"
        path.write_text(trace.dumps() + "\n", encoding="utf-8")
        written.append(path)
        written.extend(write_all(trace, out / stem))
    return written


def file_stem(prop: str) -> str:
    """A property name made safe as a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in prop) or "property"
