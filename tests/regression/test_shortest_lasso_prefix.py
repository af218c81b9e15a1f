"""A leadsto counterexample starts with a shortest prefix, also when the
state it stops in is first reached the long way (see the spec's header)."""

from __future__ import annotations

from pathlib import Path

from checker import reference
from checker.compile import load_spec
from checker.explore.search import explore

SPEC = Path(__file__).resolve().parent / "specs" / "leadsto_shortest_prefix.dsl"


def test_the_engine_finds_the_shortest_prefix():
    result = explore(load_spec(str(SPEC)))
    assert result.stats.distinct == 2 and result.verdicts == {"P": "violated"}
    trace = result.traces["P"]
    assert len(trace) == 0 and trace.loop_start is None
    assert trace.steps[0].shown["x"] == "1"


def test_the_reference_agrees():
    r = reference.check_file(SPEC)
    assert (r.distinct, r.verdicts) == (2, {"P": "violated"})
    assert (r.lassos["P"].prefix, r.lassos["P"].loop) == (0, 0)
