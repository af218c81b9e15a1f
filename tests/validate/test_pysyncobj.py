"""PySyncObj's event stream against specs/raft_pysyncobj.dsl: recorded runs
(a leader killed, killed and restarted, cut off by a partition, a follower
cut off) are accepted as the harness writes them; hand-made bugs are
rejected at their line with an explanation; harmless changes are
accepted; each PySyncObj deviation shows when its switch is off; and fresh
runs of a real 3-node cluster on 127.0.0.1 validate end to end."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT

SPEC = str(ROOT / "specs" / "raft_pysyncobj.dsl")
EXAMPLE = ROOT / "examples" / "pysyncobj"
MAP = str(EXAMPLE / "mapping.toml")
RUNS = EXAMPLE / "runs"
SCENARIOS = ("kill-leader", "kill-restart", "partition-leader", "partition-minority")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"pysyncobj_example_{name}", EXAMPLE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def logs(run_dir: Path) -> list[str]:
    return [str(p) for p in sorted(run_dir.glob("node*.jsonl"))]


def validate(capsys, paths: list[str], *extra: str, mapping: str = MAP) -> tuple[int, str]:
    args = ["validate", SPEC, "--map", mapping, "--no-progress", *extra]
    for p in paths:
        args += ["--log", p]
    code = main(args)
    out, err = capsys.readouterr()
    assert not err, err
    return code, out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_recorded_runs_are_accepted(capsys, scenario):
    code, out = validate(capsys, logs(RUNS / scenario))
    assert code == 0, out
    assert "ACCEPTED: all" in out


def test_the_recorded_runs_show_what_they_are_about():
    def kinds(scenario: str) -> set[str]:
        return {f'{line.split(chr(34) + "kind" + chr(34) + ": ")[1].split(",")[0]}'
                for p in logs(RUNS / scenario) for line in Path(p).read_text().splitlines()}

    assert {'"crash"', '"restart"'} <= kinds("kill-restart")
    assert '"drop"' in kinds("partition-leader") and '"drop"' in kinds("partition-minority")
    restart = next(line for p in logs(RUNS / "kill-restart") for line in Path(p).read_text().splitlines()
                   if '"kind": "restart"' in line)
    assert '"commit_index": 1,' not in restart  # it recovered a stored commit index


@pytest.mark.parametrize("name,explanation", [
    ("double_vote", 'votedFor: model Server[2], log "node1" (= Server[1])'),
    ("two_leaders", 'Server[1].state: model "follower", log "leader"'),
    ("apply_before_commit", "the guard is false: `lastApplied < commitIndex`"),
    ("wrong_apply", 'log[lastApplied - 1]: model (cmd: "a", term: 1), log {"term": 1, "cmd": "z"}'),
    ("term_back", "currentTerm: model 3, log 2"),
    ("recv_never_sent", "no AppendEntries message to Server[1] can be delivered"),
    ("deleted_send", "the log shows no send of it before this receive (require_send)"),
    ("whitespace", None),
    ("swapped_concurrent", None),
])
def test_mutants_are_rejected_at_their_line_and_harmless_changes_accepted(capsys, tmp_path, name, explanation):
    mutate = _module("mutate")
    paths, bad, line, what = mutate.write_all(str(RUNS / "kill-leader"), str(tmp_path))[name]
    code, out = validate(capsys, paths)
    if bad is None:
        assert code == 0, (what, out)
        return
    assert code == 1, (what, out)
    assert f"REJECTED at {bad}:{line}:" in out, (what, out)
    assert explanation in out, out


def test_a_deleted_send_passes_without_require_send(capsys, tmp_path):
    mutate = _module("mutate")
    paths, bad, line, _ = mutate.write_all(str(RUNS / "kill-leader"), str(tmp_path))["deleted_send"]
    lenient = tmp_path / "lenient.toml"
    lenient.write_text(Path(MAP).read_text().replace("require_send = true", "require_send = false"))
    code, out = validate(capsys, paths, mapping=str(lenient))
    assert code == 0, out


@pytest.mark.parametrize("switch,scenario,where,explanation", [
    ("InitialNoop", "kill-leader", "node0.jsonl:3", "lastLogIndex: model 0, log 1"),
    ("LeaderNoop", "kill-leader", "node0.jsonl:7", "log[2 - 1]: cannot be evaluated (index 1 is out of range"),
    ("PersistentCommit", "kill-restart", "node0.jsonl:123", "Server[0].commitIndex: model 1, log 5"),
    ("OptimisticNext", "partition-leader", "node1.jsonl:38", "prevLogIdx: model 4, log 5"),
])
def test_each_pysyncobj_deviation_shows_when_its_switch_is_off(capsys, switch, scenario, where, explanation):
    code, out = validate(capsys, logs(RUNS / scenario), "--const", f"{switch}=false")
    assert code == 1, out
    assert f"REJECTED at {RUNS / scenario}/{where}:" in out, out
    assert explanation in out


@pytest.mark.slow
def test_the_model_checks_at_small_bounds():
    from checker.compile import load_spec
    from checker.explore.search import explore

    result = explore(load_spec(SPEC))
    assert result.complete
    assert result.verdicts == {"ElectionSafety": "holds", "StateMachineSafety": "holds"}
    assert result.stats.distinct == 37804
    assert all(n > 0 for n in result.coverage.values())


def test_the_harness_has_options(tmp_path):
    res = subprocess.run([sys.executable, str(EXAMPLE / "harness.py"), "--help"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120, check=False)
    assert res.returncode == 0 and "--scenario" in res.stdout and "--seed" in res.stdout
    assert list(tmp_path.iterdir()) == []  # no log file named --help
    res = subprocess.run([sys.executable, str(EXAMPLE / "harness.py"), "--out", str(tmp_path), "--scenario", "nope"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 2 and "invalid choice: 'nope'" in res.stderr


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ("basic",) + SCENARIOS)
def test_a_real_pysyncobj_cluster_validates(capsys, tmp_path, scenario):
    """End to end: 3 PySyncObj nodes on free ports of 127.0.0.1 (generous
    timeouts: the machine may be loaded; nothing here measures time)."""
    harness = _module("harness")
    summary = harness.run(str(tmp_path / "run"), scenario, seed=5, timeout=60.0)
    assert summary["items"][: 3] == ["a", "b", "c"] or scenario == "partition-leader"
    code, out = validate(capsys, summary["logs"], "--out", str(tmp_path / "out"))
    assert code == 0, out
    if scenario == "kill-leader":  # the mutations of a fresh run too
        mutate = _module("mutate")
        for name, (paths, bad, line, _) in mutate.write_all(str(tmp_path / "run"), str(tmp_path / "m")).items():
            code, out = validate(capsys, paths)
            expected = 0 if bad is None else 1
            assert code == expected and (bad is None or f"REJECTED at {bad}:{line}:" in out), (name, out)
