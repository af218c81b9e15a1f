"""Speed and memory figures of the exploration engine, one model per process.

    python benchmarks/run.py              # every benchmark
    python benchmarks/run.py twophase-7   # the ones whose label contains this

Each model runs in a fresh subprocess so that peak RSS (``ru_maxrss``) growth
during the search is that model's alone; bytes/state is that growth divided
by the distinct-state count (it includes the seen dict, the states and the
BFS queue). To add a benchmark (e.g. a DSL spec), append a (label, factory)
pair to BENCHMARKS; the factory returns a `checker.model.Model`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.model import Model  # noqa: E402
from checker.options import LoadOptions  # noqa: E402


def _twophase(rm: int) -> Callable[[], Model]:
    def build() -> Model:
        from models.twophase import build_model

        return build_model(RM=rm)

    return build


def _ticket() -> Model:
    from models.ticket import build_model

    return build_model()


def _spec(path: str, **consts: int) -> Callable[[], Model]:
    def build() -> Model:
        from checker.compile import load_spec

        return load_spec(str(ROOT / path), LoadOptions(consts={k: str(v) for k, v in consts.items()}))

    return build


def _symmetric(path: str, roles: tuple[str, ...], **consts: int) -> Callable[[], Model]:
    """A spec explored with symmetry reduction over ``roles``."""
    def build() -> Model:
        from checker.compile import load_spec

        return load_spec(str(ROOT / path), LoadOptions(consts={k: str(v) for k, v in consts.items()}, symmetric=roles))

    return build


BENCHMARKS: list[tuple[str, Callable[[], Model]]] = [
    ("dsl:tla/twophase RM=5", _spec("specs/tla/twophase.dsl", RM=5)),
    ("dsl:tla/twophase RM=7", _spec("specs/tla/twophase.dsl", RM=7)),
    ("dsl:tla/paxos MaxBallot=1", _spec("specs/tla/paxos.dsl", MaxBallot=1)),
    ("dsl:tla/paxos MaxBallot=2", _spec("specs/tla/paxos.dsl", MaxBallot=2)),
    ("dsl:ticket", _spec("specs/ticket.dsl")),
    # raft.tla with TLC's constraint: TLC reports 705,532 states (depth 39).
    ("dsl:tla/raft Servers=3", _spec("specs/tla/raft.dsl", Servers=3)),
    ("dsl:tla/raft Servers=3 symmetric", _symmetric("specs/tla/raft.dsl", ("Server",), Servers=3)),
    ("dsl:tla/twophase RM=7 symmetric", _symmetric("specs/tla/twophase.dsl", ("RMs",), RM=7)),
    # actor-style Raft at its default bounds, every fault, symmetric: 282,494 states.
    ("dsl:raft", _spec("specs/raft.dsl")),
    ("py:twophase RM=5", _twophase(5)),
    ("py:twophase RM=7", _twophase(7)),
    ("py:ticket 3x2", _ticket),
]


def measure(label: str) -> dict:
    """Run one benchmark in this process and return its figures."""
    from checker.explore import explore

    factory = dict(BENCHMARKS)[label]
    model = factory()
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = explore(model)
    after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s = result.stats
    growth = (after_kb - before_kb) * 1024
    return {
        "label": label,
        "distinct": s.distinct,
        "generated": s.generated,
        "depth": s.max_depth,
        "seconds": round(s.seconds, 3),
        "states_per_s": round(s.states_per_second),
        "peak_rss_mb": round(after_kb / 1024, 1),
        "rss_growth_mb": round(growth / 2**20, 1),
        "bytes_per_state": round(growth / s.distinct) if s.distinct else 0,
        "verdicts": result.verdicts,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(argv[1])))
        return 0
    wanted = [label for label, _ in BENCHMARKS if not argv or any(a in label for a in argv)]
    head = (f"{'model':<28}{'distinct':>10}{'generated':>12}{'depth':>6}{'seconds':>9}{'states/s':>10}"
            f"{'peak MB':>9}{'growth MB':>10}{'B/state':>9}")
    print(head)
    for label in wanted:
        env = dict(os.environ, PYTHONHASHSEED="0")
        out = subprocess.run([sys.executable, __file__, "--one", label], capture_output=True, text=True, env=env)
        if out.returncode != 0:
            print(f"{label:<28} failed:\n{out.stderr}")
            continue
        r = json.loads(out.stdout)
        print(f"{label:<28}{r['distinct']:>10}{r['generated']:>12}{r['depth']:>6}{r['seconds']:>9.2f}"
              f"{r['states_per_s']:>10}{r['peak_rss_mb']:>9}{r['rss_growth_mb']:>10}{r['bytes_per_state']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
