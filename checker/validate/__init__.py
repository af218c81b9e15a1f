"""Trace validation: check the log of a real implementation against a model.

A log (JSON Lines, one event per line) is read as a stream; a mapping
(TOML, `checker.validate.mapping`) says which model step each event kind
is, how its fields map to message fields and parameters, and which
variables it observes. The search (`checker.validate.engine`) keeps the
model states consistent with the log so far; the verdict is accepted,
rejected (with the first event nothing matches and why) or inconclusive
(a bound was hit).

    from checker.validate import ValidateOptions, run
    model, outcome = run(ValidateOptions("specs/ticket.dsl", ("run.jsonl",), "ticket.toml"))

The model is a `.dsl` spec or a Python model (`build_model(**consts)`);
either is seen through `checker.model.ValidationView`. Fault bounds of a
spec do not apply: in validation the log decides how many faults happened.
"""

from __future__ import annotations

from typing import Callable

from checker.validate.bind import Binder, EventBinding
from checker.validate.engine import Outcome, Progress, Validator
from checker.validate.logfile import Event, LogError, merged_events, read_events
from checker.validate.mapping import Mapping, MappingError, load_mapping, parse_mapping
from checker.validate.options import Dispatch, ValidateOptions

__all__ = ["run", "prepare", "validate", "ValidateOptions", "Outcome", "Progress", "Event", "LogError",
           "MappingError", "Mapping", "load_mapping", "parse_mapping", "read_events"]


def run(options: ValidateOptions):
    """Load, bind and validate as ``options`` say; returns (model, outcome)."""
    model, mp, bindings = prepare(options.spec, options.mapping, dict(options.consts))
    out = validate(model, mp, bindings, list(options.logs), max_candidates=options.max_candidates,
                   max_silent=options.max_silent, time_limit=options.time_limit, window=max(1, options.window),
                   explain=max(1, options.explain), progress=options.progress)
    return model, out


def prepare(spec: str, mapping: str | Mapping, consts: dict[str, str] | None = None):
    """Load the model (constants: the mapping's [validate] consts, then
    ``consts``, e.g. from --const; fault bounds lifted) and bind the
    mapping to it."""
    from checker.dsl.faults import UNBOUNDED
    from checker.loader import load_model
    from checker.options import LoadOptions

    mp = load_mapping(mapping) if isinstance(mapping, str) else mapping
    merged = dict(mp.consts)
    merged.update(consts or {})
    model = load_model(spec, LoadOptions(consts=merged))
    info = getattr(getattr(model, "resolved", None), "fault_info", None)
    if info is not None and info.bounds:
        model = load_model(spec, LoadOptions(consts=merged, faults={b.key: UNBOUNDED for b in info.bounds}))
    from checker.validate.bind import validation_view

    return model, mp, Binder(model, mp, validation_view(model, spec)).bind()


def validate(model, mp: Mapping, bindings: dict[str, EventBinding], logs: list[str], *,
             max_candidates: int | None = None, max_silent: int | None = None, time_limit: float | None = None,
             window: int = 1000, explain: int = 3,
             progress: Callable[[Progress], None] | None = None) -> Outcome:
    """Validate the logs (merged on the mapping's time field when several)."""
    from checker.validate.match import NodeTable

    v = Validator(model, model.validation_view(), Dispatch(mp, bindings), NodeTable(model.names, mp.nodes),
                  skip=mp.skip, silent=mp.silent, max_silent=mp.max_silent if max_silent is None else max_silent,
                  silent_mode=mp.silent_mode, max_candidates=max_candidates or mp.max_candidates, window=window,
                  explain_limit=explain, time_limit=time_limit, progress=progress, require_send=mp.require_send,
                  time_field=mp.time_field if len(logs) > 1 else None)
    return v.run(merged_events(logs, mp.kind_field, mp.time_field, mp.order == "lines"))
