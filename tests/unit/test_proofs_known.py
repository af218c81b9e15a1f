"""Known facts about quorum systems, proved and refuted with z3."""

import pytest

from checker.proofs import (
    AllN,
    AllOf,
    Available,
    Concrete,
    Explicit,
    Intersect,
    OneSide,
    ProofInputError,
    Quorum,
    Range,
    Restrict,
    Threshold,
    Weighted,
    WitnessError,
    parse_cond,
    parse_expr,
    prove,
)
from checker.proofs.encode import Counter
from checker.proofs.rules import is_quorum


def th(text: str) -> Threshold:
    return Threshold(parse_cond(text))


MAJ = th("size > N / 2")
OLD, NEW = frozenset({0, 1, 2}), frozenset({2, 3, 4})
QUORUMS = {
    "Majority": MAJ,
    "Half": th("size >= N / 2"),
    "Phase1": th("size >= 3"), "Phase2": th("size >= 2"), "Small1": th("size >= 2"),
    "Fast": th("size >= (3 * N + 3) / 4"),
    "FastFloor": th("size >= 3 * N / 4"),
    "Byz": th("size >= 2 * N / 3 + 1"),
    "Joint": AllOf((Restrict(MAJ, OLD), Restrict(MAJ, NEW))),
    "OldOnly": Restrict(MAJ, OLD),
    "NewOnly": Restrict(MAJ, NEW),
    "Weighted": Weighted((3, 1, 1, 1, 1), parse_cond("weight > total / 2")),
    "Grid": Explicit((frozenset({0, 1, 2, 3}), frozenset({0, 4, 5, 6}), frozenset({1, 4, 7, 8}),
                      frozenset({2, 5, 7, 9})), 10),
    "Square": th("size * size > N * N / 4"),
    "Big": Quorum(th("size >= N - 1"), min_n=3),
}


def run(ob):
    return prove(ob, QUORUMS)


def test_majority_intersects_for_all_n():
    r = run(Intersect(("Majority", "Majority")))
    assert r.status == "proved" and r.domain == "N >= 1" and r.ok


def test_half_refuted_at_smallest_n_2():
    r = run(Intersect(("Half", "Half")))
    assert r.status == "refuted"
    assert r.witness.format() == "N = 2, Half#1 = {s0}, Half#2 = {s1}"


def test_flexible_paxos():
    assert run(Intersect(("Phase1", "Phase2"), Concrete(4))).status == "proved"
    r = run(Intersect(("Small1", "Phase2"), Concrete(4)))
    assert r.status == "refuted" and r.witness.n == 4
    q1, q2 = r.witness.get("Small1"), r.witness.get("Phase2")
    assert len(q1) >= 2 and len(q2) >= 2 and not q1 & q2
    # Phase1 size >= 3 and Phase2 size >= 2 intersect only while N <= 4.
    r = run(Intersect(("Phase1", "Phase2")))
    assert r.status == "refuted" and r.witness.n == 5


def test_fast_paxos_three_way():
    assert run(Intersect(("Fast", "Fast", "Majority"))).status == "proved"
    assert run(Intersect(("Fast", "Fast", "Majority"), Range(1, 9))).domain == "1 <= N <= 9"
    r = run(Intersect(("FastFloor", "FastFloor", "Majority")))
    assert r.status == "refuted" and r.witness.n == 2


def test_byzantine_three_way():
    # Complements of 2N/3 + 1 quorums have < N/3 nodes: three cannot cover N.
    assert run(Intersect(("Byz", "Byz", "Byz"))).status == "proved"
    r = run(Intersect(("Byz", "Byz", "Byz", "Byz")))
    assert r.status == "refuted" and r.witness.n == 4


def test_availability():
    assert run(Available("Majority", parse_expr("(N - 1) / 2"))).status == "proved"
    r = run(Available("Majority", parse_expr("N / 2")))
    assert r.status == "refuted" and r.witness.n == 2
    assert r.witness.format().startswith("N = 2, crashed = {s0}, live = {s1}")
    assert run(Available("Majority", parse_expr("N / 2"), Range(3, 3))).status == "proved"
    r = run(Available("Majority", parse_expr("N / 2"), Range(3, 9)))
    assert r.witness.n == 4  # smallest N of the range


def test_one_side():
    assert run(OneSide("Majority")).status == "proved"
    r = run(OneSide("Half"))
    assert r.status == "refuted" and r.witness.n == 2
    assert r.witness.get("side A") | r.witness.get("side B") == {0, 1}


def test_joint_consensus():
    r = run(Intersect(("Joint", "Joint")))
    assert r.status == "proved" and r.domain == "N >= 5"
    assert run(Intersect(("Joint", "Joint"), Concrete(7))).status == "proved"
    r = run(Intersect(("OldOnly", "NewOnly")))  # the reason joint consensus exists
    assert r.status == "refuted"
    assert r.witness.n == 5 and not r.witness.get("OldOnly") & r.witness.get("NewOnly")
    assert run(Available("Joint", parse_expr("1"))).status == "proved"
    assert run(Available("Joint", parse_expr("2"))).status == "refuted"


def test_weighted_and_explicit_fix_n():
    r = run(Intersect(("Weighted", "Weighted")))
    assert r.status == "proved" and r.domain.startswith("N = 5")
    r = run(Available("Weighted", parse_expr("2")))
    assert r.status == "refuted" and 0 in r.witness.get("crashed")
    assert run(Intersect(("Grid", "Grid"))).status == "proved"
    assert run(Available("Grid", parse_expr("1"))).status == "proved"
    assert run(Available("Grid", parse_expr("2"))).status == "refuted"
    with pytest.raises(ProofInputError):
        run(Intersect(("Weighted", "Weighted"), Concrete(4)))
    with pytest.raises(ProofInputError):
        run(Intersect(("Weighted", "Grid")))


def test_nonlinear_rule():
    r = run(Intersect(("Square", "Square")))
    assert r.status == "unknown" and "nonlinear" in r.reason and not r.ok
    r = run(Intersect(("Square", "Square"), Range(1, 10)))
    assert r.status == "proved" and r.method.startswith("exact")
    r = run(Intersect(("Square", "Square", "Square"), Range(1, 10)))
    assert r.status == "refuted" and r.witness.n == 3


def test_declared_minimum_and_domain_errors():
    r = run(Intersect(("Big", "Big")))
    assert r.status == "proved" and r.domain == "N >= 3"
    with pytest.raises(ProofInputError):
        run(Intersect(("Big", "Big"), Concrete(2)))
    with pytest.raises(ProofInputError, match="unknown quorum `Nope`"):
        run(Intersect(("Nope", "Majority")))
    with pytest.raises(ProofInputError):
        run(Available("Majority", parse_expr("size")))
    with pytest.raises(ProofInputError):
        run(Intersect(("Majority", "Majority"), expect="maybe"))


def test_expected_refutation_is_ok():
    r = run(Intersect(("Half", "Half"), expect="refuted"))
    assert r.status == "refuted" and r.ok


def test_node_names_and_timeout():
    r = prove(Intersect(("Half", "Half")), QUORUMS, node_names=["a", "b"])
    assert r.witness.format() == "N = 2, Half#1 = {a}, Half#2 = {b}"
    r = prove(Intersect(("Half", "Half")), QUORUMS, node_names=lambda i: f"node{i + 1}")
    assert "node1" in r.witness.format()
    r = prove(Intersect(("Majority", "Majority")), QUORUMS, timeout=0)
    assert r.status == "unknown" and "timeout" in r.reason


def test_large_concrete_n_is_proved_within_the_solver_budget():
    # Symmetry breaking keeps the pigeonhole-like exact encoding fast: the
    # solver decides it well inside a budget it would otherwise run out of
    # (then the result is unknown, not proved).
    r = prove(Intersect(("Majority", "Majority"), Concrete(101)), QUORUMS, timeout=5)
    assert r.status == "proved"
    r = prove(Available("Majority", parse_expr("(N - 1) / 2"), Concrete(51)), QUORUMS, timeout=5)
    assert r.status == "proved"


def test_bad_witness_raises(monkeypatch):
    from checker.proofs import prover

    def bogus(*args, **kwargs):
        return Counter(3, (("Majority#1", frozenset({0, 1})), ("Majority#2", frozenset({1, 2}))))

    monkeypatch.setattr(prover, "prove_symbolic", bogus)
    with pytest.raises(WitnessError, match="does not re-check"):
        run(Intersect(("Majority", "Majority")))


def test_witnesses_are_quorums():
    r = run(Intersect(("Small1", "Phase2"), AllN()))
    for label, nodes in r.witness.sets:
        assert is_quorum(QUORUMS[label].rule if isinstance(QUORUMS[label], Quorum)
                         else QUORUMS[label], nodes, r.witness.n)
