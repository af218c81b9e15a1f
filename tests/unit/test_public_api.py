"""The public API (`checker.__all__`): every name resolves, and a program
can load, explore and replay with it alone."""

from __future__ import annotations

import subprocess
import sys

import checker
from tests.conftest import SPECS


def test_every_public_name_resolves():
    assert set(checker.__all__) == set(checker._EXPORTS) | {"explore"}
    for name in checker.__all__:
        assert getattr(checker, name) is not None, name


def test_load_explore_and_replay_through_the_facade():
    model = checker.load_model(str(SPECS / "ticket.dsl"), checker.LoadOptions(consts={"Servers": "2"}))
    result = checker.explore.explore(model, checker.SearchOptions(strategy=checker.Strategy.BFS))
    assert result.verdicts["Consistency"] is checker.Verdict.VIOLATED
    assert result.exit_code is checker.ExitCode.FAILED
    trace = result.traces["Consistency"]
    assert isinstance(trace, checker.Trace)
    checker.replay_trace(model, trace)


def test_importing_a_renderer_does_not_load_the_compiler():
    code = "import sys, checker.render.text; print('checker.compile' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
