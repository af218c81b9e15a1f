"""What the subcommands share: the argument parser, option groups and
argument types, and the step from parsed flags to the typed options
objects (`checker.options`). Flag names live here and in the subcommand
modules only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import webbrowser
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from checker.errors import UsageError
from checker.explore.control import parse_size
from checker.explore.progress import ProgressCallback, ProgressPrinter
from checker.options import LoadOptions, Option, OptionError, SearchOptions, Strategy

#: the flag of each option, for messages about a value the core rejected.
FLAGS = {
    Option.CONSTS: "--const", Option.FAULTS: "--faults", Option.SYMMETRIC: "--symmetric", Option.OUT: "--out",
    Option.STRATEGY: "--strategy", Option.MAX_DEPTH: "--max-depth", Option.MAX_STATES: "--max-states",
    Option.TIME_LIMIT: "--time-limit", Option.LIVENESS_MAX_STATES: "--liveness-max-states",
    Option.EXACT_STATES: "--exact-states", Option.WORKERS: "--workers", Option.RAY_ADDRESS: "--ray",
    Option.CHECKPOINT: "--checkpoint", Option.CHECKPOINT_EVERY: "--checkpoint-every", Option.RESUME: "--resume",
    Option.MEMORY_LIMIT: "--memory-limit",
}


def usage_error(exc: OptionError) -> UsageError:
    """An option the core rejected, named by its flag."""
    flag = FLAGS[exc.option]
    return UsageError(f"{flag} {exc.item}: {exc.message}" if exc.item else f"{flag} {exc.message}")


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with our exit code 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


# ---- argument types: each names its option in the error --------------------

#: an integer option of more digits than this is a typo
MAX_OPTION_DIGITS = 18


def clip(text: str, limit: int = 24) -> str:
    """A value the user gave, cut short for a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def non_negative_int(flag: str) -> Callable[[str], int]:
    def conv(text: str) -> int:
        t = text.strip()
        if not re.fullmatch(r"-?[0-9]+", t):
            raise argparse.ArgumentTypeError(f"{flag} must be an integer, not {clip(text)!r}")
        if len(t.lstrip("-")) > MAX_OPTION_DIGITS:
            raise argparse.ArgumentTypeError(f"{flag} {clip(t)}: at most {MAX_OPTION_DIGITS} digits")
        v = int(t)
        if v < 0:
            raise argparse.ArgumentTypeError(f"{flag} must be >= 0, not {v}")
        return v

    return conv


def positive_seconds(flag: str) -> Callable[[str], float]:
    def conv(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a number of seconds, not {clip(text)!r}") from None
        if not v > 0:  # nan too
            raise argparse.ArgumentTypeError(f"{flag} must be > 0, not {clip(text)!r}")
        return v

    return conv


# ---- option groups -----------------------------------------------------------

def add_const_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--const", action="append", metavar="NAME=VALUE", help="override a constant of the spec")


def add_load_options(p: argparse.ArgumentParser) -> None:
    """How a spec becomes a model: constants, fault bounds, symmetry."""
    add_const_option(p)
    p.add_argument("--faults", action="append", metavar="KIND=N,...",
                   help="override fault bounds, e.g. loss=2,crash=1 or crash:Server=1 (KIND=0 turns one off)")
    p.add_argument("--no-symmetry", action="store_true",
                   help="ignore the spec's `symmetric` declarations (explore every permuted state)")
    p.add_argument("--symmetric", action="append", metavar="ROLE",
                   help="treat ROLE's nodes as interchangeable, as if the spec declared `symmetric ROLE`")


def size(flag: str) -> Callable[[str], int]:
    def conv(text: str) -> int:
        try:
            return parse_size(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{flag}: {exc}") from None

    return conv


def positive_int(flag: str) -> Callable[[str], int]:
    def conv(text: str) -> int:
        v = non_negative_int(flag)(text)
        if v < 1:
            raise argparse.ArgumentTypeError(f"{flag} must be >= 1, not {v}")
        return v

    return conv


def add_search_options(p: argparse.ArgumentParser) -> None:
    """Bounds, strategy and scale of the search."""
    p.add_argument("--strategy", choices=[s.value for s in Strategy], default=None,
                   help="bfs (default) finds shortest counterexamples; dfs finds some counterexample "
                        "(DFS runs in one process)")
    p.add_argument("--max-depth", type=non_negative_int("--max-depth"), metavar="N",
                   help="explore at most N steps deep")
    p.add_argument("--max-states", type=non_negative_int("--max-states"), metavar="N",
                   help="stop after N distinct states")
    p.add_argument("--time-limit", type=positive_seconds("--time-limit"), metavar="SECONDS",
                   help="stop after this many seconds")
    p.add_argument("--no-progress", action="store_true", help="do not print progress lines on long runs")
    p.add_argument("--liveness-max-states", type=non_negative_int("--liveness-max-states"), metavar="N",
                   help="give up the liveness check (exit 3) past N states in the state graph (default 1000000)")
    g = p.add_argument_group("scale")
    g.add_argument("--workers", type=positive_int("--workers"), metavar="N",
                   help="spread the breadth-first search over N processes (default: one per core), the seen set "
                        "partitioned by fingerprint; counts, verdicts and traces are those of one process. "
                        "DFS, the liveness check (specs with eventually/leadsto) and `checker validate` "
                        "run in one process")
    g.add_argument("--exact-states", action="store_true",
                   help="keep whole states in the seen set instead of 64-bit fingerprints (more memory, no "
                        "collision risk; one process)")
    g.add_argument("--ray", metavar="ADDRESS", dest="ray_address",
                   help="run the partitions as Ray actors on the cluster at ADDRESS (e.g. auto or HEAD:6379); "
                        "needs pip install 'checker[ray]'; --workers defaults to the cluster's CPUs")
    g.add_argument("--memory-limit", type=size("--memory-limit"), metavar="SIZE",
                   help="stop cleanly (exit 3, statistics so far, a checkpoint if --checkpoint) when the "
                        "search's resident memory reaches SIZE, e.g. 8G or 500M")
    g.add_argument("--compact-frontier", type=non_negative_int("--compact-frontier"), metavar="N",
                   default=SearchOptions.compact_frontier,
                   help="hold a breadth-first frontier of more than N states encoded, at about a third of the "
                        f"memory and a little more time (default {SearchOptions.compact_frontier:,}; 0: always)")


def add_checkpoint_options(p: argparse.ArgumentParser) -> None:
    """Checkpoints of a BFS and resuming one (`checker run`)."""
    g = p.add_argument_group("checkpoints")
    g.add_argument("--checkpoint", metavar="DIR",
                   help="write a consistent snapshot of the search (seen fingerprints, frontier, counters, "
                        "parents) into DIR every --checkpoint-every seconds and when stopped (Ctrl-C, limits)")
    g.add_argument("--checkpoint-every", type=positive_seconds("--checkpoint-every"), metavar="SECONDS",
                   help="seconds between two checkpoints (default 300)")
    g.add_argument("--resume", metavar="DIR",
                   help="continue the search saved in DIR (no SPEC: the checkpoint holds the model and its "
                        "options); ends exactly as the uninterrupted run would")


# ---- parsed flags -> options ---------------------------------------------------

def parse_consts(items: list[str] | None) -> dict[str, str]:
    """``--const NAME=VALUE`` options -> {NAME: VALUE text}."""
    consts: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise UsageError(f"--const {item}: expected NAME=VALUE, e.g. --const Servers=5")
        if name in consts:
            raise UsageError(f"--const {name} is given twice")
        consts[name] = value.strip()
    return consts


def parse_faults(items: list[str] | None) -> dict[str, int]:
    """``--faults loss=2,crash=1,crash:Server=0`` -> {"loss": 2, "crash": 1,
    "crash Server": 0}; kinds and bounds are checked by the spec's
    resolver (`checker.dsl.faults`)."""
    out: dict[str, int] = {}
    for item in items or []:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            kind, _, target = key.strip().partition(":")
            if not sep or not kind.strip():
                raise UsageError(f"--faults {clip(part)}: expected KIND=N or KIND:ROLE=N")
            v = value.strip()
            if not re.fullmatch(r"[0-9]+", v):
                raise UsageError(f"--faults {clip(part)}: the bound must be a non-negative integer "
                                 "(an unbounded fault makes the state space infinite)")
            name = f"{kind.strip()} {target.strip()}" if target.strip() else kind.strip()
            if name in out:
                raise UsageError(f"--faults {name.replace(' ', ':')} is given twice")
            if len(v) > 9:
                raise UsageError(f"--faults {name.replace(' ', ':')}={clip(v)}: the bound is far too large "
                                 "(at most 9 digits; each fault multiplies the state space)")
            out[name] = int(v)
    return out


def load_options(args: argparse.Namespace) -> LoadOptions:
    """The `LoadOptions` of parsed ``--const``/``--faults``/symmetry flags
    (a subcommand may offer only ``--const``)."""
    roles: list[str] = []
    for item in getattr(args, "symmetric", None) or []:
        roles.extend(n.strip() for n in item.split(",") if n.strip())
    return LoadOptions(consts=parse_consts(args.const), faults=parse_faults(getattr(args, "faults", None)),
                       symmetry=not getattr(args, "no_symmetry", False), symmetric=tuple(roles))


#: search options a resumed run takes from its own command line; the others
#: are the checkpoint's.
RESUME_MAY_CHANGE = ("workers", "ray_address", "memory_limit", "time_limit", "checkpoint_every")


def search_options(args: argparse.Namespace) -> SearchOptions:
    """The `SearchOptions` of parsed flags. ``--workers`` defaults to every
    core (0), or to 1 with ``--exact-states``."""
    exact = bool(getattr(args, "exact_states", False))
    workers = getattr(args, "workers", None)
    checkpoint_every = getattr(args, "checkpoint_every", None)
    return SearchOptions(strategy=Strategy(args.strategy or Strategy.BFS), max_depth=args.max_depth,
                         max_states=args.max_states, time_limit=args.time_limit,
                         liveness_max_states=args.liveness_max_states, exact_states=exact,
                         workers=workers if workers is not None else (1 if exact else 0),
                         ray_address=getattr(args, "ray_address", None),
                         checkpoint=getattr(args, "checkpoint", None),
                         checkpoint_every=checkpoint_every if checkpoint_every is not None else 300.0,
                         memory_limit=getattr(args, "memory_limit", None),
                         compact_frontier=getattr(args, "compact_frontier", SearchOptions.compact_frontier))


def progress_printer(args: argparse.Namespace) -> ProgressCallback | None:
    return None if args.no_progress else ProgressPrinter(sys.stderr)


def spec_files(paths: list[str]) -> list[Path]:
    """Expand directories into their *.dsl files, in a stable order."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(path.rglob("*.dsl"))
            if not found:
                raise UsageError(f"{p}: the directory holds no .dsl spec")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{p}: no such file or directory")
    return files


def open_first_html(paths: list[Path]) -> None:
    """Open the first HTML page in the default browser, or say where it is."""
    pages = [p for p in paths if p.suffix == ".html"]
    if not pages:
        return
    try:
        opened = webbrowser.open(pages[0].resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        print(f"checker: no browser available; open {pages[0]} yourself", file=sys.stderr)


# ---- the report: a reader that goes away keeps the verdict ------------------

def quiet_stdout() -> None:
    """Send what is still to be printed, and the flush at exit, nowhere:
    the reader of a pipe went away."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


@contextmanager
def report() -> Iterator[None]:
    """Printing a command's report: when its reader goes away
    (``checker run SPEC | head -1``) the rest is dropped and the command
    still exits with its verdict's code, so a script piping the report
    does not lose the verdict."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
