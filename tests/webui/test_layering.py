"""checker/webui sees a spec only as a `Model` (loaded by `checker.loader`):
like the engine, it never imports the DSL or the compiler, so it works on
Python models too."""

from __future__ import annotations

from tests.engine.test_layering import PKG, offenders


def test_webui_never_imports_the_dsl_or_the_compiler() -> None:
    files = sorted((PKG / "webui").rglob("*.py"))
    assert len(files) >= 8
    assert offenders(files, ["checker.dsl", "checker.compile"]) == []
