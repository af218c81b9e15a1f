"""Resolved specs -> generated Python -> a `Model` the engine explores."""

from __future__ import annotations

from typing import Any

from checker.compile.codegen import CodeGen
from checker.compile.model import CompiledModel
from checker.compile.symmetry import build_canonicalizer, check_symmetric, symmetric_roles
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
    known = set(gen.invariant_names) | set(gen.assertion_names) | {"deadlock"} | {lp.name for lp in gen.liveness}
    for e in r.expects:
        if e.prop not in known:
            names = ", ".join(sorted(known))
            raise SpecError(f"expect: no property named '{e.prop}' (properties: {names})", e.span, r.spec.source)
    model = CompiledModel(r, gen, ns, dict(options or {}))
    # Symmetry reduction (checker.compile.symmetry): the engine applies it.
    model.symmetric_roles = symmetric_roles(r, model.options)
    if model.symmetric_roles:
        check_symmetric(r, model.symmetric_roles)
        model.canonicalize = build_canonicalizer(r, model.symmetric_roles)
    return model


def load_spec(path: str, consts: dict[str, str] | None = None, *, symmetry: bool = True,
              symmetric: tuple[str, ...] = (), faults: dict[str, int] | None = None) -> CompiledModel:
    """Parse, resolve and compile a spec file (``consts``: --const texts).

    ``symmetry=False`` ignores the spec's ``symmetric`` declarations
    (``--no-symmetry``); ``symmetric`` names more roles to treat as
    symmetric (``--symmetric ROLE``). ``faults`` overrides fault bounds
    (``--faults``, see `checker.dsl.faults.parse_fault_options`)."""
    spec = parse_file(path)
    return compile_spec(resolve(spec, consts, faults), _options(path, consts, symmetry, symmetric, faults))


def load_text(text: str, file: str = "<spec>", consts: dict[str, str] | None = None, *, symmetry: bool = True,
              symmetric: tuple[str, ...] = (), faults: dict[str, int] | None = None) -> CompiledModel:
    """Like `load_spec` for source text (a worker process rebuilds a model
    from the spec text and options only)."""
    spec = parse(text, file)
    return compile_spec(resolve(spec, consts, faults), _options(file, consts, symmetry, symmetric, faults))


def _options(file: str, consts, symmetry: bool, symmetric, faults=None) -> dict[str, Any]:
    options: dict[str, Any] = {"spec": file, "consts": dict(consts or {})}
    if faults:
        options["faults"] = dict(faults)
    if not symmetry:
        options["symmetry"] = False
    if symmetric:
        options["symmetric"] = list(symmetric)
    return options
