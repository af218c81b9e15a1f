"""The loops the compiler plans (checker/compile/quantifiers.py, memoised
definitions in checker/compile/calls.py, guards placed in the loops of
action parameters and steps inlined in checker/compile/steps.py and
successors.py) give the answers of the literal reading: each spec runs through the compiled engine and the reference
interpreter, which evaluates quantifiers as written; and the plans are the
ones meant (read from the generated code)."""

from __future__ import annotations

import pytest

from checker import reference
from checker.compile import load_text
from checker.compile.module import ModuleCompiler
from checker.dsl.parser import parse
from checker.dsl.resolve import resolve
from checker.explore.search import explore
from checker.options import LoadOptions

HEAD = """spec Loops
network set
role R[3] {
  var x = 0
  var y = 0
  action Up when x < 2 { x = x + 1 }
  action Flip when y == 0 and x > 0 { y = 1 }
}
"""

CASES = {
    # two independent conjuncts: two loops
    "split": "invariant I: not exists a, b in R: a.x == 2 and b.y == 1 and a.y == 0",
    # a conjunct reading neither variable, first and last
    "closed": "invariant I: forall a, b in R: size(R) == 3 or a.x <= b.x or 1 / 0 == 0",
    # the node as a value and through its variables
    "value": "invariant I: forall a in R: a.x > 0 => exists b in R: b != a and b.x <= a.x",
    # a shadowing binder of the same name
    "shadow": "invariant I: forall a in R: a.x >= 0 and (exists a in R: a.y == 0 or a.x < 2)",
    # a definition reading the caller's name (definitions see the call's names)
    "dynamic": "def Big() = a.x == 2\ninvariant I: not exists a in R: Big() and a.y == 0",
    # an implication under forall, the premise reading only the outer variable
    "implies": "invariant I: forall a, b in R: a.y == 1 => b.x >= 0 and a.x > 0",
    # a definition called twice, memoised per state
    "memo": "def Ones() = {n for n in R if n.y == 1}\n"
            "invariant I: size(Ones()) <= 3 and forall a in R: a.y == 1 => a in Ones()",
    # the quorum test as a table lookup, and not when the body reads the quorum
    "quorum": "def Maj() = {q for q in subsets(R) if 2 * size(q) > 3}\n"
              "invariant I: not exists Q in Maj(): forall a in Q: a.y == 1 and a.x == 2",
    "quorum-reads-it": "def Maj() = {q for q in subsets(R) if 2 * size(q) > 3}\n"
                       "invariant I: not exists Q in Maj(): forall a in Q: a.x >= size(Q) - 1",
    # guard conjuncts tested in the loop of the last parameter they read
    "guard": "action Pick(i in 0..2, j in 0..2) when i > 0 and R[0].x == 2 and i + j == 3 and j > i - 2 {\n"
             "  R[1].y = i * 3 + j\n}",
}


@pytest.mark.parametrize("name", CASES)
def test_the_plan_gives_the_literal_answer(name, tmp_path):
    text = HEAD + CASES[name] + "\n"
    path = tmp_path / f"{name}.dsl"
    path.write_text(text)
    ref = reference.check_file(path)
    assert ref.error is None
    result = explore(load_text(text, str(path)))
    verdicts = {k: str(v) for k, v in result.verdicts.items()}
    assert (result.stats.distinct, verdicts) == (ref.distinct, ref.verdicts)


def test_an_evaluation_error_left_of_the_loop_is_still_raised():
    """1 / 0 is evaluated for the first pair in the literal reading: moving
    it in front of the loops keeps it an error (the domain has elements)."""
    text = HEAD + "invariant I: forall a, b in R: 1 / 0 == 0 or a.x <= b.x\n"
    assert reference.check_text(text).error is not None
    result = explore(load_text(text, "loops.dsl"))
    assert result.verdicts["evaluation error"] == "violated" and result.exit_code == 1
    assert result.error.startswith("loops.dsl:9:14: division by zero"), result.error
    assert "evaluation error" in result.traces  # the initial state, whose invariant failed


def _source(text: str) -> str:
    return ModuleCompiler(resolve(parse(text), LoadOptions())).generate().source


def test_independent_conjuncts_are_separate_loops_over_slots():
    src = _source(HEAD + "invariant I: not exists a, b in R: a.x == 2 and a.y == 0 and b.y == 1\n")
    inv = src[src.index("def inv_0"):src.index("def explain_0")]
    # one loop over the slots of x and y for a, one membership test for b: not 3 x 3 pairs
    assert inv.count(" for ") == 1 and "zip(s[0:3], s[3:6])" in inv and "(1 in s[3:6])" in inv and "ord(" not in inv


def test_a_membership_in_a_role_slot_range_is_one_test():
    src = _source(HEAD + "invariant I: not exists a in R: a.x == 2\n")
    inv = src[src.index("def inv_0"):src.index("def explain_0")]
    assert " for " not in inv and "in s[" in inv


def test_a_definition_called_twice_is_memoised():
    src = _source(HEAD + CASES["memo"] + "\n")
    assert "_C_Ones_v" in src


def test_the_quorum_test_is_a_lookup():
    src = _source(HEAD + CASES["quorum"] + "\n")
    inv = src[src.index("def inv_0"):src.index("def explain_0")]
    assert "frozenset(" in inv and "subsets" not in inv
    src = _source(HEAD + CASES["quorum-reads-it"] + "\n")
    assert "frozenset(" not in src[src.index("def inv_0"):src.index("def explain_0")]


def test_a_guard_conjunct_is_tested_in_its_parameters_loop():
    src = _source(HEAD + CASES["guard"] + "\n")
    body = src[src.index("def successors"):src.index("def initial")]
    body = body[body.index("me = None"):]  # the global action Pick
    outer, inner = body.index("for v_i_"), body.index("for v_j_")
    # R[0].x == 2 before the loops, i > 0 between them, i + j == 3 inside the inner one
    assert body.index("== 2)") < outer < body.index("> 0)") < inner < body.index("== 3")


def test_a_conjunct_after_one_that_may_fail_stays_inside():
    """For i = 0, j = 0 the literal reading divides by zero before it
    reads i > 5: testing i > 5 first would skip the error."""
    text = HEAD + "action Pick(i in 0..1, j in 0..1) when 10 / j > 0 and i > 5 { R[1].y = 1 }\n"
    assert reference.check_text(text).error is not None
    result = explore(load_text(text, "guard.dsl"))
    assert result.verdicts["evaluation error"] == "violated"
    assert result.error.startswith("guard.dsl:9:"), result.error
    assert "division by zero" in result.error


def test_messages_to_anyone_and_to_one_node_reach_their_handlers(tmp_path):
    text = """spec Dispatch
network unordered
role A[2] {
  var got = 0
  on Ping() { got = got + 1 }
  on Hello() { got = got + 10 }
}
role B[1] {
  var sent = false
  action Go when not sent { sent = true; send Ping(); send Hello() to A[1] }
}
invariant I: A[0].got + A[1].got <= 11
"""
    path = tmp_path / "dispatch.dsl"
    path.write_text(text)
    ref = reference.check_file(path)
    result = explore(load_text(text, str(path)))
    assert (result.stats.distinct, {k: str(v) for k, v in result.verdicts.items()}) == (ref.distinct, ref.verdicts)
    assert ref.distinct > 4


SETS = """spec Sets
network unordered
var acc = {0}
var got = {}
var kinds = 0
role R[2] {
  var x = 0
  action Add(v in 1..2) when x < 2 { x = x + 1; acc = acc + {v}; send Note(v) to R[0] }
  action Drop(v in 0..2) when v in acc { acc = acc - {v}; got = got + {max({v, x}), min({v, 2})} }
  action Merge { acc = (acc + {1, 2}) - {2, 0} }
  on Note(v) { got = got + {v} - {}; kinds = size(set(network)) }
}
invariant Small: size(acc) + size(got) + kinds <= 5
"""


def test_set_operations_of_known_kinds_give_the_literal_answer(tmp_path):
    """a + {x}, a - {x}, set(bag), max/min of a literal: the inline forms
    agree with the reference interpreter (the invariant is violated, so a
    wrong set would change the counterexample or the counts)."""
    path = tmp_path / "sets.dsl"
    path.write_text(SETS)
    ref = reference.check_file(path)
    assert ref.error is None and any(str(v) != "holds" for v in ref.verdicts.values())
    result = explore(load_text(SETS, str(path)))
    assert (result.stats.distinct, {k: str(v) for k, v in result.verdicts.items()}) == (ref.distinct, ref.verdicts)
    src = _source(SETS)
    assert "_rt_set_union" in src and "_rt_set_minus" in src and "_rt_bag_set" in src and "max(" in src


def test_a_reply_to_a_global_actions_message_goes_to_anyone(tmp_path):
    """A global action's message has no sender: a reply to it is a message
    to anyone, which every node that handles it may receive (the long
    differential run found steps lost when replies were taken for
    messages to one node)."""
    text = """spec ReplyToNone
network unordered
message Ping()
message Pong()
var sent = 0
var got = 0
role A[1] {
  on Ping() { reply Pong() }
}
role B[2] {
  on Pong() { got = got + 1 }
}
action Go when sent == 0 { sent = 1; send Ping() to A[0] }
invariant NoPong: got == 0
"""
    path = tmp_path / "reply.dsl"
    path.write_text(text)
    ref = reference.check_file(path)
    result = explore(load_text(text, str(path)))
    assert str(result.verdicts["NoPong"]) == "violated"
    assert (result.stats.distinct, {k: str(v) for k, v in result.verdicts.items()}) == (ref.distinct, ref.verdicts)
