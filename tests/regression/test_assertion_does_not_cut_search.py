"""A failed step assertion must not cut the state's other steps from the
search: the other properties' verdicts depend on exploring them."""

from checker.compile import load_text
from checker.explore.search import explore

SPEC = """
spec A
network unordered
role S[2] {
  var x = 0
  action inc when x < 3 { x = x + 1; assert Small: x < 3 }
  action other when x < 5 { x = x + 2 }
}
invariant Bound: forall n in S: n.x <= 6
terminal true
"""


def test_search_stays_complete_after_an_assertion_fails():
    result = explore(load_text(SPEC, "a.dsl"))
    assert result.verdicts == {"Bound": "holds", "Small": "violated"}
    assert result.complete and result.assertion_cuts == 0
    # Per node, x reaches {0,1,2,3,4,5,6} minus what only the failing step
    # (2 -> 3) would add: 3 is still reached by 1 + 2, so all 7 values per
    # node remain: 7 * 7 states, as without the assertion.
    no_assert = explore(load_text(SPEC.replace("assert Small: x < 3", "skip"), "b.dsl"))
    assert no_assert.stats.distinct == 49
    assert result.stats.distinct == 49
    trace = result.traces["Small"]
    assert len(trace) == 1 and trace.failing_step == "S[0] action inc()"


def test_trace_replays_through_states_where_an_assertion_fails():
    # The Bound violation's path passes states whose inc step fails Small.
    spec = SPEC.replace("n.x <= 6", "n.x <= 4")
    result = explore(load_text(spec, "c.dsl"))
    assert result.verdicts["Bound"] == "violated"
    assert len(result.traces["Bound"]) == 3  # e.g. x = 0 -> 2 -> 4 -> 6; x = 2 fails inc
