"""checker.render.text: the summary and the trace as text."""

from __future__ import annotations

from checker.explore import explore
from checker.model import Expectation
from checker.options import SearchOptions
from checker.render.text import NEVER_FIRED, render_summary, render_trace
from checker.trace import Step, Trace, Violation
from models import ticket
from tests.engine.toys import Asserting, Counter, inv


def test_summary_figures_coverage_and_expectations():
    model = Counter(10, invariants=[inv("Below3", lambda s: s[0] < 3)])
    model.expectations = [Expectation("Below3", "violated"), Expectation("deadlock", "violated"), Expectation("Nope", "holds")]
    result = explore(model)
    text = render_summary(result, model)
    lines = text.splitlines()
    assert lines[0] == "Counter: 1 property violated"
    assert "distinct states: 11" in lines
    assert "generated states: 10" in lines
    assert "depth: 10" in lines
    assert "search: complete (bfs)" in lines
    assert any(line.split() == ["Below3", "violated", "(3", "steps)", "expected"] for line in lines)
    assert any(line.split()[:4] == ["deadlock", "holds", "UNEXPECTED", "(expected"] for line in lines)
    assert any("Nope" in line and "no such property" in line for line in lines)
    assert any(line.split()[:2] == ["inc", "10"] for line in lines)
    dec = next(line for line in lines if line.split()[:1] == ["dec"])
    assert dec.split()[1] == "0" and dec.endswith(NEVER_FIRED)
    assert any(line.startswith("time: ") and "states/s" in line for line in lines)


def test_summary_incomplete():
    model = Counter(None)
    text = render_summary(explore(model, SearchOptions(max_depth=3)), model)
    assert "search: incomplete (bfs): max-depth 3 reached" in text
    assert "no violation found, but the search is incomplete" in text.splitlines()[0]


def test_trace_shows_only_changes():
    model = ticket.build_model(Servers=2, Clients=2)
    trace = explore(model).traces["Consistency"]
    lines = render_trace(trace).splitlines()
    assert lines[0] == "Counterexample: invariant Consistency (15 steps)"
    assert lines[1] == "0. initial state"
    assert "     Server[0].t_max = 0" in lines  # the initial state in full
    i = lines.index("1. Server[0] handles RequestTicket() from Client[0]")
    assert lines[i + 1] == "     Server[0].t_max: 0 -> 1"
    # the network is long: shown as removed/added messages
    assert lines[i + 2] == "     network: - Client[0] -> Server[0] RequestTicket()"
    assert lines[i + 3] == "              + Server[0] -> Client[0] Ticket(t=1)"
    assert lines[i + 4].startswith("2. ")
    assert lines[-3].startswith("Violated: invariant Consistency")
    assert lines[-2:] == ['     Server[0].executed = "c2"', '     Server[1].executed = "c1"']
    assert sum(1 for line in lines if line[:1].isdigit()) == 16


def test_trace_with_failing_assertion():
    trace = explore(Asserting(bad=2)).traces["NotBad"]
    text = render_trace(trace)
    assert "2. inc(1,)\n     v0: 1 -> 2\n3. inc(1,)\n     this step fails assertion NotBad\n" in text
    assert text.endswith("Violated: assertion NotBad: x must not leave 2\n     x = 2\n")


def test_trace_lasso_marks_loop():
    def step(i, x, label):
        return Step(i, "action" if i else "init", label, None, None, (), {"x": x}, {"x": str(x)}, ("x",) if i else ())

    t = Trace("Loop", (), (step(0, 0, "initial state"), step(1, 1, "up"), step(2, 2, "up"), step(3, 1, "down")),
              Violation("Progress", "liveness", "x never reaches 5"), loop_start=1)
    lines = render_trace(t).splitlines()
    # the loop is states 1..3: steps 2 and 3 repeat (step 1 only reaches it)
    marker = "-- loop starts here: steps 2..3 repeat forever --"
    assert lines[lines.index(marker) - 1] == "     x: 0 -> 1" and lines[lines.index(marker) + 1] == "2. up"
    assert "-- the last step leads back to step 1 --" in lines
    assert lines[-1] == "Violated: liveness Progress: x never reaches 5"
