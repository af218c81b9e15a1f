"""The mapping file (TOML): how log events correspond to model steps.

Parsed with the standard library's `tomllib`, then checked key by key so
that every mistake names the key and its line (`MappingError`). This
module only reads the file; `checker.validate.bind` checks it against a
model (step names, fields, variables). The format is documented in the
README ("Trace validation").
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Any

from checker.errors import CheckerError
from checker.textio import MAX_JSON_DEPTH, json_too_deep, read_text
from checker.validate.logvalues import Value, parse_value

DEFAULT_MAX_CANDIDATES = 10_000


class MappingError(CheckerError):
    """A malformed mapping file; names the file, line and key."""

    def __init__(self, message: str, file: str = "", line: int = 0):
        super().__init__(message)
        self.message, self.file, self.line = message, file, line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else (f"{self.file}: " if self.file else "")
        return f"{where}{self.message}"

    def format(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else (f"{self.file}: " if self.file else "")
        return f"{where}error: {self.message}"


@dataclass
class SentSpec:
    """A message the step must have sent (``[events.K.sent]``)."""

    message: str
    to: Value | None
    fields: dict[str, Value]
    line: int


def events_table(kind: str) -> str:
    """``events.K``, quoted as TOML needs when K is not a bare key."""
    return f"events.{kind}" if re.fullmatch(r"[A-Za-z0-9_-]+", kind) else f"events.{json.dumps(kind)}"


@dataclass
class EventMap:
    """How the events of one ``[events.NAME]`` table map to model steps:
    those of kind NAME, or, with ``match``, those whose fields have the
    given values."""

    kind: str  # the table's name
    steps: tuple[str, ...]
    line: int
    node: Value | None = None
    sender: Value | None = None  # `from`: the sender of a delivered message
    to: Value | None = None  # the receiver of a sent/lost message
    message: str | None = None  # the message type (send/loss events)
    fields: dict[str, Value] = field(default_factory=dict)
    params: dict[str, Value] = field(default_factory=dict)
    observe: dict[str, Value] = field(default_factory=dict)
    sent: SentSpec | None = None
    #: field path -> the values it may have (v2: an event matches when every field has one of them)
    match: dict[tuple[str, ...], tuple[Any, ...]] | None = None
    lines: dict[str, int] = field(default_factory=dict)  # key -> line, for errors

    @property
    def table(self) -> str:
        return events_table(self.kind)


@dataclass
class Mapping:
    """A parsed mapping file."""

    file: str
    kind_field: str = "event"
    time_field: str | None = None
    skip: frozenset[str] = frozenset()
    #: "time": each log is in time order; "lines": in the order of its lines (times may go back)
    order: str = "time"
    nodes: dict[str, str] = field(default_factory=dict)
    consts: dict[str, str] = field(default_factory=dict)
    silent: tuple[str, ...] = ()
    max_silent: int = 0
    silent_mode: str = "lazy"
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    require_send: bool = False  # a delivery needs a logged send of its message
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, EventMap] = field(default_factory=dict)
    lines: _Lines | None = None

    def line_of(self, table: str, key: str | None = None) -> int:
        return self.lines.line_of(table, key) if self.lines else 0


_TOP = {"validate", "log", "nodes", "tables", "events"}
_VALIDATE = {"consts", "silent", "max_silent", "silent_mode", "max_candidates", "require_send"}
_LOG = {"kind", "time", "skip", "order"}
_EVENT = {"match", "step", "node", "from", "to", "message", "fields", "params", "observe", "sent"}
_SENT = {"message", "to", "fields"}


def load_mapping(path: str) -> Mapping:
    """Read and check a mapping file; raises `MappingError`."""
    try:
        text = read_text(path)
    except OSError as exc:
        raise MappingError(f"cannot read the mapping: {exc.strerror}", path) from None
    return parse_mapping(text, path)


def parse_mapping(text: str, file: str = "<mapping>") -> Mapping:
    """Parse mapping text (TOML) into a `Mapping`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(m.group(1)) if m else 0
        raise MappingError(f"not valid TOML: {msg}" + (f" (column {m.group(2)})" if m else ""), file, line) from None
    except RecursionError:
        data = None  # too deep, as below
    except ValueError:  # Python's int() refuses a number of thousands of digits
        raise MappingError(f"not valid TOML: a number of more than {sys.get_int_max_str_digits()} digits",
                           file) from None
    if data is None or json_too_deep(data):
        raise MappingError(f"the mapping is nested too deeply (at most {MAX_JSON_DEPTH} levels)", file)
    lines = _Lines(text)
    mp = Mapping(file=file, lines=lines)
    err = _Errors(file, lines)
    err.unknown(data, _TOP, "")
    v = err.table(data, "validate", "")
    err.unknown(v, _VALIDATE, "validate")
    for k, val in err.table(v, "consts", "validate").items():
        const = _const_text(val)
        if const is None:
            raise err.at("validate.consts", str(k), f"[validate] consts: {k} must be an integer, boolean, string "
                                                     "or an array of them (a sequence)")
        mp.consts[str(k)] = const
    req = v.get("require_send", False)
    if not isinstance(req, bool):
        raise err.at("validate", "require_send", "[validate] require_send must be true or false")
    mp.require_send = req
    mp.silent = tuple(err.str_list(v, "silent", "validate"))
    mp.max_silent = err.count(v, "max_silent", "validate", 1 if mp.silent else 0)
    mp.silent_mode = err.choice(v, "silent_mode", "validate", ("lazy", "eager"), "lazy")
    mp.max_candidates = err.count(v, "max_candidates", "validate", DEFAULT_MAX_CANDIDATES, minimum=1)
    lg = err.table(data, "log", "")
    err.unknown(lg, _LOG, "log")
    mp.kind_field = err.string(lg, "kind", "log") or "event"
    mp.time_field = err.string(lg, "time", "log")
    mp.skip = frozenset(err.str_list(lg, "skip", "log"))
    mp.order = err.choice(lg, "order", "log", ("time", "lines"), "time")
    for name, table in err.table(data, "tables", "").items():
        if not isinstance(table, dict):
            raise err.at("tables", name, f"[tables.{name}] must be a table of KEY = model value")
        # { null = true }: JSON null (TOML has no null)
        mp.tables[str(name)] = {str(k): None if x == {"null": True} else x for k, x in table.items()}
    for log_id, node in err.table(data, "nodes", "").items():
        if not isinstance(node, str):
            raise err.at("nodes", log_id, f"[nodes] {log_id}: a model node name such as \"Server[0]\" is expected")
        mp.nodes[str(log_id)] = node
    events = err.table(data, "events", "")
    if not events:
        raise MappingError("the mapping has no [events.KIND] table: say which model step each event kind is",
                           file, 0)
    for kind, body in events.items():
        where = events_table(kind)
        if not isinstance(body, dict):
            raise err.at("events", kind, f"[{where}] must be a table")
        if kind in mp.skip and "match" not in body:
            raise err.at(where, None, f"event kind '{kind}' is both mapped and in [log] skip")
        mp.events[kind] = _event(err, kind, body, where, set(mp.tables))
    return mp


def _event(err: _Errors, kind: str, body: dict, where: str, tables: set[str]) -> EventMap:
    err.unknown(body, _EVENT, where)
    err.tables = tables
    step = body.get("step")
    if isinstance(step, str):
        steps = (step,)
    elif isinstance(step, list) and step and all(isinstance(s, str) for s in step):
        steps = tuple(step)
    else:
        what = "needs `step`" if "step" not in body else "`step` must be a string or a non-empty list of strings"
        raise err.at(where, "step" if "step" in body else None,
                     f"[{where}] {what}: the model step (or a list of steps) this event is, "
                     "e.g. step = \"Server.on RequestVote\", or \"send\" for a message sent")
    em = EventMap(kind, steps, err.lines.line_of(where))
    if "match" in body:
        em.match = err.match(body["match"], where)
    for key in ("node", "from", "to"):
        if key in body:
            ref = err.ref(body[key], where, key)
            setattr(em, "sender" if key == "from" else key, ref)
    em.message = err.string(body, "message", where)
    em.fields = err.refs(body, "fields", where)
    em.params = err.refs(body, "params", where)
    em.observe = err.refs(body, "observe", where)
    if "sent" in body:
        s = body["sent"]
        sw = f"{where}.sent"
        if not isinstance(s, dict):
            raise err.at(where, "sent", f"[{sw}] must be a table with `message`, `to` and `fields`")
        err.unknown(s, _SENT, sw)
        msg = err.string(s, "message", sw)
        if not msg:
            raise err.at(sw, None, f"[{sw}] needs `message`: the type of the message the step sends")
        to = err.ref(s["to"], sw, "to") if "to" in s else None
        line = err.lines.line_of(sw) or err.lines.line_of(where, "sent")
        em.sent = SentSpec(msg, to, err.refs(s, "fields", sw), line)
    em.lines = {k: err.lines.line_of(where, k) for k in body}
    return em


def _const_text(v: Any) -> str | None:
    """A TOML constant as the text ``--const`` takes; None if it has none."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        items = [_const_text(x) for x in v]
        return None if any(i is None for i in items) else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return None


class _Errors:
    """Type checks of TOML values that raise positioned `MappingError`s."""

    def __init__(self, file: str, lines: _Lines):
        self.file, self.lines = file, lines
        self.tables: set[str] = set()

    def at(self, table: str, key: str | None, msg: str) -> MappingError:
        return MappingError(msg, self.file, self.lines.line_of(table, key))

    def unknown(self, d: dict, allowed: set[str], table: str) -> None:
        for k in d:
            if k not in allowed:
                name = f"[{table}] " if table else ""
                raise self.at(table, k, f"{name}unknown key '{k}' (allowed: {', '.join(sorted(allowed))})")

    def table(self, d: dict, key: str, table: str) -> dict:
        v = d.get(key, {})
        if not isinstance(v, dict):
            raise self.at(table, key, f"'{key}' must be a table")
        return v

    def string(self, d: dict, key: str, table: str) -> str | None:
        v = d.get(key)
        if v is not None and not isinstance(v, str):
            raise self.at(table, key, f"[{table}] {key} must be a string")
        return v

    def str_list(self, d: dict, key: str, table: str) -> list[str]:
        v = d.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.at(table, key, f"[{table}] {key} must be a list of strings")
        return v

    def count(self, d: dict, key: str, table: str, default: int, minimum: int = 0) -> int:
        v = d.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise self.at(table, key, f"[{table}] {key} must be an integer >= {minimum}")
        return v

    def choice(self, d: dict, key: str, table: str, options: tuple[str, ...], default: str) -> str:
        v = d.get(key, default)
        if v not in options:
            raise self.at(table, key, f"[{table}] {key} must be one of {', '.join(options)}")
        return v

    def ref(self, v: Any, table: str, key: str) -> Value:
        return parse_value(v, lambda msg: self.at(table, key, f"[{table}] {key}: {msg}"), self.tables)

    def refs(self, d: dict, key: str, table: str) -> dict[str, Value]:
        t = d.get(key, {})
        if not isinstance(t, dict):
            raise self.at(table, key, f"[{table}] {key} must be a table of NAME = \"event field\"")
        return {str(k): self.ref(v, f"{table}.{key}", str(k)) for k, v in t.items()}

    def match(self, m: Any, table: str) -> dict[tuple[str, ...], tuple[Any, ...]]:
        if not isinstance(m, dict) or not m:
            raise self.at(table, "match", f"[{table}] match must be a table of FIELD = value (or a list of "
                                          "values), e.g. match = {{ kind = \"recv\", \"msg.type\" = \"vote\" }}")
        out: dict[tuple[str, ...], Any] = {}
        for k, v in m.items():
            if isinstance(v, dict) and set(v) == {"regex"} and isinstance(v["regex"], str):
                try:
                    out[tuple(str(k).split("."))] = re.compile(v["regex"])
                except re.error as exc:
                    raise self.at(f"{table}.match", str(k), f"[{table}] match: {k}: not a regular expression: "
                                                            f"{exc}") from None
                continue
            if isinstance(v, dict) or (isinstance(v, list) and (not v or any(isinstance(x, (dict, list)) for x in v))):
                raise self.at(f"{table}.match", str(k), f"[{table}] match: {k} must be a value, a non-empty "
                                                        "list of values, or { regex = \"...\" }")
            out[tuple(str(k).split("."))] = tuple(v) if isinstance(v, list) else (v,)
        return out


class _Lines:
    """Finds the line of a table header or of a key inside a table."""

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r'^\s*(?:"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_\-.]+))\s*=')

    def __init__(self, text: str):
        self.headers: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        current = ""
        for n, line in enumerate(text.splitlines(), 1):
            h = self._HEADER.match(line)
            if h:
                current = _norm(h.group(1))
                self.headers.setdefault(current, n)
                continue
            k = self._KEY.match(line)
            if k:
                key = next(g for g in k.groups() if g is not None)
                self.keys.setdefault((current, key), n)
                if "." in key and k.group(3):  # a dotted key: a.b = 1 inside [t] is t.a's key b
                    *parents, last = key.split(".")
                    self.keys.setdefault((_join(current, *parents), last), n)
                    self.headers.setdefault(_join(current, *parents), n)

    def line_of(self, table: str, key: str | None = None) -> int:
        table = _norm(table)
        if key is not None:
            n = self.keys.get((table, key))
            if n:
                return n
            head = self.headers.get(_join(table, key))
            if head:
                return head
        if table in self.headers:
            return self.headers[table]
        parent, _, last = table.rpartition(".")
        if last and (parent, last) in self.keys:  # an inline table: the line of its key
            return self.keys[(parent, last)]
        return self.line_of(parent) if parent else 0


def _norm(dotted: str) -> str:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', dotted)
    return ".".join(next(g for g in p if g) if any(p) else "" for p in parts)


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p)
