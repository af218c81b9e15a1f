"""Symmetry reduction of compiled specs (checker.compile.symmetry).

The canonical form must be a true one: every permutation of a state maps
to the same representative, which is itself in the state's orbit. Checked
against an independent implementation of the permutation action (below),
on random reachable states of specs whose nodes sit in per-node slots,
sets, maps, records, messages and sequences.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest

from checker.cli import main
from checker.compile import load_spec, load_text
from checker.errors import SpecError
from checker.explore.search import explore
from checker.options import LoadOptions, OptionError
from checker.trace import replay_trace
from checker.values import BAG, MAP, NONE, SET, is_record, map_items, node
from tests.conftest import SPECS

TINY = """
spec Tiny
const N = 3
role P[N] {
  var x = 0
  action inc when x < 1 { x = x + 1 }
}
symmetric P
invariant NotAll: exists p in P: p.x == 0
terminal true
"""


# ---- an independent permutation action (the test oracle) -------------------

def rename(v, m):
    if type(v) is str:
        return m.get(v, v)
    if type(v) is not tuple or not v:
        return v
    if v[0] == SET:
        return (SET, *sorted({rename(x, m) for x in v[1:]}, key=repr))
    if v[0] == BAG:
        return (BAG, *sorted((rename(x, m) for x in v[1:]), key=repr))
    if v[0] == MAP:
        return (MAP, *[y for pair in sorted(((rename(k, m), rename(x, m)) for k, x in map_items(v)), key=repr)
                       for y in pair])
    if is_record(v):
        return (v[0], *(rename(x, m) for x in v[1:]))
    return tuple(rename(x, m) for x in v)


def permutations(model, role_name):
    """Every permutation of the role's nodes as a function on states."""
    r = model.resolved
    role = r.roles[role_name]
    slots = model.layout.per_node_bases(role)
    for perm in itertools.permutations(range(role.count)):
        m = {role.nodes[i]: role.nodes[perm[i]] for i in range(role.count)}

        def act(s, perm=perm, m=m):
            t = [rename(x, m) for x in s]
            for b in slots:
                for i in range(role.count):
                    t[b + perm[i]] = rename(s[b + i], m)
            return tuple(t)

        yield act


def random_states(model, n, seed=1, walk=40):
    """States met on random walks from the initial state (within the
    constraint)."""
    rnd = random.Random(seed)
    found = []
    while len(found) < n:
        s = model.initial_states()[0]
        for _ in range(walk):
            steps = [t for _, t in model.successors(s) if model.constraint is None or model.constraint(t)]
            if not steps:
                break
            s = rnd.choice(steps)
            found.append(s)
    return found[:n]


@pytest.mark.parametrize("spec,consts,role,symmetric", [
    ("tla/raft.dsl", {"Servers": "3", "MaxLogLen": "1", "MaxTerm": "3", "MaxMsgs": "3"}, "Server", ("Server",)),
    ("tla/twophase.dsl", {"RM": "4"}, "RMs", ("RMs",)),
])
def test_canonical_form_is_the_same_for_every_permutation(spec, consts, role, symmetric):
    model = load_spec(str(SPECS / spec), LoadOptions(consts=consts, symmetric=symmetric))
    canon = model.canonicalize
    perms = list(permutations(model, role))
    for s in random_states(model, 150):
        c = canon(s)
        orbit = {p(s) for p in perms}
        assert c in orbit
        assert canon(c) == c
        for p in perms:
            assert canon(p(s)) == c


def brute_force(model, role):
    """The least state of the orbit, over every permutation."""
    perms = list(permutations(model, role))
    return lambda s: min((p(s) for p in perms), key=repr)


@pytest.mark.parametrize("spec,consts,role", [
    ("tla/twophase.dsl", {}, "RMs"),
    ("tla/raft.dsl", {"MaxLogLen": "1"}, "Server"),
])
def test_counts_are_the_number_of_orbits(spec, consts, role):
    fast = explore(load_spec(str(SPECS / spec), LoadOptions(consts=consts, symmetric=(role,))))
    model = load_spec(str(SPECS / spec), LoadOptions(consts=consts))
    model.canonicalize = brute_force(model, role)
    slow = explore(model)
    assert fast.stats.distinct == slow.stats.distinct
    assert fast.verdicts == slow.verdicts


def test_tiny_spec_merges_permuted_states():
    sym = load_text(TINY, "tiny.dsl")
    plain = load_text(TINY, "tiny.dsl", LoadOptions(symmetry=False))
    a, b = explore(sym), explore(plain)
    assert (a.stats.distinct, b.stats.distinct) == (4, 8)
    assert a.verdicts == b.verdicts == {"NotAll": "violated"}
    assert len(a.traces["NotAll"]) == len(b.traces["NotAll"]) == 3
    replay_trace(sym, a.traces["NotAll"])


def test_symmetry_keeps_verdicts_and_shortest_traces():
    """A Raft bug (votes granted twice in a term) is found with and
    without symmetry, with counterexamples of the same length."""
    text = (SPECS / "tla/raft.dsl").read_text()
    bug = text.replace("(votedFor == none or votedFor == j)", "true")
    assert bug != text
    with_sym = load_text(bug, "raft_bug.dsl", LoadOptions(symmetric=("Server",)))
    without = load_text(bug, "raft_bug.dsl")
    a, b = explore(with_sym), explore(without)
    assert a.verdicts == b.verdicts
    assert a.verdicts["OneLeaderPerTerm"] == "violated"
    assert {p: len(t) for p, t in a.traces.items()} == {p: len(t) for p, t in b.traces.items()}
    assert a.stats.distinct < b.stats.distinct
    for _prop, trace in a.traces.items():
        replay_trace(with_sym, trace)


def test_twophase_reduction_figures():
    plain = explore(load_spec(str(SPECS / "tla/twophase.dsl"), LoadOptions(consts={"RM": "5"})))
    sym = explore(load_spec(str(SPECS / "tla/twophase.dsl"), LoadOptions(consts={"RM": "5"}, symmetric=("RMs",))))
    assert (plain.stats.distinct, sym.stats.distinct) == (8832, 314)
    assert plain.verdicts == sym.verdicts
    assert plain.stats.max_depth == sym.stats.max_depth == 16


def test_naming_a_single_node_of_a_symmetric_role_is_an_error():
    bad = TINY.replace("invariant NotAll: exists p in P: p.x == 0", "invariant NotAll: P[0].x == 0")
    with pytest.raises(SpecError, match=r"symmetric P: the spec names a single node P\[...\]"):
        load_text(bad, "bad.dsl")
    load_text(bad, "bad.dsl", LoadOptions(symmetry=False))  # fine without symmetry
    bad = TINY.replace("var x = 0", "var x = index(self) % 1")
    with pytest.raises(SpecError, match=r"index\(self\)"):
        load_text(bad, "bad.dsl")


def test_unknown_symmetric_role_is_an_option_error(capsys):
    with pytest.raises(OptionError, match="no role 'Nope'"):
        load_spec(str(SPECS / "tla/twophase.dsl"), LoadOptions(symmetric=("Nope",)))
    assert main(["run", str(SPECS / "tla/twophase.dsl"), "--symmetric", "Nope"]) == 2
    assert "--symmetric Nope: the spec has no role 'Nope'" in capsys.readouterr().err


def test_cli_switches(capsys, tmp_path):
    assert main(["run", str(SPECS / "tla/twophase.dsl"), "--const", "RM=5", "--symmetric", "RMs",
                 "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["distinct"] == 314
    assert main(["run", str(SPECS / "tla/twophase.dsl"), "--symmetric", "Nope", "--no-progress"]) == 2
    capsys.readouterr()
    tiny = tmp_path / "tiny.dsl"
    tiny.write_text(TINY)
    main(["run", str(tiny), "--json", "--no-progress"])
    assert json.loads(capsys.readouterr().out)["stats"]["distinct"] == 4
    main(["run", str(tiny), "--json", "--no-progress", "--no-symmetry"])
    assert json.loads(capsys.readouterr().out)["stats"]["distinct"] == 8


PARTITIONED = """
spec Part
const N = 3
network unordered
faults { partition <= 1, crash P <= 1 }
role P[N] {
  var got = {}
  var pinged = {}
  action ping(q in P) when q != self and q not in pinged { pinged = pinged + {q}; send Ping() to q }
  on Ping() from q { got = got + {q} }
}
symmetric P
terminal true
"""


def test_fault_state_is_renamed_too():
    """Crashed nodes are a set; a partition is stored as the side holding
    the first node, which a renaming may move to the other side."""
    sym = explore(load_text(PARTITIONED, "part.dsl"))
    model = load_text(PARTITIONED, "part.dsl", LoadOptions(symmetry=False))
    ps = model.layout.partition
    everyone = frozenset(node(i) for i in range(3))
    perms = list(permutations(model, "P"))

    def normal(t):
        if t[ps] != NONE and node(0) not in t[ps]:
            t = t[:ps] + ((SET, *sorted(everyone - set(t[ps][1:]))),) + t[ps + 1:]
        return t

    plain = explore(model)
    model.canonicalize = lambda s: min((normal(p(s)) for p in perms), key=repr)
    brute = explore(model)
    assert (sym.stats.distinct, brute.stats.distinct, plain.stats.distinct) == (1491, 1491, 8505)
    assert sym.coverage["partition"] > 0 and sym.coverage["crash P"] > 0
