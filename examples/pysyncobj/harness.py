"""Run a real 3-node PySyncObj cluster on 127.0.0.1 and record its event stream.

    python examples/pysyncobj/harness.py --scenario kill-restart --seed 3 --out run/
    checker validate specs/raft_pysyncobj.dsl --map examples/pysyncobj/mapping.toml \\
        --log run/node0.jsonl --log run/node1.jsonl --log run/node2.jsonl

The library's files are not touched: the recorder wraps, on the classes,
the transport's ``send``, the message handler, the role setter, the
journal (term and vote, appends, truncations, commit index) and the apply
loop, and writes what PySyncObj does as it does it, one JSON line per
event, one file per node (the schema is in the README, "Trace
validation"). The nodes are three `SyncObj` instances in this process
with file journals (so a restarted node recovers), ticked by hand from
one thread, so the lines' ``t`` (nanoseconds of one clock) order them
exactly. Network faults are the harness's: a partition drops messages
across the cut at the sender (``drop`` lines) and at the receiver.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import socket
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Callable

import pysyncobj.journal as pjournal
import pysyncobj.transport as ptransport
from pysyncobj import SyncObj, SyncObjConf, replicated
from pysyncobj.syncobj import _COMMAND_TYPE

SCENARIOS = ("basic", "kill-leader", "kill-restart", "partition-leader", "partition-minority")


class Store(SyncObj):
    """The replicated state machine: a list of strings."""

    def __init__(self, self_addr: str, partners: list[str], conf: SyncObjConf):
        super().__init__(self_addr, partners, conf)
        self.items: list[str] = []

    @replicated
    def append(self, value: str) -> int:
        self.items.append(value)
        return len(self.items)


def _p(o: SyncObj, name: str) -> Any:
    return getattr(o, "_SyncObj__" + name)


def entry(e: tuple) -> dict[str, Any]:
    """A journal entry (command bytes, index, term) as {index, term, op, args}."""
    command, idx, term = e
    kind = command[0]
    if kind == _COMMAND_TYPE.NO_OP:
        return {"index": idx, "term": term, "op": "noop", "args": []}
    if kind == _COMMAND_TYPE.REGULAR:
        call = pickle.loads(command[1:])
        return {"index": idx, "term": term, "op": call[0], "args": list(call[1]) if len(call) > 1 else []}
    return {"index": idx, "term": term, "op": f"type{kind}", "args": []}


class Recorder:
    """Writes each node's events to ``DIR/<node>.jsonl``.

    Every line: ``t`` (ns, one clock for all nodes), ``node``, ``kind``
    and ``ctx`` (what the node was doing: ``recv`` handling a message,
    ``tick`` its timers and leader duties, ``restart``)."""

    def __init__(self, out_dir: Path):
        self.dir = out_dir
        self.files: dict[str, Any] = {}
        self.names: dict[str, str] = {}  # node address -> logical name
        self.by_journal: dict[int, str] = {}  # id(journal) -> logical name
        self.ctx: dict[str, str] = {}
        self.last: dict[tuple[str, str], Any] = {}  # (node, what) -> last value written
        self.cut: tuple[set[str], set[str]] | None = None  # a partition
        self.on = False
        self.clock = 0
        self.lines = 0

    def name(self, node: Any) -> str | None:
        if node is None:
            return None
        key = node if isinstance(node, str) else getattr(node, "address", str(node))
        return self.names.get(key, key)

    def emit(self, node: str, kind: str, **fields: Any) -> None:
        self.clock = max(self.clock + 1, time.monotonic_ns())
        rec = {"t": self.clock, "node": node, "kind": kind, "ctx": self.ctx.get(node, "tick")}
        rec.update(fields)
        if node not in self.files:
            self.files[node] = open(self.dir / f"{node}.jsonl", "w", encoding="utf-8")
        self.files[node].write(json.dumps(rec) + "\n")
        self.lines += 1

    def changed(self, node: str, what: str, value: Any) -> bool:
        if self.last.get((node, what)) == value:
            return False
        self.last[(node, what)] = value
        return True

    def crosses(self, a: str, b: str) -> bool:
        return self.cut is not None and (a in self.cut[0]) != (b in self.cut[0])

    def message(self, m: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in m.items():
            if k == "entries":
                out[k] = [entry(e) for e in v]
            elif isinstance(v, (int, str, bool, type(None), float)):
                out[k] = v
        return out

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def install(rec: Recorder) -> Callable[[], None]:
    """Wrap PySyncObj's methods (class attributes; the files stay as they
    are). Returns a function that puts the originals back."""
    saved: list[tuple[Any, str, Any]] = []

    def wrap(cls: Any, attr: str, make: Callable[[Any], Any]) -> None:
        orig = getattr(cls, attr)
        saved.append((cls, attr, orig))
        setattr(cls, attr, make(orig))

    def me(o: SyncObj) -> str:
        return rec.name(_p(o, "selfNode"))

    def on_message(orig):
        def f(self, node, message):
            if not rec.on:
                return orig(self, node, message)
            n, src = me(self), rec.name(node)
            if rec.crosses(src, n):  # the partition: it never arrives
                rec.emit(n, "drop", dir="in", **{"from": src}, msg=rec.message(message))
                return None
            rec.ctx[n] = "recv"
            rec.emit(n, "recv", **{"from": src}, msg=rec.message(message))
            try:
                return orig(self, node, message)
            finally:
                rec.ctx[n] = "tick"
        return f

    def transport_send(orig):
        def f(self, node, message):
            if not rec.on:
                return orig(self, node, message)
            n, dst = me(self._syncObj), rec.name(node)
            rec.emit(n, "send", to=dst, msg=rec.message(message))
            ok = False if rec.crosses(n, dst) else orig(self, node, message)
            if not ok:
                rec.emit(n, "drop", dir="out", to=dst, msg=rec.message(message))
            return ok
        return f

    def set_state(orig):
        def f(self, new):
            result = orig(self, new)
            if rec.on:
                rec.emit(me(self), "role", role=new)
            return result
        return f

    def apply_entries(orig):
        def f(self):
            if not rec.on:
                return orig(self)
            before = _p(self, "raftLastApplied")
            result = orig(self)
            log = _p(self, "raftLog")
            first = log[0][1]
            for i in range(before + 1, _p(self, "raftLastApplied") + 1):
                rec.emit(me(self), "apply", **entry(log[i - first]))
            return result
        return f

    def journal(what: str):
        def make(orig):
            def f(self, *args):
                n = rec.by_journal.get(id(self))
                if not rec.on or n is None:
                    return orig(self, *args)
                if what == "truncate":
                    first = self[0][1] if len(self) else 1
                    before = len(self)
                    result = orig(self, *args)
                    if len(self) < before:
                        rec.emit(n, "log_truncate", **{"from": args[0] + first})
                    return result
                result = orig(self, *args)
                if what == "term_vote" and rec.changed(n, what, args):
                    rec.emit(n, "term_vote", term=args[0], vote=rec.name(args[1]))
                elif what == "append":
                    rec.emit(n, "log_append", **entry(args))
                elif what == "commit" and rec.changed(n, what, args[0]):
                    rec.emit(n, "commit", index=args[0])
                return result
            return f
        return make

    wrap(SyncObj, "_SyncObj__onMessageReceived", on_message)
    wrap(SyncObj, "_SyncObj__setState", set_state)
    wrap(SyncObj, "_SyncObj__applyLogEntries", apply_entries)
    wrap(ptransport.TCPTransport, "send", transport_send)
    wrap(pjournal.FileJournal, "setCurrentTerm", journal("term_vote"))
    wrap(pjournal.FileJournal, "add", journal("append"))
    wrap(pjournal.FileJournal, "deleteEntriesFrom", journal("truncate"))
    wrap(pjournal.FileJournal, "setRaftCommitIndex", journal("commit"))

    def restore() -> None:
        for cls, attr, orig in reversed(saved):
            setattr(cls, attr, orig)

    return restore


def free_ports(n: int) -> list[int]:
    """n TCP ports on 127.0.0.1 that are free right now."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            with closing(s):
                pass


class Cluster:
    """Three `Store` nodes ticked by hand; `until` runs them until a
    condition holds (or raises after ``timeout`` seconds)."""

    CONF = dict(autoTick=False, raftMinTimeout=0.4, raftMaxTimeout=0.8, appendEntriesPeriod=0.05,
                connectionRetryTime=0.1, connectionTimeout=2.0, leaderFallbackTimeout=1.5)

    def __init__(self, rec: Recorder, ports: list[int], journal_dir: Path):
        self.addrs = [f"127.0.0.1:{p}" for p in ports]
        for i, a in enumerate(self.addrs):
            rec.names[a] = f"node{i}"
        self.rec = rec
        self.journal_dir = journal_dir
        self.nodes: list[Store | None] = [self._start(i) for i in range(len(self.addrs))]

    def _start(self, i: int) -> Store:
        a = self.addrs[i]
        conf = SyncObjConf(journalFile=str(self.journal_dir / f"node{i}.journal"), **self.CONF)
        o = Store(a, [b for b in self.addrs if b != a], conf)
        n = self.rec.names[a]
        self.rec.by_journal[id(_p(o, "raftLog"))] = n
        self.rec.last[(n, "term_vote")] = (_p(o, "raftCurrentTerm"), _p(o, "votedForNodeId"))
        self.rec.last[(n, "commit")] = _p(o, "raftCommitIndex")
        return o

    @property
    def live(self) -> list[Store]:
        return [o for o in self.nodes if o is not None]

    def tick(self) -> None:
        for o in self.live:
            o.doTick(0.0)
        time.sleep(0.002)

    def until(self, cond: Callable[[], bool], timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError(f"PySyncObj cluster: no {what} within {timeout:g} s")
            self.tick()

    def run_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.tick()

    def leader(self, among: list[Store] | None = None) -> Store | None:
        group = among if among is not None else self.live
        leaders = [o for o in group if o._isLeader()]
        if len(leaders) != 1:
            return None
        lead = leaders[0]
        return lead if all(o._getLeader() == lead.selfNode for o in group if o is not lead) else None

    def replicate(self, values: list[str], timeout: float, among: list[Store] | None = None) -> Store:
        group = among if among is not None else self.live
        self.until(lambda: self.leader(group) is not None, timeout, "leader")
        lead = self.leader(group)
        # Commands go in once the leader's NO-OP is applied (so a command's
        # entry is never committed together with the NO-OP).
        self.until(lambda: lead.raftLastApplied == lead.raftCommitIndex == len(_p(lead, "raftLog")), timeout,
                   "applied NO-OP")
        for v in values:
            lead.append(v, callback=lambda res, err: None)
        n = len(_p(lead, "raftLog")) + len(values)
        self.until(lambda: all(o.raftLastApplied >= n for o in group), timeout, "replicated commands")
        return lead

    def index(self, o: Store) -> int:
        return self.nodes.index(o)

    def kill(self, o: Store) -> int:
        i = self.index(o)
        self.rec.emit(self.rec.name(o.selfNode), "crash")
        o.destroy()
        self.nodes[i] = None
        return i

    def restart(self, i: int) -> Store:
        n = f"node{i}"
        self.rec.ctx[n] = "restart"
        o = self._start(i)
        self.nodes[i] = o
        self.rec.emit(n, "restart", term=_p(o, "raftCurrentTerm"), vote=self.rec.name(_p(o, "votedForNodeId")),
                      commit_index=_p(o, "raftCommitIndex"), log=[entry(e) for e in _p(o, "raftLog")])
        self.rec.ctx[n] = "tick"
        return o

    def destroy(self) -> None:
        for o in self.live:
            o.destroy()
        self.nodes = [None] * len(self.nodes)


def _scenario(c: Cluster, name: str, timeout: float) -> dict[str, Any]:
    c.until(lambda: c.leader() is not None, timeout, "leader")
    first = c.leader()
    info: dict[str, Any] = {"first_leader": c.rec.name(first.selfNode)}
    c.replicate(["a", "b", "c"] if name != "partition-leader" else ["a", "b"], timeout)
    if name == "kill-leader":
        c.kill(first)
        for o in c.live:  # both survivors' timers fire in the same round: a split vote
            o._SyncObj__raftElectionDeadline = 0
        c.replicate(["d", "e"], timeout)
    elif name == "kill-restart":
        c.run_for(1.2)  # PySyncObj stores its commit index in the journal once a second
        i = c.kill(first)
        c.replicate(["d"], timeout)
        c.restart(i)
        c.replicate(["e"], timeout)
    elif name == "partition-leader":
        others = [o for o in c.live if o is not first]
        c.rec.cut = ({c.rec.name(first.selfNode)}, {c.rec.name(o.selfNode) for o in others})
        c.replicate(["c"], timeout, among=others)
        c.until(lambda: not first._isLeader(), timeout, "step-down of the cut-off leader")
        c.rec.cut = None
        c.replicate(["d"], timeout)
    elif name == "partition-minority":
        lone = next(o for o in c.live if o is not first)
        c.rec.cut = ({c.rec.name(lone.selfNode)}, {c.rec.name(o.selfNode) for o in c.live if o is not lone})
        c.replicate(["d", "e"], timeout, among=[o for o in c.live if o is not lone])
        c.run_for(1.5)  # the lone node's election timers fire; its requests are lost
        c.rec.cut = None
        c.replicate(["f"], timeout)
    c.run_for(0.3)  # a few heartbeats more
    last = c.leader()
    info.update(last_leader=c.rec.name(last.selfNode) if last else None, items=list(last.items) if last else [])
    return info


def run(out_dir: str, scenario: str = "kill-leader", seed: int = 0, timeout: float = 30.0) -> dict[str, Any]:
    """Run a scenario and write ``out_dir/node<i>.jsonl``; returns a summary."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r} (scenarios: {', '.join(SCENARIOS)})")
    random.seed(seed)  # PySyncObj draws its election timeouts from `random`
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rec = Recorder(out)
    restore = install(rec)
    cluster = None
    try:
        with tempfile.TemporaryDirectory(prefix="pysyncobj-journals-") as jdir:
            cluster = Cluster(rec, free_ports(3), Path(jdir))
            rec.on = True
            info = _scenario(cluster, scenario, timeout)
            rec.on = False
            cluster.destroy()
        info.update(scenario=scenario, seed=seed, lines=rec.lines,
                    logs=[str(out / f"node{i}.jsonl") for i in range(3)])
        return info
    finally:
        rec.on = False
        if cluster is not None:
            cluster.destroy()
        restore()
        rec.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run a 3-node PySyncObj cluster on 127.0.0.1 and record each "
                                             "node's events as JSON Lines (DIR/node0.jsonl, ...).")
    ap.add_argument("--out", required=True, metavar="DIR", help="directory for the per-node logs")
    ap.add_argument("--scenario", choices=SCENARIOS, default="kill-leader",
                    help="basic: elect and replicate; kill-leader: kill the leader, a split vote, re-elect; "
                         "kill-restart: kill the leader and restart it on its journal; partition-leader: cut the "
                         "leader off until the others elect another; partition-minority: cut a follower off, "
                         "then heal (default: kill-leader)")
    ap.add_argument("--seed", type=int, default=0, help="seed of PySyncObj's random election timeouts")
    ap.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                    help="give up when a phase of the scenario takes longer (default 30)")
    args = ap.parse_args(argv)
    try:
        info = run(args.out, args.scenario, args.seed, args.timeout)
    except TimeoutError as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 1
    print(f"{args.scenario} (seed {args.seed}): {info['lines']} lines in {', '.join(info['logs'])}; "
          f"leader {info['first_leader']} first, {info['last_leader']} last; replicated {info['items']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
