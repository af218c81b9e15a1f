"""The initial states of a spec beyond its ``init`` blocks: variables with
a set of initial values (``var x in S``) and ``init when`` conditions.

``var x in S`` compiles to a choice at the start of the generated
``initial()`` (after every ``var y = e`` has its value, before the init
blocks): one branch per element, node by node, then the global variables.
``init when P`` keeps the finished initial states where P holds; the
candidates it looks at are counted, and past `MAX_INITIAL_CANDIDATES` the
spec gets a positioned error instead of exhausting the memory (TLC
enumerates ``Init == TypeOK /\\ Inv`` the same way).
"""

from __future__ import annotations

import itertools
from typing import Any

from checker.compile.context import Code, Ctx
from checker.compile.exprs import ExprCompiler
from checker.compile.stmts import FINISH, SetSelf
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec

#: initial states a spec with ``var x in S`` or ``init when`` may enumerate
MAX_INITIAL_CANDIDATES = 10_000_000


def domain_choices(r: ResolvedSpec) -> list[Any]:
    """Pseudo-statements choosing each ``var x in S`` its initial value."""
    fresh = itertools.count()
    out: list[Any] = []
    for role in r.roles.values():
        chosen = [v.decl for v in role.vars.values() if v.decl.domain is not None]
        for i in range(role.count) if chosen else ():
            out.append(SetSelf(role, i))
            for d in chosen:
                out += _choice(d, next(fresh))
    chosen = [v.decl for v in r.global_vars.values() if v.decl.domain is not None]
    if chosen:
        out.append(SetSelf(None, 0))
        for d in chosen:
            out += _choice(d, next(fresh))
    return out


def _choice(d: A.VarDecl, k: int) -> list[A.Stmt]:
    assert d.domain is not None
    name = f"{k}{d.name}"  # no DSL name starts with a digit: it never shadows one
    return [A.Choose(name, d.domain, span=d.span),
            A.Assign(A.LValue(d.name, (), span=d.span), A.Name(name, span=d.span), span=d.span)]


def initial_finish(r: ResolvedSpec, ex: ExprCompiler, code: Code) -> tuple[str, str]:
    """(the line that starts ``initial()``'s count, the line that ends each
    of its branches): with a ``var x in S`` or an ``init when``, a generated
    ``_init_add(res, count, state)`` counts the candidate, checks the bound
    and keeps it when every ``init when`` holds."""
    domains = [v.decl for v in _all_vars(r) if v.decl.domain is not None]
    if not domains and not r.init_conds:
        return "", FINISH
    where = (domains[0] if domains else r.init_conds[0]).span
    conds = [ex.cond(w.cond, Ctx("s", None)) for w in r.init_conds]
    with code.block("def _init_add(res, n, s):"):
        code.line("n[0] += 1")
        with code.block(f"if n[0] > {MAX_INITIAL_CANDIDATES}:"):
            code.line(f"raise _ModelError({_bound_message(str(where))!r})")
        code.line(f"if {' and '.join(conds) if conds else 'True'}: res.append(s)")
    return "_n = [0]", "_init_add(res, _n, _finish(st, out))"


def _bound_message(where: str) -> str:
    return (f"{where}: more than {MAX_INITIAL_CANDIDATES:,} candidate initial states (the choices of the "
            "'var ... in' domains and init blocks); make the domains smaller")


def _all_vars(r: ResolvedSpec) -> list[Any]:
    return [v for role in r.roles.values() for v in role.vars.values()] + list(r.global_vars.values())
