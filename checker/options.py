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
    """

    strategy: Strategy = Strategy.BFS
    max_depth: int | None = None
    max_states: int | None = None
    time_limit: float | None = None
    liveness_max_states: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "strategy", Strategy(self.strategy))
        for option, value in ((Option.MAX_DEPTH, self.max_depth), (Option.MAX_STATES, self.max_states),
                              (Option.TIME_LIMIT, self.time_limit),
                              (Option.LIVENESS_MAX_STATES, self.liveness_max_states)):
            if value is not None and value < 0:
                raise OptionError(option, str(value), "must not be negative")
