"""Hand-built traces for the renderer tests (no model or engine needed).

`ticket_trace()` is the naive ticket protocol's overwrite counterexample
with 3 servers and 2 clients: Client[1]'s Propose overwrites Client[0]'s
stored command on Server[1], both clients get a majority of Successes, and
the servers execute different commands. It includes a lost message, a crash
and messages that are still in flight at the end. `ticket_lasso()` is a
liveness variant ending in a loop; `kitchen_sink_trace()` uses every step
kind the renderers know, an environment lane, a re-delivery and text that
needs escaping.
"""

from __future__ import annotations

import copy
from typing import Any

from checker.trace import Step, Trace, Violation

SERVERS = [f"Server[{i}]" for i in range(3)]
CLIENTS = [f"Client[{i}]" for i in range(2)]


def _show(v: Any) -> str:
    """Display text of a typed-JSON value (like `Names.show`)."""
    if v is None:
        return "none"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    if "#node" in v:
        return v["#node"]
    if "#set" in v:
        return "{" + ", ".join(_show(x) for x in v["#set"]) + "}"
    if "#bag" in v:
        return "bag{" + ", ".join(_show(x) for x in v["#bag"]) + "}"
    if "#map" in v:
        return "{" + ", ".join(f"{_show(k)}: {_show(x)}" for k, x in v["#map"]) + "}"
    if "#msg" in v:
        args = ", ".join(f"{k}={_show(x)}" for k, x in v.items() if k not in ("#msg", "src", "dst"))
        return f"{v['#msg']}({args})"
    return "(" + ", ".join(f"{k}: {_show(x)}" for k, x in v.items()) + ")"


def node(name: str) -> dict[str, str]:
    return {"#node": name}


def msg_json(name: str, src: str | None, dst: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"#msg": name, "src": node(src) if src else None, "dst": node(dst)}
    out.update(fields)
    return out


def msg_ref(m: dict[str, Any]) -> dict[str, Any]:
    """The {"src", "dst", "text"} form a Step carries."""
    src = m["src"]["#node"] if m["src"] else "env"
    return {"src": src, "dst": m["dst"]["#node"], "text": _show(m)}


def _sort_key(v: Any) -> str:
    return repr(v)


class TraceBuilder:
    """Builds steps from a mutable typed-JSON state, filling shown/changed
    and keeping a "network" bag variable in sync with sends/deliveries."""

    def __init__(self, state: dict[str, Any], network: bool = True):
        self.state = copy.deepcopy(state)
        self.network = network
        if network:
            self.state["network"] = {"#bag": []}
        self.steps: list[Step] = []
        self._push("init", "initial state", None, None, [], {})

    def _bag(self) -> list[Any]:
        return self.state["network"]["#bag"]

    def _push(self, kind: str, label: str, actor: str | None, message: dict | None,
              sends: list[dict], updates: dict[str, Any]) -> None:
        before = copy.deepcopy(self.state)
        self.state.update(copy.deepcopy(updates))
        if self.network:
            bag = self._bag()
            if message is not None and kind in ("deliver", "loss", "corrupt"):
                bag.remove(message)
            if message is not None and kind == "duplicate":
                bag.append(copy.deepcopy(message))
            bag.extend(copy.deepcopy(sends))
            bag.sort(key=_sort_key)
        index = len(self.steps)
        changed = tuple(k for k in self.state if before.get(k) != self.state[k]) if index else ()
        self.steps.append(Step(
            index=index, kind=kind, label=label, actor=actor,
            message=msg_ref(message) if message is not None else None,
            sends=tuple(msg_ref(m) for m in sends),
            state=copy.deepcopy(self.state),
            shown={k: _show(v) for k, v in self.state.items()},
            changed=changed,
        ))

    def deliver(self, m: dict[str, Any], sends: list[dict] = (), **updates: Any) -> None:
        dst = m["dst"]["#node"]
        self._push("deliver", f"{dst} receives {_show(m)} from {msg_ref(m)['src']}", dst, m, list(sends), updates)

    def step(self, kind: str, label: str, actor: str | None, message: dict | None = None,
             sends: list[dict] = (), **updates: Any) -> None:
        self._push(kind, label, actor, message, list(sends), updates)


def _ticket_builder() -> TraceBuilder:
    state: dict[str, Any] = {}
    for s in SERVERS:
        state[f"{s}.t_max"] = 0
        state[f"{s}.stored"] = None
        state[f"{s}.executed"] = None
    for i, c in enumerate(CLIENTS):
        state[f"{c}.cmd"] = ["c1", "c2"][i]
        state[f"{c}.tickets"] = {"#map": []}
        state[f"{c}.successes"] = {"#set": []}
    state["crashed"] = {"#set": []}
    return TraceBuilder(state)


def _ticket_prefix(b: TraceBuilder) -> None:
    S0, S1, S2 = SERVERS
    C0, C1 = CLIENTS
    rt = [msg_json("RequestTicket", C0, s) for s in SERVERS]
    b.step("action", f"{C0}: request tickets", C0, sends=rt)
    t0 = msg_json("Ticket", S0, C0, t=1)
    b.deliver(rt[0], [t0], **{f"{S0}.t_max": 1})
    t1 = msg_json("Ticket", S1, C0, t=1)
    b.deliver(rt[1], [t1], **{f"{S1}.t_max": 1})
    b.step("loss", f"network loses {_show(rt[2])} from {C0} to {S2}", None, rt[2])
    b.deliver(t0, **{f"{C0}.tickets": {"#map": [[node(S0), 1]]}})
    p0 = [msg_json("Propose", C0, s, t=1, cmd="c1") for s in (S0, S1)]
    b.deliver(t1, p0, **{f"{C0}.tickets": {"#map": [[node(S0), 1], [node(S1), 1]]}})
    ok0 = msg_json("Success", S0, C0)
    b.deliver(p0[0], [ok0], **{f"{S0}.stored": "c1"})
    ok1 = msg_json("Success", S1, C0)
    b.deliver(p0[1], [ok1], **{f"{S1}.stored": "c1"})
    b._ok = (ok0, ok1)  # type: ignore[attr-defined]


def ticket_trace() -> Trace:
    """The overwrite counterexample (invariant Consistency violated)."""
    S0, S1, S2 = SERVERS
    C0, C1 = CLIENTS
    b = _ticket_builder()
    _ticket_prefix(b)
    ok0, ok1 = b._ok  # type: ignore[attr-defined]
    rt1 = [msg_json("RequestTicket", C1, s) for s in SERVERS]
    b.step("action", f"{C1}: request tickets", C1, sends=rt1)
    u1 = msg_json("Ticket", S1, C1, t=2)
    b.deliver(rt1[1], [u1], **{f"{S1}.t_max": 2})
    u2 = msg_json("Ticket", S2, C1, t=1)
    b.deliver(rt1[2], [u2], **{f"{S2}.t_max": 1})
    b.deliver(u1, **{f"{C1}.tickets": {"#map": [[node(S1), 2]]}})
    p1 = [msg_json("Propose", C1, S1, t=2, cmd="c2"), msg_json("Propose", C1, S2, t=1, cmd="c2")]
    b.deliver(u2, p1, **{f"{C1}.tickets": {"#map": [[node(S1), 2], [node(S2), 1]]}})
    v1 = msg_json("Success", S1, C1)
    b.deliver(p1[0], [v1], **{f"{S1}.stored": "c2"})
    v2 = msg_json("Success", S2, C1)
    b.deliver(p1[1], [v2], **{f"{S2}.stored": "c2"})
    b.deliver(ok0, **{f"{C0}.successes": {"#set": [node(S0)]}})
    ex0 = [msg_json("Execute", C0, s) for s in (S0, S1)]
    b.deliver(ok1, ex0, **{f"{C0}.successes": {"#set": [node(S0), node(S1)]}})
    b.deliver(ex0[0], **{f"{S0}.executed": "c1"})
    b.step("crash", f"{S2} crashes", S2, **{"crashed": {"#set": [node(S2)]}, f"{S2}.t_max": 0,
                                                 f"{S2}.stored": None})
    b.deliver(v1, **{f"{C1}.successes": {"#set": [node(S1)]}})
    ex1 = [msg_json("Execute", C1, s) for s in (S1, S2)]
    b.deliver(v2, ex1, **{f"{C1}.successes": {"#set": [node(S1), node(S2)]}})
    b.deliver(ex1[0], **{f"{S1}.executed": "c2"})
    violation = Violation(
        prop="Consistency",
        kind="invariant",
        message="two servers executed different commands",
        values={"Server[0].executed": '"c1"', "Server[1].executed": '"c2"'},
    )
    return Trace(spec="NaiveTicket", nodes=tuple(SERVERS + CLIENTS), steps=tuple(b.steps),
                 violation=violation, options={"faults": "loss <= 1, crash Server <= 1"})


def ticket_lasso() -> Trace:
    """A liveness counterexample: Client[0] re-requests a ticket from the
    crashed Server[2] and the network loses it, forever."""
    S0, S1, S2 = SERVERS
    C0 = CLIENTS[0]
    b = _ticket_builder()
    _ticket_prefix(b)
    b.step("crash", f"{S2} crashes", S2, **{"crashed": {"#set": [node(S2)]}})
    loop_start = len(b.steps) - 1
    again = msg_json("RequestTicket", C0, S2)
    b.step("timer", f"{C0}: timeout, resend RequestTicket to {S2}", C0, sends=[again])
    b.step("loss", f"network loses {_show(again)} from {C0} to {S2}", None, again)
    violation = Violation(prop="EventuallyExecuted", kind="liveness",
                          message="Client[0]'s command is never executed")
    return Trace(spec="NaiveTicket", nodes=tuple(SERVERS + CLIENTS), steps=tuple(b.steps),
                 violation=violation, loop_start=loop_start)


def kitchen_sink_trace() -> Trace:
    """Every step kind, an env lane, a set-network re-delivery, and labels
    with characters that HTML, Mermaid and DOT must escape."""
    A, B = "Node<A>", 'Node"B";#1'
    b = TraceBuilder({"x": 0, "log": [], "note": "a&b"}, network=False)
    start = msg_json("Start", None, A, reason="</script><b>x</b>")
    b.step("global", "environment starts A; a#b", None, sends=[start])
    b.deliver(start, x=1)
    ping = msg_json("Ping", A, B, n=1)
    b.step("timer", f"{A}: tick -> ping", A, sends=[ping])
    b.step("duplicate", f"network duplicates {_show(ping)}", None, ping)
    b.deliver(ping, log=["p1"])
    b.deliver(ping, log=["p1", "p1"])
    b.deliver(ping, log=["p1", "p1", "p1"])  # set network: received again
    pong = msg_json("Pong", B, A, n=1)
    b.step("action", f"{B}: answer", B, sends=[pong, msg_json("Pong", B, A, n=2)])
    b.step("corrupt", f"network corrupts {_show(pong)}", None, pong)
    b.step("reorder", "network reorders the channel to " + A, None, None)
    b.step("partition", "partition {Node<A>} | {Node\"B\";#1}", None)
    b.step("crash", f"{B} crashes", B)
    b.step("restart", f"{B} restarts", B, x=2)
    b.step("heal", "heal partition", None)
    b.deliver(pong, x=3)  # the corrupted copy arrives
    violation = Violation(prop="Safe<&>", kind="assertion", message="x < 3 & 'quoted' \"twice\"",
                          values={"x": "3", "<tag>": '"</script>"'})
    return Trace(spec="Sink<script>alert(1)</script>", nodes=(A, B), steps=tuple(b.steps),
                 violation=violation, failing_step=f"{A}: check x; #done")
