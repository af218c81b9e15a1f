"""The chart layout shared by the HTML and Mermaid renderers."""

from __future__ import annotations

from checker.explore.search import explore
from checker.loader import load_model
from checker.render.chart import build_chart, violation_summary
from checker.trace import Step, Trace, Violation
from tests.conftest import SPECS
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace


def _step(i: int, kind: str, actor: str | None = None, message: dict | None = None, sends: tuple = ()) -> Step:
    return Step(i, kind, f"{kind} {i}", actor, message, tuple(sends), {"x": i}, {"x": str(i)}, ("x",) if i else ())


def _m(src: str | None, dst: str, text: str) -> dict:
    return {"src": src, "dst": dst, "text": text}


def test_ticket_arrows_match_sends_fifo() -> None:
    trace = ticket_trace()
    chart = build_chart(trace)
    assert chart.lanes == list(trace.nodes)  # no env lane: nobody but nodes sends
    delivered = [a for a in chart.arrows if a.fate == "delivered"]
    assert len(delivered) == sum(s.kind == "deliver" for s in trace.steps)
    for a in delivered:  # every delivery came from a step that sent exactly that message
        sender = trace.steps[a.sent_at]
        assert {"src": a.src, "dst": a.dst, "text": a.text} in [dict(m) for m in sender.sends]
        assert a.sent_at < a.end_at
    lost = [a for a in chart.arrows if a.fate == "lost"]
    assert [(a.src, a.dst, a.sent_at, a.end_at) for a in lost] == [("Client[0]", "Server[2]", 1, 4)]
    in_flight = sorted((a.src, a.dst, a.text) for a in chart.arrows if a.fate == "in_flight")
    assert in_flight == [("Client[0]", "Server[1]", "Execute()"), ("Client[1]", "Server[0]", "RequestTicket()"),
                         ("Client[1]", "Server[2]", "Execute()")]
    assert chart.down == {"Server[2]": [(19, None)]}
    assert len(chart.in_flight_after[-1]) == 3


def test_fifo_picks_the_oldest_identical_send() -> None:
    steps = [
        _step(0, "init"),
        _step(1, "action", "A", sends=(_m("A", "B", "M()"),)),
        _step(2, "action", "A", sends=(_m("A", "B", "M()"),)),
        _step(3, "deliver", "B", _m("A", "B", "M()")),
    ]
    chart = build_chart(Trace("S", ("A", "B"), tuple(steps), Violation("P", "invariant")))
    [first, rest] = chart.arrows
    assert (first.fate, first.sent_at, first.end_at) == ("delivered", 1, 3)
    assert (rest.fate, rest.sent_at, rest.end_at) == ("in_flight", 2, None)
    assert chart.in_flight_after == [[], [first.id], [first.id, rest.id], [rest.id]]


def test_unmatched_delivery_starts_at_step_0_and_env_lane_only_when_used() -> None:
    steps = [_step(0, "init"), _step(1, "deliver", "B", _m("A", "B", "Hello()"))]
    chart = build_chart(Trace("S", ("A", "B"), tuple(steps), Violation("P", "invariant")))
    assert chart.lanes == ["A", "B"]
    [a] = chart.arrows
    assert (a.sent_at, a.origin) == (0, "initial")
    steps = [_step(0, "init"), _step(1, "global", None, sends=(_m(None, "B", "Go()"),)),
             _step(2, "deliver", "B", _m("env", "B", "Go()"))]
    chart = build_chart(Trace("S", ("A", "B"), tuple(steps), Violation("P", "invariant")))
    assert chart.lanes == ["env", "A", "B"]
    assert (chart.arrows[0].src, chart.arrows[0].sent_at) == ("env", 1)


def test_every_fault_kind() -> None:
    chart = build_chart(kitchen_sink_trace())
    fates = [(a.fate, a.origin, a.redelivery) for a in chart.arrows]
    assert ("delivered", "duplicate", False) in fates  # the copy made by the duplicate step
    assert ("delivered", "duplicate", True) in fates  # a set network delivers it again
    assert ("corrupted", "send", False) in fates
    assert ("delivered", "corrupt", False) in fates  # the corrupted copy arrives
    kinds = {m.kind for m in chart.marks}
    assert {"global", "timer", "duplicate", "action", "reorder", "partition", "crash", "restart", "heal"} <= kinds
    assert chart.partitions == [(11, 14, 'partition {Node<A>} | {Node"B";#1}')]
    assert chart.down == {'Node"B";#1': [(12, 13)]}


def test_violation_summary_names_the_loop() -> None:
    assert "returns to step 9" in violation_summary(ticket_lasso())
    assert violation_summary(ticket_trace()) == "invariant Consistency does not hold after step 22"


def test_write_all(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from checker.render import write_all

    paths = write_all(ticket_trace(), tmp_path / "Consistency.v1")
    assert [p.name for p in paths] == ["Consistency.v1.itf.json", "Consistency.v1.html", "Consistency.v1.mmd",
                                       "Consistency.v1.dot"]
    assert all(p.stat().st_size > 500 for p in paths)


def test_a_crash_discards_the_messages_in_flight_to_the_node():
    """primary.dsl: both clients' requests are in flight when the primary
    crashes; the network drops them, so the chart ends them there (a cross)
    instead of drawing them in flight to the end."""
    result = explore(load_model(str(SPECS / "replication" / "primary.dsl")))
    chart = build_chart(result.traces["AllApplied"])
    assert [(a.fate, a.end_at) for a in chart.arrows] == [("lost", 1), ("lost", 1)]
    assert chart.in_flight_after == [[0, 1], []]
