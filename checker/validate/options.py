"""The options of one validation run, and which mapping entry reads an event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from checker.validate.logfile import Event
from checker.validate.mapping import Mapping


@dataclass(frozen=True)
class ValidateOptions:
    """Everything `checker.validate.run` needs (the CLI builds one).

    ``consts`` override the spec's constants after the mapping's
    ``[validate] consts``; ``None`` limits fall back to the mapping's."""

    spec: str
    logs: tuple[str, ...]
    mapping: str
    consts: tuple[tuple[str, str], ...] = ()
    max_candidates: int | None = None
    max_silent: int | None = None
    time_limit: float | None = None
    window: int = 1000
    explain: int = 3
    #: called every few seconds with a `checker.validate.engine.Progress`
    progress: Callable[[Any], None] | None = field(default=None, compare=False)


class Dispatch:
    """Finds the ``[events.NAME]`` entry of an event: the first entry, in
    the mapping's order, whose ``match`` the event satisfies, or (without
    ``match``) whose NAME is the event's kind."""

    def __init__(self, mp: Mapping, bindings: dict[str, Any]):
        kind_path = tuple(mp.kind_field.split("."))
        self.keyed: dict[str, list[tuple[int, Any, Any]]] = {}
        self.anywhere: list[tuple[int, Any, Any]] = []
        for order, (name, em) in enumerate(mp.events.items()):
            entry = (order, em.match, bindings[name])
            if em.match is None:
                self.keyed.setdefault(name, []).append(entry)
            elif kind_path in em.match and not isinstance(em.match[kind_path], re.Pattern):
                for k in em.match[kind_path]:
                    if isinstance(k, str):
                        self.keyed.setdefault(k, []).append(entry)
            else:
                self.anywhere.append(entry)
        self._merged: dict[str, list[tuple[int, Any, Any]]] = {}
        self.bindings = list(bindings.values())
        #: whether some entry is an effect (then steps gather their effect lines)
        self.has_effects = any(b.is_effect for b in bindings.values())

    def unmapped(self, ev: Event) -> str:
        """Why no entry reads ``ev`` (for the positioned error)."""
        from checker.validate.mapping import events_table

        close = self.keyed.get(ev.kind, [])
        if close:
            return (f"event kind '{ev.kind}': no [events.*] entry for it matches this event (their `match` "
                    "tables ask for other field values) and [log] skip does not list it")
        known = ", ".join(sorted(self.keyed)) or "none"
        return (f"unknown event kind '{ev.kind}': the mapping has no [{events_table(ev.kind)}] and does not skip "
                f"it, and no entry's `match` selects it (mapped kinds: {known})")

    def find(self, ev: Event) -> Any:
        """The binding of the event's entry, or None."""
        entries = self._merged.get(ev.kind)
        if entries is None:
            entries = sorted(self.keyed.get(ev.kind, []) + self.anywhere, key=lambda e: e[0])
            self._merged[ev.kind] = entries
        for _, match, binding in entries:
            if match is None:
                return binding
            groups: dict[str, str] = {}
            if all(_has(ev.data, path, allowed, groups) for path, allowed in match.items()):
                if groups:  # a regular expression's named groups: fields re.NAME
                    ev.data["re"] = groups
                return binding
        return None


def _has(data: Any, path: tuple[str, ...], allowed: Any, groups: dict[str, str]) -> bool:
    x = data
    for part in path:
        if isinstance(x, dict) and part in x:
            x = x[part]
        elif isinstance(x, list) and part.isdigit() and int(part) < len(x):
            x = x[int(part)]
        else:
            return False
    if isinstance(allowed, re.Pattern):
        m = allowed.search(x) if isinstance(x, str) else None
        if m is not None:
            groups.update({k: v for k, v in m.groupdict().items() if v is not None})
        return m is not None
    # true is not 1: compare booleans only with booleans
    return any(x == a and (type(x) is bool) == (type(a) is bool) for a in allowed)
