"""Hypothesis strategies over what users give the checker: spec text,
option values, trace files, JSON Lines logs and TOML mappings. Each draws
a well-formed input from `tests.fuzz.seeds` and damages it with
`tests.fuzz.mutate` (the choices are hypothesis integers, so a failure
shrinks to few, early mutations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from hypothesis import strategies as st

from tests.conftest import SPECS
from tests.fuzz import mutate, seeds

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _pick(draw: Draw) -> mutate.Pick:
    return lambda n: draw(st.integers(0, n - 1))


@st.composite
def spec_inputs(draw: Draw) -> tuple[str, bytes]:
    """(the spec it came from, mutated spec bytes)."""
    path = draw(st.sampled_from(seeds.SPEC_FILES))
    return path.name, mutate.mutate_spec(seeds.spec_text(path), _pick(draw))


#: specs that explore in well under a second: the option fuzzer runs them
QUICK_SPECS = tuple(SPECS / p for p in ("channel/naive.dsl", "channel/checksum.dsl", "locks/two_phase_lock.dsl",
                                        "tla/twophase.dsl", "replication/primary.dsl", "consistent_hashing.dsl",
                                        "cap.dsl"))

_CONST_VALUES = (
    "0", "-1", "1", "3", "9" * 19, "9" * 5000, "-" + "9" * 5000, "1e9", "0x10", "\u00b2", "\u0663", "true", "false",
    "none", '"a"', "abc", '"', "''", "[1, 2]", "[]", "{}", "{1, 2}", "{:}", "{1: 2}", '{"a": [1]}', "(a: 1)",
    "(a: 1, b: [2, 3])", "(1, 2)", "(1,)", "()", "[" * 300 + "]" * 300, "{1: {2: {3: 4}}}", '[1, "a", true]',
    "Server[0]", "0..3", "0..1000000000000", "1 +", "[1, 2", "{a: 1, a: 2}", "(a: 1, a: 2)", "x y", "\x00",
)
_FAULTS = ("loss=1", "crash=1", "crash:Server=1", "crash:Nope=1", "partition=" + "9" * 5000, "loss=-1", "nope=1",
           "loss", "=", ",,", "reorder=2", "duplicate=99999999", "restart=1", "corrupt=1", "partition=1", "loss=1,loss=2",
           "crash:=1", ":Server=1", "loss=\u00b2")


@st.composite
def run_argvs(draw: Draw) -> list[str]:
    """``run SPEC`` with fuzzed options (bounded: `tests.fuzz.harness.BOUNDS`
    come first; a fuzzed bound is at most as large)."""
    from tests.fuzz.harness import BOUNDS

    path = draw(st.sampled_from(QUICK_SPECS))
    argv = ["run", str(path), *BOUNDS]
    names = seeds.consts_of(path) + ("Nope", "", "x=y")
    roles = seeds.roles_of(path) + ("Nope",)
    for _ in range(draw(st.integers(1, 4))):
        option = draw(st.integers(0, 8))
        if option <= 2:
            argv += ["--const", f"{draw(st.sampled_from(names))}={draw(st.sampled_from(_CONST_VALUES))}"]
        elif option == 3:
            argv += ["--faults", draw(st.sampled_from(_FAULTS))]
        elif option == 4:
            argv += [draw(st.sampled_from(["--max-depth", "--max-states", "--liveness-max-states"])),
                     draw(st.sampled_from(["0", "1", "5", "-1", "abc", "9" * 5000, "300"]))]
        elif option == 5:
            argv += ["--time-limit", draw(st.sampled_from(["0", "-1", "0.5", "nan", "inf", "1e400", "x"]))]
        elif option == 6:
            argv += ["--symmetric", draw(st.sampled_from(roles))]
        elif option == 7:
            argv += [draw(st.sampled_from(["--no-symmetry", "--json", "--strategy=dfs", "--strategy=xyz"]))]
        else:
            argv += ["--faults", f"{draw(st.sampled_from(['loss', 'crash', 'duplicate']))}="
                                 f"{draw(st.sampled_from(['0', '1', '2']))}"]
    return argv


@st.composite
def trace_files(draw: Draw) -> bytes:
    """A trace file of `checker run --out`, damaged."""
    doc = draw(st.sampled_from(seeds.traces()))
    pick = _pick(draw)
    if draw(st.integers(0, 5)):
        doc = mutate.mutate_json(doc, pick)
    return mutate.dump_json(doc, pick)


@st.composite
def log_files(draw: Draw) -> bytes:
    """The ticket protocol's log, damaged."""
    return mutate.mutate_log(list(seeds.LOG_LINES), _pick(draw))


@st.composite
def mapping_files(draw: Draw) -> bytes:
    """The ticket protocol's mapping, damaged."""
    return mutate.mutate_toml(seeds.MAPPING, _pick(draw))


def write(directory: Path, name: str, data: bytes) -> str:
    path = directory / name
    path.write_bytes(data)
    return str(path)
