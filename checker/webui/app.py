"""The explorer's HTTP API, as plain functions of a request (no sockets).

Routes (every answer is JSON unless said otherwise; errors are
``{"error": message}`` with status 400, 404, 405 or 413):

- ``GET /``: the page (HTML);
- ``GET /api/model``: the spec, its nodes and properties, and the path to
  open first (the initial state, or the trace given with ``--trace``);
- ``GET /api/view?path=0.3.1&at=2``: step ``at`` of a path (`view.step_view`);
- ``GET /api/export?path=0.3.1``: the path as a ``.trace.json`` download
  that ``checker show`` renders;
- ``POST /api/trace`` (body: a ``.trace.json``): the path of a saved trace;
- ``GET /api/search``: the background check's progress and verdicts.

`checker.webui.server` only moves bytes between a socket and `App.handle`.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from checker.errors import CheckerError
from checker.trace import loads_trace
from checker.webui.background import BackgroundSearch
from checker.webui.explorer import MAX_PATH, Explorer, PathError
from checker.webui.page import CSP_HEADER, render_page
from checker.webui.view import step_view

#: the largest trace file the page may upload.
MAX_UPLOAD = 32 * 1024 * 1024


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, "application/json; charset=utf-8", body, headers or {})


def error(status: int, message: str) -> Response:
    return json_response({"error": message}, status)


class App:
    """The explorer's routes over one `Explorer` and its background search."""

    def __init__(self, ex: Explorer, search: BackgroundSearch, start: list[int] | None = None):
        self.ex = ex
        self.search = search
        # the path the page opens with: a given trace, else the only initial state
        self.start = start if start is not None else ([0] if len(ex.initial) == 1 else [])
        self.routes: dict[tuple[str, str], Callable[[dict[str, list[str]], bytes], Response]] = {
            ("GET", "/"): self.page,
            ("GET", "/api/model"): self.model_info,
            ("GET", "/api/view"): self.view,
            ("GET", "/api/export"): self.export,
            ("GET", "/api/search"): self.search_status,
            ("POST", "/api/trace"): self.open_trace,
        }

    def handle(self, method: str, target: str, body: bytes = b"") -> Response:
        """Answer one request; a bad request gets a message, never a traceback."""
        url = urlsplit(target)
        route = self.routes.get((method, url.path))
        if route is None:
            if any(path == url.path for _, path in self.routes):
                return error(405, f"{method} is not allowed on {url.path}")
            return error(404, f"no such page: {url.path}")
        try:
            return route(parse_qs(url.query, keep_blank_values=True), body)
        except CheckerError as exc:
            return error(400, str(exc))
        except Exception as exc:  # a bug in the checker: answer, log, keep serving
            if os.environ.get("CHECKER_DEBUG"):
                traceback.print_exc()
            print(f"checker explore: internal error on {method} {url.path}: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
            return error(500, f"internal error: {type(exc).__name__}: {exc} (a bug in the checker)")

    # -- routes ------------------------------------------------------------------
    def page(self, query: dict[str, list[str]], body: bytes) -> Response:
        html = render_page(self.ex.model.name, self.ex.spec)
        return Response(200, "text/html; charset=utf-8", html.encode("utf-8"), {"Content-Security-Policy": CSP_HEADER})

    def model_info(self, query: dict[str, list[str]], body: bytes) -> Response:
        m = self.ex.model
        return json_response({
            "spec": m.name,
            "file": self.ex.spec,
            "consts": dict(self.ex.load.consts),
            "nodes": m.nodes(),
            "invariants": [inv.name for inv in m.invariants],
            "properties": m.properties(),
            "initialStates": len(self.ex.initial),
            "start": self.start,
        })

    def view(self, query: dict[str, list[str]], body: bytes) -> Response:
        path = parse_path(query)
        at = _int_param(query, "at", len(path) - 1)
        return json_response(step_view(self.ex, path, at))

    def export(self, query: dict[str, list[str]], body: bytes) -> Response:
        path = parse_path(query)
        trace = self.ex.trace(path)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in trace.spec) or "path"
        filename = f"{name}-{len(trace)}-steps.trace.json"
        return Response(200, "application/json; charset=utf-8", (trace.dumps() + "\n").encode("utf-8"),
                        {"Content-Disposition": f'attachment; filename="{filename}"'})

    def search_status(self, query: dict[str, list[str]], body: bytes) -> Response:
        return json_response(self.search.status())

    def open_trace(self, query: dict[str, list[str]], body: bytes) -> Response:
        name = _param(query, "name") or "the uploaded trace"
        if len(body) > MAX_UPLOAD:
            return error(413, f"{name}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
        trace = loads_trace(body, name)  # checked against the trace schema, as `checker show` does
        path = self.ex.open_trace(trace, name)
        return json_response({"path": path, "spec": trace.spec, "steps": len(trace)})


def parse_path(query: dict[str, list[str]]) -> list[int]:
    """``path=0.3.1`` -> [0, 3, 1] (the empty string is the empty path)."""
    text = _param(query, "path") or ""
    if not text:
        return []
    parts = text.split(".")
    if len(parts) > MAX_PATH + 1:
        raise PathError(f"a path of {len(parts) - 1} steps is longer than the {MAX_PATH} the explorer follows")
    if not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        raise PathError(f"path={text[:80]!r}: expected step numbers separated by dots, e.g. path=0.3.1")
    return [int(p) for p in parts]


def _param(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _int_param(query: dict[str, list[str]], key: str, default: int) -> int:
    text = _param(query, key)
    if text is None or text == "":
        return default
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(text) > 9:
        raise PathError(f"{key}={text[:40]!r}: expected a step number")
    return int(text)
