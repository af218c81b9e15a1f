"""Step assertions: two engine bugs the differential test found, fixed.
Each spec's right answer is pinned on the reference interpreter, and the
engine must give it:

- a failed assertion in one binding of an action's parameters (or one
  branch of a choose, or one node's ``on restart``) cuts that branch only:
  the step's other bindings and branches still lead somewhere;
- when several assertions fail in one state, each is reported.
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


def test_a_failed_assertion_cuts_only_its_own_branch():
    r = explore(load_text(CUT))
    assert (r.stats.distinct, r.verdicts) == CUT_ANSWER


def test_every_assertion_that_fails_in_a_state_is_reported():
    r = explore(load_text(TWO))
    assert (r.stats.distinct, r.verdicts) == TWO_ANSWER


CHOOSE = """
spec ChooseBranches
network unordered
var x = 0
action A when x == 0 {
  choose j in {0, 1, 2}
  assert Odd: j != 1
  x = j + 1
}
invariant Small: x <= 3
terminal true
"""
#: x = 0, then 1 (j = 0) and 3 (j = 2): the failing branch j = 1 cuts only itself
CHOOSE_ANSWER = (3, {"Small": "holds", "Odd": "violated"})

RESTART = """
spec RestartAsserts
network unordered
faults { crash S <= 2, restart S <= 2 }
role S[2] {
  persistent var x = 0
  on restart { assert Back: index(self) == 1 }
  action a when x == 0 { x = 1 }
}
invariant Small: forall n in S: n.x <= 1
terminal true
"""


@pytest.mark.parametrize("text", [CHOOSE, RESTART], ids=["choose", "restart"])
def test_the_engine_agrees_with_the_reference(text):
    r = reference.check_text(text)
    e = explore(load_text(text))
    assert (e.stats.distinct, e.verdicts) == (r.distinct, r.verdicts)
    assert e.verdicts != {} and "violated" in e.verdicts.values()


def test_a_failing_branch_of_a_choose_cuts_only_itself():
    r = explore(load_text(CHOOSE))
    assert (r.stats.distinct, r.verdicts) == CHOOSE_ANSWER
    assert len(r.traces["Odd"]) == 0 and r.traces["Odd"].failing_step == "A()"
