"""Comparing model values with the JSON values a log records.

The comparison is directed by the model value, so a log needs no type
annotations: a model sequence matches a JSON array element by element, a
set matches an array in any order, a map matches an object (keys as the
log writes them) or an array of [key, value] pairs, a record matches an
object (fields the log leaves out are not compared: the model fills them
in) or an array of its fields in order, a node matches the log's name for
it (see `NodeTable`), ``none`` matches null.
"""

from __future__ import annotations

import json
from typing import Any

from checker.values import (
    FALSE,
    NONE,
    TRUE,
    Names,
    is_bag,
    is_map,
    is_node,
    is_record,
    is_set,
    is_string,
    map_items,
    node,
    text_of,
)


class NodeTable:
    """The log's names for nodes -> model node values.

    ``aliases`` is the mapping's [nodes] table (log id -> model display
    name); a log may also use the model's own names (``Server[0]``)."""

    def __init__(self, names: Names, aliases: dict[str, str]):
        self.names = names
        by_display = {d: node(i) for i, d in enumerate(names.nodes)}
        self.by_log: dict[Any, str] = dict(by_display)
        self.bad_aliases = {k: v for k, v in aliases.items() if v not in by_display}
        for log_id, display in aliases.items():
            if display in by_display:
                self.by_log[log_id] = by_display[display]
        # model node -> the name the log uses for it (for messages)
        self.log_name = {v: k for k, v in self.by_log.items()}
        for k, v in self.by_log.items():
            if k in aliases:
                self.log_name[v] = k

    def node(self, j: Any) -> str | None:
        """The model node a JSON value names, or None."""
        if isinstance(j, str):
            return self.by_log.get(j)
        if isinstance(j, int) and not isinstance(j, bool):
            return self.by_log.get(str(j))
        return None

    def known(self) -> str:
        shown = [f"{k} ({self.names.show(v)})" if k != self.names.show(v) else k
                 for k, v in self.by_log.items() if isinstance(k, str)]
        return ", ".join(shown)


def eq(v: Any, j: Any, nodes: NodeTable) -> bool:
    """Whether model value ``v`` is what the log's JSON value ``j`` says."""
    if type(v) is int:
        return type(j) is int and j == v
    if v == TRUE or v == FALSE:
        return j is (v == TRUE)
    if v == NONE:
        return j is None
    if is_string(v):
        return type(j) is str and text_of(v) == j
    if is_node(v):
        return nodes.node(j) == v
    if is_record(v):
        shape = nodes.names.shape_of(v)
        fields = shape.fields
        if isinstance(j, dict):
            for k, x in j.items():
                if k in ("type", "#msg") and shape.is_message:
                    if x != shape.name:
                        return False
                    continue
                if k not in fields or not eq(v[fields.index(k) + 1], x, nodes):
                    return False
            return True
        if isinstance(j, list):
            own = fields[2:] if shape.is_message else fields
            vals = v[3:] if shape.is_message else v[1:]
            return len(j) == len(own) and all(eq(a, b, nodes) for a, b in zip(vals, j))
        return False
    if is_set(v) or is_bag(v):
        if not isinstance(j, list):
            return False
        items = v[1:]
        if is_bag(v) and len(j) != len(items):
            return False
        return all(any(eq(x, y, nodes) for x in items) for y in j) and all(any(eq(x, y, nodes) for y in j)
                                                                          for x in items)
    if is_map(v):
        if isinstance(j, dict):
            pairs = list(j.items())
        elif isinstance(j, list) and all(isinstance(p, list) and len(p) == 2 for p in j):
            pairs = [tuple(p) for p in j]
        else:
            return False
        mine = list(map_items(v))
        if len(pairs) != len(mine):
            return False
        return all(any(_key_eq(k, jk, nodes) and eq(x, jx, nodes) for k, x in mine) for jk, jx in pairs)
    if type(v) is tuple:
        return isinstance(j, list) and len(j) == len(v) and all(eq(a, b, nodes) for a, b in zip(v, j))
    return False


def _key_eq(k: Any, jk: Any, nodes: NodeTable) -> bool:
    # JSON object keys are strings: an int key 3 is written "3".
    if type(k) is int and isinstance(jk, str):
        return jk == str(k)
    return eq(k, jk, nodes)


def show_json(j: Any, limit: int = 120) -> str:
    s = json.dumps(j, separators=(", ", ": "))
    return s if len(s) <= limit else s[: limit - 3] + "..."


def show_model(names: Names, v: Any, limit: int = 120) -> str:
    s = names.show(v)
    return s if len(s) <= limit else s[: limit - 3] + "..."
