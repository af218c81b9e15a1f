"""The hand-written Python models in models/: exact counts, verdicts, traces."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from checker.explore import explore
from checker.options import SearchOptions
from checker.trace import Trace, replay_trace
from checker.values import elements
from models import ticket, twophase
from tests.conftest import ROOT


@pytest.mark.parametrize("rm, distinct, generated, depth", [(3, 288, 1145, 10), (5, 8832, 58145, 16)])
def test_twophase_matches_tlc(rm, distinct, generated, depth):
    model = twophase.build_model(RM=rm)
    r = explore(model)
    assert (r.stats.distinct, r.stats.generated, r.stats.max_depth) == (distinct, generated, depth)
    assert r.verdicts == {"TCConsistent": "holds", "deadlock": "holds"}
    assert r.complete and r.exit_code == 0
    assert all(o.met for o in r.compare_expectations(model.expectations))
    assert r.never_fired == []
    dfs = explore(model, SearchOptions(strategy="dfs"))
    assert dfs.stats.distinct == distinct and dfs.verdicts == r.verdicts


def test_twophase_steps_are_tla_steps():
    m = twophase.build_model(RM=2)
    (init,) = m.initial_states()
    labels = [m.format_action(a) for a, _ in m.successors(init)]
    assert labels == ["TMAbort", "RMPrepare(RM[0])", "RMChooseToAbort(RM[0])", "RMPrepare(RM[1])", "RMChooseToAbort(RM[1])"]
    # after TMAbort, receiving Abort is enabled for every RM, even when it changes nothing
    _, aborted = next(iter(m.successors(init)))
    _, s = next((a, s) for a, s in m.successors(aborted) if m.format_action(a) == "RMChooseToAbort(RM[0])")
    steps = {m.format_action(a): t for a, t in m.successors(s)}
    assert steps["RMRcvAbortMsg(RM[0])"] == s
    assert m.state_view(s)["msgs"] == s[-1] and m.show_value(s[-1]) == "{TM[0] -> * Abort()}"


def test_ticket_consistency_violated_with_replayable_trace():
    model = ticket.build_model()
    r = explore(model)
    assert (r.stats.distinct, r.stats.generated, r.stats.max_depth) == (218045, 861204, 26)
    assert r.verdicts == {"Consistency": "violated", "deadlock": "holds"}
    assert r.complete and r.exit_code == 1
    assert all(o.met for o in r.compare_expectations(model.expectations))
    t = r.traces["Consistency"]
    assert len(t) == 15
    assert t.steps[1].label == "Server[0] handles RequestTicket() from Client[0]"
    assert t.steps[1].kind == "deliver" and t.steps[1].actor == "Server[0]"
    assert t.steps[1].message == {"src": "Client[0]", "dst": "Server[0]", "text": "RequestTicket()"}
    assert t.steps[1].sends == ({"src": "Server[0]", "dst": "Client[0]", "text": "Ticket(t=1)"},)
    assert t.steps[1].changed == ("Server[0].t_max", "network")
    assert t.violation.values == {"Server[0].executed": '"c2"', "Server[1].executed": '"c1"'}
    # the saved trace (JSON round trip) reproduces itself in the model
    again = Trace.from_json(json.loads(t.dumps()))
    path = replay_trace(model, again)
    assert len(path) == 16
    assert not model.invariants[0].check(path[-1][1])


def test_ticket_semantics_details():
    m = ticket.build_model()
    (init,) = m.initial_states()
    view = m.state_view(init)
    assert list(view)[:3] == ["Server[0].t_max", "Server[0].stored", "Server[0].executed"]
    assert list(view)[-1] == "network" and len(elements(view["network"])) == 6
    assert m.show_value(view["Client[1].cmd"]) == '"c2"'
    assert len(list(m.successors(init))) == 6
    assert not m.is_terminal(init)


DETERMINISM = """
import json
from checker.explore import explore
from models.ticket import build_model
r = explore(build_model(Servers=2, Clients=2))
print(json.dumps([r.stats.distinct, r.stats.generated, r.coverage, r.traces["Consistency"].to_json()]))
"""


def test_same_results_under_different_hash_seeds():
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        p = subprocess.run([sys.executable, "-c", DETERMINISM], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        outs.append(json.loads(p.stdout))
    assert outs[0] == outs[1]
    assert outs[0][0] == 1569 and len(outs[0][3]["steps"]) == 16
