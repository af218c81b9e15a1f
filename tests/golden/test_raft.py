"""Golden tests of the Raft specs: the raft.tla translation reproduces
TLC's counts, symmetry reduces them with the same verdicts."""

from __future__ import annotations

import pytest

from checker.compile import load_spec
from checker.explore.search import explore
from checker.options import LoadOptions
from checker.trace import replay_trace
from tests.conftest import SPECS

HOLD = {"OneLeaderPerTerm": "holds", "OneLeaderPerTermEver": "holds", "deadlock": "holds"}


# consts, TLC's distinct states, TLC's depth (it counts states: ours + 1),
# distinct states with --symmetric Server
TLA_RAFT = [
    ({}, 1340, 20, 679),
    ({"MaxLogLen": "1"}, 2180, 28, 1099),
]


@pytest.mark.parametrize("consts,distinct,tlc_depth,orbits", TLA_RAFT, ids=["MaxLogLen=0", "MaxLogLen=1"])
def test_raft_tla_matches_tlc(consts, distinct, tlc_depth, orbits):
    model = load_spec(str(SPECS / "tla/raft.dsl"), LoadOptions(consts=consts))
    result = explore(model)
    assert result.complete
    assert result.verdicts == HOLD
    assert result.stats.distinct == distinct
    assert result.stats.max_depth + 1 == tlc_depth
    for outcome in result.compare_expectations(model.expectations):
        assert outcome.met, outcome
    assert all(n > 0 for name, n in result.coverage.items() if name != "Server.ClientRequest" or consts)

    sym = explore(load_spec(str(SPECS / "tla/raft.dsl"), LoadOptions(consts=consts, symmetric=("Server",))))
    assert sym.verdicts == HOLD
    assert sym.stats.distinct == orbits
    assert sym.stats.max_depth == result.stats.max_depth


# ---- specs/raft.dsl: actor style, every property must hold ------------------

RAFT_PROPS = ["ElectionSafety", "LogMatching", "LeaderCompleteness", "CommittedStays", "StateMachineSafety",
              "LeaderAppendOnly"]
NO_FAULTS = {"loss": 0, "duplicate": 0, "crash Server": 0, "restart Server": 0}

# The defaults (every fault, MaxTerm = 2) give 282,494 states in ~40 s: see
# benchmarks/run.py. Here: 3 servers, MaxLogLen 1 unless said, Values 1,
# MaxInFlight 2, symmetry on.
# consts, fault overrides, distinct states, depth
ACTOR_RAFT = [
    ({"MaxTerm": "1"}, None, 25138, 29),                       # loss, duplicate, crash, restart <= 1
    ({"MaxLogLen": "2"}, NO_FAULTS, 28661, 43),                # Batch = 1
    ({"MaxLogLen": "2", "Batch": "2"}, NO_FAULTS, 32426, 40),  # Batch = 2: shallower
]


@pytest.mark.slow
@pytest.mark.parametrize("consts,faults,distinct,depth", ACTOR_RAFT,
                         ids=["faults-MaxTerm=1", "MaxLogLen=2-Batch=1", "MaxLogLen=2-Batch=2"])
def test_raft_properties_hold(consts, faults, distinct, depth):
    model = load_spec(str(SPECS / "raft.dsl"), LoadOptions(consts=consts, faults=faults))
    result = explore(model)
    assert result.complete
    assert result.verdicts == {p: "holds" for p in RAFT_PROPS}
    assert (result.stats.distinct, result.stats.max_depth) == (distinct, depth)
    for outcome in result.compare_expectations(model.expectations):
        assert outcome.met, outcome
    fired = {name for name, n in result.coverage.items() if n}
    assert {"Server.election", "Server.propose", "Server.replicate", "Server.apply",
            "Server.on AppendEntriesResponse"} <= fired
    if faults is None:
        assert {"loss", "duplicate", "crash Server", "restart Server"} <= fired


# ---- specs/raft_bugs/: each bug found, shortest counterexample pinned --------

# spec, {violated property: shortest trace}, distinct states (symmetry on)
RAFT_BUGS = [
    ("figure8.dsl", {"LeaderCompleteness": 26, "CommittedStays": 33}, 44232),
    ("vote_without_log_check.dsl", {"LeaderCompleteness": 17, "CommittedStays": 22}, 2292),
    ("volatile_votedfor.dsl", {"ElectionSafety": 9}, 12164),
]


@pytest.mark.slow
@pytest.mark.parametrize("spec,lengths,distinct", RAFT_BUGS, ids=[b[0] for b in RAFT_BUGS])
def test_raft_bug_is_found(spec, lengths, distinct):
    model = load_spec(str(SPECS / "raft_bugs" / spec))
    result = explore(model)
    assert result.complete
    assert {p: len(t) for p, t in result.traces.items()} == lengths
    assert result.verdicts == {p: "violated" if p in lengths else "holds" for p in RAFT_PROPS}
    assert result.stats.distinct == distinct
    for outcome in result.compare_expectations(model.expectations):
        assert outcome.met, outcome
    for trace in result.traces.values():
        replay_trace(model, trace)


@pytest.mark.slow
def test_figure8_overwrites_a_committed_entry():
    result = explore(load_spec(str(SPECS / "raft_bugs/figure8.dsl")))
    steps = [s.label for s in result.traces["CommittedStays"].steps]
    # the last step: the term-4 leader's entry replaces the committed one
    assert "AppendEntries(term=4" in steps[-1] and "entries=[(term: 2" in steps[-1]


@pytest.mark.slow
def test_volatile_votedfor_without_symmetry_gives_the_same_counterexample_length():
    result = explore(load_spec(str(SPECS / "raft_bugs/volatile_votedfor.dsl"), LoadOptions(symmetry=False)))
    assert {p: len(t) for p, t in result.traces.items()} == {"ElectionSafety": 9}
    assert result.stats.distinct > 12164


def _model_text(text: str) -> str:
    """A Raft spec from its first message declaration to its expect lines."""
    return text[text.index("message RequestVote"):text.index("expect ")]


@pytest.mark.parametrize("spec,old,new", [
    ("figure8.dsl", "\n                           and log[n - 1].term == currentTerm}", "}"),
    ("vote_without_log_check.dsl", "(votedFor == none or votedFor == c)\n       and UpToDate(lastLogTerm, lastLogIndex, log) {",
     "(votedFor == none or votedFor == c) {"),
    ("volatile_votedfor.dsl", "  persistent var votedFor = none", "  var votedFor = none"),
])
def test_bug_variants_are_raft_with_one_change(spec, old, new):
    """The variants are copies; they must not drift from specs/raft.dsl."""
    raft = _model_text((SPECS / "raft.dsl").read_text())
    assert raft.count(old) == 1
    variant = _model_text((SPECS / "raft_bugs" / spec).read_text())
    assert _without_comments(variant) == _without_comments(raft.replace(old, new))


def _without_comments(text: str) -> str:
    return "\n".join(line.split("#")[0].rstrip() for line in text.splitlines() if line.split("#")[0].strip())
