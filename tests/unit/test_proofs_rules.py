"""Rules, the condition parser and plain-Python evaluation (no z3)."""

import subprocess
import sys

import pytest

from checker.proofs import (
    AllOf,
    AnyOf,
    BinOp,
    Compare,
    Explicit,
    Num,
    Restrict,
    RuleSyntaxError,
    Threshold,
    Var,
    Weighted,
    is_quorum,
    parse_cond,
    parse_expr,
)
from checker.proofs.rules import (
    eval_expr,
    fixed_n,
    format_cond,
    format_expr,
    format_rule,
    min_n,
    node_signature,
    validate,
)


def fs(*xs: int) -> frozenset[int]:
    return frozenset(xs)


def test_parse_precedence_and_floor_division():
    e = parse_expr("2 * N / 3 + 1")
    assert e == BinOp("+", BinOp("/", BinOp("*", Num(2), Var("N")), Num(3)), Num(1))
    assert eval_expr(e, {"N": 7}) == 5
    assert eval_expr(parse_expr("(N - 1) / 2"), {"N": 4}) == 1
    assert eval_expr(parse_expr("-7 / 2"), {}) == -4  # floors, like Python
    assert eval_expr(parse_expr("N - 1 - 1"), {"N": 5}) == 3


def test_parse_conditions():
    c = parse_cond("size > N / 2 and not (size == 0) or N < 1")
    assert format_cond(c) == "(size > N / 2 and not (size == 0)) or N < 1"
    assert parse_cond("(size) >= (N)") == Compare(">=", Var("size"), Var("N"))
    assert parse_cond("size > Servers / 2", {"Servers": "N"}) == parse_cond("size > N / 2")


@pytest.mark.parametrize("text", ["size >", "size > N /", "size > foo", "size N", "size > 1)", "size $ 2"])
def test_parse_errors(text):
    with pytest.raises(RuleSyntaxError):
        parse_cond(text)


def test_format_round_trips():
    for text in ["size > N / 2", "size >= 2 * N / 3 + 1", "size * (N - size) > N - (2 - 1)"]:
        c = parse_cond(text)
        assert parse_cond(format_cond(c)) == c


def test_is_quorum_threshold_and_nonempty():
    maj = Threshold(parse_cond("size > N / 2"))
    assert is_quorum(maj, fs(0, 1), 3) and not is_quorum(maj, fs(0), 3)
    anything = Threshold(parse_cond("size >= 0"))
    assert not is_quorum(anything, fs(), 3)  # the empty set is never a quorum
    assert is_quorum(anything, fs(2), 3)


def test_is_quorum_weighted_explicit_joint():
    w = Weighted((3, 1, 1, 1, 1), parse_cond("weight > total / 2"))
    assert is_quorum(w, fs(0, 1), 5) and not is_quorum(w, fs(1, 2, 3), 5)
    e = Explicit((fs(0, 1), fs(1, 2)), 3)
    assert is_quorum(e, fs(0, 1), 3) and is_quorum(e, fs(0, 1, 2), 3)  # upward closed
    assert not is_quorum(e, fs(0, 2), 3)
    maj = Threshold(parse_cond("size > N / 2"))
    joint = AllOf((Restrict(maj, fs(0, 1, 2)), Restrict(maj, fs(2, 3, 4))))
    assert is_quorum(joint, fs(1, 2, 3), 5)
    assert not is_quorum(joint, fs(0, 1, 3), 5)  # majority of old only
    either = AnyOf((Restrict(maj, fs(0, 1, 2)), Restrict(maj, fs(2, 3, 4))))
    assert is_quorum(either, fs(0, 1), 5)


def test_domains_and_signatures():
    maj = Threshold(parse_cond("size > N / 2"))
    joint = AllOf((Restrict(maj, fs(0, 1, 2)), Restrict(maj, fs(2, 3, 4))))
    assert min_n(maj) == 1 and min_n(joint) == 5 and fixed_n(joint) is None
    assert fixed_n(Weighted((1, 2), parse_cond("weight > 1"))) == 2
    assert node_signature([joint], 0) == node_signature([joint], 1) != node_signature([joint], 2)
    assert "within {0, 1, 2}" in format_rule(joint)


def test_validate_reports_problems():
    assert validate(Threshold(parse_cond("size > N / 2"))) == []
    assert validate(Threshold(parse_cond("weight > 1")))
    assert validate(Weighted((1, -1), parse_cond("weight > 0")))
    assert validate(Explicit((fs(0, 3),), 3))
    assert validate(Explicit((fs(),), 3))
    assert validate(AllOf((Weighted((1, 1), parse_cond("weight > 0")), Explicit((fs(0),), 3))))


def test_import_does_not_load_z3():
    code = ("import sys, checker.proofs, checker.proofs.report, checker.junit; "
            "assert 'z3' not in sys.modules, 'z3 imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_format_expr_parentheses():
    assert format_expr(parse_expr("N - (1 - 2)")) == "N - (1 - 2)"
    assert format_expr(parse_expr("(N + 1) * 2")) == "(N + 1) * 2"
