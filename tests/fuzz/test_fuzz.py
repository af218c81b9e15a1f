"""Issue 14: the checker never crashes on what a user gives it.

Each test feeds one kind of input, damaged by `tests.fuzz.mutate`, to the
command that reads it and fails on a crash (`tests.fuzz.harness`: exit 4,
a traceback, or a hang). The default run tries a few hundred inputs with a
fixed seed; ``CHECKER_FUZZ=N`` multiplies every count by N and draws fresh
inputs (the long profile: ``CHECKER_FUZZ=30 pytest tests/fuzz`` tries
about 10,000)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings

from tests.fuzz import seeds, strategies
from tests.fuzz.harness import BOUNDS, check, write

#: the multiplier of every example count (1: the default test run)
SCALE = max(1, int(os.environ.get("CHECKER_FUZZ", "1") or "1"))


def examples(n: int) -> settings:
    """``n`` examples (times `SCALE`): derandomized by default, fresh in
    the long profile; no example database, no deadline (a search may take
    a second)."""
    return settings(max_examples=n * SCALE, derandomize=SCALE == 1, database=None, deadline=None)


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="checker-fuzz-"))


@examples(160)
@given(strategies.spec_inputs())
def test_mutated_specs(case: tuple[str, bytes]) -> None:
    name, data = case
    directory = _scratch()
    check(["run", write(directory, name, data), *BOUNDS])


@examples(70)
@given(strategies.run_argvs())
def test_fuzzed_options(argv: list[str]) -> None:
    check(argv)


@examples(80)
@given(strategies.trace_files())
def test_mutated_trace_files(data: bytes) -> None:
    directory = _scratch()
    path = write(directory, "t.trace.json", data)
    for form in ("text", "html", "mermaid", "itf", "dot"):
        check(["show", path, "--format", form])


@examples(50)
@given(strategies.log_files())
def test_mutated_logs(data: bytes) -> None:
    directory = _scratch()
    log = write(directory, "log.jsonl", data)
    check(["validate", seeds.TICKET, "--log", log, "--map", str(seeds.DATA / "ticket.toml")])


@examples(50)
@given(strategies.mapping_files())
def test_mutated_mappings(data: bytes) -> None:
    directory = _scratch()
    mapping = write(directory, "map.toml", data)
    check(["validate", seeds.TICKET, "--log", str(seeds.DATA / "ticket_ok.jsonl"), "--map", mapping])
