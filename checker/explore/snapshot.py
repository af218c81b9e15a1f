"""A consistent picture of a breadth-first search between two expansions,
and its checkpoint file.

The search can stop after expanding any state of a level and go on later
to exactly the result of an uninterrupted run: the picture holds the seen
set with its parent links, the unexpanded rest of the current level and
the next level found so far (both in BFS order), and every counter. The
same picture hands a search from one process to the parallel engine and
back (`checker.explore.parallel`).

A checkpoint directory holds one file, ``checkpoint.pickle``, replaced
atomically (written beside it, flushed, renamed), so a run killed at any
moment leaves the previous checkpoint whole. With fingerprints the seen set
is stored as two arrays of 64-bit ints (an initial state is its own parent).
"""

from __future__ import annotations

import os
import pickle
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Hashable

from checker.errors import UsageError
from checker.model import Action, State, StepAssertionError

#: the file inside a checkpoint directory.
FILE = "checkpoint.pickle"
#: bumped when the layout changes; older files are refused.
FORMAT = 1

Key = Hashable  # a fingerprint (int) or, with exact states, the state itself


@dataclass(frozen=True)
class AssertionRecord:
    """A failed step assertion or a step that violates a step property, as
    plain picklable data (the attributes of `checker.model.StepAssertionError`
    that traces use; ``target``: the state the violating step reached)."""

    prop: str
    action: Action | None  # None: an evaluation error while computing the steps
    message: str
    values: dict[str, str]
    target: State | None = None

    @staticmethod
    def of(exc: StepAssertionError) -> AssertionRecord:
        return AssertionRecord(exc.prop, exc.action, exc.message, dict(exc.values), exc.target)


@dataclass(frozen=True)
class Found:
    """The first violation of one property: its kind ("invariant",
    "assertion", "deadlock", "step"), the key of the state where it shows,
    and for an assertion or a step property the step."""

    kind: str
    key: Key
    assertion: AssertionRecord | None = None


@dataclass
class Snapshot:
    """A BFS between two expansions. ``seen`` maps each key to its parent's
    key (None for an initial state); ``rest`` is the part of the level at
    ``depth`` not yet expanded and ``nxt`` the states of the next level
    found so far, each with its keys (``rest_keys``/``nxt_keys``, the same
    lists as the states when states are their own keys)."""

    exact: bool
    seen: dict[Any, Any]
    rest: list[State]
    rest_keys: list[Any]
    nxt: list[State] = field(default_factory=list)
    nxt_keys: list[Any] = field(default_factory=list)
    depth: int = 0
    coverage: list[int] = field(default_factory=list)
    found: dict[str, Found] = field(default_factory=dict)
    assertion_cuts: int = 0
    seconds: float = 0.0

    @property
    def generated(self) -> int:
        return sum(self.coverage)

    @property
    def queue(self) -> int:
        return len(self.rest) + len(self.nxt)


# ---- checkpoint files ---------------------------------------------------------

def _pack_seen(seen: dict[int, int | None]) -> tuple[array, array]:
    keys = array("Q", seen.keys())
    parents = array("Q", (k if p is None else p for k, p in seen.items()))
    return keys, parents


def _unpack_seen(keys: array, parents: array) -> dict[int, int | None]:
    return {k: (None if p == k else p) for k, p in zip(keys, parents)}


def write_checkpoint(directory: str, snap: Snapshot, header: dict[str, Any]) -> Path:
    """Write ``snap`` with ``header`` (the recipe of the model, the search
    options, ...) into ``directory``, replacing the previous checkpoint
    atomically. Returns the file written."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    body: dict[str, Any] = {
        "format": FORMAT, "header": header, "exact": snap.exact, "depth": snap.depth,
        "coverage": list(snap.coverage), "found": snap.found, "assertion_cuts": snap.assertion_cuts,
        "seconds": snap.seconds, "rest": snap.rest, "nxt": snap.nxt,
    }
    if snap.exact:
        body["seen"] = snap.seen
    else:
        body["seen_arrays"] = _pack_seen(snap.seen)
        body["rest_keys"] = array("Q", snap.rest_keys)
        body["nxt_keys"] = array("Q", snap.nxt_keys)
    target = d / FILE
    tmp = d / (FILE + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(body, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def read_checkpoint(directory: str) -> tuple[Snapshot, dict[str, Any]]:
    """The snapshot and header written by `write_checkpoint`; a missing or
    unreadable checkpoint is a `UsageError` naming the directory."""
    path = Path(directory) / FILE
    if not path.exists():
        raise UsageError(f"{directory}: no checkpoint here (expected {path})")
    try:
        with open(path, "rb") as f:
            body = pickle.load(f)
    except Exception as exc:  # truncated or not ours
        raise UsageError(f"{path}: not a readable checkpoint ({type(exc).__name__}: {exc})") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise UsageError(f"{path}: a checkpoint of another format (this checker reads format {FORMAT})")
    exact = body["exact"]
    if exact:
        seen = body["seen"]
        rest_keys, nxt_keys = body["rest"], body["nxt"]
    else:
        seen = _unpack_seen(*body["seen_arrays"])
        rest_keys, nxt_keys = list(body["rest_keys"]), list(body["nxt_keys"])
    snap = Snapshot(exact, seen, body["rest"], rest_keys, body["nxt"], nxt_keys, body["depth"],
                    body["coverage"], body["found"], body["assertion_cuts"], body["seconds"])
    return snap, body["header"]
