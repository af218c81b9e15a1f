"""Resolved specs -> generated Python -> a `Model` the engine explores."""

from __future__ import annotations

from checker.compile.model import CompiledModel
from checker.compile.module import ModuleCompiler, generated_filename
from checker.compile.symmetry import build_canonicalizer
from checker.compile.validation import compile_expression
from checker.dsl.ast import Spec
from checker.dsl.parser import parse, parse_file
from checker.dsl.resolve import ResolvedSpec, resolve
from checker.options import LoadOptions

__all__ = ["compile_spec", "load_spec", "load_text", "compile_expression", "CompiledModel"]


def compile_spec(r: ResolvedSpec, options: LoadOptions | None = None) -> CompiledModel:
    """Generate, exec and wrap the step functions of a resolved (and so
    checked) spec."""
    gen = ModuleCompiler(r).generate()
    code = compile(gen.source, generated_filename(r), "exec")
    exec(code, gen.namespace)  # noqa: S102 - our own generated source
    gen.bind(gen.namespace)
    model = CompiledModel(r, gen, options or LoadOptions())
    if r.symmetric:  # symmetry reduction (checker.compile.symmetry): the engine applies it
        model.canonicalize = build_canonicalizer(r, gen.layout, r.symmetric)
        model.symmetric_roles = tuple(r.symmetric)
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
    return compile_spec(resolve(spec, options), options)
