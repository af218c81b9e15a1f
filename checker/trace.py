"""Counterexample traces: plain, versioned data, replayable through a Model.

A `Trace` is what every renderer (text, sequence chart, ITF, ...) reads. It
is built from a raw path of (action, state) pairs found by the engine, and
replayed through the Model before anyone sees it: a trace that does not
reproduce itself is a bug in the checker and fails loudly.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from checker.errors import TraceFileError
from checker.model import Action, Model, State, successful_steps
from checker.textio import BOM, decode, json_too_deep
from checker.trace_schema import MAX_TRACE_DEPTH, check_trace_json

TRACE_VERSION = 1
TRACE_FORMAT = "checker-trace"

#: a raw path: (None, initial state), then (action, next state) per step.
RawPath = Sequence[tuple[Action | None, State]]


@dataclass(frozen=True)
class Step:
    """One step of a trace and the full state after it (index 0 = initial)."""

    index: int
    kind: str
    label: str
    actor: str | None
    message: dict[str, Any] | None
    sends: tuple[dict[str, Any], ...]
    state: dict[str, Any]  # variable -> typed JSON value
    shown: dict[str, str]  # variable -> display text
    changed: tuple[str, ...]  # variables whose value differs from the previous step


@dataclass(frozen=True)
class Violation:
    """The property a trace violates and the values that broke it.

    kind: "invariant", "assertion", "deadlock", "liveness" or "step" (a step
    property: the last step violates it); `NO_VIOLATION`
    for a path that breaks nothing (one walked by hand in `checker explore`).
    """

    prop: str
    kind: str
    message: str = ""
    values: dict[str, str] = field(default_factory=dict)


#: `Violation.kind` of a trace that is not a counterexample: a path walked by
#: hand (`checker explore`) whose last state breaks no property.
NO_VIOLATION = "none"


def no_violation() -> Violation:
    """The `Violation` of a path whose last state breaks no property."""
    return Violation("", NO_VIOLATION, "no property is violated at the last step")


@dataclass(frozen=True)
class Trace:
    spec: str
    nodes: tuple[str, ...]
    steps: tuple[Step, ...]
    violation: Violation
    #: for a liveness lasso: the index of the step where the cycle starts;
    #: the last step leads back to it.
    loop_start: int | None = None
    #: for a failed step assertion: the step that was attempted (not applied).
    failing_step: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    version: int = TRACE_VERSION

    def __len__(self) -> int:
        """The number of steps after the initial state."""
        return len(self.steps) - 1

    @property
    def violates(self) -> bool:
        """False for a path that breaks nothing (see `NO_VIOLATION`)."""
        return self.violation.kind != NO_VIOLATION

    # -- JSON -----------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = TRACE_FORMAT
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, sort_keys=False)

    @staticmethod
    def from_json(data: Any, origin: str = "<trace>") -> Trace:
        """Parse a trace file's JSON, naming the problem on bad input."""
        return _parse_trace(data, origin)


def build_trace(
    model: Model,
    path: RawPath,
    violation: Violation,
    *,
    spec: str = "",
    loop_start: int | None = None,
    failing_action: Action | None = None,
    options: dict[str, Any] | None = None,
) -> Trace:
    """Turn a raw path into a `Trace`, using the model's display hooks."""
    steps: list[Step] = []
    prev_state: dict[str, Any] | None = None
    prev_raw: State | None = None
    for index, (action, raw) in enumerate(path):
        view = model.state_view(raw)
        state = {k: model.value_to_json(v) for k, v in view.items()}
        shown = {k: model.show_value(v) for k, v in view.items()}
        if action is None:
            kind, label, actor, message = "init", "initial state", None, None
            sends = tuple(model.initial_sends(raw))
        else:
            assert prev_raw is not None
            info = model.step_info(action, prev_raw, raw)
            kind, label, actor, message, sends = info.kind, info.label, info.actor, info.message, tuple(info.sends)
        changed = tuple(k for k in state if prev_state is None or prev_state.get(k) != state[k]) if index else ()
        steps.append(Step(index, kind, label, actor, message, sends, state, shown, changed))
        prev_state, prev_raw = state, raw
    failing = model.format_action(failing_action) if failing_action is not None else None
    return Trace(
        spec=spec or model.name,
        nodes=tuple(model.nodes()),
        steps=tuple(steps),
        violation=violation,
        loop_start=loop_start,
        failing_step=failing,
        options=dict(options or {}),
    )


class ReplayError(AssertionError):
    """A trace that does not reproduce itself: a bug in the checker."""


def replay_path(model: Model, path: RawPath) -> None:
    """Check that a raw path is a behaviour of the model, step by step."""
    if not path:
        raise ReplayError("empty trace")
    first = path[0][1]
    if first not in list(model.initial_states()):
        raise ReplayError("trace does not start in an initial state")
    for i in range(1, len(path)):
        action, state = path[i]
        before = path[i - 1][1]
        assert action is not None, "only the first step of a path has no action"
        if not any(a == action and s == state for a, s in successful_steps(model, before)):
            raise ReplayError(f"step {i} ({model.format_action(action)}) is not a step of the model")


def replay_trace(model: Model, trace: Trace) -> RawPath:
    """Re-find a saved trace in the model: each step must be a successor
    whose label and state match the recorded ones. Returns the raw path."""
    want0 = trace.steps[0].state
    init = [s for s in model.initial_states() if _json_view(model, s) == want0]
    if not init:
        raise ReplayError("no initial state of the model matches step 0 of the trace")
    path: list[tuple[Action | None, State]] = [(None, init[0])]
    for step in trace.steps[1:]:
        before = path[-1][1]
        for action, after in successful_steps(model, before):
            if model.step_info(action, before, after).label == step.label and _json_view(model, after) == step.state:
                path.append((action, after))
                break
        else:
            raise ReplayError(f"step {step.index} ({step.label}) is not a step of the model from the previous state")
    return path


def load_trace_file(path: str) -> Trace:
    """Read a ``.trace.json`` file, naming the problem on bad input."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TraceFileError(f"{path}: no such trace file") from None
    except OSError as exc:
        raise TraceFileError(f"{path}: cannot read the trace file: {exc.strerror or exc}") from None
    return loads_trace(data, path)


def loads_trace(text: str | bytes, origin: str) -> Trace:
    """Parse the text (or bytes: UTF-8) of a ``.trace.json`` file, checked
    against its schema (`checker.trace_schema`) before anyone renders it;
    raises `TraceFileError` (or `checker.textio.EncodingError`) naming the
    problem and its place. ``origin`` names the file in messages."""
    if isinstance(text, bytes):
        text = decode(text, origin)
    elif text.startswith(BOM):
        text = text[1:]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TraceFileError(f"{origin}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise TraceFileError(f"{origin}: the JSON is nested too deeply (at most {MAX_TRACE_DEPTH} levels)") from None
    except ValueError:  # Python's int() refuses a number of thousands of digits
        raise TraceFileError(f"{origin}: a number of more than {sys.get_int_max_str_digits()} digits "
                             "(not a trace `checker run --out` writes)") from None
    if json_too_deep(data, MAX_TRACE_DEPTH):
        raise TraceFileError(f"{origin}: the JSON is nested too deeply (at most {MAX_TRACE_DEPTH} levels)")
    return Trace.from_json(data, origin)


def _json_view(model: Model, state: State) -> dict[str, Any]:
    # Round-trip through json so tuples compare equal to the lists a file holds.
    return json.loads(json.dumps({k: model.value_to_json(v) for k, v in model.state_view(state).items()}))


# -- parsing a trace file -------------------------------------------------

def _parse_trace(data: Any, origin: str) -> Trace:
    if not isinstance(data, dict):
        raise TraceFileError(f"{origin}: a trace file holds a JSON object, not {type(data).__name__}")
    if data.get("format") != TRACE_FORMAT:
        raise TraceFileError(f"{origin}: not a checker trace (field 'format' must be \"{TRACE_FORMAT}\")")
    version = data.get("version")
    if version != TRACE_VERSION or type(version) is not int:
        raise TraceFileError(f"{origin}: trace version {version!r} is not supported "
                             f"(this checker reads version {TRACE_VERSION})")
    check_trace_json(data, origin)  # from here on every field has its type
    steps = []
    for i, s in enumerate(data["steps"]):
        if s["index"] != i:
            raise TraceFileError(f"{origin}: steps[{i}].index: is {s['index']}, expected {i}")
        steps.append(Step(index=i, kind=s["kind"], label=s["label"], actor=s.get("actor"), message=s.get("message"),
                          sends=tuple(s["sends"]), state=s["state"], shown=s["shown"], changed=tuple(s["changed"])))
    v = data["violation"]
    violation = Violation(prop=v["prop"], kind=v["kind"], message=v.get("message", ""),
                          values=dict(v.get("values", {})))
    loop_start = data.get("loop_start")
    if loop_start is not None and loop_start >= len(steps):
        raise TraceFileError(f"{origin}: loop_start: {loop_start} is not a step index (the trace has {len(steps)})")
    return Trace(
        spec=data["spec"],
        nodes=tuple(data["nodes"]),
        steps=tuple(steps),
        violation=violation,
        loop_start=loop_start,
        failing_step=data.get("failing_step"),
        options=dict(data.get("options", {})),
        version=version,
    )
