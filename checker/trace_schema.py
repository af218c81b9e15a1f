"""The JSON Schema of a ``.trace.json`` file, and the check every trace
file passes before anything renders it (`checker.trace.loads_trace`: the
``checker show`` command and the explorer's trace upload).

The schema is a standard JSON Schema (draft 2020-12) document, so other
tools can check our traces too (``python -m checker.trace_schema`` prints
it). It is checked with `jsonschema`, the reference implementation: its
errors name the path to the bad value (``steps[3].sends[0].src``). What a
schema cannot say (a step's index is its position, ``loop_start`` is one of
the steps) `checker.trace` checks after it.
"""

from __future__ import annotations

import json
from typing import Any

from checker.errors import TraceFileError
from checker.model import StepKind

#: a trace file nested deeper than this is refused before it is checked
#: (a trace holds values 4 levels down; no spec's values nest 30 deep, and
#: the schema check recurses a few frames per level)
MAX_TRACE_DEPTH = 40

#: what a `checker.trace.Violation` kind may be ("none": a path walked by hand)
VIOLATION_KINDS = ("invariant", "assertion", "deadlock", "liveness", "step", "error", "none")

_MESSAGE = {
    "type": "object",
    "required": ["src", "dst", "text"],
    "properties": {
        "src": {"type": ["string", "null"]},
        "dst": {"type": ["string", "null"]},
        "text": {"type": "string"},
    },
}
_STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
_VALUE = {"$ref": "#/$defs/value"}
_VALUES = {"type": "array", "items": _VALUE}

def _tagged(tag: str, schema: dict[str, Any], otherwise: dict[str, Any]) -> dict[str, Any]:
    """An object with key ``tag`` must match ``schema``; others ``otherwise``.
    (``if``/``then``/``else`` rather than ``anyOf``, so that a value is
    checked against one alternative only: nested ``anyOf``s would check
    deep values once per alternative and level.)"""
    return {"if": {"required": [tag]}, "then": schema, "else": otherwise}


def _only(tag: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": [tag], "properties": {tag: schema}, "additionalProperties": False}


_PAIR = {"type": "array", "prefixItems": [_VALUE, _VALUE], "minItems": 2, "maxItems": 2}
#: a model value as typed JSON (`checker.values.Names.to_json`; a Python
#: model may write any number too)
_VALUE_SCHEMA: dict[str, Any] = {
    "if": {"type": "object"},
    "then": _tagged("#node", _only("#node", {"type": "string"}),
                    _tagged("#set", _only("#set", _VALUES),
                            _tagged("#bag", _only("#bag", _VALUES),
                                    _tagged("#map", _only("#map", {"type": "array", "items": _PAIR}),
                                            _tagged("#msg", {"properties": {"#msg": {"type": "string"}},
                                                             "propertyNames": {"pattern": "^(#msg$|[^#])"},
                                                             "additionalProperties": _VALUE},
                                                    # a record: field names do not start with '#'
                                                    {"propertyNames": {"pattern": "^[^#]"},
                                                     "additionalProperties": _VALUE}))))),
    "else": {"if": {"type": "array"}, "then": _VALUES,  # a sequence or tuple
             "else": {"type": ["null", "boolean", "string", "number"]}},
}

TRACE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "checker trace (checker run --out DIR: <property>.trace.json)",
    "type": "object",
    "required": ["format", "version", "spec", "nodes", "steps", "violation"],
    "properties": {
        "format": {"const": "checker-trace"},
        "version": {"const": 1},
        "spec": {"type": "string"},
        "nodes": {"type": "array", "items": {"type": "string"}},
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
        "violation": {
            "type": "object",
            "required": ["prop", "kind"],
            "properties": {
                "prop": {"type": "string"},
                "kind": {"enum": list(VIOLATION_KINDS)},
                "message": {"type": "string"},
                "values": _STRINGS,
            },
        },
        "loop_start": {"type": ["integer", "null"], "minimum": 0},
        "failing_step": {"type": ["string", "null"]},
        "options": {"type": "object"},
    },
    "$defs": {
        "value": _VALUE_SCHEMA,
        "message": _MESSAGE,
        "step": {
            "type": "object",
            "required": ["index", "kind", "label", "sends", "state", "shown", "changed"],
            "properties": {
                "index": {"type": "integer", "minimum": 0},
                "kind": {"enum": [k.value for k in StepKind]},
                "label": {"type": "string"},
                "actor": {"type": ["string", "null"]},
                "message": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/message"}]},
                "sends": {"type": "array", "items": {"$ref": "#/$defs/message"}},
                "state": {"type": "object", "additionalProperties": _VALUE},
                "shown": _STRINGS,
                "changed": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


def check_trace_json(data: Any, origin: str) -> None:
    """Raise `TraceFileError` naming the first place where ``data`` (a
    parsed trace file) departs from `TRACE_SCHEMA`."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(TRACE_SCHEMA).iter_errors(data))
    if error is None:
        return
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    raise TraceFileError(f"{origin}: {where + ': ' if where else ''}{_message(error)}")


def _message(error: Any) -> str:
    """The schema error in the terms of a trace file."""
    kind, want, got = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [k for k in want if isinstance(got, dict) and k not in got]
        return f"missing field{'s' if len(missing) > 1 else ''} " + ", ".join(f"'{k}'" for k in missing)
    if kind == "type":
        want = [want] if isinstance(want, str) else want
        return f"must be {' or '.join(_JSON_TYPES.get(t, t) for t in want)}, not {_json_type(got)}"
    if kind == "enum":
        return f"must be one of {', '.join(map(json.dumps, want))}, not {_clip(json.dumps(got))}"
    return _clip(error.message)


_JSON_TYPES = {"string": "a string", "integer": "an integer", "number": "a number", "object": "an object",
               "array": "an array", "null": "null", "boolean": "a boolean"}


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "an object"}.get(type(v), type(v).__name__)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


if __name__ == "__main__":
    print(json.dumps(TRACE_SCHEMA, indent=1))
