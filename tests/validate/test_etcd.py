"""etcd's own logs (zap JSON Lines) against specs/etcd_raft.dsl: recorded
runs are accepted as etcd wrote them; the deviations from the Raft paper
show when their switches are off; hand-made bugs are rejected at their
line; and fresh runs of a real 3-member cluster on 127.0.0.1 validate."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT

SPEC = str(ROOT / "specs" / "etcd_raft.dsl")
EXAMPLE = ROOT / "examples" / "etcd"
MAP = str(EXAMPLE / "mapping.toml")
RUNS = EXAMPLE / "runs"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"etcd_example_{name}", EXAMPLE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def validate(capsys, paths: list[str], *extra: str) -> tuple[int, str]:
    args = ["validate", SPEC, "--map", MAP, "--no-progress", *extra]
    for p in paths:
        args += ["--log", p]
    code = main(args)
    out, err = capsys.readouterr()
    assert not err, err
    return code, out


def logs(run_dir: Path) -> list[str]:
    return [str(p) for p in sorted(run_dir.glob("node*.jsonl"))]


# same-millisecond: a vote request's receipt is logged in the same
# millisecond as its send, in a log given before the sender's
@pytest.mark.parametrize("scenario", ["kill-restart", "pause-leader", "same-millisecond"])
def test_recorded_runs_are_accepted(capsys, scenario):
    code, out = validate(capsys, logs(RUNS / scenario))
    assert code == 0, out


@pytest.mark.parametrize("switch,scenario,where,explanation", [
    ("BootstrapTerm1", "kill-restart", "node1.jsonl:9", "Server[1].term: model 0, log 1"),
    ("CheckQuorum", "pause-leader", "node1.jsonl:74", "Server[1].term: model 3, log 2"),
])
def test_each_etcd_deviation_shows_when_its_switch_is_off(capsys, switch, scenario, where, explanation):
    code, out = validate(capsys, logs(RUNS / scenario), "--const", f"{switch}=false")
    assert code == 1, out
    assert f"REJECTED at {RUNS / scenario}/{where}:" in out, out
    assert explanation in out


@pytest.mark.parametrize("name,explanation", [
    ("double_vote", 'Server[0].vote: model Server[1], log "453453cc06e02645" (= Server[2])'),
    ("two_leaders", 'Server[1].state: model "follower", log "leader"'),
    ("term_back", "Server[0].term: model 2, log 1"),
    ("recv_never_sent", "no VoteResp message to Server[0] can be delivered"),
])
def test_mutants_are_rejected_at_their_line(capsys, tmp_path, name, explanation):
    paths, bad, line, what = _module("mutate").write_all(str(RUNS / "pause-leader"), str(tmp_path))[name]
    code, out = validate(capsys, paths)
    assert code == 1, (what, out)
    assert f"REJECTED at {bad}:{line}:" in out, (what, out)
    assert explanation in out, out


@pytest.mark.slow
def test_the_model_checks_at_small_bounds():
    from checker.compile import load_spec
    from checker.explore.search import explore

    result = explore(load_spec(SPEC))
    assert result.complete
    assert result.verdicts == {"ElectionSafety": "holds", "OneVote": "holds"}
    assert result.stats.distinct == 48256
    assert all(n > 0 for n in result.coverage.values())


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["kill-restart", "pause-leader"])
def test_a_real_etcd_cluster_validates(capsys, tmp_path, scenario):
    """3 etcd members on 127.0.0.1 (Debian's etcd-server; .ci/run installs
    it). Generous timeouts; nothing here measures time."""
    if shutil.which("etcd") is None:
        if os.environ.get("CI"):
            pytest.fail("etcd is not installed; CI must have it (.ci/run: apt-get install etcd-server)")
        pytest.skip("etcd is not installed (apt-get install etcd-server)")
    summary = _module("harness").run(str(tmp_path / "run"), scenario, timeout=90.0)
    code, out = validate(capsys, summary["logs"])
    assert code == 0, out
    for name, (paths, bad, line, _) in _module("mutate").write_all(str(tmp_path / "run"), str(tmp_path / "m")).items():
        code, out = validate(capsys, paths)
        assert code == 1 and f"REJECTED at {bad}:{line}:" in out, (name, out)
