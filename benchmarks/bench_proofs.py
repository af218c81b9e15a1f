"""Time the quorum prover on the classic obligations; prints a table.

    /work/venv/bin/python benchmarks/bench_proofs.py
"""

from __future__ import annotations

import time

from checker.proofs import (
    AllOf,
    Available,
    Concrete,
    Explicit,
    Intersect,
    OneSide,
    Range,
    Restrict,
    Threshold,
    Weighted,
    parse_cond,
    parse_expr,
    prove_all,
)
from checker.proofs.report import format_table


def th(text: str) -> Threshold:
    return Threshold(parse_cond(text))


MAJ = th("size > N / 2")
QUORUMS = {
    "Majority": MAJ,
    "Half": th("size >= N / 2"),
    "Phase1": th("size >= 3"), "Phase2": th("size >= 2"), "Small": th("size >= 2"),
    "Fast": th("size >= (3 * N + 3) / 4"),
    "Byz": th("size >= 2 * N / 3 + 1"),
    "Joint": AllOf((Restrict(MAJ, frozenset({0, 1, 2})), Restrict(MAJ, frozenset({2, 3, 4})))),
    "Weighted": Weighted((3, 1, 1, 1, 1), parse_cond("weight > total / 2")),
    "Weighted15": Weighted(tuple(range(1, 16)), parse_cond("weight > total / 2")),
    "Grid": Explicit(tuple(frozenset({r * 3 + i for i in range(3)} | {c + 3 * k for k in range(3)})
                           for r in range(3) for c in range(3)), 9),
    "Square": th("size * size > N * N / 4"),
}

OBLIGATIONS = [
    Intersect(("Majority", "Majority")),
    Intersect(("Half", "Half"), expect="refuted"),
    Intersect(("Phase1", "Phase2"), Concrete(4)),
    Intersect(("Small", "Phase2"), Concrete(4), expect="refuted"),
    Intersect(("Phase1", "Phase2"), expect="refuted"),
    Intersect(("Fast", "Fast", "Majority")),
    Intersect(("Fast", "Fast", "Majority"), Range(1, 9)),
    Intersect(("Byz", "Byz", "Byz")),
    Available("Majority", parse_expr("(N - 1) / 2")),
    Available("Majority", parse_expr("N / 2"), expect="refuted"),
    Available("Byz", parse_expr("(N - 1) / 3")),
    OneSide("Majority"),
    OneSide("Half", expect="refuted"),
    Intersect(("Joint", "Joint")),
    Available("Joint", parse_expr("1")),
    Intersect(("Weighted", "Weighted")),
    Intersect(("Weighted15", "Weighted15")),
    Available("Weighted15", parse_expr("3")),
    Intersect(("Grid", "Grid")),
    Available("Grid", parse_expr("2")),
    Intersect(("Majority", "Majority"), Range(1, 1000)),
    Intersect(("Majority", "Majority"), Concrete(201)),
    Available("Majority", parse_expr("(N - 1) / 2"), Concrete(101)),
    OneSide("Majority", Concrete(101)),
    Intersect(("Square", "Square"), Range(1, 30)),
    Intersect(("Square", "Square")),
]


def main() -> None:
    prove_all(OBLIGATIONS[:1], QUORUMS)  # warm z3 up: its first call pays set-up costs
    start = time.perf_counter()
    results = prove_all(OBLIGATIONS, QUORUMS)
    total = time.perf_counter() - start
    print(format_table(results))
    slowest = max(results, key=lambda r: r.seconds)
    print(f"{len(results)} obligations in {total:.2f} s; slowest {slowest.seconds * 1000:.1f} ms "
          f"({slowest.name})")


if __name__ == "__main__":
    main()
