"""A second, deliberately simple evaluator of the resolved spec.

It walks the AST (no code generation, no symmetry reduction, no early
stop), gives every value a type that is part of its identity, follows
TLA+/TLC wherever the language leaves room (weak fairness on ⟨A⟩_vars
steps, enabledness without the state constraint, ill-typed comparisons
are errors), and reports what the compiled engine must agree with:
distinct states, depth, a verdict per property and the length of a
shortest counterexample. It exists for differential testing
(``tests/differential``), not for speed.
"""

from __future__ import annotations

from pathlib import Path

from checker.dsl.parser import parse
from checker.dsl.resolve import resolve
from checker.options import LoadOptions
from checker.reference.liveness import Lasso
from checker.reference.search import HOLDS, UNKNOWN, VIOLATED, RefResult, explore
from checker.reference.spec import RefSpec
from checker.reference.values import EvalError


def check_text(text: str, file: str = "<spec>", options: LoadOptions | None = None,
               max_states: int | None = None) -> RefResult:
    """Parse, resolve and explore a spec with the reference interpreter
    under ``options`` (constant overrides and fault bounds; symmetry is
    never applied); past ``max_states`` distinct states the result is an
    error."""
    options = options or LoadOptions()
    r = resolve(parse(text, file), options)
    try:
        spec = RefSpec(r, options.consts)
    except EvalError as exc:
        return RefResult(r.spec.name, error=str(exc))
    return explore(spec, max_states)


def check_file(path: str | Path, options: LoadOptions | None = None, max_states: int | None = None) -> RefResult:
    p = Path(path)
    return check_text(p.read_text(), str(p), options, max_states)


__all__ = ["HOLDS", "UNKNOWN", "VIOLATED", "EvalError", "Lasso", "RefResult", "RefSpec", "check_file", "check_text"]
