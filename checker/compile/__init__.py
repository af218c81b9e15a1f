"""Resolved specs -> generated Python -> a `Model` the engine explores."""

from __future__ import annotations

from typing import Any

from checker.compile.codegen import CodeGen
from checker.compile.model import CompiledModel
from checker.dsl.parser import parse, parse_file
from checker.dsl.resolve import ResolvedSpec, resolve
from checker.errors import SpecError


def compile_spec(r: ResolvedSpec, options: dict[str, Any] | None = None) -> CompiledModel:
    """Generate, exec and wrap the step functions of a resolved spec."""
    try:
        gen = CodeGen(r).generate()
    except SpecError as exc:
        raise exc.with_source(r.spec.source) from None
    ns = dict(gen.namespace)
    code = compile(gen.source, f"<checker:{r.spec.name}>", "exec")
    exec(code, ns)  # noqa: S102 - our own generated source
    gen.namespace = ns
    known = set(gen.invariant_names) | set(gen.assertion_names) | {"deadlock"}
    for e in r.expects:
        if e.prop not in known:
            names = ", ".join(sorted(known))
            raise SpecError(f"expect: no property named '{e.prop}' (properties: {names})", e.span, r.spec.source)
    return CompiledModel(r, gen, ns, dict(options or {}))


def load_spec(path: str, consts: dict[str, str] | None = None) -> CompiledModel:
    """Parse, resolve and compile a spec file (``consts``: --const texts)."""
    spec = parse_file(path)
    return compile_spec(resolve(spec, consts), {"spec": path, "consts": dict(consts or {})})


def load_text(text: str, file: str = "<spec>", consts: dict[str, str] | None = None) -> CompiledModel:
    """Like `load_spec` for source text (a worker process rebuilds a model
    from the spec text and options only)."""
    spec = parse(text, file)
    return compile_spec(resolve(spec, consts), {"spec": file, "consts": dict(consts or {})})
