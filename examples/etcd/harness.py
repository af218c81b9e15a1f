"""Run a real 3-member etcd cluster on 127.0.0.1 and keep each member's own log.

    python examples/etcd/harness.py --scenario kill-restart --out run/
    checker validate specs/etcd_raft.dsl --map examples/etcd/mapping.toml \\
        --log run/node0.jsonl --log run/node1.jsonl --log run/node2.jsonl

etcd (Debian's ``etcd-server``, unmodified) writes its log as JSON Lines
itself (``--logger zap``); its Raft core logs every election step at level
info: timeouts, candidacies, vote requests sent, votes cast, rejected or
ignored, vote responses counted, leaders elected, terms changed. The
harness only starts the members, kills and restarts them, and waits by
reading those logs; the logs are validated as etcd wrote them.

Member ids are etcd's own (a hash of the peer URLs and the cluster
token), so with the default ports (``--base-port``) they are the ones the
mapping's [nodes] table names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

SCENARIOS = ("basic", "kill-leader", "kill-restart", "pause-leader")
TOKEN = "checker-etcd"
BASE_PORT = 32380


def member_id(peer_url: str, token: str = TOKEN) -> str:
    """etcd's id of a member of a new cluster (membership.NewMember)."""
    return hashlib.sha1((peer_url + token).encode()).hexdigest()[:16]


class Cluster:
    """Three etcd members; their logs are ``out/node<i>.jsonl``."""

    def __init__(self, out: Path, data: Path, base_port: int, etcd: str):
        self.out, self.data, self.etcd = out, data, etcd
        self.peers = [f"http://127.0.0.1:{base_port + 10 * i}" for i in range(3)]
        self.clients = [f"http://127.0.0.1:{base_port + 10 * i + 9}" for i in range(3)]
        self.ids = [member_id(p) for p in self.peers]
        self.procs: list[subprocess.Popen | None] = [None, None, None]
        self.started = [False, False, False]

    def start(self, i: int) -> None:
        initial = ",".join(f"node{k}={p}" for k, p in enumerate(self.peers))
        args = [self.etcd, "--name", f"node{i}", "--data-dir", str(self.data / f"node{i}"),
                "--listen-peer-urls", self.peers[i], "--initial-advertise-peer-urls", self.peers[i],
                "--listen-client-urls", self.clients[i], "--advertise-client-urls", self.clients[i],
                "--initial-cluster", initial, "--initial-cluster-token", TOKEN,
                "--initial-cluster-state", "new", "--heartbeat-interval", "100", "--election-timeout", "1000",
                "--logger", "zap", "--log-outputs", str(self.out / f"node{i}.jsonl"), "--log-level", "info"]
        self.procs[i] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.started[i] = True

    def kill(self, i: int) -> None:
        p = self.procs[i]
        if p is not None:
            p.send_signal(signal.SIGKILL)
            p.wait(timeout=30)
        self.procs[i] = None

    def stop(self) -> None:
        for i in range(3):
            self.kill(i)

    def raft_lines(self, i: int) -> list[str]:
        path = self.out / f"node{i}.jsonl"
        if not path.exists():
            return []
        out = []
        for line in path.read_text(errors="replace").splitlines():
            try:
                out.append(json.loads(line).get("msg", ""))
            except json.JSONDecodeError:
                continue  # a line being written
        return out

    def leader(self) -> tuple[int, int] | None:
        """(member, term) of the last 'became leader' line of a live member."""
        best = None
        for i in range(3):
            if self.procs[i] is None:
                continue
            for msg in self.raft_lines(i):
                if msg.startswith(f"{self.ids[i]} became leader at term "):
                    term = int(msg.rsplit(" ", 1)[1])
                    if best is None or term > best[1]:
                        best = (i, term)
        return best

    def follows(self, i: int, leader: int, term: int) -> bool:
        lines = self.raft_lines(i)
        tail = f" {self.ids[leader]} at term {term}"
        return any(m.startswith(f"raft.node: {self.ids[i]} ") and m.endswith(tail)
                   and (" elected leader " in m or " changed leader from " in m) for m in lines)

    def until(self, cond: Callable[[], Any], timeout: float, what: str) -> Any:
        end = time.monotonic() + timeout
        while True:
            v = cond()
            if v:
                return v
            for i, p in enumerate(self.procs):
                if p is not None and p.poll() is not None:
                    raise RuntimeError(f"etcd member node{i} exited ({p.returncode}): see {self.out}/node{i}.jsonl")
            if time.monotonic() > end:
                raise TimeoutError(f"etcd cluster: no {what} within {timeout:g} s")
            time.sleep(0.1)


def _scenario(c: Cluster, name: str, timeout: float) -> dict[str, Any]:
    for i in range(3):
        c.start(i)
    lead, term = c.until(c.leader, timeout, "leader")
    c.until(lambda: all(c.follows(i, lead, term) for i in range(3) if i != lead), timeout, "followers")
    info: dict[str, Any] = {"first_leader": f"node{lead}", "first_term": term}
    if name == "pause-leader":
        # SIGSTOP the leader until another member asks it for its vote, then
        # SIGCONT: it still leads, and its lease has not expired.
        c.procs[lead].send_signal(signal.SIGSTOP)
        asked = f"sent MsgVote request to {c.ids[lead]} at term"
        try:
            c.until(lambda: any(asked in m for i in range(3) if i != lead for m in c.raft_lines(i)), timeout,
                    "vote request to the stopped leader")
        finally:
            c.procs[lead].send_signal(signal.SIGCONT)
        new = c.until(lambda: (x := c.leader()) is not None and x[1] > term and x, timeout, "new leader")
        c.until(lambda: any(c.follows(lead, new[0], t) for t in range(new[1], new[1] + 20)), timeout,
                "old leader following the new one")
        info.update(second_leader=f"node{new[0]}", second_term=new[1])
    if name in ("kill-leader", "kill-restart"):
        c.kill(lead)
        new = c.until(lambda: (x := c.leader()) is not None and x[1] > term and x, timeout, "new leader")
        c.until(lambda: all(c.follows(i, new[0], new[1]) for i in range(3) if i not in (lead, new[0])), timeout,
                "followers of the new leader")
        info.update(second_leader=f"node{new[0]}", second_term=new[1])
        if name == "kill-restart":
            c.start(lead)
            c.until(lambda: any(c.follows(lead, k, t) for k in range(3) for t in range(new[1], new[1] + 20)),
                    timeout, "restarted member following a leader")
    time.sleep(0.5)
    return info


def run(out_dir: str, scenario: str = "kill-restart", timeout: float = 60.0,
        base_port: int = BASE_PORT) -> dict[str, Any]:
    """Run a scenario; returns a summary with the log paths."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r} (scenarios: {', '.join(SCENARIOS)})")
    etcd = shutil.which("etcd")
    if etcd is None:
        raise RuntimeError("etcd is not installed (Debian: apt-get install etcd-server)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("node*.jsonl"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="etcd-data-") as data:
        c = Cluster(out, Path(data), base_port, etcd)
        try:
            info = _scenario(c, scenario, timeout)
        finally:
            c.stop()
    info.update(scenario=scenario, ids={f"node{i}": c.ids[i] for i in range(3)},
                logs=[str(out / f"node{i}.jsonl") for i in range(3)])
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run a 3-member etcd cluster on 127.0.0.1 and keep each member's "
                                             "own JSON log (DIR/node0.jsonl, ...).")
    ap.add_argument("--out", required=True, metavar="DIR", help="directory for the members' logs")
    ap.add_argument("--scenario", choices=SCENARIOS, default="kill-restart",
                    help="basic: elect a leader; kill-leader: kill it (SIGKILL) until another is elected; "
                         "kill-restart: and start it again on its data; pause-leader: stop it (SIGSTOP) until "
                         "another is elected, then let it go on (default: kill-restart)")
    ap.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                    help="give up when a phase takes longer (default 60)")
    ap.add_argument("--base-port", type=int, default=BASE_PORT, metavar="PORT",
                    help=f"peer ports PORT, PORT+10, PORT+20 (default {BASE_PORT}; the mapping's [nodes] "
                         "names the member ids of the default)")
    args = ap.parse_args(argv)
    try:
        info = run(args.out, args.scenario, args.timeout, args.base_port)
    except (TimeoutError, RuntimeError) as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 1
    print(f"{args.scenario}: {', '.join(info['logs'])}; members {info['ids']}; leader {info['first_leader']} "
          f"(term {info['first_term']})" + (f", then {info['second_leader']} (term {info['second_term']})"
                                            if "second_leader" in info else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
