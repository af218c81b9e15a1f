"""Values a mapping reads from a log event (mapping language v2).

A value is written in TOML as:

- ``"msg.term"``: a field of the event (a dotted path; a number picks an
  array element, ``"args.0"``; a trailing ``?`` makes it optional);
- ``{ value = X }`` (or a bare number or boolean): a constant;
- ``{ record = { term = "term", cmd = "op" } }``: a record built from values;
- ``{ tuple = [V, ...] }`` / ``{ seq = [V, ...] }``: a tuple / a sequence;
- ``{ each = "msg.entries", value = V }``: a sequence with one element per
  element of an array of the event, ``V`` read from that element;
- ``{ lookup = "roles", key = V }``: the value the mapping's
  ``[tables.roles]`` gives for ``V``;
- ``{ first = [V, ...] }``: the first of the values that the event has;
- ``{ int = V }``: a number written as text (``"42"``, as a regular
  expression captures it) as an integer;
- ``{ null = true }``: JSON null (the model's ``none``).

A ``lookup`` may say what a key without an entry gives: ``default = V``
(else such a key is an error).

Evaluating one gives plain JSON, compared with model values by
`checker.validate.match.eq` (a record is an object, a tuple or sequence an
array).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

MISSING = object()  # an optional field the event does not have


@dataclass(frozen=True)
class Value:
    """One value expression; ``op`` is path, const, record, tuple, seq,
    each, lookup or first."""

    op: str
    path: tuple[str, ...] = ()
    optional: bool = False
    const: Any = None
    parts: tuple[tuple[str, Value], ...] = ()  # record fields, or ("", v) items
    table: str = ""

    @property
    def is_const(self) -> bool:
        return self.op == "const"

    @property
    def is_path(self) -> bool:
        return self.op == "path"

    def __str__(self) -> str:
        if self.op == "path":
            return ".".join(self.path)
        if self.op == "const":
            return json.dumps(self.const)
        return f"{{ {self.op} = ... }}"


class Missing(Exception):
    """A required field is absent (``path``: where)."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class BadLookup(Exception):
    """A table has no entry for a key."""

    def __init__(self, table: str, key: Any):
        super().__init__(table)
        self.table, self.key = table, key


_FORMS = ("value", "record", "tuple", "seq", "each", "lookup", "first", "int", "null")


def parse_value(v: Any, fail: Callable[[str], Exception], tables: set[str] | None = None) -> Value:
    """TOML -> `Value`; ``fail(message)`` makes the positioned error."""
    if isinstance(v, str):
        optional = v.endswith("?")
        path = tuple(v.rstrip("?").split("."))
        if not all(path):
            raise fail(f"'{v}' is not an event field name")
        return Value("path", path, optional)
    if isinstance(v, (bool, int, float)):
        return Value("const", const=v)
    if not isinstance(v, dict):
        raise fail("expected the name of an event field, or a table: " + _forms())
    keys = set(v)
    if keys == {"value"}:
        return Value("const", const=v["value"])
    if keys == {"null"} and v["null"] is True:
        return Value("const", const=None)
    if keys == {"int"}:
        return Value("int", parts=(("", parse_value(v["int"], fail, tables)),))
    if keys == {"record"} and isinstance(v["record"], dict):
        return Value("record", parts=tuple((str(k), parse_value(x, fail, tables)) for k, x in v["record"].items()))
    for form in ("tuple", "seq", "first"):
        if keys == {form}:
            if not isinstance(v[form], list) or (form == "first" and not v[form]):
                raise fail(f"{{ {form} = [...] }} needs a non-empty list of values")
            return Value(form, parts=tuple(("", parse_value(x, fail, tables)) for x in v[form]))
    if keys == {"each", "value"} and isinstance(v["each"], str):
        each = parse_value(v["each"], fail, tables)
        return Value("each", each.path, parts=(("", parse_value(v["value"], fail, tables)),))
    if keys in ({"lookup", "key"}, {"lookup", "key", "default"}) and isinstance(v["lookup"], str):
        if tables is not None and v["lookup"] not in tables:
            known = ", ".join(sorted(tables)) or "none"
            raise fail(f"no table [tables.{v['lookup']}] in the mapping (tables: {known})")
        parts: tuple[tuple[str, Value], ...] = (("", parse_value(v["key"], fail, tables)),)
        if "default" in v:
            parts += (("default", parse_value(v["default"], fail, tables)),)
        return Value("lookup", table=v["lookup"], parts=parts)
    raise fail(f"a value table must be one of: {_forms()} (got keys {', '.join(sorted(keys))})")


def _forms() -> str:
    return ("{ value = X }, { record = {...} }, { tuple = [...] }, { seq = [...] }, "
            "{ each = \"field\", value = ... }, { lookup = \"table\", key = ... }, { first = [...] }, "
            "{ int = ... }, { null = true }")


def evaluate(v: Value, data: Any, tables: dict[str, dict[str, Any]]) -> Any:
    """The JSON value ``v`` reads from ``data`` (an event, or an element of
    an ``each``); `MISSING` for an absent optional field; raises `Missing`
    or `BadLookup`."""
    op = v.op
    if op == "path":
        x = data
        for part in v.path:
            if isinstance(x, dict) and part in x:
                x = x[part]
            elif isinstance(x, list) and part.isdigit() and int(part) < len(x):
                x = x[int(part)]
            elif v.optional:
                return MISSING
            else:
                raise Missing(".".join(v.path))
        return x
    if op == "const":
        return v.const
    if op == "record":
        out = {}
        for k, sub in v.parts:
            x = evaluate(sub, data, tables)
            if x is not MISSING:
                out[k] = x
        return out
    if op in ("tuple", "seq"):
        return [evaluate(p, data, tables) for _, p in v.parts]
    if op == "each":
        items = evaluate(Value("path", v.path, v.optional), data, tables)
        if items is MISSING:
            return MISSING
        if not isinstance(items, list):
            raise Missing(".".join(v.path) + " (an array)")
        return [evaluate(v.parts[0][1], item, tables) for item in items]
    if op == "lookup":
        key = evaluate(v.parts[0][1], data, tables)
        if key is MISSING:
            return MISSING
        table = tables[v.table]
        text = key if isinstance(key, str) else json.dumps(key)
        if text not in table:
            if len(v.parts) > 1:
                return evaluate(v.parts[1][1], data, tables)
            raise BadLookup(v.table, key)
        return table[text]
    if op == "int":
        x = evaluate(v.parts[0][1], data, tables)
        if isinstance(x, str) and x.strip().lstrip("-").isdigit():
            return int(x)
        if x is MISSING or (isinstance(x, int) and not isinstance(x, bool)):
            return x
        raise Missing(f"{v.parts[0][1]} (as an integer: {json.dumps(x)})")
    for _, p in v.parts:  # first
        try:
            x = evaluate(p, data, tables)
        except Missing:
            continue
        if x is not MISSING:
            return x
    raise Missing(" or ".join(str(p) for _, p in v.parts))
