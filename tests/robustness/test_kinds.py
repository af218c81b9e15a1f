"""Issue 14: values of a kind the compiled code did not expect never reach
it. Each spec here crashed the checker with a Python error (found by the
fuzzer, `tests/fuzz`); now each gives a verdict, perhaps "evaluation error"
(exit 1)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import src
from tests.robustness.tools import cli, write


@pytest.mark.parametrize("spec, message", [
    # a variable that starts as an int, given a value of a set of mixed kinds
    (src("spec Mix", "var x = 0", "init { choose v in {0, false}; x = v }", "action A when x == 0 { x = 1 }",
         "property P: x == 0 leadsto x == 1"),
     "cannot assign false (a boolean) to 'x', which holds an int"),
    # a sequence variable given a message field the checker learns is an int
    (src("spec Field", "role S[1] {", "  var log = []", "  var t = 0",
         "  action go when t == 0 { t = 1; send M(1) to self }", "  on M(term) { log = term }",
         "  action len_ when len(log) > 0 { t = 2 }", "}"),
     "cannot assign 1 (an int) to 'log', which holds a sequence"),
    # `+` on a bag (the network, read by an initial value) and an int
    (src("spec Bag", "network fifo", "var d = network", "action A when true { d = d + 1 }"),
     "'+' needs two ints, two sets or two sequences"),
])
def test_a_value_of_an_unexpected_kind_is_an_evaluation_error(capsys, tmp_path, spec, message):
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 1 and "evaluation error" in out and message in out, out


def test_a_none_a_variable_was_given_is_allowed_where_it_is_read(capsys, tmp_path):
    spec = src("spec Nullable", "var x = 0", "var y = 0", "action A when x == 0 { x = none }",
               "action B when x == none and y == 0 { y = 1 }", "invariant Small: y < 2",
               "terminal y == 1")
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 0, out


def test_sent_and_network_read_by_an_initial_value(capsys, tmp_path):
    # `sent` read only inside a comprehension's source: the history is kept (it was not)
    spec = src("spec Sent", "network unordered", "role S[2] {", "  var m = {j: 0 for j in sent}",
               "  var n = size(network)", "  var k = 0",
               "  action a when m == {:} and k == 0 { k = 1; send X() to self }", "  on X() { m = {self: 1} }",
               "}", "terminal true", "invariant Seen: forall s in S: s.m != {:} => size(sent) >= 1")
    code, out, _ = cli(capsys, "run", write(tmp_path, "s.dsl", spec), "--no-progress")
    assert code == 0 and re.search(r"Seen +holds", out), out


def test_a_quorum_rule_that_divides_by_zero_is_a_static_error(capsys, tmp_path):
    spec = src("spec Q", "role A[3] { var x = 0 }", "quorum Majority of A: size > N / 0")
    path = write(tmp_path, "s.dsl", spec)
    code, _, err = cli(capsys, "run", path, "--no-progress")
    assert code == 2 and err.startswith(f"{path}:3:1: error: quorum Majority cannot be evaluated for the 3 node(s) "
                                        "of A: division by zero in N / 0"), err
