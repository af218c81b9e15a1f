"""Run a real 3-node PySyncObj cluster on 127.0.0.1 and log its Raft steps.

The library's files are not touched: this process wraps PySyncObj's
transport (send), its message handler, its AppendEntries sender, its
state changes, its journal (appends, commit index) and its apply loop,
and writes one JSON line per step (the schema is in the README, "Trace
validation"). The nodes are three `SyncObj` instances in this process,
ticked by hand from one thread (``autoTick=False``), so the log is in a
true order with no locking.

The scenario, bounded to well under a minute: elect a leader, replicate
three commands, kill the leader, make both survivors' election timers
fire at once (a split vote: each votes for itself, then rejects the
other), let them re-elect, replicate two more commands.

    python examples/pysyncobj/harness.py run.jsonl
    checker validate specs/raft_pysyncobj.dsl --log run.jsonl --map examples/pysyncobj/mapping.toml
"""

from __future__ import annotations

import json
import pickle
import socket
import sys
import time
from contextlib import closing
from typing import Any, Callable

import pysyncobj.journal as pjournal
import pysyncobj.transport as ptransport
from pysyncobj import SyncObj, SyncObjConf, replicated
from pysyncobj.syncobj import _COMMAND_TYPE, _RAFT_STATE

ROLES = {_RAFT_STATE.FOLLOWER: "follower", _RAFT_STATE.CANDIDATE: "candidate", _RAFT_STATE.LEADER: "leader"}
MESSAGE_FIELDS = {
    "request_vote": ("term", "last_log_index", "last_log_term"),
    "response_vote": ("term",),
    "append_entries": ("term", "prevLogIdx", "prevLogTerm", "entries", "commit_index"),
    "next_node_idx": ("next_node_idx", "success", "reset"),
}


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


class Recorder:
    """Turns PySyncObj's calls into log events (see the module docstring).

    A *unit* is one model step: a message handled, an election timeout, one
    AppendEntries sent, a command appended, the commit index advanced, one
    entry applied. Sends made inside a unit are logged after its event, as
    ``send_<type>`` (and ``drop_<type>`` when the transport refused it)."""

    def __init__(self, path: str):
        self.out = open(path, "w", encoding="utf-8")
        self.names: dict[str, str] = {}  # node address -> logical name
        self.nodes: dict[int, SyncObj] = {}  # id(journal) -> node
        self.ctx: dict[str, Any] | None = None  # the open unit
        self.on = False
        self.t0 = time.monotonic()
        self.seq = 0

    # ---- output -------------------------------------------------------
    def name(self, node: Any) -> str | None:
        if node is None:
            return None
        key = node if isinstance(node, str) else node.address
        return self.names.get(key, key)

    def emit(self, event: str, o: SyncObj, **fields: Any) -> None:
        self.seq += 1
        rec = {"seq": self.seq, "t": round(time.monotonic() - self.t0, 4), "event": event,
               "node": self.name(_p(o, "selfNode"))}
        rec.update(fields)
        self.out.write(json.dumps(rec) + "\n")

    def state(self, o: SyncObj) -> dict[str, Any]:
        return {
            "term": _p(o, "raftCurrentTerm"), "voted_for": self.name(_p(o, "votedForNodeId")),
            "role": ROLES[_p(o, "raftState")], "log": [entry(e) for e in _p(o, "raftLog")],
            "commit_index": _p(o, "raftCommitIndex"), "last_applied": _p(o, "raftLastApplied"),
            "next_index": {self.name(n): i for n, i in _p(o, "raftNextIndex").items()},
            "match_index": {self.name(n): i for n, i in _p(o, "raftMatchIndex").items()},
        }

    def message(self, m: dict[str, Any]) -> dict[str, Any]:
        fields = MESSAGE_FIELDS.get(m.get("type"))
        if fields is None:
            return {k: v for k, v in m.items() if isinstance(v, (int, str, bool, type(None)))}
        out = {f: m.get(f) for f in fields}
        if "entries" in out:
            out["entries"] = [entry(e) for e in m.get("entries", [])]
        return out

    # ---- units ----------------------------------------------------------
    def open(self, o: SyncObj, event: str, **fields: Any) -> None:
        self.flush()
        self.ctx = {"o": o, "event": event, "fields": fields, "sends": [], "flushed": False}

    def flush(self) -> None:
        """Log the open unit's event (with the state now), then its sends."""
        c = self.ctx
        if c is None or c["flushed"]:
            return
        c["flushed"] = True
        self.emit(c["event"], c["o"], **c["fields"], state=self.state(c["o"]))
        for args in c["sends"]:
            self._send_event(*args)
        c["sends"] = []

    def close(self) -> None:
        self.flush()
        self.ctx = None

    def sent(self, o: SyncObj, node: Any, m: dict[str, Any], ok: bool) -> None:
        c = self.ctx
        if c is not None and c["event"] == "send_append" and m.get("type") == "append_entries":
            # The step *is* this send: one AppendEntries to one peer.
            self.emit("append_entries", o, to=self.name(node), msg=self.message(m), state=self.state(o))
            if not ok:
                self.emit("drop_append_entries", o, to=self.name(node), msg=self.message(m))
        elif c is not None and not c["flushed"]:
            c["sends"].append((o, node, m, ok))
        else:
            self._send_event(o, node, m, ok)

    def _send_event(self, o: SyncObj, node: Any, m: dict[str, Any], ok: bool) -> None:
        kind = m.get("type", "unknown")
        self.emit(f"send_{kind}", o, to=self.name(node), msg=self.message(m))
        if not ok:
            self.emit(f"drop_{kind}", o, to=self.name(node), msg=self.message(m))


def entry(e: tuple) -> dict[str, Any]:
    """A journal entry (command bytes, index, term) as {term, cmd}."""
    command, _, term = e
    kind = command[0]
    if kind == _COMMAND_TYPE.NO_OP:
        cmd: Any = "noop"
    elif kind == _COMMAND_TYPE.REGULAR:
        call = pickle.loads(command[1:])
        cmd = call[1][0] if isinstance(call, tuple) and len(call) > 1 and call[1] else repr(call)
    else:
        cmd = f"type{kind}"
    return {"term": term, "cmd": cmd}


def install(rec: Recorder) -> Callable[[], None]:
    """Wrap PySyncObj's methods (class attributes; the files stay as they
    are). Returns a function that puts the originals back."""
    saved: list[tuple[Any, str, Any]] = []

    def wrap(cls: Any, attr: str, make: Callable[[Any], Any]) -> None:
        orig = getattr(cls, attr)
        saved.append((cls, attr, orig))
        setattr(cls, attr, make(orig))

    def on_message(orig):
        def f(self, node, message):
            if not rec.on:
                return orig(self, node, message)
            kind = message.get("type", "unknown")
            rec.open(self, f"recv_{kind}", **{"from": rec.name(node)}, msg=rec.message(message))
            try:
                return orig(self, node, message)
            finally:
                rec.close()
        return f

    def send_append(orig):
        def f(self):
            if not rec.on:
                return orig(self)
            outer = rec.ctx
            rec.flush()  # an enclosing unit (a vote that made us leader) comes first
            rec.ctx = {"o": self, "event": "send_append", "fields": {}, "sends": [], "flushed": True}
            try:
                return orig(self)
            finally:
                rec.ctx = outer
        return f

    def transport_send(orig):
        def f(self, node, message):
            ok = orig(self, node, message)
            if rec.on:
                rec.sent(self._syncObj, node, message, bool(ok))
            return ok
        return f

    def set_state(orig):
        def f(self, new):
            old = _p(self, "raftState")
            if rec.on and rec.ctx is None and new == _RAFT_STATE.CANDIDATE:
                rec.open(self, "timeout")  # closed by the next unit or the end of the tick
            result = orig(self, new)
            if rec.on and rec.ctx is None and old == _RAFT_STATE.LEADER and new == _RAFT_STATE.FOLLOWER:
                rec.emit("step_down", self, state=rec.state(self))
            return result
        return f

    def apply_entries(orig):
        def f(self):
            if not rec.on:
                return orig(self)
            rec.close()
            before = _p(self, "raftLastApplied")
            result = orig(self)
            log = _p(self, "raftLog")
            first = log[0][1]
            for i in range(before + 1, _p(self, "raftLastApplied") + 1):
                rec.emit("apply", self, index=i, **entry(log[i - first]), state=rec.state(self))
            return result
        return f

    def on_tick(orig):
        def f(self, *args, **kwargs):
            try:
                return orig(self, *args, **kwargs)
            finally:
                if rec.on:
                    rec.close()
        return f

    def journal_add(orig):
        def f(self, command, idx, term):
            result = orig(self, command, idx, term)
            o = rec.nodes.get(id(self))
            if rec.on and o is not None and rec.ctx is None:  # not a handler's append: a client command
                rec.emit("client_request", o, index=idx, **entry((command, idx, term)), state=rec.state(o))
            return result
        return f

    def set_commit(orig):
        def f(self, index):
            result = orig(self, index)
            o = rec.nodes.get(id(self))
            if rec.on and o is not None and rec.ctx is None:  # the leader's own commit step
                rec.emit("commit", o, state=rec.state(o))
            return result
        return f

    wrap(SyncObj, "_SyncObj__onMessageReceived", on_message)
    wrap(SyncObj, "_SyncObj__sendAppendEntries", send_append)
    wrap(SyncObj, "_SyncObj__setState", set_state)
    wrap(SyncObj, "_SyncObj__applyLogEntries", apply_entries)
    wrap(SyncObj, "_onTick", on_tick)
    wrap(ptransport.TCPTransport, "send", transport_send)
    wrap(pjournal.MemoryJournal, "add", journal_add)
    wrap(pjournal.MemoryJournal, "setRaftCommitIndex", set_commit)

    def restore() -> None:
        for cls, attr, orig in reversed(saved):
            setattr(cls, attr, orig)

    return restore


# ---- the scenario ------------------------------------------------------------

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

    def __init__(self, rec: Recorder, ports: list[int]):
        addrs = [f"127.0.0.1:{p}" for p in ports]
        for i, a in enumerate(addrs):
            rec.names[a] = f"node{i}"
        conf = dict(autoTick=False, raftMinTimeout=0.4, raftMaxTimeout=0.8, appendEntriesPeriod=0.05,
                    connectionRetryTime=0.1, connectionTimeout=2.0, leaderFallbackTimeout=30.0)
        self.nodes = [Store(a, [b for b in addrs if b != a], SyncObjConf(**conf)) for a in addrs]
        for o in self.nodes:
            rec.nodes[id(_p(o, "raftLog"))] = o
        self.live = list(self.nodes)
        self.rec = rec

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

    def leader(self) -> Store | None:
        leaders = [o for o in self.live if o._isLeader()]
        if len(leaders) != 1:
            return None
        lead = leaders[0]
        agreed = all(o._getLeader() == lead.selfNode for o in self.live if o is not lead)
        return lead if agreed else None

    def replicate(self, values: list[str], timeout: float) -> None:
        lead = self.leader()
        assert lead is not None
        # Commands go in once the leader's NO-OP is applied (so a command's
        # entry is never committed together with the NO-OP).
        self.until(lambda: lead.raftLastApplied == lead.raftCommitIndex == len(_p(lead, "raftLog")), timeout,
                   "applied NO-OP")
        for v in values:
            lead.append(v, callback=lambda res, err: None)
        n = len(_p(lead, "raftLog")) + len(values)
        self.until(lambda: all(o.raftLastApplied >= n for o in self.live), timeout, "replicated commands")

    def kill(self, o: Store) -> None:
        self.live.remove(o)
        self.rec.close()
        self.rec.emit("crash", o)
        o.destroy()

    def destroy(self) -> None:
        for o in self.live:
            o.destroy()
        self.live = []


def run(path: str, timeout: float = 10.0) -> dict[str, Any]:
    """Run the scenario and write the log to ``path``; returns a summary."""
    rec = Recorder(path)
    restore = install(rec)
    cluster = None
    try:
        cluster = Cluster(rec, free_ports(3))
        rec.on = True
        cluster.until(lambda: cluster.leader() is not None, timeout, "leader")
        first = cluster.leader()
        cluster.replicate(["a", "b", "c"], timeout)
        cluster.kill(first)
        # Both survivors' election timers fire in the same round: a split vote.
        for o in cluster.live:
            o._SyncObj__raftElectionDeadline = 0
        cluster.until(lambda: cluster.leader() is not None, timeout, "new leader")
        second = cluster.leader()
        cluster.replicate(["d", "e"], timeout)
        end = time.monotonic() + 0.3  # a few heartbeats more
        while time.monotonic() < end:
            cluster.tick()
        rec.close()
        rec.on = False
        return {"events": rec.seq, "first_leader": rec.name(first.selfNode), "second_leader": rec.name(second.selfNode),
                "items": list(second.items)}
    finally:
        rec.on = False
        if cluster is not None:
            cluster.destroy()
        restore()
        rec.out.close()


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "run.jsonl"
    summary = run(target)
    print(f"{target}: {summary['events']} events; leader {summary['first_leader']} killed, "
          f"then {summary['second_leader']} led; replicated {summary['items']}")
