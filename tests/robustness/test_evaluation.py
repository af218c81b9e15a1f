"""Issue 14: an evaluation error inside the search is a verdict, "evaluation
error", with the place in the spec, the values as the spec writes them and
the shortest trace that reached the state (exit code 1, as TLC), in every
engine: BFS, DFS, the parallel search, simulation."""

from __future__ import annotations

import json

import pytest

from checker.compile import load_text
from checker.explore import explore
from checker.explore.simulate import simulate
from checker.loader import load_model
from checker.options import SearchOptions, Strategy
from tests.conftest import src
from tests.robustness.tools import cli, write

#: the lease-lock user's error: the key is a node, A[1], never its encoding
MAP_KEY = src(
    "spec Lease",
    "role A[2] {",
    "  var held = {:}",
    "  var x = 0",
    "  action go when x < 2 { x = x + 1 }",
    "  action look when x == 2 { x = held[self] }",
    "}",
    "invariant Small: forall a in A: a.x < 5",
)
WHERE = "lease.dsl:6:29: key A[0] is not in the map {}"


@pytest.mark.parametrize("options", [
    SearchOptions(),
    SearchOptions(strategy=Strategy.DFS),
    SearchOptions(workers=2, parallel_threshold=0),
], ids=["bfs", "dfs", "parallel"])
def test_an_evaluation_error_is_a_verdict_with_a_trace(options, tmp_path):
    path = write(tmp_path, "lease.dsl", MAP_KEY)
    result = explore(load_model(path), options)
    assert result.verdicts["evaluation error"] == "violated" and int(result.exit_code) == 1
    assert result.error.startswith(f"{tmp_path}/{WHERE}"), result.error
    trace = result.traces["evaluation error"]
    assert trace.violation.kind == "error" and trace.violation.message == result.error
    assert trace.steps[-1].shown["A[0].x"] == "2"
    if options.strategy is Strategy.BFS:
        assert len(trace) == 2  # the shortest


def test_the_parallel_search_gives_the_one_process_verdict_and_trace(tmp_path):
    path = write(tmp_path, "lease.dsl", MAP_KEY)
    one = explore(load_model(path))
    two = explore(load_model(path), SearchOptions(workers=2, parallel_threshold=0))
    assert two.traces["evaluation error"] == one.traces["evaluation error"]
    assert (two.stats.distinct, two.verdicts) == (one.stats.distinct, one.verdicts)


def test_simulation_ends_with_the_verdict_too():
    result = simulate(load_text(MAP_KEY, "lease.dsl"), runs=50, depth=10, seed=1)
    assert result.verdicts["evaluation error"] == "violated" and int(result.exit_code) == 1
    assert result.error.startswith("lease.dsl:6:29: key A[") and "evaluation error" in result.traces


def test_the_cli_prints_the_trace_and_writes_the_files(capsys, tmp_path):
    path = write(tmp_path, "lease.dsl", MAP_KEY)
    code, out, err = cli(capsys, "run", path, "--no-progress", "--out", str(tmp_path / "out"))
    assert code == 1 and err == ""
    assert out.startswith("Lease: evaluation error\n")
    assert f"Evaluation error: {path}:6:29: key A[0] is not in the map {{}}" in out
    assert "    action look when x == 2 { x = held[self] }" in out
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["evaluation_error.dot", "evaluation_error.html", "evaluation_error.itf.json",
                       "evaluation_error.mmd", "evaluation_error.trace.json"], written
    code, shown, _ = cli(capsys, "show", str(tmp_path / "out" / "evaluation_error.trace.json"))
    assert code == 0 and "Evaluation error:" in shown


def test_json_output_names_the_error(capsys, tmp_path):
    code, out, _ = cli(capsys, "run", write(tmp_path, "lease.dsl", MAP_KEY), "--no-progress", "--json")
    data = json.loads(out)
    assert code == 1 and data["exit_code"] == 1 and data["verdicts"]["evaluation error"] == "violated"
    assert "key A[0] is not in the map" in data["error"]


@pytest.mark.parametrize("spec, message", [
    # the initial states: no state to show, the place and the values
    (src("spec I", "var xs = [1, 2, 3, 4]", "var i = 0", "init { i = xs[4] }"),
     "s.dsl:4:8: while computing the initial states: index 4 is out of range for a sequence of length 4"),
    # a sequence index in a step: the value as the spec writes it
    (src("spec Q", "var q = [1]", "var n = 0", "action A when n < 3 { n = n + 1; q = q + [q[n]] }"),
     "s.dsl:4:34: index 1 is out of range for a sequence of length 1"),
    # the constraint
    (src("spec C", "var x = 0", "var m = {0: 0}", "action A when x < 3 { x = x + 1 }", "constraint m[x] == 0"),
     "s.dsl:5:12: key 1 is not in the map {0: 0}"),
])
def test_run_time_errors_name_the_expression_and_the_values(capsys, tmp_path, spec, message):
    code, out, err = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 1 and err == "" and message in out, out
