"""The well-formed inputs the fuzzer starts from: every spec of the
repository, traces of small specs (an invariant, a step assertion, a
deadlock, a liveness lasso), and the ticket protocol's log and mapping."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SPECS, src

DATA = ROOT / "tests" / "validate" / "data"
TICKET = str(SPECS / "ticket.dsl")
LOG_LINES = tuple((DATA / "ticket_ok.jsonl").read_text().splitlines())
MAPPING = (DATA / "ticket.toml").read_text()

#: specs whose initial states alone take tens of seconds (the search's time
#: limit starts after them): bakery.dsl enumerates 1.7 million candidates
SLOW_START = {"bakery.dsl"}
#: every spec in the repository but those: the fuzzer mutates their text
SPEC_FILES = tuple(p for p in sorted(SPECS.rglob("*.dsl")) + sorted((ROOT / "tests" / "regression" / "specs")
                                                                     .glob("*.dsl")) if p.name not in SLOW_START)

#: a spec whose run ends in a lasso (a loop), for traces with ``loop_start``
LASSO = src(
    "spec Lasso",
    "var x = 0",
    "action flip { x = 1 - x }",
    "property Reach: eventually x == 2",
)
#: a spec whose step assertion fails
ASSERTION = src(
    "spec Assertion",
    "role N[2] { var x = 0",
    "  action inc when x < 2 { x = x + 1; assert Small: x < 2 } }",
)


@functools.cache
def spec_text(path: Path) -> str:
    return path.read_text()


@functools.lru_cache(maxsize=1)
def traces() -> tuple[dict[str, Any], ...]:
    """Trace files (as JSON) of every kind of violation."""
    from checker.compile import load_spec, load_text
    from checker.explore import explore

    models = [load_spec(str(SPECS / "channel" / "naive.dsl")), load_spec(str(SPECS / "locks" / "two_phase_lock.dsl")),
              load_spec(str(SPECS / "cap.dsl")), load_text(LASSO, "lasso.dsl"), load_text(ASSERTION, "assert.dsl")]
    out = []
    for model in models:
        for trace in explore(model).traces.values():
            out.append(trace.to_json())
    return tuple(out)


@functools.cache
def consts_of(path: Path) -> tuple[str, ...]:
    """The constants a spec declares (for ``--const``)."""
    return tuple(re.findall(r"^const\s+([A-Za-z_]\w*)", spec_text(path), re.M))


@functools.cache
def roles_of(path: Path) -> tuple[str, ...]:
    return tuple(re.findall(r"^role\s+([A-Za-z_]\w*)", spec_text(path), re.M))
