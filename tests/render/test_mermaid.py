"""Mermaid output: a line-by-line check against the sequenceDiagram grammar.

(With CHECKER_MERMAID_JS pointing to a mermaid.min.js, test_browser.py also
has Mermaid itself parse and draw these diagrams.)
"""

from __future__ import annotations

import re

import pytest

from checker.render.mermaid import mermaid_text, participant_ids, render_mermaid
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace

ID = r"[A-Za-z_][A-Za-z0-9_]*"
# label text: Mermaid ends a statement at ';', '#' starts an entity code, and
# we also keep '<', '>' and '&' out (it sanitises HTML)
TXT = r"(?:[^;#<>&\n]|#\w+;)+"
STATEMENTS = [
    re.compile(rf"title {TXT}"),
    re.compile(rf"participant (?P<id>{ID}) as {TXT}"),
    re.compile(rf"(?P<a>{ID})(?P<arrow>->>|-->>|-x|--x|-\)|--\))(?P<b>{ID}): {TXT}"),
    re.compile(rf"Note over (?P<a>{ID})(?:,(?P<b>{ID}))?: {TXT}"),
    re.compile(rf"loop {TXT}"),
    re.compile(r"rect rgb\(\d+, \d+, \d+\)"),
    re.compile(r"end"),
]


def check_mermaid(text: str) -> dict[str, list[str]]:
    """Fail on any line that is not a well-formed statement; return the
    arrows by kind."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "sequenceDiagram"
    declared: set[str] = set()
    depth = 0
    arrows: dict[str, list[str]] = {}
    for line in lines[1:]:
        body = line.strip()
        assert line.startswith("    ") and body, f"bad indentation: {line!r}"
        for pattern in STATEMENTS:
            m = pattern.fullmatch(body)
            if m:
                break
        else:
            raise AssertionError(f"not a Mermaid sequence statement: {line!r}")
        groups = m.groupdict()
        if "id" in groups and groups["id"]:
            declared.add(groups["id"])
        for end in ("a", "b"):
            if groups.get(end):
                assert groups[end] in declared, f"undeclared participant in {line!r}"
        if groups.get("arrow"):
            arrows.setdefault(groups["arrow"], []).append(body)
        if body.startswith(("loop ", "rect ")):
            depth += 1
        elif body == "end":
            depth -= 1
            assert depth >= 0, "'end' without a block"
    assert depth == 0, "unclosed block"
    return arrows


def test_ticket_mermaid() -> None:
    trace = ticket_trace()
    text = render_mermaid(trace)
    arrows = check_mermaid(text)
    assert "participant Server_0 as Server[0]" in text
    assert len(arrows["->>"]) == sum(s.kind == "deliver" for s in trace.steps)
    assert arrows["-x"] == ["Client_0-xServer_2: [4] RequestTicket() (lost)"]
    assert "Note over Server_2: [19] CRASH" in text
    assert "Client_1->>Server_1: [22] Execute()" in text
    assert text.count("in flight, never delivered") == 3
    last = text.rstrip("\n").split("\n")[-1]
    assert last.startswith("    Note over Server_0,Client_1: VIOLATED") and "Consistency" in last
    assert 'Server[1].executed = "c2"' in last


def test_lasso_mermaid_has_a_loop_block() -> None:
    text = render_mermaid(ticket_lasso())
    check_mermaid(text)
    loop_at = text.index("    loop ")
    assert text.index("[10] timer") > loop_at  # the repeating steps are inside it
    assert text.index("[9] CRASH") < loop_at
    assert "back to step 9" in text


def test_hostile_labels_are_escaped() -> None:
    text = render_mermaid(kitchen_sink_trace())
    check_mermaid(text)
    assert "<" not in text and ">" not in text.replace("->>", "").replace("-->>", "")
    assert "participant env as env (environment)" in text
    assert "Node#lt;A#gt;" in text and "#59;" in text and "#35;" in text
    assert "-->>" in text  # the duplicate copy / re-delivery


@pytest.mark.parametrize("raw, safe", [
    ("a;b", "a#59;b"), ("#x", "#35;x"), ("a\nb", "a b"), ("%%{init}", "#37;#37;#123;init#125;"),
])
def test_mermaid_text(raw: str, safe: str) -> None:
    assert mermaid_text(raw) == safe


def test_participant_ids_are_unique_and_not_keywords() -> None:
    ids = participant_ids(["Server[0]", "Server(0)", "end", "1x", "!!"])
    assert list(ids.values()) == ["Server_0", "Server_0_2", "end_", "n_1x", "node"]
