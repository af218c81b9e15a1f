"""Resolving fairness and nondeterministic initial values.

- Fairness (``unfair``, ``fair``, ``strong fair`` before a handler, action
  or timer, optionally ``per`` some of an action's parameters): which steps
  form one class and how it is forced is `fairness_class` /
  `checker.model.Fairness`; the compiler and the reference interpreter
  both read it from here, so they agree.
- ``var x in S``: a node's variable with a set of initial values cannot go
  back to "its initial value" in a crash unless it is persistent.

The temporal properties themselves (``eventually``, ``leadsto``, ``always
eventually``, ``eventually always``, ``step property``) are checked with
every other expression (`checker.dsl.typecheck`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.dsl import ast as A
from checker.errors import SpecError
from checker.faults import FaultKind
from checker.model import Fairness

if TYPE_CHECKING:
    from checker.dsl.resolve import ResolvedSpec

#: a step declared without a fairness modifier is weakly fair
DEFAULT = A.FairnessDecl(Fairness.WEAK)


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))


def fairness_of(decl: A.Handler | A.ActionDecl) -> A.FairnessDecl:
    """The fairness a handler, action or timer is declared with."""
    return decl.fairness if decl.fairness is not None else DEFAULT


def step_fairness(entry: Any) -> tuple[Fairness, tuple[int, ...]]:
    """How the steps of one kind (an entry of the compiled action table:
    its ``decl``) are forced, and the positions among its parameters of
    the ``per`` ones (none for a fault: never forced anyway)."""
    decl = entry.decl
    if not isinstance(decl, (A.Handler, A.ActionDecl)):
        return Fairness.UNFAIR, ()
    f = fairness_of(decl)
    if isinstance(decl, A.Handler):
        return f.kind, ()
    names = [p.name for p in decl.params]
    return f.kind, tuple(names.index(n) for n in f.per)


def check_fairness(r: ResolvedSpec) -> None:
    """``per`` names parameters of the action, each once; a handler has no
    ``per`` (each message already is a class of its own)."""
    for role in r.roles.values():
        for h in role.handlers.values():
            if h.fairness is not None and h.fairness.per:
                raise _err(f"'per' on the handler of {h.message}: a handler's fairness classes are already one "
                           "per node and message", h.fairness)
    decls = [a for role in r.roles.values() for a in role.actions] + list(r.actions)
    for a in decls:
        if a.fairness is None:
            continue
        params = [p.name for p in a.params]
        seen: set[str] = set()
        for name in a.fairness.per:
            if name not in params:
                what = "timer" if a.kind == "timeout" else "action"
                known = ", ".join(params) or "none"
                raise _err(f"'per {name}': {what} {a.name} has no parameter '{name}' (parameters: {known})",
                           a.fairness)
            if name in seen:
                raise _err(f"'per' names parameter '{name}' twice", a.fairness)
            seen.add(name)


def check_initial_domains(r: ResolvedSpec) -> None:
    """A crash puts a node's volatile variables back to their initial value;
    one with a set of them (``var x in S``) must be persistent."""
    info = r.fault_info
    for role in r.roles.values():
        crashes = any(b.target in (None, role.name) and b.bound > 0 for b in info.of_kind(FaultKind.CRASH))
        if not crashes:
            continue
        keep = info.persistent.get(role.name, set())
        for v in role.vars.values():
            if v.decl.domain is not None and v.name not in keep:
                raise _err(f"'var {v.name} in ...': nodes of {role.name} may crash, which puts a variable back "
                           "to its initial value, and this one has several; make it persistent", v.decl)
