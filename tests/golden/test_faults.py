"""Golden tests of the fault-tolerance path: every spec under specs/channel,
specs/replication, specs/locks, specs/cap.dsl and specs/consistent_hashing.dsl
(verdicts, distinct states, counterexample lengths, expectations), and the
semantics of each fault kind on tiny inline specs."""

from __future__ import annotations

import pytest

from checker.compile import load_spec, load_text
from checker.explore.search import explore
from checker.options import LoadOptions
from checker.trace import replay_trace
from tests.conftest import SPECS

V, H = "violated", "holds"

# spec, consts, faults, verdicts, distinct states, {violated property: trace length}
GOLDEN = [
    ("channel/naive.dsl", {}, None,
     {"NoCorruption": V, "AtMostOnce": V, "deadlock": H, "AllExecuted": V}, 169,
     {"NoCorruption": 2, "AtMostOnce": 3, "AllExecuted": 2}),
    ("channel/checksum.dsl", {}, None,
     {"NoCorruption": H, "AtMostOnce": H, "deadlock": H, "AllExecuted": V}, 15, {"AllExecuted": 3}),
    ("channel/ack_retransmit.dsl", {}, None,
     {"NoCorruption": H, "AtMostOnce": V, "deadlock": H, "AllExecuted": H}, 54, {"AtMostOnce": 4}),
    ("channel/sequence_numbers.dsl", {}, None,
     {"ExactlyOnceInOrder": H, "deadlock": H, "AllExecuted": H}, 382, {}),
    ("replication/no_order.dsl", {}, None, {"Agreement": V, "deadlock": H}, 25, {"Agreement": 4}),
    ("replication/primary.dsl", {}, None, {"Agreement": H, "deadlock": H, "AllApplied": V}, 53, {"AllApplied": 1}),
    ("locks/two_phase_lock.dsl", {}, None,
     {"MutualExclusion": H, "SameOrder": H, "deadlock": V, "AllDone": V}, 209, {"deadlock": 6, "AllDone": 6}),
    ("locks/two_phase_lock.dsl", {"Ordered": "true"}, None,
     {"MutualExclusion": H, "SameOrder": H, "deadlock": H, "AllDone": H}, 93, {}),
    ("locks/two_phase_lock.dsl", {"Ordered": "true", "ClientCrashes": "1"}, None,
     {"MutualExclusion": H, "SameOrder": H, "deadlock": V, "AllDone": V}, 255, {"deadlock": 3, "AllDone": 3}),
    ("locks/two_phase_lock.dsl", {"Ordered": "true", "ServerCrashes": "1"}, None,
     {"MutualExclusion": H, "SameOrder": H, "deadlock": V, "AllDone": V}, 229, {"deadlock": 1, "AllDone": 1}),
    ("cap.dsl", {}, None, {"Consistency": V, "deadlock": H, "Availability": H}, 845, {"Consistency": 8}),
    ("cap.dsl", {"Mode": "CP"}, None, {"Consistency": H, "deadlock": H, "Availability": V}, 423, {"Availability": 3}),
    ("consistent_hashing.dsl", {}, None, {"OneOwner": H, "Placement": H, "MinimalMovement": H}, 57, {}),
    # The same specs with other fault bounds (--faults).
    ("channel/sequence_numbers.dsl", {}, {"loss": 2, "duplicate": 2, "corrupt": 2},
     {"ExactlyOnceInOrder": H, "deadlock": H, "AllExecuted": H}, 8421, {}),
    ("replication/primary.dsl", {}, {"crash": 0}, {"Agreement": H, "deadlock": H, "AllApplied": H}, 27, {}),
]


@pytest.mark.parametrize("spec,consts,faults,verdicts,distinct,lengths", GOLDEN,
                         ids=[f"{g[0]}{g[1] or ''}{g[2] or ''}" for g in GOLDEN])
def test_golden(spec, consts, faults, verdicts, distinct, lengths):
    model = load_spec(str(SPECS / spec), LoadOptions(consts=consts, faults=faults))
    result = explore(model)
    assert result.complete, result.reason
    assert result.verdicts == verdicts
    assert result.stats.distinct == distinct
    assert {p: len(t) for p, t in result.traces.items()} == lengths
    if not consts and not faults:
        for outcome in result.compare_expectations(model.expectations):
            assert outcome.met, outcome
    for trace in result.traces.values():
        replay_trace(model, trace)


def test_fault_steps_are_labelled_in_traces():
    naive = explore(load_spec(str(SPECS / "channel/naive.dsl")))
    labels = [s.label for s in naive.traces["NoCorruption"].steps]
    assert 'corrupt: Client -> Server Cmd(id=1, op="dbl") becomes Cmd(id=1, op="inc")' in labels \
        or any(lb.startswith("corrupt: Client -> Server Cmd(") for lb in labels)
    assert any(lb.startswith("duplicate: Client -> Server Cmd(") for lb in
               (s.label for s in naive.traces["AtMostOnce"].steps))
    assert naive.traces["AllExecuted"].steps[-1].label.startswith("loss: Client -> Server Cmd(")
    primary = explore(load_spec(str(SPECS / "replication/primary.dsl")))
    step = primary.traces["AllApplied"].steps[1]
    assert (step.label, step.kind, step.actor) == ("crash Primary", "crash", "Primary")
    cp = explore(load_spec(str(SPECS / "cap.dsl"), LoadOptions(consts={"Mode": "CP"})))
    assert any(s.kind == "partition" and s.label.startswith("partition: {") for s in cp.traces["Availability"].steps)


# ---- semantics of each fault kind, on tiny specs --------------------------

def successors(model, state):
    return [(model.format_action(a), t) for a, t in model.successors(state)]


def view(model, state):
    return {k: model.show_value(v) for k, v in model.state_view(state).items()}


RECOVER = """
spec Recover
network unordered
faults { crash Server <= 1, restart Server <= 1 }
role Server {
  var count = 0
  var log = []
  persistent var epoch = 0
  persistent log
  action bump when epoch < 1 { epoch = epoch + 1; count = count + 1; log = append(log, "b") }
  on Ping() { count = count + 1 }
  on restart { send Hello(epoch) to Client }
}
role Client {
  var hellos = []
  init { send Ping() to Server }
  on Hello(e) { hellos = append(hellos, e) }
}
"""


def test_crash_loses_volatile_state_and_inbound_messages_restart_keeps_persistent():
    m = load_text(RECOVER)
    s0 = m.initial_states()[0]
    bumped = dict(successors(m, s0))["Server action bump()"]
    assert view(m, bumped)["Server.count"] == "1"
    crashed = dict(successors(m, bumped))["crash Server"]
    v = view(m, crashed)
    assert (v["Server.count"], v["Server.epoch"], v["Server.log"], v["crashed"]) == ("0", "1", '["b"]', "{Server}")
    assert v["network"] == "bag{}"  # the Ping to the crashed server is discarded
    steps = successors(m, crashed)
    assert [label for label, _ in steps] == ["restart Server"]  # no action, no crash twice
    restarted = steps[0][1]
    v = view(m, restarted)
    assert v["crashed"] == "{}" and v["network"] == "bag{Server -> Client Hello(e=1)}"
    info = m.step_info(m.successors(crashed)[0][0], crashed, restarted)
    assert info.kind == "restart" and info.actor == "Server" and info.sends[0]["text"] == "Hello(e=1)"


def test_partition_hold_and_drop():
    text = """
spec P
network unordered
faults { partition MODE <= 1 }
role A { init { send M() to B } }
role B { var got = 0
  on M() { got = got + 1 } }
"""
    for mode, in_flight in (("hold", "bag{A -> B M()}"), ("drop", "bag{}")):
        m = load_text(text.replace("MODE", mode))
        s0 = m.initial_states()[0]
        steps = dict(successors(m, s0))
        cut = steps["partition: {A} | {B}"]
        assert view(m, cut)["network"] == in_flight
        after = successors(m, cut)
        assert [label for label, _ in after] == ["heal partition"]  # no delivery across the cut
        healed = after[0][1]
        delivered = [label for label, _ in successors(m, healed)]
        assert ("B handles M() from A" in delivered) == (mode == "hold")


def test_reorder_on_fifo_swaps_neighbours_and_is_bounded():
    m = load_text("""
spec R
network fifo
faults { reorder <= 1 }
role A { init { send M(1) to B; send M(2) to B } }
role B { var got = []
  on M(x) { got = append(got, x) } }
""")
    s0 = m.initial_states()[0]
    steps = dict(successors(m, s0))
    swapped = steps["reorder: A -> B M(x=2) overtakes M(x=1)"]
    assert [label for label, _ in successors(m, swapped)] == ["B handles M(x=2) from A"]


def test_corruption_draws_from_the_domain_and_garbles_checksums():
    m = load_text("""
spec C
network unordered
faults { corrupt <= 1 }
terminal true
message M(x in 0..2, sum)
role A { init { send M(1, checksum(1)) to B } }
role B { var ok = 0
  var bad = 0
  on M(x, sum) { if sum == checksum(x) { ok = ok + 1 } else { bad = bad + 1 } } }
""")
    labels = [label for label, _ in successors(m, m.initial_states()[0])]
    assert labels == ["B handles M(x=1, sum=crc(1)) from A",
                      "corrupt: A -> B M(x=1, sum=crc(1)) becomes M(x=0, sum=crc(1))",
                      "corrupt: A -> B M(x=1, sum=crc(1)) becomes M(x=2, sum=crc(1))",
                      "corrupt: A -> B M(x=1, sum=crc(1)) becomes M(x=1, sum=crc(garbled))"]
    result = explore(m)
    assert result.coverage["corrupt"] == 3


def test_crashed_nodes_fire_no_timer_and_connected_sees_partitions():
    m = load_text("""
spec T
network unordered
faults { crash <= 1, partition <= 1 }
role A { var fired = 0
  timeout tick when fired < 1 and connected(self, B) { fired = fired + 1 } }
role B { }
invariant Fine: A.fired <= 1 and (A in crashed => A.fired == 0)
""")
    result = explore(m)
    assert result.verdicts["Fine"] == "holds"
    s0 = m.initial_states()[0]
    labels = [label for label, _ in successors(m, s0)]
    assert labels == ["A timeout tick()", "crash A", "crash B", "partition: {A} | {B}"]
    cut = dict(successors(m, s0))["partition: {A} | {B}"]
    assert "A timeout tick()" not in [label for label, _ in successors(m, cut)]


def test_fault_options_override_and_add_bounds():
    m = load_spec(str(SPECS / "channel/naive.dsl"), LoadOptions(faults={"loss": 0, "duplicate": 0}))
    assert m.resolved.faults == {"loss": 0, "duplicate": 0, "corrupt": 1}
    assert explore(m).verdicts["AtMostOnce"] == "holds"
    m = load_spec(str(SPECS / "replication/no_order.dsl"), LoadOptions(faults={"crash Replica": 1}))
    assert m.resolved.faults == {"crash Replica": 1}
    assert "crash Replica" in m.action_names


def test_retransmitting_to_a_crashed_server_changes_nothing_so_the_run_may_stop():
    # The retransmitted command is lost at once (its receiver is down), so
    # the timer's step changes nothing: as in TLA+ (WF on <<A>>_vars steps)
    # fairness does not force it, and the behaviour may stop after the crash.
    model = load_spec(str(SPECS / "channel/ack_retransmit.dsl"), LoadOptions(faults={"crash Server": 1}))
    result = explore(model)
    trace = result.traces["AllExecuted"]
    assert [s.label for s in trace.steps] == ["initial state", "crash Server"]
    assert trace.loop_start is None
    assert "the run can stop after step 1 (every enabled step changes nothing)" in trace.violation.message
    replay_trace(model, trace)
