"""Step assertions: two engine bugs the differential test found (not part
of issue 11; reported, not fixed here). Each spec's right answer is pinned
on the reference interpreter; the engine's test is a strict xfail, so it
fails loudly once the bug is fixed and the marker must go.

- A failed assertion in one binding of an action's parameters (or one
  branch of a choose) drops every other binding's and branch's next
  states: the generated step function raises out of its loops.
- When several assertions fail in one state, only the first is reported;
  the others are said to hold.
"""

from __future__ import annotations

import pytest

from checker import reference
from checker.compile import load_text
from checker.explore.search import explore

CUT = """
spec Cut
network unordered
var x = 0
action A(j in {0, 1}) {
  if j == 1 { assert Never: false }
  x = 1
}
invariant Zero: x == 0
terminal true
"""
CUT_ANSWER = (2, {"Zero": "violated", "Never": "violated"})

TWO = """
spec TwoAsserts
network unordered
var x = 0
action A { assert One: x == 1 }
action B { assert Two: x == 2 }
terminal true
"""
TWO_ANSWER = (1, {"One": "violated", "Two": "violated"})

CASES = [(CUT, CUT_ANSWER), (TWO, TWO_ANSWER)]


@pytest.mark.parametrize("text,answer", CASES, ids=["cut", "two"])
def test_the_reference_answer(text, answer):
    r = reference.check_text(text)
    assert (r.distinct, r.verdicts) == answer


@pytest.mark.xfail(strict=True, reason="the engine drops A(j=0)'s next state when A(j=1) fails an assertion")
def test_a_failed_assertion_cuts_only_its_own_branch():
    r = explore(load_text(CUT))
    assert (r.stats.distinct, r.verdicts) == CUT_ANSWER


@pytest.mark.xfail(strict=True, reason="the engine reports one failed assertion per state")
def test_every_assertion_that_fails_in_a_state_is_reported():
    r = explore(load_text(TWO))
    assert (r.stats.distinct, r.verdicts) == TWO_ANSWER
