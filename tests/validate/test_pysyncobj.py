"""PySyncObj's logs against specs/raft_pysyncobj.dsl: a recorded run is
accepted, hand-made bugs are rejected at their line with an explanation,
each PySyncObj deviation shows when its switch is off, and a fresh run of a
real 3-node cluster on 127.0.0.1 validates end to end."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT

SPEC = str(ROOT / "specs" / "raft_pysyncobj.dsl")
EXAMPLE = ROOT / "examples" / "pysyncobj"
MAP = str(EXAMPLE / "mapping.toml")
RUN = str(EXAMPLE / "run.jsonl")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"pysyncobj_example_{name}", EXAMPLE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def validate(capsys, log: str, *extra: str) -> tuple[int, str]:
    code = main(["validate", SPEC, "--log", log, "--map", MAP, "--no-progress", *extra])
    out, err = capsys.readouterr()
    assert not err, err
    return code, out


def test_recorded_run_is_accepted(capsys):
    code, out = validate(capsys, RUN)
    assert code == 0, out
    assert "ACCEPTED: all 108 events" in out


@pytest.mark.parametrize("name,line,explanation", [
    ("vote_twice", 58, 'Server[1].votedFor: model Server[1], log "node0" (= Server[0])'),
    ("apply_before_commit", 21, "the guard is false: `lastApplied < commitIndex` (commitIndex = 2, lastApplied = 2)"),
    ("reordered_apply", 34, 'Server[2].lastApplied: model 3, log 4; log[lastApplied - 1].cmd: model "a", log "b"'),
])
def test_recorded_mutations_are_rejected_at_their_line(capsys, tmp_path, name, line, explanation):
    mutate = _module("mutate")
    lines = Path(RUN).read_text().splitlines()
    mutated, at, _ = mutate.MUTATIONS[name](lines)
    assert at == line
    log = tmp_path / f"{name}.jsonl"
    log.write_text("\n".join(mutated) + "\n")
    code, out = validate(capsys, str(log))
    assert code == 1, out
    assert f"REJECTED at {log}:{line}:" in out
    assert explanation in out
    # the checked-in copies are the same mutations
    assert (EXAMPLE / "mutated" / f"{name}.jsonl").read_text() == log.read_text()


@pytest.mark.parametrize("switch,line,explanation", [
    ("InitialNoop", 1, 'Server[2].log: model [], log [{"term": 0, "cmd": "noop"}]; Server[2].commitIndex: model 0, '
                       "log 1; Server[2].lastApplied: model 0, log 1"),
    ("LeaderNoop", 8, "Server[2].log: model [(cmd: \"noop\", term: 0)], log [{\"term\": 0, \"cmd\": \"noop\"}, "
                      "{\"term\": 1, \"cmd\": \"noop\"}]"),
    ("OptimisticNext", 9, "Server[2].nextIndex: model {Server[0]: 2, Server[1]: 2}, log {\"node1\": 3, \"node0\": 2}"),
])
def test_each_pysyncobj_deviation_shows_when_its_switch_is_off(capsys, switch, line, explanation):
    code, out = validate(capsys, RUN, "--const", f"{switch}=false")
    assert code == 1, out
    assert f"REJECTED at {RUN}:{line}:" in out
    assert explanation in out


def test_the_model_checks_at_small_bounds():
    from checker.compile import load_spec
    from checker.explore.search import explore

    result = explore(load_spec(SPEC))
    assert result.complete
    assert result.verdicts == {"ElectionSafety": "holds", "StateMachineSafety": "holds"}
    assert result.stats.distinct == 24784
    assert all(n > 0 for n in result.coverage.values())


def _cluster_available() -> None:
    try:
        import pysyncobj  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pysyncobj is not installed; CI must have it (pip install -e '.[test]')")
        pytest.skip("pysyncobj is not installed (pip install -e '.[test]')")


def test_a_real_pysyncobj_cluster_validates(capsys, tmp_path):
    """End to end: 3 PySyncObj nodes on free ports of 127.0.0.1, a leader
    killed and re-elected (bounded: well under a minute)."""
    _cluster_available()
    harness = _module("harness")
    log = tmp_path / "run.jsonl"
    summary = harness.run(str(log), timeout=10.0)
    assert summary["items"] == ["a", "b", "c", "d", "e"]
    assert summary["first_leader"] != summary["second_leader"]
    code, out = validate(capsys, str(log), "--out", str(tmp_path / "out"))
    assert code == 0, out
    kinds = {line.split('"event": "')[1].split('"')[0] for line in log.read_text().splitlines()}
    assert {"timeout", "recv_request_vote", "send_response_vote", "recv_response_vote", "append_entries",
            "recv_append_entries", "recv_next_node_idx", "client_request", "commit", "apply", "crash"} <= kinds
    mutate = _module("mutate")
    for name, (path, line, _) in mutate.write_all(str(log), str(tmp_path / "mutated")).items():
        code, out = validate(capsys, path)
        assert code == 1 and f"REJECTED at {path}:{line}:" in out, (name, out)
