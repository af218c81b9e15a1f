"""Resolved specs -> generated Python -> a `Model` the engine explores."""

from __future__ import annotations

from typing import Any, Callable

from checker.compile.context import Ctx
from checker.compile.exprs import ExprCompiler
from checker.compile.model import CompiledModel
from checker.compile.module import ModuleCompiler
from checker.compile.symmetry import build_canonicalizer
from checker.dsl.ast import Spec
from checker.dsl.parser import parse, parse_file
from checker.dsl.resolve import ResolvedSpec, RoleInfo, resolve
from checker.dsl.typecheck import check_extra
from checker.options import LoadOptions


def compile_spec(r: ResolvedSpec, options: LoadOptions | None = None) -> CompiledModel:
    """Generate, exec and wrap the step functions of a resolved (and so
    checked) spec."""
    gen = ModuleCompiler(r).generate()
    code = compile(gen.source, f"<checker:{r.spec.name}>", "exec")
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


def compile_expression(model: CompiledModel, text: str, role: RoleInfo | None,
                       params: tuple[str, ...] = (), *, condition: bool = False) -> Callable[..., Any]:
    """A DSL expression over a compiled model's states (e.g. one a trace
    validation mapping observes), checked and compiled to
    ``fn(state, me, *params)``: evaluated as node ``me`` of ``role``
    (``self``, its variables; ``me`` None without a role), with ``params``
    bound to further arguments; with ``condition`` a boolean ``text`` gives
    a Python bool instead of a model value. Raises a `SpecError` on ``text``."""
    spec = parse(f"spec Observe\ndef __observed__() = (\n{text}\n)\n", "<expression>")
    body = spec.decls[0].body  # type: ignore[attr-defined]
    kinds = check_extra(model.resolved, body, role, params)
    ex = ExprCompiler(model.resolved, model.layout, kinds)
    ctx = Ctx("s", role)
    for p in params:
        ctx.locals[p] = ex.fresh(p)
    code = ex.cond(body, ctx) if condition else ex.expr(body, ctx)
    first = role.first if role else 0
    src = (f"def __observed__(s, me{''.join(', ' + ctx.locals[p] for p in params)}):\n"
           f"    _i = (ord(me[1]) - {first}) if me is not None else None\n"
           f"    return {code}\n")
    ns = dict(model.generated.namespace)
    ns.update(ex.namespace)
    exec(compile(src, "<checker:observe>", "exec"), ns)  # noqa: S102 - our own generated source
    return ns["__observed__"]
