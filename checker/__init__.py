"""checker: a model checker and trace validator for distributed protocols.

The public API, for programs that use checker as a library::

    from checker import LoadOptions, SearchOptions, load_model
    from checker.explore import explore
    model = load_model("specs/ticket.dsl", LoadOptions(consts={"Servers": "2"}))
    result = explore(model, SearchOptions(max_depth=20))
    print(result.verdicts, result.stats.distinct)
    trace = result.traces.get("Consistency")  # a `Trace`, replayable and renderable

- loading: `load_model` (a .dsl spec or a Python model file), `load_spec`,
  `load_text` (spec source text), with `LoadOptions`;
- exploring: the `explore` package's `explore(model, SearchOptions)`
  (`Strategy`) -> `CheckResult`;
- the interface the engine sees, for models written in Python: `Model`,
  `Invariant`, `LivenessProperty` (`Temporal`), `StepProperty`, `Fairness`,
  `Expectation`, `StepInfo`, `StepKind`, `StepAssertionError`, `Verdict`;
- traces: `Trace` (`Step`, `Violation`), `load_trace_file`, `replay_trace`;
- `ExitCode`, and the errors a user's input can cause (`CheckerError` and
  its kinds).

Names are imported on first use, so ``import checker.render.text`` does not
load the compiler.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "load_model": "checker.loader",
    "load_spec": "checker.compile", "load_text": "checker.compile",
    "LoadOptions": "checker.options", "SearchOptions": "checker.options", "Strategy": "checker.options",
    "CheckResult": "checker.explore.result",
    "Model": "checker.model", "Invariant": "checker.model", "LivenessProperty": "checker.model",
    "Expectation": "checker.model", "StepInfo": "checker.model", "StepKind": "checker.model",
    "StepAssertionError": "checker.model", "Verdict": "checker.model", "StepProperty": "checker.model",
    "Temporal": "checker.model", "Fairness": "checker.model",
    "Trace": "checker.trace", "Step": "checker.trace", "Violation": "checker.trace",
    "load_trace_file": "checker.trace", "replay_trace": "checker.trace",
    "ExitCode": "checker.exitcode",
    "CheckerError": "checker.errors", "SpecError": "checker.errors", "UsageError": "checker.errors",
    "ModelError": "checker.errors", "TraceFileError": "checker.errors", "OptionError": "checker.options",
}

__all__ = [
    "CheckResult", "CheckerError", "Expectation", "ExitCode", "Fairness", "Invariant", "LivenessProperty",
    "LoadOptions", "Model", "ModelError", "OptionError", "SearchOptions", "SpecError", "Step", "StepAssertionError",
    "StepInfo", "StepKind", "StepProperty", "Strategy", "Temporal", "Trace", "TraceFileError", "UsageError",
    "Verdict", "Violation",
    "explore",  # the subpackage: checker.explore.explore(model, options)
    "load_model", "load_spec", "load_text", "load_trace_file", "replay_trace",
]


def __getattr__(name: str) -> Any:
    if name == "explore":
        return importlib.import_module("checker.explore")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from checker import explore
    from checker.compile import load_spec, load_text
    from checker.errors import CheckerError, ModelError, SpecError, TraceFileError, UsageError
    from checker.exitcode import ExitCode
    from checker.explore.result import CheckResult
    from checker.loader import load_model
    from checker.model import (
        Expectation,
        Fairness,
        Invariant,
        LivenessProperty,
        Model,
        StepAssertionError,
        StepInfo,
        StepKind,
        StepProperty,
        Temporal,
        Verdict,
    )
    from checker.options import LoadOptions, OptionError, SearchOptions, Strategy
    from checker.trace import Step, Trace, Violation, load_trace_file, replay_trace
