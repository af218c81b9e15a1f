"""The partitioned search on a Ray cluster gives the counts and traces of
one process. Needs a cluster: `.ci/run` starts a head and one worker node
on 127.0.0.1 and sets CHECKER_RAY_ADDRESS; without it the tests are
skipped locally and fail in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.explore.search import explore
from checker.loader import load_model
from checker.options import LoadOptions, SearchOptions
from tests.golden.test_scale_modes import outcome

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
ADDRESS = os.environ.get("CHECKER_RAY_ADDRESS")

if not ADDRESS:
    if os.environ.get("CI"):
        pytest.fail("CI must start a Ray cluster and set CHECKER_RAY_ADDRESS (see .ci/run)", pytrace=False)
    pytest.skip("no Ray cluster (set CHECKER_RAY_ADDRESS, see .ci/run)", allow_module_level=True)


@pytest.mark.parametrize("spec,consts", [("tla/twophase.dsl", {"RM": "5"}),
                                         ("raft_bugs/vote_without_log_check.dsl", {}),
                                         ("tla/raft.dsl", {"MaxLogLen": "1"})])
def test_ray_actors_give_the_result_of_one_process(spec, consts):
    model = load_model(str(SPECS / spec), LoadOptions(consts=consts))
    one = explore(model)
    ray = explore(model, SearchOptions(ray_address=ADDRESS, workers=0, parallel_threshold=0))
    assert outcome(ray) == outcome(one)
    assert ray.stats.workers == 2
    assert ray.notes == [f"Ray: 2 partitions on 2 node(s) of the cluster at {ADDRESS}"]


@pytest.mark.slow
def test_checker_run_with_ray_prints_the_one_process_report():
    def report(*extra: str) -> tuple[int, list[str]]:
        out = subprocess.run([sys.executable, "-m", "checker.cli", "run", str(SPECS / "ticket.dsl"), "--no-progress",
                              "--max-states", "100000", *extra], capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert out.returncode == 1, out.stderr  # the violation, then the state bound
        return out.returncode, [line for line in out.stdout.splitlines() if not line.startswith(("time:", "note: Ray"))]

    assert report("--ray", ADDRESS) == report("--workers", "1")


def test_a_wrong_address_is_a_usage_error():
    out = subprocess.run([sys.executable, "-m", "checker.cli", "run", str(SPECS / "ticket.dsl"), "--no-progress",
                          "--ray", "127.0.0.1:1"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 2 and "--ray 127.0.0.1:1: cannot join the Ray cluster" in out.stderr
