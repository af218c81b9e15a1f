"""`checker show`: re-render a saved trace without re-running the search."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

from checker.errors import TraceFileError, UsageError
from checker.trace import Trace

FORMATS = ("text", "html", "mermaid", "itf", "dot")


def load_trace(path: str) -> Trace:
    """Read a ``.trace.json`` file, naming the problem on bad input."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such trace file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TraceFileError(f"{path}: cannot read the trace file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TraceFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    return Trace.from_json(data, path)


def render(trace: Trace, fmt: str) -> str:
    if fmt == "text":
        from checker.render.text import render_trace

        return render_trace(trace) + "\n"
    if fmt == "html":
        from checker.render.sequence import render_html

        return render_html(trace)
    if fmt == "mermaid":
        from checker.render.mermaid import render_mermaid

        return render_mermaid(trace)
    if fmt == "itf":
        from checker.render.itf import render_itf

        return render_itf(trace)
    if fmt == "dot":
        from checker.render.dot import render_trace_dot

        return render_trace_dot(trace)
    raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")


def open_in_browser(path: Path) -> bool:
    """Open a page in the default browser when there is one; says whether it did."""
    try:
        return webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        return False
