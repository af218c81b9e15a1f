"""Step properties (``step property P(x in S): cond``) in generated code.

Each becomes ``step_k(s, t)``: ``cond`` for every binding of the
parameters, over the state ``s`` a step leaves and the state ``t`` it
reaches (a primed expression reads ``t``), and ``step_explain_k(s, t)``:
the binding and the values that broke it. The engine checks them on every
step (`checker.explore.stepprops`).
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.compile.context import Ctx
from checker.compile.steps import StepCompiler
from checker.dsl import ast as A


@dataclass(frozen=True)
class StepSpec:
    """A compiled step property: its name and generated functions."""

    name: str
    check_fn: str
    explain_fn: str


def step_properties(steps: StepCompiler) -> list[StepSpec]:
    """Write ``step_k`` and ``step_explain_k`` for each step property."""
    code, ex = steps.code, steps.ex
    out = []
    for k, d in enumerate(steps.r.step_properties):
        cond = d.cond
        if d.params:  # one check per binding: the condition under forall
            binders = tuple(A.Binder((p.name,), p.domain, span=p.span) for p in d.params)
            cond = A.Quantifier("forall", binders, d.cond, span=d.span)
        with code.at(d.cond), code.block(f"def step_{k}(s, t):"):
            code.line(f"return {ex.cond(cond, Ctx('s', None, after='t'))}")
        steps.explain(k, cond, fn=f"step_explain_{k}", after="t")
        out.append(StepSpec(d.name, f"step_{k}", f"step_explain_{k}"))
    return out
