"""Issue 14: what a user gives as a file (spec, trace, log, mapping) is
read as UTF-8 with or without a byte-order mark; a byte that is not UTF-8,
a number of thousands of digits or JSON nested thousands deep is a clear,
positioned error (exit 2), never an internal error."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.conftest import src
from tests.robustness.tools import TICKET, TICKET_LOG, TICKET_MAP, cli, write

BOM = b"\xef\xbb\xbf"
SPEC = src("spec Flip", "var x = 0", "action flip { x = 1 - x }")


# ---- specs ---------------------------------------------------------------------

def test_a_spec_with_a_byte_order_mark_is_read(capsys, tmp_path):
    code, out, _ = cli(capsys, "run", write(tmp_path, "bom.dsl", BOM + SPEC.encode()), "--no-progress")
    assert code == 0 and "Flip: every property holds" in out


def test_a_spec_that_is_not_utf8_names_line_and_column(capsys, tmp_path):
    path = write(tmp_path, "latin1.dsl", "spec Flip\nvar x = 0  # café\n".encode("latin-1"))
    code, _, err = cli(capsys, "run", path, "--no-progress")
    assert code == 2
    assert err.startswith(f"{path}:2:17: error: not UTF-8 text: byte 0xe9"), err
    assert "caf\ufffd" in err  # the line, the bad byte shown as U+FFFD


def test_a_long_source_line_is_clipped_around_the_caret(capsys, tmp_path):
    line = "var x = [" + ", ".join(["1"] * 2000) + ", nope]"
    code, _, err = cli(capsys, "run", write(tmp_path, "long.dsl", src("spec Long", line)), "--no-progress")
    assert code == 2 and "'nope'" in err.splitlines()[0]
    shown, caret = err.splitlines()[1:3]
    assert len(shown) < 120 and shown.strip().startswith("...")
    assert shown[caret.index("^"):].startswith("nope")


# ---- trace files (checker show; the explorer's upload reads them the same way) ------

@pytest.fixture(scope="module")
def trace(tmp_path_factory) -> dict:
    from checker.cli import main

    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(Path(TICKET).with_name("channel") / "naive.dsl"), "--no-progress", "--out", str(out)]) == 1
    return json.loads((out / "NoCorruption.trace.json").read_text())


def test_a_trace_with_a_byte_order_mark_is_read(capsys, tmp_path, trace):
    path = write(tmp_path, "t.trace.json", BOM + json.dumps(trace).encode())
    assert cli(capsys, "show", path)[0] == 0


@pytest.mark.parametrize("edit, message", [
    (lambda t: t["steps"][1].update(sends=[{"src": "Client", "dst": 3, "text": "x"}]),
     "steps[1].sends[0].dst: must be a string or null, not an integer"),
    (lambda t: t["steps"][0]["state"].update(x={"#set": 5}), "steps[0].state.x.#set: must be an array, not an integer"),
    (lambda t: t["steps"][0]["state"].update(x={"#map": [[1]]}), "steps[0].state.x.#map[0]: [1] is too short"),
    (lambda t: t["steps"][0].update(kind="teleport"), "steps[0].kind: must be one of \"init\", "),
    (lambda t: t["steps"][1].update(shown={"x": 1}), "steps[1].shown.x: must be a string, not an integer"),
    (lambda t: t["violation"].pop("kind"), "violation: missing field 'kind'"),
    (lambda t: t.update(loop_start=99), "loop_start: 99 is not a step index"),
])
def test_a_hand_edited_trace_is_checked_against_the_schema_before_rendering(capsys, tmp_path, trace, edit, message):
    trace = copy.deepcopy(trace)
    edit(trace)
    path = write(tmp_path, "t.trace.json", json.dumps(trace))
    for fmt in ("text", "html", "mermaid", "itf", "dot"):
        code, _, err = cli(capsys, "show", path, "--format", fmt)
        assert code == 2 and err.startswith(f"{path}: {message}"), err


@pytest.mark.parametrize("text, message", [
    ("[" * 5000 + "]" * 5000, "the JSON is nested too deeply (at most 40 levels)"),
    ('{"format": "checker-trace", "version": 1, "x": ' + "9" * 5000 + "}", "a number of more than 4300 digits"),
    ('{"format": "checker-trace", "vers', "t.trace.json:1:29: not valid JSON"),
])
def test_a_broken_trace_file_is_a_clear_error(capsys, tmp_path, text, message):
    path = write(tmp_path, "t.trace.json", text)
    code, _, err = cli(capsys, "show", path)
    assert code == 2 and message in err, err


def test_a_trace_that_is_not_utf8_names_its_place(capsys, tmp_path):
    path = write(tmp_path, "t.trace.json", b'{\n "spec": "\xff"}')
    code, _, err = cli(capsys, "show", path)
    assert code == 2 and err.startswith(f"{path}:2:11: error: not UTF-8 text: byte 0xff"), err


# ---- logs and mappings (checker validate) -------------------------------------------

def _validate(capsys, log: str, mapping: str = TICKET_MAP) -> tuple[int, str]:
    code, _, err = cli(capsys, "validate", TICKET, "--log", log, "--map", mapping, "--no-progress")
    return code, err


def test_a_log_and_a_mapping_with_byte_order_marks_are_read(capsys, tmp_path):
    log = write(tmp_path, "log.jsonl", BOM + Path(TICKET_LOG).read_bytes())
    mapping = write(tmp_path, "map.toml", BOM + Path(TICKET_MAP).read_bytes())
    assert _validate(capsys, log, mapping)[0] == 0


@pytest.mark.parametrize("line, message", [
    ('{"event": "debug", "x": ' + "[" * 3000 + "]" * 3000 + "}", "the JSON is nested too deeply (at most 100 levels)"),
    ('{"event": "debug", "x": ' + "[" * 150 + "]" * 150 + "}", "the JSON is nested too deeply (at most 100 levels)"),
    ('{"event": "ticket_issued", "server": "s0", "t": ' + "9" * 5000 + "}", "not valid JSON: a number of more than 4300 digits"),
])
def test_a_log_line_too_deep_or_too_large_is_named(capsys, tmp_path, line, message):
    lines = Path(TICKET_LOG).read_text().splitlines()
    log = write(tmp_path, "log.jsonl", "\n".join(lines[:2] + [line] + lines[2:]) + "\n")
    code, err = _validate(capsys, log)
    assert code == 2 and err.startswith(f"{log}:3: error: {message}"), err


@pytest.mark.parametrize("extra, message", [
    ("x = " + "[" * 3000 + "]" * 3000, "nested too deeply"),
    ("x = " + "[" * 150 + "]" * 150, "the mapping is nested too deeply (at most 100 levels)"),
    ("x = " + "9" * 5000, "a number of more than 4300 digits"),
])
def test_a_mapping_too_deep_or_too_large_is_named(capsys, tmp_path, extra, message):
    mapping = write(tmp_path, "map.toml", extra + "\n" + Path(TICKET_MAP).read_text())
    code, err = _validate(capsys, TICKET_LOG, mapping)
    assert code == 2 and message in err and err.startswith(mapping), err


def test_a_mapping_that_is_not_utf8_names_its_place(capsys, tmp_path):
    mapping = write(tmp_path, "map.toml", b"[log]\nkind = \"ev\xe9nt\"\n")
    code, err = _validate(capsys, TICKET_LOG, mapping)
    assert code == 2 and err.startswith(f"{mapping}:2:11: error: not UTF-8 text: byte 0xe9"), err
