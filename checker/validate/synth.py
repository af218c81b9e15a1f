"""Synthetic logs: what an implementation that *is* the model would log.

`random_walk_log` walks a compiled model at random and writes one event
per step in a generic schema — ``event`` (the step's name), ``node``,
``from`` (the sender of a delivered message), the message's fields, the
action's parameters, and every variable of the acting node after the step.
`generic_mapping` is the mapping for that schema. Benchmarks and tests use
the pair; a user can start a real mapping from `generic_mapping`'s text.
"""

from __future__ import annotations

import json
import random
from typing import Any, Iterator

from checker.model import successful_steps
from checker.values import is_node, node_number


def _toml_key(k: str) -> str:
    return k if k.replace("_", "").isalnum() else json.dumps(k)


def generic_mapping(model, observe: bool = True, skip_kinds: tuple[str, ...] = ()) -> str:
    """TOML text mapping every step of ``model`` from the generic schema."""
    r = model.resolved
    out = ["[log]", 'kind = "event"', ""]
    for k in model.action_kinds:
        if k.name in skip_kinds:
            continue
        out.append(f"[events.{json.dumps(k.name)}]")
        out.append(f"step = {json.dumps(k.name)}")
        if k.role is not None:
            out.append('node = "node"')
        if k.kind == "deliver":
            out.append('from = "from"')
            fields = r.messages[k.decl.message].fields
            if fields:
                out.append("fields = { " + ", ".join(f"{_toml_key(f)} = {json.dumps(f)}" for f in fields) + " }")
        if k.kind in ("loss", "duplicate"):
            out.append('node = "from"')
            out.append('to = "to"')
        if k.params:
            out.append("params = { " + ", ".join(f"{_toml_key(p)} = {json.dumps(p)}" for p in k.params) + " }")
        if observe and k.role is not None and k.role.vars:
            out.append("observe = { " + ", ".join(f"{_toml_key(v)} = {json.dumps(v)}" for v in k.role.vars) + " }")
        out.append("")
    return "\n".join(out)


def random_walk_log(model, steps: int, seed: int = 0, *, avoid: tuple[str, ...] = (),
                    observe: bool = True) -> Iterator[dict[str, Any]]:
    """Up to ``steps`` events of one random behaviour (stops at a deadlock).
    Steps whose names are in ``avoid`` are taken only when nothing else is
    enabled (e.g. crashes, which end a walk early)."""
    rng = random.Random(seed)
    names = model.names
    state = sorted(model.initial_states())[0]
    kinds = model.action_kinds
    for _ in range(steps):
        succ = successful_steps(model, state)
        pick = [x for x in succ if kinds[x[0][0]].name not in avoid] or succ
        if not pick:
            return
        action, nxt = pick[rng.randrange(len(pick))]
        yield _event(model, names, kinds[action[0]], action, nxt, observe)
        state = nxt


def _event(model, names, kind, action, state, observe: bool) -> dict[str, Any]:
    ev: dict[str, Any] = {"event": kind.name}
    node = None
    if kind.kind == "deliver":
        node, m = action[1], action[2]
        ev["node"] = names.show(node)
        ev["from"] = names.show(m[1])
        shape = names.shape_of(m)
        for f, x in zip(shape.fields[2:], m[3:]):
            ev[f] = _plain(names, x)
    elif kind.kind in ("action", "timer"):
        node = action[1]
        ev["node"] = names.show(node)
        for p, x in zip(kind.params, action[2:]):
            ev[p] = _plain(names, x)
    elif kind.kind == "global":
        for p, x in zip(kind.params, action[1:]):
            ev[p] = _plain(names, x)
    elif kind.kind in ("loss", "duplicate"):
        m = action[1]
        ev["from"], ev["to"] = names.show(m[1]), names.show(m[2])
    elif kind.role is not None and len(action) > 1 and is_node(action[1]):  # crash, restart
        node = action[1]
        ev["node"] = names.show(node)
    if observe and node is not None and kind.role is not None:
        role = kind.role
        for v in role.vars.values():
            ev[v.name] = _plain(names, state[model.layout.var(role, v.name) + node_number(node) - role.first])
    return ev


def _plain(names, v: Any) -> Any:
    """A model value as the plain JSON an implementation would log."""
    j = names.to_json(v)
    return _strip(j)


def _strip(j: Any) -> Any:
    if isinstance(j, dict):
        if "#node" in j:
            return j["#node"]
        for tag in ("#set", "#bag"):
            if tag in j:
                return [_strip(x) for x in j[tag]]
        if "#map" in j:
            return [[_strip(k), _strip(x)] for k, x in j["#map"]]
        return {k: _strip(x) for k, x in j.items() if k not in ("#msg", "src", "dst")}
    if isinstance(j, list):
        return [_strip(x) for x in j]
    return j
