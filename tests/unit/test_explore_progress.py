"""Progress lines and CheckResult helpers."""

from __future__ import annotations

import io

from checker.explore import CheckResult, ProgressPrinter, Stats
from checker.explore.progress import Progress, format_progress
from checker.model import Expectation


def test_progress_printer_is_quiet_at_first():
    out = io.StringIO()
    printer = ProgressPrinter(out, quiet_seconds=3.0)
    printer(Progress(generated=10, distinct=5, queue=2, depth=1, seconds=2.0))
    assert out.getvalue() == ""
    printer(Progress(generated=1_234_567, distinct=123_456, queue=2_345, depth=12, seconds=4.0))
    assert out.getvalue() == (
        "progress: 1,234,567 generated, 123,456 distinct, 2,345 queued, 30,864 states/s, depth 12 (4 s)\n"
    )
    assert printer.lines == 1


def test_format_progress_zero_time():
    assert "0 states/s" in format_progress(Progress(0, 0, 0, 0, 0.0))


def make(verdicts, complete=True):
    return CheckResult("M", "bfs", verdicts, {}, Stats(distinct=3, seconds=0.5), {"a": 1, "b": 0}, complete)


def test_exit_codes():
    assert make({"P": "holds"}).exit_code == 0
    assert make({"P": "violated"}).exit_code == 1
    assert make({"P": "unknown"}, complete=False).exit_code == 3
    assert make({"P": "violated", "Q": "unknown"}, complete=False).exit_code == 1
    assert make({}).exit_code == 0


def test_result_helpers():
    r = make({"P": "violated", "Q": "holds"})
    assert r.violated == ["P"]
    assert r.never_fired == ["b"]
    assert r.stats.states_per_second == 6.0
    out = r.compare_expectations([Expectation("Q", "holds"), Expectation("P", "holds")])
    assert [(o.expectation.prop, o.met, o.actual) for o in out] == [("Q", True, "holds"), ("P", False, "violated")]
