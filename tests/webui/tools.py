"""Helpers for the explorer's tests: an app over a spec, requests to it, and
the counterexample `checker run` finds (the path a test then walks by hand)."""

from __future__ import annotations

import json
from typing import Any

from checker.explore import explore
from checker.options import SearchOptions
from checker.trace import Trace
from checker.webui.app import App
from checker.webui.options import ExplorerOptions
from checker.webui.server import build_app


def app_for(spec: str, search: bool = False) -> App:
    """The explorer's app over ``spec``, with or without the background check."""
    return build_app(ExplorerOptions(spec, search=SearchOptions() if search else None))


def get(app: App, target: str, status: int = 200) -> Any:
    resp = app.handle("GET", target)
    assert resp.status == status, resp.body[:300]
    return json.loads(resp.body)


def view(app: App, path: list[int], at: int | None = None) -> dict[str, Any]:
    q = ".".join(map(str, path))
    return get(app, f"/api/view?path={q}" + (f"&at={at}" if at is not None else ""))


def counterexample(app: App, prop: str) -> Trace:
    """The shortest counterexample the checker itself finds for ``prop``."""
    return explore(app.ex.model).traces[prop]


def take_by_label(app: App, path: list[int], label: str) -> list[int]:
    """The path extended by the enabled step with this label (as a person
    reading the page would pick it)."""
    enabled = view(app, path)["enabled"]
    matches = [s["index"] for s in enabled if s["label"] == label]
    assert len(matches) == 1, (label, [s["label"] for s in enabled])
    return path + matches
