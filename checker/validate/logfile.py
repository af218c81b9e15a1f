"""Implementation logs: JSON Lines, one event per line, read as a stream.

A log is never loaded whole: `read_events` yields one `Event` at a time,
so a validator holds only its candidate states. Several logs (one per
node) are merged on a time field, lazily (`heapq.merge`). Every problem
names the file and line: a line that is not JSON, not an object, or has no
event kind.
"""

from __future__ import annotations

import heapq
import json
import sys
from dataclasses import dataclass
from typing import Any, Iterator

from checker.errors import CheckerError
from checker.textio import MAX_JSON_DEPTH, decode, json_too_deep


class LogError(CheckerError):
    """A malformed log, or an event the mapping cannot read (exit 2)."""

    def __init__(self, message: str, file: str = "", line: int = 0):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        return f"{where}{self.message}"

    def format(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        return f"{where}error: {self.message}"


@dataclass(frozen=True)
class Event:
    """One log line: its position, its kind and its fields."""

    file: str
    line: int
    kind: str
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def text(self, limit: int = 160) -> str:
        """The event as compact JSON, cut to ``limit`` characters."""
        s = json.dumps(self.data, separators=(",", ":"), sort_keys=False)
        return s if len(s) <= limit else s[: limit - 3] + "..."


def read_events(path: str, kind_field: str = "event") -> Iterator[Event]:
    """Yield the events of one JSON Lines file (``-``: standard input).

    Blank lines are skipped; anything else that is not a JSON object with a
    string field ``kind_field`` raises `LogError` naming the line."""
    name = "<stdin>" if path == "-" else path
    try:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as exc:
        raise LogError(f"cannot read the log: {exc.strerror}", name) from None
    try:
        for lineno, raw in enumerate(stream, 1):
            # line by line: a byte that is not UTF-8 is named by its line and column
            text = decode(raw, name, lineno).strip()
            if not text:
                continue
            yield parse_line(text, name, lineno, kind_field)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def parse_line(text: str, file: str, line: int, kind_field: str) -> Event:
    """One line of JSON Lines -> an `Event` (or a positioned `LogError`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LogError(f"not valid JSON (column {exc.colno}: {exc.msg})", file, line) from None
    except RecursionError:
        raise LogError(f"the JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)", file, line) from None
    except ValueError:  # Python's int() refuses a number of thousands of digits
        raise LogError(f"not valid JSON: a number of more than {sys.get_int_max_str_digits()} digits",
                       file, line) from None
    if json_too_deep(data):
        raise LogError(f"the JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)", file, line)
    if not isinstance(data, dict):
        raise LogError(f"an event must be a JSON object, not {_json_type(data)}", file, line)
    kind = data.get(kind_field)
    if kind is None:
        raise LogError(f"the event has no field '{kind_field}' (its kind)", file, line)
    if not isinstance(kind, str):
        raise LogError(f"field '{kind_field}' (the event kind) must be a string, not {_json_type(kind)}", file, line)
    return Event(file, line, kind, data)


def merged_events(paths: list[str], kind_field: str, time_field: str | None,
                  lines_in_order: bool = False) -> Iterator[Event]:
    """The events of one log, or of several merged in order of ``time_field``
    (each log must already be in that order; ties keep the order of
    ``paths``). With ``lines_in_order`` a log's lines are known to be in
    the order they happened even where their times go back (threads that
    take the time before they write): a line is merged at the latest time
    its log has shown so far."""
    if len(paths) == 1:
        yield from read_events(paths[0], kind_field)
        return
    if not time_field:
        raise LogError("several logs need a time field to merge them on: set `time` in the mapping's [log] table")
    streams = [_timed(read_events(p, kind_field), time_field, k, lines_in_order) for k, p in enumerate(paths)]
    merged = heapq.merge(*streams)
    while True:
        try:
            _, _, _, event = next(merged)
        except StopIteration:
            return
        except TypeError:  # a number compared with a string
            raise LogError(f"the logs' '{time_field}' fields mix numbers and strings; they cannot be merged",
                           paths[0]) from None
        yield event


def _timed(events: Iterator[Event], field: str, rank: int,
           lines_in_order: bool = False) -> Iterator[tuple[Any, int, int, Event]]:
    last = None
    for e in events:
        t = e.data.get(field)
        if isinstance(t, bool) or not isinstance(t, (int, float, str)):
            raise LogError(f"field '{field}' (the time to merge logs on) is missing or not a number/string",
                           e.file, e.line)
        if last is not None and type(t) is type(last) and t < last:  # type: ignore[operator]  # same type
            if lines_in_order:
                yield last, rank, e.line, e
                continue
            raise LogError(f"field '{field}' goes back in time ({t!r} after {last!r}); "
                           "each log must be in time order to be merged (or say [log] order = \"lines\")",
                           e.file, e.line)
        last = t
        yield t, rank, e.line, e


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array",
            dict: "an object"}.get(type(v), type(v).__name__)
