"""The typed, frozen options of a run, built once by the CLI (or by a
program using checker as a library) and handed down unchanged.

`LoadOptions` say how a spec becomes a model; they are plain data, so a
worker process can rebuild the same model from the spec text and these
options alone. `SearchOptions` bound and steer the exploration. Nothing
below the CLI sees an argparse namespace or a flag name: an option a core
module rejects is reported as an `OptionError` naming the field, and the
CLI turns the field into its flag.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping

from checker.errors import CheckerError


class Strategy(StrEnum):
    """The order in which the search visits states."""

    BFS = "bfs"  # level by level: every counterexample is a shortest one
    DFS = "dfs"


class Option(StrEnum):
    """The options a user gives (fields of the options objects); the CLI
    maps each to its flag for messages."""

    CONSTS = "consts"
    FAULTS = "faults"
    SYMMETRIC = "symmetric"
    OUT = "out"
    STRATEGY = "strategy"
    MAX_DEPTH = "max_depth"
    MAX_STATES = "max_states"
    TIME_LIMIT = "time_limit"
    LIVENESS_MAX_STATES = "liveness_max_states"
    EXACT_STATES = "exact_states"
    WORKERS = "workers"
    RAY_ADDRESS = "ray_address"
    CHECKPOINT = "checkpoint"
    CHECKPOINT_EVERY = "checkpoint_every"
    RESUME = "resume"
    MEMORY_LIMIT = "memory_limit"


class OptionError(CheckerError):
    """A value given for an option is wrong. ``item`` is the part of the
    option at fault as the user wrote it (``Servers=abc``)."""

    def __init__(self, option: Option, item: str, message: str):
        super().__init__(f"{option.value} {item}: {message}" if item else f"{option.value} {message}")
        self.option = option
        self.item = item
        self.message = message


@dataclass(frozen=True)
class LoadOptions:
    """How a spec (or Python model) becomes a `checker.model.Model`.

    ``consts``: constant overrides as source text (``{"Servers": "5"}``);
    ``faults``: fault bounds by counter name (``{"loss": 2, "crash Server": 1}``,
    see `checker.dsl.faults`); ``symmetry``: False ignores the spec's
    ``symmetric`` declarations; ``symmetric``: more roles to treat as
    symmetric. The mappings are copied and must be treated as read-only.
    """

    consts: Mapping[str, str] = field(default_factory=dict)
    faults: Mapping[str, int] = field(default_factory=dict)
    symmetry: bool = True
    symmetric: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "consts", dict(self.consts or {}))
        object.__setattr__(self, "faults", dict(self.faults or {}))
        object.__setattr__(self, "symmetric", tuple(self.symmetric))


@dataclass(frozen=True)
class SearchOptions:
    """Bounds and strategy of one exploration (`checker.explore.explore`).

    ``max_depth`` (steps from an initial state; None: the model's own
    bound), ``max_states`` (distinct states), ``time_limit`` (seconds): hitting
    one makes the result incomplete. ``liveness_max_states`` bounds the
    state graph of a liveness check (None: the engine's default).

    Scale: ``exact_states`` keeps whole states in the seen set instead of
    64-bit fingerprints (`checker.explore.fingerprint`; one process only).
    ``workers`` > 1 (0: one per core) spreads a breadth-first search over that many processes
    once a level holds ``parallel_threshold`` states, or over the Ray
    cluster at ``ray_address``; DFS and the liveness graph stay in one
    process. ``checkpoint`` is a directory that receives a consistent
    snapshot every ``checkpoint_every`` seconds and when the search is
    stopped; ``resume`` continues from the snapshot in that directory.
    ``memory_limit`` (bytes of resident memory) stops the search cleanly
    before the kernel would kill it. A breadth-first frontier (the rest of
    a level and the next) of more than ``compact_frontier`` states is held
    encoded, at about a third of the memory and a little more time per
    step (None: never; only for models with `Model.plain_states`).
    """

    strategy: Strategy = Strategy.BFS
    max_depth: int | None = None
    max_states: int | None = None
    time_limit: float | None = None
    liveness_max_states: int | None = None
    exact_states: bool = False
    workers: int = 1
    parallel_threshold: int = 2000
    ray_address: str | None = None
    checkpoint: str | None = None
    checkpoint_every: float = 300.0
    resume: str | None = None
    memory_limit: int | None = None
    compact_frontier: int | None = 50_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "strategy", Strategy(self.strategy))
        for option, value in ((Option.MAX_DEPTH, self.max_depth), (Option.MAX_STATES, self.max_states),
                              (Option.TIME_LIMIT, self.time_limit),
                              (Option.LIVENESS_MAX_STATES, self.liveness_max_states)):
            if value is not None and value < 0:
                raise OptionError(option, str(value), "must not be negative")
        if self.workers < 0:
            raise OptionError(Option.WORKERS, str(self.workers), "must be at least 1 (0: one per core)")
        if not self.checkpoint_every > 0:
            raise OptionError(Option.CHECKPOINT_EVERY, str(self.checkpoint_every), "must be > 0 seconds")
        if self.memory_limit is not None and self.memory_limit <= 0:
            raise OptionError(Option.MEMORY_LIMIT, str(self.memory_limit), "must be a positive size")
        if self.exact_states and (self.workers > 1 or self.ray_address):
            raise OptionError(Option.EXACT_STATES, "", "keeps whole states in one process; "
                              "it cannot be combined with several workers or a Ray cluster")
        if self.strategy is Strategy.DFS and (self.checkpoint or self.resume):
            raise OptionError(Option.CHECKPOINT if self.checkpoint else Option.RESUME, "",
                              "applies to the breadth-first search (--strategy bfs)")

    @property
    def parallel(self) -> bool:
        """Whether a BFS would spread over several workers."""
        if self.strategy is not Strategy.BFS or self.exact_states:
            return False
        if self.ray_address:
            return True
        return self.workers > 1 or (self.workers == 0 and cores() > 1)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
