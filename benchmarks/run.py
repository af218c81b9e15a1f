"""The performance figures of issue 12, measured side by side in one run.

    python benchmarks/run.py                      # TwoPhase RM=7, Paxos.tla MaxBallot=2, raft.tla 3 servers
    python benchmarks/run.py twophase --repeat 3  # the workloads whose label holds "twophase", three rounds
    python benchmarks/run.py --memory             # bytes per state at a million states (paxos.dsl, 1.4M)
    python benchmarks/run.py --python /usr/bin/python3   # under another interpreter (needs checker's deps)

For each workload it runs the checker with 1 and with 2 workers and the
hand-written baseline (`shared/baselines/`), alternating (round after round
of the same order), each in a fresh process. It prints per run the CPU
seconds (user + sys of the process and its children: the machine is shared
and wall time lies), the wall seconds, the peak resident memory, and for
the checker the bytes per distinct state (peak RSS minus the RSS once the
model is built, over distinct states: the seen set, the frontier and the
parent table); then the ratios the issue's targets are stated in. The load
average before and after is printed: wall-clock speed-ups only mean
something on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Workload:
    label: str
    spec: str
    consts: dict[str, str]
    baseline: tuple[str, ...] | None  # script and arguments in the baselines directory


WORKLOADS = [
    Workload("TwoPhase RM=7", "specs/tla/twophase.dsl", {"RM": "7"}, ("twophase_bfs.py", "7")),
    Workload("Paxos.tla MaxBallot=2", "specs/tla/paxos.dsl", {"MaxBallot": "2"}, ("paxos_bfs.py", "3", "2", "2")),
    # TLC's constraint: 705,532 states, depth 39 (TLC's 40)
    Workload("raft.tla 3 servers", "specs/tla/raft.dsl", {"Servers": "3"}, None),
]
#: the memory target is stated at a million states
MEMORY = [Workload("paxos.dsl (actor)", "specs/paxos.dsl", {}, None)]


def one(spec: str, consts: dict[str, str], workers: int, exact: bool) -> dict[str, Any]:
    """In this process: load, note the RSS, explore, report (JSON)."""
    sys.path.insert(0, str(ROOT))
    from checker.explore import explore
    from checker.explore.control import resident_bytes
    from checker.loader import load_model
    from checker.options import LoadOptions, SearchOptions

    model = load_model(str(ROOT / spec), LoadOptions(consts=consts))
    base = resident_bytes()
    result = explore(model, SearchOptions(workers=workers, exact_states=exact))
    s = result.stats
    return {"distinct": s.distinct, "generated": s.generated, "depth": s.max_depth, "search_s": s.seconds,
            "base_rss": base, "workers": s.workers, "verdicts": {p: str(v) for p, v in result.verdicts.items()}}


def run_wrapped(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` and take its rusage (it and every descendant it waited for)
    from wait4: CPU seconds, peak RSS (the largest process), wall seconds."""
    t0 = time.monotonic()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: exec the command with stdout into the pipe
        os.close(r)
        os.dup2(w, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.chdir(ROOT)
        os.environ["PYTHONHASHSEED"] = "0"
        os.execvp(cmd[0], cmd)
    os.close(w)
    chunks = []
    while True:
        data = os.read(r, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3):
        raise RuntimeError(f"{' '.join(cmd)} exited {code}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": time.monotonic() - t0,
            "peak_rss": usage.ru_maxrss * 1024, "stdout": b"".join(chunks).decode()}


def checker_run(python: str, w: Workload, workers: int, exact: bool = False) -> dict[str, Any]:
    cmd = [python, str(Path(__file__).resolve()), "--one", w.spec, json.dumps(w.consts), str(workers)]
    if exact:
        cmd.append("--exact")
    r = run_wrapped(cmd)
    data = json.loads(r["stdout"].strip().splitlines()[-1])
    r.update(data)
    if workers == 1:  # with workers, the peak is the largest process's, not the search's
        r["bytes_per_state"] = (r["peak_rss"] - data["base_rss"]) / data["distinct"] if data["distinct"] else 0
    return r


def baseline_run(python: str, directory: Path, w: Workload) -> dict[str, Any]:
    assert w.baseline is not None
    r = run_wrapped([python, str(directory / w.baseline[0]), *w.baseline[1:]])
    fields = dict(part.split("=") for part in r["stdout"].replace(":", "").split() if "=" in part)
    r["distinct"] = int(fields.get("distinct", 0))
    return r


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def find_baselines(given: str | None) -> Path | None:
    for d in ([Path(given)] if given else [ROOT.parent / "shared" / "baselines", Path("/work/shared/baselines")]):
        if (d / "twophase_bfs.py").exists():
            return d
    return None


def row(name: str, r: dict[str, Any]) -> str:
    bps = f"{r['bytes_per_state']:>9.0f}" if "bytes_per_state" in r else f"{'':>9}"
    return (f"  {name:<26}{r.get('distinct', 0):>10,}{r['cpu']:>9.2f}{r['wall']:>9.2f}"
            f"{r['peak_rss'] / 2**20:>9.0f}{bps}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(argv[1], json.loads(argv[2]), int(argv[3]), "--exact" in argv)))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("only", nargs="*", help="run only workloads whose label contains one of these (case-insensitive)")
    p.add_argument("--repeat", type=int, default=1, help="rounds (default 1)")
    p.add_argument("--python", default=sys.executable, help="interpreter for the checker and the baselines")
    p.add_argument("--baselines", help="directory of twophase_bfs.py and paxos_bfs.py (default: shared/baselines)")
    p.add_argument("--memory", action="store_true",
                   help="bytes per state at a million states: paxos.dsl with fingerprints and with exact states")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to run (default 1 2)")
    args = p.parse_args(argv)
    baselines = find_baselines(args.baselines)
    workloads = MEMORY if args.memory else WORKLOADS
    workloads = [w for w in workloads if not args.only or any(o.lower() in w.label.lower() for o in args.only)]
    version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0], sys.executable)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"python {version}; load average {load()}; baselines: {baselines or 'not found'}")
    print(f"  {'run':<26}{'distinct':>10}{'CPU s':>9}{'wall s':>9}{'peak MB':>9}{'B/state':>9}")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for round_no in range(args.repeat):
        for w in workloads:
            print(f"{w.label} (round {round_no + 1})", flush=True)
            configs: list[tuple[str, Any]] = []
            if args.memory:
                configs = [("checker, fingerprints", lambda w=w: checker_run(args.python, w, 1)),
                           ("checker, exact states", lambda w=w: checker_run(args.python, w, 1, exact=True))]
            else:
                configs = [(f"checker, {n} worker{'s' if n > 1 else ''}",
                            lambda w=w, n=n: checker_run(args.python, w, n)) for n in args.workers]
                if w.baseline and baselines:
                    configs.append((f"baseline {' '.join(w.baseline)}", lambda w=w: baseline_run(args.python,
                                                                                                  baselines, w)))
            for name, run in configs:
                r = run()
                results.setdefault((w.label, name), []).append(r)
                print(row(name, r), flush=True)
    print(f"load average after: {load()}")
    print("\nsummary (best of the rounds: least CPU, least wall)")
    for w in workloads:
        runs = {name: rs for (label, name), rs in results.items() if label == w.label}
        cpu = {name: min(r["cpu"] for r in rs) for name, rs in runs.items()}
        wall = {name: min(r["wall"] for r in rs) for name, rs in runs.items()}
        one_w, two_w = "checker, 1 worker", "checker, 2 workers"
        base = next((n for n in runs if n.startswith("baseline")), None)
        parts = []
        if base and one_w in cpu:
            parts.append(f"checker/baseline CPU {cpu[one_w] / cpu[base]:.2f} (target <= 1.43)")
        if one_w in wall and two_w in wall:
            parts.append(f"2 workers: wall speed-up {wall[one_w] / wall[two_w]:.2f} (target >= 1.8), "
                         f"CPU {cpu[two_w] / cpu[one_w]:.2f}x of 1 worker")
        for name, rs in runs.items():
            if "bytes_per_state" in rs[0]:
                parts.append(f"{name}: {min(r['bytes_per_state'] for r in rs):.0f} B/state")
        print(f"  {w.label}: " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
