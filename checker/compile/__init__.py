"""Resolved specs -> generated Python -> a `Model` the engine explores."""

from __future__ import annotations

from checker.compile.codegen import CodeGen
from checker.compile.model import CompiledModel
from checker.compile.symmetry import build_canonicalizer, check_symmetric, symmetric_roles
from checker.dsl.ast import Spec
from checker.dsl.parser import parse, parse_file
from checker.dsl.resolve import ResolvedSpec, resolve
from checker.errors import SpecError
from checker.options import LoadOptions


def compile_spec(r: ResolvedSpec, options: LoadOptions | None = None) -> CompiledModel:
    """Generate, exec and wrap the step functions of a resolved spec."""
    options = options or LoadOptions()
    try:
        gen = CodeGen(r).generate()
    except SpecError as exc:
        raise exc.with_source(r.spec.source) from None
    ns = dict(gen.namespace)
    code = compile(gen.source, f"<checker:{r.spec.name}>", "exec")
    exec(code, ns)  # noqa: S102 - our own generated source
    gen.namespace = ns
    gen.bind(ns)
    known = set(gen.invariant_names) | set(gen.assertion_names) | {"deadlock"} | {lp.name for lp in gen.liveness}
    for e in r.expects:
        if e.prop not in known:
            names = ", ".join(sorted(known))
            raise SpecError(f"expect: no property named '{e.prop}' (properties: {names})", e.span, r.spec.source)
    model = CompiledModel(r, gen, ns, options)
    # Symmetry reduction (checker.compile.symmetry): the engine applies it.
    model.symmetric_roles = symmetric_roles(r, options)
    if model.symmetric_roles:
        check_symmetric(r, model.symmetric_roles)
        model.canonicalize = build_canonicalizer(r, model.symmetric_roles)
    return model


def load_spec(path: str, options: LoadOptions | None = None) -> CompiledModel:
    """Parse, resolve and compile a spec file under ``options``
    (constant overrides, fault bounds, symmetry)."""
    return _load(parse_file(path), options or LoadOptions())


def load_text(text: str, file: str = "<spec>", options: LoadOptions | None = None) -> CompiledModel:
    """Like `load_spec` for source text (a worker process rebuilds a model
    from the spec text and options only)."""
    return _load(parse(text, file), options or LoadOptions())


def _load(spec: Spec, options: LoadOptions) -> CompiledModel:
    return compile_spec(resolve(spec, options.consts, options.faults), options)
