"""Trace validation speed and memory: events/s and peak RSS on long logs.

    python benchmarks/validate_bench.py                 # every benchmark
    python benchmarks/validate_bench.py ring-100000     # the ones whose label contains this

Each benchmark writes a log from a random walk of a model (the generic
schema of `checker.validate.synth`: each event names its step and carries
the acting node's variables, which the mapping observes), then validates it
in a fresh subprocess, so that the subprocess's peak RSS is the validator's
alone (its growth during validation is printed too, and the peak of the
Python heap during a second, traced run). Logs of 10,000 and 100,000 events of the same model show whether
memory stays bounded as the log grows (the validator keeps its candidate
states and the last --window steps, never the log).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checker.options import LoadOptions

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A token ring with two tokens and a nondeterministic local action: an
# infinite behaviour over a bounded state space, so per-event cost is flat.
RING = """
spec Ring
const N = 3
network fifo
role Node[N] {
  var count = 0
  var last = 0
  init {
    if index(self) < 2 {
      for q in Node { if index(q) == (index(self) + 1) % N { send Token(0) to q } }
    }
  }
  on Token(v) from p {
    count = (count + 1) % 50
    last = v
    for q in Node { if index(q) == (index(self) + 1) % N { send Token((v + 1) % 1000) to q } }
  }
  action bump(k in 1..2) when count % 5 == 0 { count = (count + k) % 50 }
}
terminal true
"""

BENCHMARKS = [  # label, spec (path or text), events, steps to avoid in the walk, consts, observe
    ("ring-10000", RING, 10_000, (), {}, True),
    ("ring-100000", RING, 100_000, (), {}, True),
    # The log says only which step happened, not the variables nor bump's
    # parameter: several candidate states survive each event.
    ("ring-blind-100000", RING, 100_000, (), {}, False),
    ("raft_pysyncobj-10000", "specs/raft_pysyncobj.dsl", 10_000, ("Server.crash", "Server.step_down"),
     {"NValues": "3"}, True),
    ("raft_pysyncobj-100000", "specs/raft_pysyncobj.dsl", 100_000, ("Server.crash", "Server.step_down"),
     {"NValues": "3"}, True),
]


def _load(spec: str, consts: dict[str, str]):
    from checker.compile import load_spec, load_text

    options = LoadOptions(consts=consts)
    return load_text(spec, "<ring>", options) if "\n" in spec else load_spec(str(ROOT / spec), options)


def write_inputs(label: str, spec: str, events: int, avoid: tuple[str, ...], consts: dict[str, str],
                 tmp: Path, observe: bool = True) -> tuple[Path, Path, Path]:
    from checker.validate.synth import generic_mapping, random_walk_log

    model = _load(spec, consts)
    spec_path = tmp / f"{label}.dsl"
    spec_path.write_text(spec if "\n" in spec else (ROOT / spec).read_text())
    mapping = tmp / f"{label}.toml"
    text = generic_mapping(model, observe=observe)
    if not observe:  # nor the parameters
        text = "\n".join(x for x in text.splitlines() if not x.startswith("params ="))
    if consts:
        text = "[validate]\nconsts = { " + ", ".join(f"{k} = {v}" for k, v in consts.items()) + " }\n\n" + text
    mapping.write_text(text)
    log = tmp / f"{label}.jsonl"
    with log.open("w") as f:
        for ev in random_walk_log(model, events, seed=7, avoid=avoid):
            f.write(json.dumps(ev) + "\n")
    return spec_path, mapping, log


def measure(spec: Path, mapping: Path, log: Path) -> dict:
    """Validate in a subprocess; its verdict, events/s and peak RSS."""
    code = (
        "import json, resource, sys\n"
        "from checker.validate import prepare, validate\n"
        "m, mp, b = prepare(sys.argv[1], sys.argv[2])\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "out = validate(m, mp, b, [sys.argv[3]])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "import tracemalloc\n"
        "tracemalloc.start()\n"
        "validate(m, mp, b, [sys.argv[3]])  # again, for the heap peak (tracemalloc slows it down)\n"
        "heap = tracemalloc.get_traced_memory()[1]\n"
        "print(json.dumps({'verdict': out.verdict, 'events': out.events, 'seconds': out.seconds,\n"
        "  'max_candidates': out.max_candidates_seen, 'rss_mb': peak / 1024, 'growth_mb': (peak - base) / 1024,\n"
        "  'heap_mb': heap / 2**20}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", code, str(spec), str(mapping), str(log)], capture_output=True,
                         text=True, env=env, check=False)
    if res.returncode != 0:
        raise SystemExit(f"validation failed:\n{res.stderr}")
    return json.loads(res.stdout)


def main(argv: list[str]) -> None:
    wanted = [b for b in BENCHMARKS if not argv or any(a in b[0] for a in argv)]
    print(f"{'benchmark':24} {'events':>9} {'verdict':>9} {'cands':>6} {'events/s':>10} {'peak RSS':>9} "
          f"{'growth':>8} {'heap peak':>10} {'log':>8}")
    with tempfile.TemporaryDirectory(prefix="checker-validate-bench-") as d:
        for label, spec, events, avoid, consts, observe in wanted:
            t0 = time.monotonic()
            spec_path, mapping, log = write_inputs(label, spec, events, avoid, consts, Path(d), observe)
            gen = time.monotonic() - t0
            r = measure(spec_path, mapping, log)
            rate = r["events"] / r["seconds"] if r["seconds"] else 0
            print(f"{label:24} {r['events']:>9,} {r['verdict']:>9} {r['max_candidates']:>6} {rate:>10,.0f} "
                  f"{r['rss_mb']:>7.0f}MB {r['growth_mb']:>6.1f}MB {r['heap_mb']:>8.1f}MB "
                  f"{log.stat().st_size / 1e6:>6.1f}MB"
                  f"   (log written in {gen:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
