"""Statements: a block run on an `Env` gives its outcomes.

``choose x in S`` makes the rest of its block run once per element, each
on an independent copy of the whole execution context (state, messages
sent, locals, acting node), so one branch can never leak into another. An
outcome is the finished `Env`, or a `Failed` step assertion.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.dsl import ast as A
from checker.errors import Span
from checker.reference import network
from checker.reference.env import MISSING, Env
from checker.reference.evaluate import bindings, ev, ev_bool, get_item, message, read_field
from checker.reference.typed import equal
from checker.reference.values import NONE, EvalError, Int, Map, Message, Node, Record, Seq, Set, Value, show, span_of


@dataclass(frozen=True)
class Failed:
    """A step assertion that failed (the step is cut, and reported)."""

    prop: str


Outcome = Env | Failed


def run_block(stmts: tuple[A.Stmt, ...] | list[A.Stmt], env: Env) -> list[Outcome]:
    """Run ``stmts`` in ``env`` (mutated; copied at each choose)."""
    return _seq(list(stmts), 0, env)


def _seq(stmts: list[A.Stmt], k: int, env: Env) -> list[Outcome]:
    while k < len(stmts):
        s = stmts[k]
        if isinstance(s, A.Choose):
            out: list[Outcome] = []
            for b in bindings((s.name,), s.domain, env):
                branch = env.copy()
                branch.scope.names.update(b)  # lives to the end of this block
                out.extend(_seq(stmts, k + 1, branch))
            return out
        if isinstance(s, (A.If, A.For)):
            results = _compound(s, env)
            if len(results) != 1 or results[0] is not env:
                out = []
                for r in results:
                    out.extend([r] if isinstance(r, Failed) else _seq(stmts, k + 1, r))
                return out
        else:
            failed = _simple(s, env)
            if failed is not None:
                return [failed]
        k += 1
    return [env]


def _block(stmts: tuple[A.Stmt, ...], env: Env) -> list[Outcome]:
    """A nested block: its own scope for ``let``s, then back."""
    outer = env.scope
    env.scope = outer.child()
    results = _seq(list(stmts), 0, env)
    for r in results:
        if isinstance(r, Env):
            r.scope = r.scope.parent  # type: ignore[assignment]
    return results


def _compound(s: A.If | A.For, env: Env) -> list[Outcome]:
    if isinstance(s, A.If):
        if ev_bool(s.cond, env, "an if condition"):
            return _block(s.then, env)
        return _block(s.orelse, env) if s.orelse else [env]
    envs: list[Outcome] = [env]
    for b in list(bindings(s.names, s.source, env)):
        nxt: list[Outcome] = []
        for e in envs:
            if isinstance(e, Failed):
                nxt.append(e)
                continue
            outer = e.scope
            e.scope = outer.child(b)
            for r in _block(s.body, e):
                if isinstance(r, Env):
                    r.scope = r.scope.parent  # type: ignore[assignment]
                nxt.append(r)
        envs = nxt
    return envs


def _simple(s: A.Stmt, env: Env) -> Failed | None:
    frame = env.frame
    assert frame is not None
    if isinstance(s, A.Assign):
        assign(s, env)
    elif isinstance(s, A.Let):
        env.scope.names[s.name] = ev(s.value, env)
    elif isinstance(s, A.Send):
        _send(s, env)
    elif isinstance(s, A.Assert):
        if not ev_bool(s.cond, env, "an assertion"):
            return Failed(s.name or f"assert line {s.span.line}")
    elif isinstance(s, A.NetOp):
        kind = env.spec.network
        if s.kind == "keep":
            if env.msg is None:
                raise EvalError("'keep' is only possible inside a message handler", s.span)
            frame.net = network.put_back(kind, frame.net, env.msg)
        else:
            assert s.message is not None
            m = ev(s.message, env)
            if not isinstance(m, Message):
                raise EvalError(f"'{s.kind}' needs a message, not {m.kind} ({show(m)})", s.span)
            if s.kind == "resend":
                frame.out.append(m)
            else:
                try:
                    frame.net = network.remove_one(kind, frame.net, m)
                except EvalError as exc:
                    raise EvalError(exc.message, s.span) from None
    elif not isinstance(s, A.Skip):  # pragma: no cover
        raise EvalError(f"unsupported statement {type(s).__name__}", getattr(s, "span", None))
    return None


def _send(s: A.Send, env: Env) -> None:
    frame = env.frame
    assert frame is not None
    src = env.me if env.me is not None else NONE
    if s.kind == "reply":
        if env.msg is None:
            raise EvalError("'reply' is only possible inside a message handler", s.span)
        frame.out.append(message(s.message, env, src, env.msg.src))
        return
    if s.to is None:
        frame.out.append(message(s.message, env, src, NONE))
        return
    to = ev(s.to, env)
    if isinstance(to, Node):
        dests: tuple[Value, ...] = (to,)
    elif isinstance(to, Set) and all(isinstance(x, Node) for x in to.items):
        dests = to.items
    else:
        raise EvalError(f"a message is sent to a node or a set of nodes, not {to.kind} ({show(to)})", span_of(s.to))
    for d in dests:
        frame.out.append(message(s.message, env, src, d))


# ---- assignment ---------------------------------------------------------------------

def assign(s: A.Assign, env: Env) -> None:
    t, frame, spec = s.target, env.frame, env.spec
    assert frame is not None
    value = ev(s.value, env)
    accs = list(t.accessors)
    local = env.scope.lookup(t.name)
    if local is not MISSING:
        if accs and isinstance(local, Node) and isinstance(accs[0], str):
            _node_var(local, accs, value, env, t.span)
        else:
            env.scope.assign(t.name, _update(local, accs, value, env, t.span))
    elif env.role is not None and t.name in env.role.var_index and env.me is not None:
        k = env.role.var_index[t.name]
        frame.nodes[env.me.gidx][k] = _update(frame.nodes[env.me.gidx][k], accs, value, env, t.span)
    elif t.name in spec.global_index:
        k = spec.global_index[t.name]
        frame.globals[k] = _update(frame.globals[k], accs, value, env, t.span)
    elif t.name in spec.roles and len(accs) >= 2 and not isinstance(accs[0], str) and isinstance(accs[1], str):
        node = ev(A.Index(A.Name(t.name, t.span), accs[0], t.span), env)
        assert isinstance(node, Node)
        _node_var(node, accs[1:], value, env, t.span)
    else:
        raise EvalError(f"cannot assign to '{t.name}'", t.span)


def _node_var(node: Node, accs: list, value: Value, env: Env, span: Span | None) -> None:
    role = env.spec.roles[node.role]
    name = accs[0]
    if name not in role.var_index:
        raise EvalError(f"node {node.name} has no variable '{name}'", span)
    frame = env.frame
    assert frame is not None
    k = role.var_index[name]
    frame.nodes[node.gidx][k] = _update(frame.nodes[node.gidx][k], accs[1:], value, env, span)


def _update(old: Value, accs: list, value: Value, env: Env, span: Span | None) -> Value:
    """``old`` with the part named by ``accs`` replaced by ``value``."""
    if not accs:
        return value
    a, rest = accs[0], accs[1:]
    if isinstance(a, str):
        if not isinstance(old, Record) or old.get(a) is None:
            raise EvalError(f"cannot set field '{a}' of {old.kind} ({show(old)})", span)
        new = _update(read_field(old, a, env, span), rest, value, env, span)
        return Record((f, new if f == a else v) for f, v in old.fields)
    key = ev(a, env)
    if isinstance(old, Map):
        existing = [k for k in old.table if equal(k, key, span)]
        if rest:
            inner = _update(get_item(old, key, span), rest, value, env, span)
        else:
            inner = value
        pairs = [(k, v) for k, v in old.table.items() if k not in existing] + [(key, inner)]
        return Map(pairs)
    if isinstance(old, Seq):
        item = get_item(old, key, span)  # checks the index
        assert isinstance(key, Int)
        i = key.n
        return Seq(old.items[:i] + (_update(item, rest, value, env, span),) + old.items[i + 1:])
    raise EvalError(f"item assignment needs a sequence or a map, not {old.kind} ({show(old)})", span)
