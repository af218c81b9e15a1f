"""Malformed quorum declarations and obligations: a SpecError naming the
problem at the right line:col, with the source line and a caret -- at
load time, or when the obligation is posed to the prover."""

from __future__ import annotations

import pytest

from checker.compile import load_text
from checker.errors import SpecError
from checker.gate import prove_resolved

FILE = "bad.dsl"
HEAD = ["spec X", "const Servers = 3", "role Server[Servers] { var x = 0 }",
        "role Client[2] { var acks = {} }", "quorum Majority of Server: size > N / 2"]


def src(*lines: str) -> str:
    """HEAD (lines 1-5), then ``lines`` from line 6 on."""
    return "\n".join(HEAD + list(lines)) + "\n"


def spec_error(text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        prove_resolved(load_text(text, FILE).resolved, timeout=5)
    return info.value


# (id, source, message substring, line, col)
CASES = [
    # ---- declarations ----------------------------------------------------
    ("unknown-role", src("quorum Q of Servers: size > N / 2"), "unknown role 'Servers' (roles: Server, Client)", 6, 13),
    ("unknown-variable", src("quorum Q of Server: size > M / 2"), "unknown name 'M' in a quorum rule", 6, 28),
    ("weight-unweighted", src("quorum Q of Server: weight > 1"), "'weight' is only defined in a weighted quorum", 6, 21),
    ("modulo", src("quorum Q of Server: size % 2 == 1"), "'%' is not supported in a quorum rule", 6, 21),
    ("size-call", src("quorum Q of Server: size(acks) > 1"), "write 'size' (of the candidate set) without arguments", 6, 21),
    ("not-a-condition", src("quorum Q of Server: size"), "a quorum rule is a condition such as size > N / 2", 6, 21),
    ("not-of-quorum", src("quorum Q of Server: not Majority"), "'not' applies to conditions", 6, 21),
    ("quorum-in-arith", src("quorum Q of Server: size > Majority"), "'Majority' is a quorum; compare sizes", 6, 28),
    ("other-role-quorum", src("quorum C of Client: size > 0", "quorum Q of Server: C and Majority"),
     "quorum C is a quorum of Client, not of Server", 7, 21),
    ("cycle", src("quorum A of Server: B", "quorum B of Server: A"), "in a cycle: A -> B -> A", 7, 21),
    ("weights-count", src("quorum W of Server weights [1, 2]: weight > total / 2"),
     "2 weight(s) for 3 node(s) of Server", 6, 28),
    ("weights-negative", src("quorum W of Server weights [1, -2, 1]: weight > 0"),
     "weights must be a sequence of non-negative integers", 6, 28),
    ("within-other-role", src("quorum Q of Server within {Server[0], Client[1]}: size > N / 2"),
     "'Client' is not role Server", 6, 39),
    ("within-out-of-range", src("quorum Q of Server within {Server[0], Server[3]}: size > N / 2"),
     "Server has 3 node(s); index 3 is out of range", 6, 46),
    ("count-in-within", src("quorum Q of Server within {Server[0], Server[1]}: size > Servers / 2"),
     "inside 'within', write N (the number of members), not Servers", 6, 58),
    ("explicit-empty-set", src("quorum Q of Server: any of {{Server[0]}, {}}"), "the empty set cannot be a quorum", 6, 42),
    ("explicit-not-sets", src("quorum Q of Server: any of {Server[0]}"), "expected a set of Server nodes", 6, 29),
    ("duplicate-name", src("quorum Servers of Server: size > 0"), "'Servers' is already declared", 6, 1),
    ("message-name", src("quorum Ping of Server: size > 0", "message Ping()"), "'Ping' is already declared", 7, 1),
    # ---- obligations ----------------------------------------------------
    ("unknown-quorum", src("prove intersect(Majority, Minority) for all N"),
     "unknown quorum 'Minority' (quorums: Majority)", 6, 27),
    ("role-not-quorum", src("prove one_side(Server) for all N"), "unknown quorum 'Server'", 6, 16),
    ("mixed-roles", src("quorum C of Client: size > 0", "prove intersect(Majority, C) for all N"),
     "quorum C is of role Client, but Majority is of Server", 7, 27),
    ("unknown-obligation", src("prove overlap(Majority, Majority) for all N"), "unknown obligation 'overlap'", 6, 1),
    ("intersect-one", src("prove intersect(Majority) for all N"), "intersect(...) takes at least two quorums, got 1", 6, 1),
    ("available-no-crashes", src("prove available(Majority) for all N"), "needs the number of crashes", 6, 1),
    ("crashes-not-allowed", src("prove intersect(Majority, Majority, crashes = 1) for all N"),
     "intersect(...) takes no crashes", 6, 37),
    ("crashes-size", src("prove available(Majority, crashes = size - 1) for all N"),
     "'size' is not defined here (only N is)", 6, 37),
    ("bad-argument", src("prove available(Majority, failures = 1) for all N"), "'failures' is not an argument", 6, 27),
    ("expect-holds", src("expect holds intersect(Majority, Majority) for all N"),
     "'holds' is not a proof verdict; write 'prove intersect(...)' or 'expect refuted intersect(...)'", 6, 1),
    ("n-zero", src("prove intersect(Majority, Majority) for N = 0"), "N = 0: a quorum system needs at least one node", 6, 45),
    ("n-not-int", src('prove intersect(Majority, Majority) for N = "x"'), "N must be an integer", 6, 45),
    ("empty-range", src("prove intersect(Majority, Majority) for N in 5..2"), "the range 5..2 is empty", 6, 46),
    ("not-a-range", src("prove intersect(Majority, Majority) for N in {1, 2}"), "expected a range of node counts", 6, 46),
    ("scope-variable", src("prove intersect(Majority, Majority) for all M"), "ranges over N, the number of nodes, not 'M'", 6, 37),
    ("syntax", src("prove intersect(Majority, Majority) for N"), "unexpected end of file", 6, 42),
    # ---- posed to the prover -----------------------------------------------
    ("fixed-n-outside-scope", src("quorum W of Server weights [1, 1, 1]: weight > total / 2",
                                  "prove intersect(W, W) for N = 4"),
     "W fixes N = 3, outside the scope N = 4", 7, 1),
    ("below-domain", src("quorum G of Server within {Server[0], Server[2]}: size > N / 2",
                         "prove intersect(G, G) for N = 2"),
     "N = 2 is below the domain of the quorums, N >= 3", 7, 1),
    # ---- used in the model --------------------------------------------------
    ("is-on-an-int", src("invariant I: 3 is Majority"), "'is Majority' needs a set of Server nodes, but this is an int", 6, 14),
    ("is-on-a-map", src("invariant I: {Server[0]: 1} is Majority"), "this is a map (write keys(...) for its keys)", 6, 14),
    ("symmetric-weighted", src("symmetric Server", "quorum W of Server weights [2, 1, 1]: weight > total / 2",
                               "invariant I: Client[0].acks is W"),
     "quorum W tells Server nodes apart (weights, within or any of), so role Server cannot be symmetric", 8, 32),
    ("is-unknown", src("invariant I: Client[0].acks is Minority"), "'Minority' is not a message type or a quorum", 6, 32),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_quorum_spec(case):
    _, text, message, line, col = case
    err = spec_error(text)
    assert message in err.message, err.format()
    assert err.span is not None and (err.span.file, err.span.line, err.span.col) == (FILE, line, col), err.format()
    shown = err.format().splitlines()
    assert shown[0] == f"{FILE}:{line}:{col}: error: {err.message}"
    assert shown[1] == "    " + text.splitlines()[line - 1]
    assert shown[2].startswith("    " + " " * (col - 1) + "^")


def test_nonlinear_rules_parse_and_prove_unknown_for_all_n():
    r = load_text(src("quorum Sq of Server: size * size > N", "prove intersect(Sq, Sq) for all N",
                      "prove intersect(Sq, Sq) for N in 1..6"), FILE).resolved
    every, some = prove_resolved(r, timeout=5)
    assert every.status == "unknown" and "nonlinear" in every.reason
    assert some.status == "refuted"  # exact per-N proofs handle any rule
