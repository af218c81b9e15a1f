"""`sent` read only as a comprehension's source, over a network that
consumes messages: the AST walk skipped a comprehension's ``source`` (the
name of a field of the spec's own record too), so no history of sent
messages was kept and the compiled engine failed with an internal error.

Counted by hand: A sends Ping(1), Ping(2) to B (k = 0, 1, 2), B receives
them in any order; with the history of sends the states are (k, got, in
flight) = (0,0,{}), (1,0,{P1}), (1,1,{}), (2,0,{P1,P2}), (2,1,{P2}),
(2,1,{P1}), (2,2,{}): 7, the last 4 steps from the first, and a deadlock.
"""

from __future__ import annotations

from checker import reference
from checker.compile import load_text
from checker.explore.search import explore

SPEC = """spec SentInComprehension
network unordered
message Ping(n)
role A[1] {
  var k = 0
  action Go when k < 2 { k = k + 1; send Ping(k) to B }
}
role B[1] {
  var got = 0
  on Ping(n) { got = got + 1 }
}
invariant Bounded: size({m for m in sent if m is Ping}) <= 2
"""
VERDICTS = {"Bounded": "holds", "deadlock": "violated"}


def test_the_engine_keeps_the_history_a_comprehension_reads(tmp_path):
    result = explore(load_text(SPEC, "sent_comp.dsl"))
    assert (result.stats.distinct, result.stats.max_depth, result.verdicts) == (7, 4, VERDICTS)


def test_the_reference_keeps_the_history_a_comprehension_reads(tmp_path):
    path = tmp_path / "sent_comp.dsl"
    path.write_text(SPEC)
    result = reference.check_file(path)
    assert result.error is None
    assert (result.distinct, result.depth, result.verdicts) == (7, 4, VERDICTS)
