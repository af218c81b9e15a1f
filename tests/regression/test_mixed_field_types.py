"""One step sends two messages of one kind whose field holds an int in
one and ``none`` in the other: describing the step sorted the sends with
Python's order, which has none between a str and an int, and the checker
ended in an internal error while writing the counterexample (found by the
long differential run, `--hypothesis-profile=long`)."""

from __future__ import annotations

from checker.compile import load_text
from checker.explore.search import explore

SPEC = """spec MixedFields
network unordered
message M(f)
role A[1] {
  var sent = false
  action Go when not sent { sent = true; send M(0) to self; send M(none) to self }
  on M(f) { }
}
invariant NotYet: not A[0].sent
"""


def test_the_counterexample_shows_both_sends():
    result = explore(load_text(SPEC, "mixed.dsl"))
    assert str(result.verdicts["NotYet"]) == "violated"
    (step,) = result.traces["NotYet"].steps[1:]
    assert sorted(m["text"] for m in step.sends) == ["M(f=0)", "M(f=none)"]
