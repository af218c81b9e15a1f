"""The naive ticket protocol, written directly against `Model`.

The DSL spec ``specs/ticket.dsl`` must match this model state for state
(same distinct-state count). Exact semantics:

Nodes: ``Server[0..Servers-1]`` then ``Client[0..Clients-1]`` (defaults 3
and 2). Majority = Servers // 2 + 1 (2 of 3). No faults.

Network: unordered, a multiset (a bag) of in-flight messages. One step
delivers one in-flight message (one step per distinct message value, in the
bag's sorted order) and removes one copy of it; the receiving handler runs
atomically and its sends enter the network in the same step. A delivery
whose guard fails is still a step: the message is consumed, nothing else
changes.

Server variables: ``t_max`` (int, 0), ``stored`` (command or none),
``executed`` (command or none).
Client variables: ``cmd`` ("c1" for Client[0], "c2" for Client[1], ...,
constant), ``tickets`` (map server -> ticket, empty), ``successes`` (set of
servers, empty), ``phase`` (int, 1).

Initial state: every client has already broadcast ``RequestTicket()`` to
every server (one message per client and server in the network).

Handlers:

- Server on ``RequestTicket()`` from c: ``t_max = t_max + 1``; send
  ``Ticket(t=t_max)`` to c.
- Client on ``Ticket(t)`` from s: if phase == 1: ``tickets[s] = t``; if
  tickets now has a majority of servers: phase = 2 and send
  ``Propose(t=tickets[s2], cmd=cmd)`` to each server s2 in tickets (in
  server order). Otherwise consumed, no change.
- Server on ``Propose(t, cmd)`` from c: if t == t_max: ``stored = cmd``;
  send ``Success()`` to c. Otherwise consumed, no change.
- Client on ``Success()`` from s: if phase == 2: ``successes += {s}``; if
  successes now has a majority: phase = 3 and send ``Execute()`` to every
  server. Otherwise consumed, no change.
- Server on ``Execute()`` from c: ``executed = stored``.

Each client requests tickets once, so the state space is finite. A state
with an empty network has no step; that is legitimate termination
(`is_terminal`), so "deadlock" holds. Invariant Consistency: no two servers
have executed different non-none commands. It is violated (a later
proposal overwrites ``stored`` after an earlier Execute).

State: a flat tuple ``(Server[0].t_max, Server[0].stored,
Server[0].executed, ..., Client[0].cmd, Client[0].tickets,
Client[0].successes, Client[0].phase, ..., network)``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from checker.model import (
    Action,
    ActionKindInfo,
    ActionParts,
    Expectation,
    Invariant,
    Model,
    State,
    StepInfo,
    StepKind,
    ValidationView,
    Verdict,
)
from checker.values import (
    BAG,
    EMPTY_MAP,
    EMPTY_SET,
    NONE,
    SET,
    Names,
    Shape,
    canonical,
    is_bag,
    map_items,
    map_put,
    shape_tag,
    string,
)

ACTIONS = ["Server.RequestTicket", "Client.Ticket", "Server.Propose", "Client.Success", "Server.Execute"]
MSG_NAMES = ["RequestTicket", "Ticket", "Propose", "Success", "Execute"]
HANDLER_PARAMS = [(), ("t",), ("t", "cmd"), (), ()]
MSG_FIELDS = [(), ("t",), ("t", "cmd"), (), ()]
SERVER_VARS = ("t_max", "stored", "executed")
CLIENT_VARS = ("cmd", "tickets", "successes", "phase")


class Ticket(Model):
    """The naive ticket protocol with ``servers`` servers and ``clients`` clients."""

    def __init__(self, servers: int = 3, clients: int = 2):
        if servers < 1 or clients < 1:
            raise ValueError("Servers and Clients must be at least 1")
        self.n_servers, self.n_clients = servers, clients
        self.majority = servers // 2 + 1
        self.name = "NaiveTicket"
        self.action_names = list(ACTIONS)
        self.names = names = Names()
        self.servers = [names.node(f"Server[{i}]") for i in range(servers)]
        self.clients = [names.node(f"Client[{i}]") for i in range(clients)]
        # shape ids equal the action kinds: a message's handler is its shape
        self.shapes = [names.shape(Shape(n, ("src", "dst") + f, True)) for n, f in zip(MSG_NAMES, MSG_FIELDS)]
        assert self.shapes == list(range(len(MSG_NAMES)))
        self.tags = [shape_tag(k) for k in range(len(MSG_NAMES))]
        self.kind_of = {tag: k for k, tag in enumerate(self.tags)}
        self.cmds = [string(f"c{c + 1}") for c in range(clients)]
        self.c_base = 3 * servers  # index of Client[0].cmd
        self.net = self.c_base + 4 * clients  # index of the network
        self.invariants = [Invariant("Consistency", self._consistent, self._explain)]
        self.expectations = [Expectation("Consistency", Verdict.VIOLATED), Expectation("deadlock", Verdict.HOLDS)]

    # -- Model interface -------------------------------------------------
    def initial_states(self) -> list[State]:
        state: list[Any] = []
        for _ in self.servers:
            state += [0, NONE, NONE]
        for c in range(self.n_clients):
            state += [self.cmds[c], EMPTY_MAP, EMPTY_SET, 1]
        requests = [(self.tags[0], c, s) for c in self.clients for s in self.servers]
        state.append((BAG, *canonical(requests)))
        return [tuple(state)]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        net = state[self.net]
        prev = None
        for k in range(1, len(net)):
            m = net[k]
            if m == prev:  # the same message again: same step
                continue
            prev = m
            rest = net[:k] + net[k + 1:]
            yield (self.kind_of[m[0]], m), self._deliver(state, m, rest)

    def _deliver(self, state: State, m: tuple, rest: tuple) -> State:
        kind, src, dst = self.kind_of[m[0]], m[1], m[2]
        s = list(state)
        tags = self.tags
        sends: list[tuple] = []
        if kind == 0:  # Server on RequestTicket
            b = 3 * self.servers.index(dst)
            s[b] += 1
            sends.append((tags[1], dst, src, s[b]))
        elif kind == 1:  # Client on Ticket(t)
            b = self.c_base + 4 * self.clients.index(dst)
            if s[b + 3] == 1:
                tickets = map_put(s[b + 1], src, m[3])
                s[b + 1] = tickets
                if (len(tickets) - 1) // 2 >= self.majority:
                    s[b + 3] = 2
                    sends += [(tags[2], dst, srv, t, s[b]) for srv, t in map_items(tickets)]
        elif kind == 2:  # Server on Propose(t, cmd)
            b = 3 * self.servers.index(dst)
            if m[3] == s[b]:
                s[b + 1] = m[4]
                sends.append((tags[3], dst, src))
        elif kind == 3:  # Client on Success
            b = self.c_base + 4 * self.clients.index(dst)
            if s[b + 3] == 2:
                succ = s[b + 2]
                if src not in succ:
                    succ = (SET, *canonical(succ[1:] + (src,)))
                s[b + 2] = succ
                if len(succ) - 1 >= self.majority:
                    s[b + 3] = 3
                    sends += [(tags[4], dst, srv) for srv in self.servers]
        else:  # Server on Execute
            b = 3 * self.servers.index(dst)
            s[b + 2] = s[b + 1]
        s[self.net] = (BAG, *canonical(rest[1:] + tuple(sends))) if sends else rest
        return tuple(s)

    def is_terminal(self, state: State) -> bool:
        return len(state[self.net]) == 1  # nothing in flight

    def _executed(self, state: State) -> list[Any]:
        return [state[3 * i + 2] for i in range(self.n_servers)]

    def _consistent(self, state: State) -> bool:
        done = {e for e in self._executed(state) if e != NONE}
        return len(done) <= 1

    def _explain(self, state: State) -> dict[str, str]:
        ex = self._executed(state)
        for a in range(len(ex)):
            for b in range(a + 1, len(ex)):
                if ex[a] != NONE and ex[b] != NONE and ex[a] != ex[b]:
                    return {f"Server[{a}].executed": self.names.show(ex[a]),
                            f"Server[{b}].executed": self.names.show(ex[b])}
        return {}

    # -- display ------------------------------------------------------------
    def format_action(self, action: Action) -> str:
        m = action[1]
        names = self.names
        return f"{names.show(m[2])} handles {names.show_payload(m)} from {names.show(m[1])}"

    def step_info(self, action: Action, before: State, after: State) -> StepInfo:
        m = action[1]
        left = Counter(before[self.net][1:])
        left[m] -= 1
        sends = []
        for x in after[self.net][1:]:  # sorted: a deterministic order
            if left[x] > 0:
                left[x] -= 1
            else:
                sends.append(_msg_dict(self.names, x))
        return StepInfo(StepKind.DELIVER, self.format_action(action), self.names.show(m[2]),
                        _msg_dict(self.names, m), tuple(sends))

    def state_view(self, state: State) -> dict[str, Any]:
        view: dict[str, Any] = {}
        for i in range(self.n_servers):
            for j, var in enumerate(SERVER_VARS):
                view[f"Server[{i}].{var}"] = state[3 * i + j]
        for c in range(self.n_clients):
            for j, var in enumerate(CLIENT_VARS):
                view[f"Client[{c}].{var}"] = state[self.c_base + 4 * c + j]
        view["network"] = state[self.net]
        return view

    def validation_view(self) -> ValidationView:
        return TicketView(self)

    def show_value(self, value: Any) -> str:
        if is_bag(value):  # the network: show who sends to whom
            return "bag{" + ", ".join(self.names.show_message(m) for m in value[1:]) + "}"
        return self.names.show(value)


class TicketView(ValidationView):
    """What trace validation needs: the steps named as the DSL spec names
    them ("Server.on Propose"), so one mapping serves both models."""

    def __init__(self, model: Ticket):
        self.model = model
        self.kinds = [ActionKindInfo(f"{a.split('.')[0]}.on {m}", StepKind.DELIVER, a.split(".")[0], m, p)
                      for a, m, p in zip(ACTIONS, MSG_NAMES, HANDLER_PARAMS)]
        self.roles = {"Server": tuple(model.servers), "Client": tuple(model.clients)}

    def action_parts(self, action: Action) -> ActionParts:
        m = action[1]
        return ActionParts(m[2], m)

    def in_flight(self, state: State) -> tuple:
        return state[self.model.net][1:]

    def variable(self, name: str, role: str | None):
        mo = self.model
        if role == "Server" and name in SERVER_VARS:
            k = SERVER_VARS.index(name)
            return lambda s, me: s[3 * mo.servers.index(me) + k]
        if role == "Client" and name in CLIENT_VARS:
            k = CLIENT_VARS.index(name)
            return lambda s, me: s[mo.c_base + 4 * mo.clients.index(me) + k]
        return None


def _msg_dict(names: Names, m: tuple) -> dict[str, Any]:
    return {"src": names.show(m[1]), "dst": names.show(m[2]), "text": names.show_payload(m)}


def build_model(Servers: int = 3, Clients: int = 2) -> Ticket:
    """The naive ticket protocol (defaults: 3 servers, 2 clients)."""
    return Ticket(Servers, Clients)
