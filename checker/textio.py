"""Reading what a user gives as text (specs, trace files, logs, mappings):
bytes decoded as UTF-8, a byte-order mark accepted and dropped, and a byte
that is not UTF-8 reported at its line and column, never as a
`UnicodeDecodeError`."""

from __future__ import annotations

from pathlib import Path

from checker.errors import CheckerError, Span, excerpt

BOM = "\ufeff"


class EncodingError(CheckerError):
    """Input that is not UTF-8 text; names the file, line and column of the
    first bad byte and shows its line (the bad bytes as U+FFFD)."""

    def __init__(self, origin: str, line: int, col: int, message: str, source: str = ""):
        super().__init__(f"{origin}:{line}:{col}: {message}")
        self.origin, self.line, self.col, self.message, self.source = origin, line, col, message, source

    def format(self) -> str:
        span = Span(self.origin, self.line, self.col, self.line, self.col + 1)
        return f"{span}: error: {self.message}" + excerpt(self.source, span)


def decode(data: bytes, origin: str, first_line: int = 1) -> str:
    """``data`` as text: UTF-8, without a leading byte-order mark. Raises
    `EncodingError` at the first byte that is not UTF-8 (``first_line``:
    the line number of ``data``'s first line, for one line of a log)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        line_start = before.rfind(b"\n") + 1
        col = len(data[line_start: exc.start].decode("utf-8", "replace")) + 1
        shown = data.decode("utf-8", "replace")
        byte = data[exc.start]
        raise EncodingError(origin, first_line + line, col,
                            f"not UTF-8 text: byte 0x{byte:02x} ({exc.reason}); save the file as UTF-8",
                            "\n" * line + shown.split("\n")[line]) from None
    return text[1:] if text.startswith(BOM) else text


def read_text(path: str | Path, origin: str | None = None) -> str:
    """The text of file ``path`` (see `decode`); ``OSError`` is left to the
    caller, which knows what the file is for."""
    return decode(Path(path).read_bytes(), str(path) if origin is None else origin)


#: JSON nested deeper than this (in a trace file or a log line) is refused:
#: no value the checker writes comes near it, and deeper documents would
#: exhaust the recursion of the code that walks them
MAX_JSON_DEPTH = 100


def json_too_deep(doc: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON document nests arrays and objects more than
    ``limit`` deep (walked without recursion)."""
    stack: list[tuple[object, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: object = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children)  # type: ignore[attr-defined]
    return False
