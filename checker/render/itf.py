"""A trace as ITF JSON, the Informal Trace Format of Apalache and Quint
(https://apalache-mc.org/docs/adr/015adr-trace.html)::

    from checker.render.itf import render_itf, trace_to_itf
    Path("trace.itf.json").write_text(render_itf(trace))

Layout: ``#meta`` (format, format-description, source, description, the
violated property, ...), ``vars`` (variable names, in the trace's order),
``states`` (one object per step: ``#meta`` {"index", "action", "kind",
"actor"} plus one entry per variable) and, for a liveness lasso, ``loop``
(the index of the state the last state leads back to).

Values are converted from the trace's typed JSON (`checker.values.Names.to_json`):

=====================  ==================================================
trace JSON             ITF
=====================  ==================================================
int                    ``{"#bigint": "42"}`` (always; exact for any size)
bool, string           themselves
``none`` (null)        the record ``{"tag": "None"}`` (not the string
                       "none", which a spec may use as a string)
``{"#node": "S[0]"}``  the node's display name ``"S[0]"``
``{"#set": [...]}``    ``{"#set": [...]}``
``{"#bag": [...]}``    ``{"#map": [[element, {"#bigint": count}], ...]}``
``{"#map": [...]}``    ``{"#map": [[k, v], ...]}``
list (seq or tuple)    a JSON list (our JSON does not tell a tuple from a
                       sequence; both are sequences in ITF)
message (``#msg``)     a record ``{"tag": name, "src": ..., "dst": ...,
                       fields...}``; a field itself named ``tag`` is
                       written as ``tag_``
record                 a record (plain object)
=====================  ==================================================

Why flat records with a ``tag`` field rather than Quint's variant form
``{"tag": name, "value": {...}}``: itf-py decodes a variant to a namedtuple
of its payload alone, and namedtuples compare as plain tuples, so
``Execute(src, dst)`` and ``RequestTicket(src, dst)`` between the same nodes
would be the same key of the network's ``#map`` and one would be lost. A
flat record keeps the tag in the tuple. (Quint's own ITF reader takes any
object with a ``tag`` for a variant, so these files are for Apalache-style
and itf-py/serde readers rather than for loading back into Quint.)
"""

from __future__ import annotations

import json
from typing import Any

from checker import __version__
from checker.errors import TraceFileError
from checker.trace import Trace

ITF_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html"


def value_to_itf(v: Any) -> Any:
    """Convert one typed-JSON trace value to ITF (see the module docstring)."""
    if v is None:
        return {"tag": "None"}
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"#bigint": str(v)}
    if isinstance(v, float):  # not produced by models; keep it readable, not lost
        return {"#unserializable": repr(v)}
    if isinstance(v, (list, tuple)):
        return [value_to_itf(x) for x in v]
    if isinstance(v, dict):
        if "#node" in v:
            return str(v["#node"])
        if "#set" in v:
            return {"#set": [value_to_itf(x) for x in v["#set"]]}
        if "#bag" in v:
            return {"#map": [[value_to_itf(x), {"#bigint": str(n)}] for x, n in _count(v["#bag"])]}
        if "#map" in v:
            return {"#map": [[value_to_itf(k), value_to_itf(x)] for k, x in v["#map"]]}
        if "#msg" in v:
            out: dict[str, Any] = {"tag": str(v["#msg"])}
            for key, x in v.items():
                if key != "#msg":
                    out["tag_" if key == "tag" else str(key)] = value_to_itf(x)
            return out
        if any(isinstance(k, str) and k.startswith("#") for k in v):
            raise TraceFileError(f"cannot convert the value {json.dumps(v)[:80]} to ITF: unknown tag")
        return {str(k): value_to_itf(x) for k, x in v.items()}
    raise TraceFileError(f"cannot convert the value {v!r} to ITF")


def _count(items: list[Any]) -> list[tuple[Any, int]]:
    """Distinct elements of a bag with their multiplicities, in first-seen order."""
    keys: list[str] = []
    seen: dict[str, tuple[Any, int]] = {}
    for x in items:
        k = json.dumps(x, sort_keys=True)
        if k not in seen:
            keys.append(k)
            seen[k] = (x, 0)
        seen[k] = (x, seen[k][1] + 1)
    return [seen[k] for k in keys]


def trace_to_itf(trace: Trace) -> dict[str, Any]:
    """The ITF object of ``trace`` (a plain JSON-ready dict)."""
    names: list[str] = []
    for step in trace.steps:  # every variable, in first-seen order
        names += [k for k in step.state if k not in names]
    v = trace.violation
    meta: dict[str, Any] = {
        "format": "ITF",
        "format-description": ITF_DESCRIPTION,
        "source": trace.spec,
        "description": _description(trace),
        "generated-by": f"checker {__version__}",
        "violation": {"property": v.prop, "kind": v.kind, "message": v.message, "values": dict(v.values)},
        "nodes": list(trace.nodes),
    }
    if trace.failing_step:
        meta["failing-step"] = trace.failing_step
    if trace.options:
        meta["options"] = trace.options
    states = []
    for step in trace.steps:
        state: dict[str, Any] = {"#meta": {"index": step.index, "action": step.label, "kind": step.kind}}
        if step.actor is not None:
            state["#meta"]["actor"] = step.actor
        for name in names:
            if name in step.state:
                state[name] = value_to_itf(step.state[name])
        states.append(state)
    out: dict[str, Any] = {"#meta": meta, "vars": names, "states": states}
    if trace.loop_start is not None:
        out["loop"] = trace.loop_start
    return out


def render_itf(trace: Trace, indent: int | None = 1) -> str:
    """``trace`` as ITF JSON text (ends with a newline)."""
    return json.dumps(trace_to_itf(trace), indent=indent, ensure_ascii=False) + "\n"


def _description(trace: Trace) -> str:
    v = trace.violation
    n = len(trace.steps) - 1
    if not trace.violates:
        text = f"a path of {n} steps"
    elif v.kind == "deadlock":
        text = f"deadlock after {n} steps"
    elif trace.loop_start is not None:
        text = (f"counterexample to {v.kind} property {v.prop}: a lasso of {n} steps looping back to "
                f"state {trace.loop_start}")
    else:
        text = f"counterexample to {v.kind} {v.prop} in {n} steps"
    return text + (f": {v.message}" if v.message else "")
