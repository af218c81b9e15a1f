"""The loops the compiler plans (checker/compile/quantifiers.py, memoised
definitions in checker/compile/calls.py) give the answers of the literal
reading: each spec runs through the compiled engine and the reference
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
