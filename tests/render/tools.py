"""External programs some renderer tests use: skipped on a developer's
machine without them, but required in CI (where the CI variable is set and
.ci/run installs them)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.render.cdp import find_chromium


def require(path: str | None, what: str, install: str) -> str:
    """``path`` if the program exists; else skip locally, fail in CI."""
    if path:
        return path
    message = f"{what} not found (install it: {install})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must have it")
    pytest.skip(message)


def chromium() -> str:
    return require(find_chromium(), "chromium", "apt-get install -y chromium")


def graphviz_dot() -> str:
    return require(shutil.which("dot"), "graphviz 'dot'", "apt-get install -y graphviz")
