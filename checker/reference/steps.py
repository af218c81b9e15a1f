"""Initial states and the steps of a state: deliveries, actions, timers,
global actions, and the bounded faults.

A step's fairness class follows the README: a delivery is (handler, node,
message), a role's action or timer is (action, node) whatever its
parameters (with the values of its ``per`` parameters, if any), a global
action is (action,) (likewise); a fault or an unfair step belongs to none.
A class is a tuple whose first element is its `Fairness` (weak or strong).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from checker.dsl import ast as A
from checker.dsl.temporal import fairness_of
from checker.model import Fairness
from checker.reference import network
from checker.reference.env import Env
from checker.reference.evaluate import bindings, ev, ev_bool
from checker.reference.execute import Failed, Outcome, run_block
from checker.reference.spec import Bound, RefSpec, RoleTable
from checker.reference.state import Frame, State
from checker.reference.typed import elements
from checker.reference.values import (
    NONE,
    Checksum,
    EvalError,
    Message,
    Node,
    NoneValue,
    Set,
    Value,
    payload,
    show,
    span_of,
)


@dataclass(frozen=True)
class Step:
    """One step: its label, fairness class (None: a fault, never forced),
    and the next state, or the name of the step assertion it failed."""

    label: str
    fair: tuple | None
    target: State | None
    failed: str | None = None


def finish(spec: RefSpec, frame: Frame) -> State:
    """The sends of a step enter the network (and the history); messages to
    a crashed node, or across a dropping partition, are lost."""
    out = frame.out
    frame.net = network.add(spec.network, frame.net, out)
    if spec.track_sent and out:
        assert frame.sent is not None
        frame.sent = Set(frame.sent.members | set(out))
    frame.out = []
    if spec.network != "set" and (spec.crashes or spec.partition_mode == "drop"):
        down, cut = frame.crashed.members, frame.cut
        drop = spec.partition_mode == "drop"
        frame.net = network.keep_only(spec.network, frame.net,
                                      lambda m: m.dst not in down and not (drop and _crosses(m, cut)))
    return frame.freeze()


def _crosses(m: Message, cut: Value) -> bool:
    if not isinstance(cut, Set) or isinstance(m.src, NoneValue) or isinstance(m.dst, NoneValue):
        return False
    return (m.src in cut.members) != (m.dst in cut.members)


def _results(spec: RefSpec, outcomes: list[Outcome], label: str, fair: tuple | None) -> Iterator[Step]:
    for o in outcomes:
        if isinstance(o, Failed):
            yield Step(label, fair, None, o.prop)
        else:
            assert o.frame is not None
            yield Step(label, fair, finish(spec, o.frame))


# ---- initial states --------------------------------------------------------------

def initial_states(spec: RefSpec) -> list[State]:
    """Variables take their initial values (``var x = e``), then those of a
    domain (``var x in S``) each value of it, node by node, then every
    node's init blocks run (role by role, node by node), then the global
    ones; a choose in any of them branches everything after it. Of the
    results, those where every ``init when`` condition holds."""
    nodes: list[list[Value]] = [[NONE] * len(spec.node_role[g].var_names) for g in range(len(spec.nodes))]
    frame = Frame(nodes, [NONE] * len(spec.global_names), network.empty(spec.network),
                  Set(()) if spec.track_sent else None, [0] * len(spec.bounds), Set(()), NONE, [])
    for role in spec.roles.values():
        for k, name in enumerate(role.var_names):
            init = role.info.vars[name].decl.init
            for node in role.nodes:
                if init is not None:
                    frame.nodes[node.gidx][k] = ev(init, spec.env(frame, node, role))
    for k, name in enumerate(spec.global_names):
        init = spec.r.global_vars[name].decl.init
        if init is not None:
            frame.globals[k] = ev(init, spec.env(frame))
    frames = _domains(spec, [frame])
    segments: list[tuple[Node | None, RoleTable | None, tuple[A.Stmt, ...]]] = []
    for role in spec.roles.values():
        for node in role.nodes:
            segments.extend((node, role, init.body) for init in role.info.inits)
    segments.extend((None, None, init.body) for init in spec.r.inits)
    for me, owner, body in segments:
        nxt = []
        for f in frames:
            for o in run_block(body, spec.env(f, me, owner)):
                if isinstance(o, Failed):
                    raise EvalError(f"assertion '{o.prop}' fails in the initial state")
                assert o.frame is not None
                nxt.append(o.frame)
        frames = nxt
    states = [finish(spec, f) for f in frames]
    conds = [w.cond for w in spec.r.init_conds]
    return [s for s in states if all(ev_bool(c, spec.env(Frame.of(s)), "'init when'") for c in conds)]


def _domains(spec: RefSpec, frames: list[Frame]) -> list[Frame]:
    """Each variable declared ``var x in S`` takes each element of S."""
    for role in spec.roles.values():
        for node in role.nodes:
            for k, name in enumerate(role.var_names):
                dom = role.info.vars[name].decl.domain
                if dom is not None:
                    frames = _each(spec, frames, dom, node, role, k)
    for k, name in enumerate(spec.global_names):
        dom = spec.r.global_vars[name].decl.domain
        if dom is not None:
            frames = _each(spec, frames, dom, None, None, k)
    return frames


def _each(spec: RefSpec, frames: list[Frame], dom: A.Expr, node: Node | None, role: RoleTable | None,
          k: int) -> list[Frame]:
    """A copy of each frame per element of ``dom`` (evaluated in it) as the
    value of variable ``k`` of ``node`` (a global variable: node None)."""
    out = []
    for f in frames:
        for v in elements(ev(dom, spec.env(f, node, role)), span_of(dom)):
            g = f.copy()
            if node is None:
                g.globals[k] = v
            else:
                g.nodes[node.gidx][k] = v
            out.append(g)
    return out


# ---- steps --------------------------------------------------------------------------

def successors(spec: RefSpec, s: State) -> list[Step]:
    crashed = s[5].members
    steps: list[Step] = []
    for m, rest in network.deliverable(spec.network, s[2]):
        for role, node in _receivers(spec, m):
            if node in crashed or not _connected(s[6], m.src, node):
                continue
            steps.extend(_deliver(spec, s, role, node, m, rest))
    for role in spec.roles.values():
        for a in role.info.actions:
            for node in role.nodes:
                if node not in crashed:
                    steps.extend(_action(spec, s, role, node, a))
    for a in spec.r.actions:
        steps.extend(_action(spec, s, None, None, a))
    for b in spec.bounds:
        if s[4][b.counter] < b.bound:
            steps.extend(_fault(spec, s, b))
    if isinstance(s[6], Set):
        f = Frame.of(s)
        f.cut = NONE
        steps.append(Step("heal partition", None, f.freeze()))
    return steps


def _receivers(spec: RefSpec, m: Message) -> list[tuple[RoleTable, Node]]:
    if isinstance(m.dst, Node):
        role = spec.roles[m.dst.role]
        return [(role, m.dst)] if m.name in role.info.handlers else []
    return [(role, node) for role in spec.roles.values() if m.name in role.info.handlers for node in role.nodes]


def _connected(cut: Value, src: Value, node: Node) -> bool:
    if not isinstance(cut, Set) or isinstance(src, NoneValue):
        return True
    return (src in cut.members) == (node in cut.members)


def _deliver(spec: RefSpec, s: State, role: RoleTable, node: Node, m: Message, rest: Any) -> Iterator[Step]:
    h = role.info.handlers[m.name]
    env = spec.env(Frame.of(s), node, role)
    env.msg = m
    env.scope.names.update(zip(h.params, m.values))
    if h.sender is not None:
        env.scope.names[h.sender] = m.src
    if h.guard is not None and not ev_bool(h.guard, env, "a guard"):
        return
    assert env.frame is not None
    env.frame.net = rest
    env.scope = env.scope.child()
    label = f"{node.name} handles {payload(m)} from {show(m.src) if isinstance(m.src, Node) else 'env'}"
    fairness = fairness_of(h).kind
    fair = None if fairness is Fairness.UNFAIR else (fairness, "deliver", role.name, m.name, node.gidx, m)
    yield from _results(spec, run_block(h.body, env), label, fair)


def _action(spec: RefSpec, s: State, role: RoleTable | None, node: Node | None, a: A.ActionDecl) -> Iterator[Step]:
    declared = fairness_of(a)
    where = ("action", role.name, a.name, node.gidx) if role is not None and node is not None else ("global", a.name)
    env = spec.env(Frame.of(s), node, role)
    for params in _params(a.params, env):
        penv = env.with_scope(env.scope.child(params))
        if a.guard is not None and not ev_bool(a.guard, penv, "a guard"):
            continue
        body = penv.copy()
        body.scope = body.scope.child()
        args = ", ".join(f"{p.name}={show(params[p.name])}" for p in a.params)
        who = f"{node.name} {'timeout' if a.kind == 'timeout' else 'action'} " if node is not None else ""
        fair = None if declared.kind is Fairness.UNFAIR else \
            (declared.kind,) + where + tuple(params[name] for name in declared.per)
        yield from _results(spec, run_block(a.body, body), f"{who}{a.name}({args})", fair)


def _params(params: tuple[A.Param, ...], env: Env, k: int = 0) -> Iterator[dict[str, Value]]:
    """Each binding of an action's parameters; a later domain may use
    earlier parameters."""
    if k == len(params):
        yield {}
        return
    p = params[k]
    for b in bindings((p.name,), p.domain, env):
        for rest in _params(params, env.with_scope(env.scope.child(b)), k + 1):
            yield {**b, **rest}


# ---- faults ----------------------------------------------------------------------------

def _fault(spec: RefSpec, s: State, b: Bound) -> Iterator[Step]:
    kind = b.kind

    def bumped(**changes: Any) -> Frame:
        f = Frame.of(s)
        f.counters[b.counter] += 1
        for name, v in changes.items():
            setattr(f, name, v)
        return f

    if kind in ("loss", "duplicate", "corrupt"):
        for m, replace in network.positions(spec.network, s[2]):
            if kind == "loss":
                yield Step(f"loss: {show(m)}", None, bumped(net=replace([])).freeze())
            elif kind == "duplicate":
                yield Step(f"duplicate: {show(m)}", None, bumped(net=replace([m, m])).freeze())
            else:
                for m2 in corruptions(spec, m):
                    yield Step(f"corrupt: {show(m)} becomes {show(m2)}", None, bumped(net=replace([m2])).freeze())
    elif kind == "reorder":
        for over, under, net in network.swaps(s[2]):
            yield Step(f"reorder: {show(over)} overtakes {show(under)}", None, bumped(net=net).freeze())
    elif kind in ("crash", "restart"):
        roles = [spec.roles[b.info.target]] if b.info.target else list(spec.roles.values())
        for role in roles:
            for node in role.nodes:
                down = node in s[5].members
                if kind == "crash" and not down:
                    yield Step(f"crash {node.name}", None, _crash(spec, bumped(), role, node))
                elif kind == "restart" and down:
                    yield from _restart(spec, bumped(), role, node)
    elif kind == "partition" and not isinstance(s[6], Set):
        for side in _sides(spec):
            f = bumped(cut=side)
            if spec.partition_mode == "drop":
                f.net = network.keep_only(spec.network, f.net, _within(side))
            yield Step(f"partition: {show(side)}", None, f.freeze())


def _within(side: Set) -> Callable[[Message], bool]:
    return lambda m: not _crosses(m, side)


def corruptions(spec: RefSpec, m: Message) -> Iterator[Message]:
    """Each message one corruption turns ``m`` into: a field takes another
    value of its declared domain, or a checksum is garbled."""
    doms = spec.messages[m.name].domains
    for k, dom in enumerate(doms):
        for v in dom or ():
            if v != m.values[k]:
                yield m.replace(k, v)
    for k, v in enumerate(m.values):
        if isinstance(v, Checksum) and v.args is not None:
            yield m.replace(k, Checksum(None))


def _crash(spec: RefSpec, f: Frame, role: RoleTable, node: Node) -> State:
    """Volatile variables go back to their initial values; messages to the
    node are lost (except in a set network, where messages persist)."""
    for k, name in enumerate(role.var_names):
        init = role.info.vars[name].decl.init
        if name not in role.persistent:
            assert init is not None, "a 'var x in S' of a crashing role is persistent (checked)"
            f.nodes[node.gidx][k] = ev(init, spec.env(f, node, role))
    f.crashed = Set(f.crashed.members | {node})
    if spec.network != "set":
        f.net = network.keep_only(spec.network, f.net, lambda m: m.dst != node)
    return f.freeze()


def _restart(spec: RefSpec, f: Frame, role: RoleTable, node: Node) -> Iterator[Step]:
    f.crashed = Set(f.crashed.members - {node})
    label = f"restart {node.name}"
    if role.restart is None:
        yield Step(label, None, f.freeze())
        return
    yield from _results(spec, run_block(role.restart.body, spec.env(f, node, role)), label, None)


def _sides(spec: RefSpec) -> list[Set]:
    """Every split of the nodes in two non-empty sides, named by the side
    holding the first node."""
    first, rest = spec.nodes[0], spec.nodes[1:]
    return [Set([first] + [n for i, n in enumerate(rest) if mask >> i & 1]) for mask in range((1 << len(rest)) - 1)]
