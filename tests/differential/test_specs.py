"""The reference interpreter on the project's own specs: every spec whose
golden figures are small enough to interpret (distinct states, verdicts and
counterexample lengths pinned in tests/golden, TLC's where TLC checked the
same model) under the constants and fault bounds the golden tests use."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import reference
from checker.options import LoadOptions
from tests.golden import test_faults, test_raft, test_specs

SPECS = Path(__file__).resolve().parents[2] / "specs"
#: past this many states the interpreter takes too long for the default run
SMALL = 10_000

RAFT_HOLDS = {"OneLeaderPerTerm": "holds", "OneLeaderPerTermEver": "holds", "deadlock": "holds"}
# spec, consts, faults, verdicts, distinct states, {violated property: trace length}
CASES = [(spec, consts, None, verdicts, distinct, lengths)
         for spec, consts, verdicts, distinct, lengths in test_specs.GOLDEN] + list(test_faults.GOLDEN) + \
    [("tla/raft.dsl", consts, None, RAFT_HOLDS, distinct, {}) for consts, distinct, _, _ in test_raft.TLA_RAFT]
SMALL_CASES = [c for c in CASES if c[4] <= SMALL]
#: past this many states a case takes the interpreter more than a few seconds
QUICK = 1_000


@pytest.mark.parametrize("spec,consts,faults,verdicts,distinct,lengths",
                         [pytest.param(*c, marks=[pytest.mark.slow] if c[4] > QUICK else []) for c in SMALL_CASES],
                         ids=[f"{c[0]}{c[1] or ''}{c[2] or ''}" for c in SMALL_CASES])
def test_reference_reproduces_the_golden_figures(spec, consts, faults, verdicts, distinct, lengths):
    r = reference.check_file(SPECS / spec, LoadOptions(consts=consts, faults=faults or {}))
    assert r.error is None and r.complete
    assert r.verdicts == verdicts
    assert r.distinct == distinct
    assert r.lengths == {p: n for p, n in lengths.items() if p in r.lengths}
    for prop, lasso in r.lassos.items():
        # the prefix is a shortest one; the engine's loop may be longer than the shortest
        assert lasso.prefix + lasso.loop <= lengths[prop]
    assert set(r.lengths) | set(r.lassos) == set(lengths)


def test_the_small_cases_cover_every_kind_of_spec():
    assert {c[0] for c in SMALL_CASES} >= {"tla/twophase.dsl", "tla/paxos.dsl", "tla/raft.dsl", "cap.dsl",
                                           "channel/sequence_numbers.dsl", "locks/two_phase_lock.dsl"}
