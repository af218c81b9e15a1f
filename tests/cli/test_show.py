"""`checker show`: re-render a saved trace; bad trace files exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(ROOT / "specs" / "ticket.dsl"), "--no-progress", "--out", str(out)]) == 1
    return out / "Consistency.trace.json"


def test_run_out_writes_every_rendering(saved):
    for suffix in (".html", ".mmd", ".itf.json", ".dot"):
        assert (saved.parent / ("Consistency" + suffix)).stat().st_size > 100


@pytest.mark.parametrize("fmt,needle", [("text", "15. Server[1] handles Execute()"),
                                        ("mermaid", "sequenceDiagram"),
                                        ("itf", '"#meta"'),
                                        ("dot", "digraph"),
                                        ("html", "<svg")])
def test_show_renders_each_format(saved, fmt, needle, capsys):
    assert main(["show", str(saved), "--format", fmt]) == 0
    assert needle in capsys.readouterr().out


def test_show_writes_a_file(saved, tmp_path, capsys):
    target = tmp_path / "chart.html"
    assert main(["show", str(saved), "--format", "html", "-o", str(target)]) == 0
    assert target.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("content,message", [
    ('{"format": ', "1:12: not valid JSON"),
    ('[1, 2]', "a trace file holds a JSON object"),
    ('{"format": "other"}', "not a checker trace"),
    ('{"format": "checker-trace", "version": 99}', "trace version 99 is not supported"),
    ('{"format": "checker-trace", "version": 1, "nodes": []}', "missing fields 'spec', 'steps', 'violation'"),
])
def test_malformed_trace_files_exit_2_with_the_problem_named(tmp_path, content, message, capsys):
    bad = tmp_path / "bad.trace.json"
    bad.write_text(content)
    assert main(["show", str(bad)]) == 2
    assert message in capsys.readouterr().err


def test_hand_edited_step_is_named(saved, tmp_path, capsys):
    data = json.loads(saved.read_text())
    data["steps"][3]["index"] = 7
    bad = tmp_path / "edited.trace.json"
    bad.write_text(json.dumps(data))
    assert main(["show", str(bad)]) == 2
    assert "steps[3].index: is 7, expected 3" in capsys.readouterr().err


def test_missing_file_is_a_usage_error(capsys):
    assert main(["show", "nope.trace.json"]) == 2
    assert "no such trace file" in capsys.readouterr().err
