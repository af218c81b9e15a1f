"""Issue 14, what a new user tripped on: syntax errors that say what to
write instead, names that start with a keyword, the values a failing
invariant read, an assertion named once."""

from __future__ import annotations

import pytest

from tests.conftest import src
from tests.robustness.tools import cli, write


@pytest.mark.parametrize("lines, message", [
    (("var x = 0", "def Leaders = x + 1"),
     "3:13: error: unexpected '='; a definition without parameters still has parentheses: 'def Leaders() = ...'"),
    (("var x = 0", "property P: always x == 0"),
     "3:20: error: unexpected 'x'; 'always P' is an invariant: write 'invariant P: ...'"),
    (("role S[2] {", "  var x = 0", "  action a { self.x = 1 }", "}"),
     "4:14: error: a node assigns its own variable by its name: write 'x = ...', not 'self.x = ...'"),
])
def test_a_common_mistake_is_told_what_to_write(capsys, tmp_path, lines, message):
    path = write(tmp_path, "s.dsl", src("spec S", *lines))
    code, _, err = cli(capsys, "run", path, "--no-progress")
    assert code == 2 and err.startswith(f"{path}:{message}"), err


def test_forall_and_exists_are_no_prefix_of_a_name(capsys, tmp_path):
    spec = src("spec S", "var forallx = 1", "var existsy = 2",
               "invariant I: forallx + existsy == 3 and forall i in {1}: exists j in {1}: i == j", "terminal true")
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 0 and "every property holds" in out, out


def test_the_values_that_broke_an_invariant_are_those_it_read(capsys, tmp_path):
    spec = src("spec L", "const Ids = [4, 4, 1, 3]", "var leader = [0, 0, 0, 0]",
               "action elect(i in 0..3) when leader[i] == 0 { leader[i] = Ids[i] }",
               "invariant Unique: forall i in 0..3: forall j in 0..3: i != j and leader[i] != 0 => "
               "leader[i] != leader[j]", "terminal true")
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 1
    assert "Violated: invariant Unique\n     i = 0\n     j = 1\n     leader[i] = 4\n" in out, out
    assert "     leader[j] = 4\n" in out
    # a --const list overrides the constant (and the verdict follows it)
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress", "--const", "Ids=[1, 2, 3, 4]")
    assert code == 0, out


def test_an_assertion_is_named_once(capsys, tmp_path):
    spec = src("spec A", "role N[2] {", "  var x = 0",
               "  action inc when x < 2 { x = x + 1; assert ValidLock: x < 2 }", "}")
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 1 and "Violated: assertion ValidLock\n" in out and "ValidLock failed" not in out, out
