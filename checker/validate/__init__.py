"""Trace validation: check the log of a real implementation against a model.

A log (JSON Lines, one event per line) is read as a stream; a mapping
(TOML, `checker.validate.mapping`) says which model step each event kind
is, how its fields map to message fields and parameters, and which
variables it observes. The search (`checker.validate.engine`) keeps the
model states consistent with the log so far; the verdict is accepted,
rejected (with the first event nothing matches and why) or inconclusive
(a bound was hit).

    from checker.validate import prepare, validate
    model, mapping, bindings = prepare("specs/ticket.dsl", "ticket.toml")
    outcome = validate(model, mapping, bindings, ["run.jsonl"])
"""

from __future__ import annotations

from typing import Callable, cast

from checker.compile.model import CompiledModel
from checker.validate.bind import Binder, EventBinding
from checker.validate.engine import Outcome, Progress, Validator
from checker.validate.logfile import Event, LogError, merged_events, read_events
from checker.validate.mapping import Mapping, MappingError, load_mapping, parse_mapping

__all__ = ["prepare", "validate", "Outcome", "Progress", "Event", "LogError", "MappingError", "Mapping",
           "load_mapping", "parse_mapping", "read_events"]


def prepare(spec: str, mapping: str | Mapping, consts: dict[str, str] | None = None):
    """Load the spec (constants: the mapping's [validate] consts, then
    ``consts``, e.g. from --const) and bind the mapping to it."""
    from checker.errors import UsageError
    from checker.loader import load_model
    from checker.options import LoadOptions

    mp = load_mapping(mapping) if isinstance(mapping, str) else mapping
    if not spec.endswith(".dsl"):
        raise UsageError(f"{spec}: trace validation needs a .dsl spec (its steps are what a mapping names)")
    merged = dict(mp.consts)
    merged.update(consts or {})
    model = cast(CompiledModel, load_model(spec, LoadOptions(consts=merged)))  # a .dsl spec
    return model, mp, Binder(model, mp).bind()


def validate(model, mp: Mapping, bindings: dict[str, EventBinding], logs: list[str], *,
             max_candidates: int | None = None, max_silent: int | None = None, time_limit: float | None = None,
             window: int = 1000, explain: int = 3,
             progress: Callable[[Progress], None] | None = None) -> Outcome:
    """Validate the logs (merged on the mapping's time field when several)."""
    from checker.validate.match import NodeTable

    v = Validator(model, bindings, NodeTable(model.names, mp.nodes), skip=mp.skip, silent=mp.silent,
                  max_silent=mp.max_silent if max_silent is None else max_silent, silent_mode=mp.silent_mode,
                  max_candidates=max_candidates or mp.max_candidates, window=window, explain_limit=explain,
                  time_limit=time_limit, progress=progress)
    return v.run(merged_events(logs, mp.kind_field, mp.time_field))
