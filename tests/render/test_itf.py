"""ITF output, read back with the itf-py package and compared with the trace."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import itf_py
import pytest

from checker.errors import CheckerError
from checker.render.itf import render_itf, trace_to_itf, value_to_itf
from checker.trace import Trace
from tests.render.ticket_trace import kitchen_sink_trace, ticket_lasso, ticket_trace


def norm_itf(x: Any) -> Any:
    """A comparable normal form of a value as itf-py decodes it."""
    if isinstance(x, bool):
        return ("bool", x)
    if isinstance(x, int):
        return ("int", x)
    if isinstance(x, str):
        return ("str", x)
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        fields = tuple(sorted((k, norm_itf(v)) for k, v in x._asdict().items()))
        if getattr(type(x), "_itf_variant", False):
            return ("variant", type(x).__name__, fields)
        return ("rec", fields)
    if isinstance(x, frozenset):
        return ("set", frozenset(norm_itf(v) for v in x))
    if isinstance(x, dict):
        return ("map", frozenset((norm_itf(k), norm_itf(v)) for k, v in x.items()))
    if isinstance(x, list):
        return ("seq", tuple(norm_itf(v) for v in x))
    raise AssertionError(f"unexpected decoded value {x!r}")


def norm_trace(v: Any) -> Any:
    """The same normal form, computed independently from the trace's JSON."""
    if v is None:
        return ("rec", (("tag", ("str", "None")),))
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, list):
        return ("seq", tuple(norm_trace(x) for x in v))
    if "#node" in v:
        return ("str", v["#node"])
    if "#set" in v:
        return ("set", frozenset(norm_trace(x) for x in v["#set"]))
    if "#bag" in v:
        counts = Counter(json.dumps(x, sort_keys=True) for x in v["#bag"])
        return ("map", frozenset((norm_trace(json.loads(k)), ("int", n)) for k, n in counts.items()))
    if "#map" in v:
        return ("map", frozenset((norm_trace(k), norm_trace(x)) for k, x in v["#map"]))
    if "#msg" in v:
        fields = [("tag", ("str", v["#msg"]))] + [(k, norm_trace(x)) for k, x in v.items() if k != "#msg"]
        return ("rec", tuple(sorted(fields)))
    return ("rec", tuple(sorted((k, norm_trace(x)) for k, x in v.items())))


def _no_plain_ints(x: Any, where: str = "") -> None:
    assert not (isinstance(x, int) and not isinstance(x, bool)), f"plain int at {where}"
    if isinstance(x, list):
        for i, y in enumerate(x):
            _no_plain_ints(y, f"{where}[{i}]")
    elif isinstance(x, dict):
        for k, y in x.items():
            _no_plain_ints(y, f"{where}.{k}")


@pytest.mark.parametrize("make", [ticket_trace, ticket_lasso, kitchen_sink_trace])
def test_itf_reads_back_with_itf_py(make: Any, tmp_path: Path) -> None:
    trace: Trace = make()
    path = tmp_path / "trace.itf.json"
    path.write_text(render_itf(trace), encoding="utf-8")
    raw = json.loads(path.read_text(encoding="utf-8"))
    itf = itf_py.trace_from_json(raw)

    assert itf.meta["format"] == "ITF"
    assert itf.meta["source"] == trace.spec
    assert trace.violation.prop in itf.meta["description"]
    assert itf.meta["violation"]["property"] == trace.violation.prop
    assert itf.vars == list(trace.steps[0].state)
    assert itf.loop == trace.loop_start
    assert ("loop" in raw) == (trace.loop_start is not None)
    assert len(itf.states) == len(trace.steps)
    for step, state in zip(trace.steps, itf.states):
        assert state.meta["index"] == step.index
        assert state.meta["action"] == step.label
        assert set(state.values) == set(step.state)
        for name, value in step.state.items():
            assert norm_itf(state.values[name]) == norm_trace(value), (step.index, name)
    for i, state in enumerate(raw["states"]):  # integers are always #bigint
        _no_plain_ints({k: v for k, v in state.items() if k != "#meta"}, f"states[{i}]")


def test_itf_value_encodings() -> None:
    assert value_to_itf(7) == {"#bigint": "7"}
    assert value_to_itf(2**80) == {"#bigint": str(2**80)}
    assert value_to_itf(True) is True
    assert value_to_itf("c1") == "c1"
    assert value_to_itf(None) == {"tag": "None"}
    assert value_to_itf({"#node": "Server[0]"}) == "Server[0]"
    assert value_to_itf({"#set": [1, 2]}) == {"#set": [{"#bigint": "1"}, {"#bigint": "2"}]}
    assert value_to_itf({"#bag": ["a", "a", "b"]}) == {"#map": [["a", {"#bigint": "2"}], ["b", {"#bigint": "1"}]]}
    assert value_to_itf({"#map": [[{"#node": "S"}, None]]}) == {"#map": [["S", {"tag": "None"}]]}
    assert value_to_itf([1, "x"]) == [{"#bigint": "1"}, "x"]
    msg = {"#msg": "Propose", "src": {"#node": "C"}, "dst": {"#node": "S"}, "t": 1, "cmd": "c1"}
    assert value_to_itf(msg) == {"tag": "Propose", "src": "C", "dst": "S", "t": {"#bigint": "1"}, "cmd": "c1"}
    assert value_to_itf({"#msg": "M", "tag": 1}) == {"tag": "M", "tag_": {"#bigint": "1"}}
    assert value_to_itf({"a": 1, "b": [True]}) == {"a": {"#bigint": "1"}, "b": [True]}
    with pytest.raises(CheckerError):
        value_to_itf({"#weird": 1})


def test_itf_of_a_saved_trace_file_is_the_same(tmp_path: Path) -> None:
    trace = ticket_trace()
    saved = tmp_path / "t.json"
    saved.write_text(trace.dumps())
    again = Trace.from_json(json.loads(saved.read_text()))
    assert trace_to_itf(again) == trace_to_itf(trace)
