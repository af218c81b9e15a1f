"""Which roles a spec reduces by symmetry, and the static check that it
does not tell their nodes apart (the reduction itself is
`checker.compile.symmetry`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.dsl import ast as A
from checker.errors import SpecError
from checker.options import LoadOptions, Option, OptionError

if TYPE_CHECKING:  # the resolver runs these checks: no import at run time
    from checker.dsl.resolve import ResolvedSpec


def symmetric_roles(r: ResolvedSpec, options: LoadOptions) -> list[str]:
    """The roles to reduce by: the spec's ``symmetric`` roles plus those
    named by ``options.symmetric``, none when ``options.symmetry`` is off."""
    if not options.symmetry:
        return []
    roles = list(r.symmetric)
    for name in options.symmetric:
        if name not in r.roles:
            known = ", ".join(r.roles) or "none"
            raise OptionError(Option.SYMMETRIC, name, f"the spec has no role '{name}' (roles: {known})")
        if name not in roles:
            roles.append(name)
    return [name for name in roles if r.roles[name].count > 1]


def check_symmetric(r: ResolvedSpec, roles: list[str]) -> None:
    """Reject what visibly breaks the symmetry of ``roles``: naming one of
    their nodes (``Server[0]``) or using a node's index (``index(self)``).
    (``min``/``max``/``choose ... :`` over nodes also single one out; the
    checker cannot see those statically, the README warns about them.)"""
    wanted = set(roles)

    def walk(x: Any, role: str | None) -> None:
        if isinstance(x, A.Index) and isinstance(x.base, A.Name) and x.base.id in wanted:
            raise SpecError(f"symmetric {x.base.id}: the spec names a single node {x.base.id}[...], "
                            "so its nodes are not interchangeable", x.span)
        if isinstance(x, A.LValue) and x.name in wanted and x.accessors and not isinstance(x.accessors[0], str):
            raise SpecError(f"symmetric {x.name}: the spec names a single node {x.name}[...], "
                            "so its nodes are not interchangeable", x.span)
        if isinstance(x, A.Call) and x.func == "index" and x.func not in r.defs and role in wanted \
                and x.args and isinstance(x.args[0].value, A.SelfRef):
            raise SpecError(f"symmetric {role}: index(self) tells the nodes of {role} apart, "
                            "so they are not interchangeable", x.span)
        if isinstance(x, A.RoleDecl):
            role = x.name
        if isinstance(x, (list, tuple)):
            for y in x:
                walk(y, role)
        elif hasattr(x, "__dataclass_fields__"):
            for f in x.__dataclass_fields__:
                if f not in ("span", "source", "file"):
                    walk(getattr(x, f), role)

    walk(r.spec.decls, None)
