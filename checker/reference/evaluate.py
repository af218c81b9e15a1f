"""Expressions of the resolved AST -> typed values, by walking the tree.

No code generation and no static kinds: every operation checks the types
of the values it meets at run time and raises a positioned `EvalError`
when they do not fit (TLC's behaviour for an ill-typed comparison).
"""

from __future__ import annotations

from typing import Callable, Iterator

from checker.dsl import ast as A
from checker.errors import Span
from checker.reference import network
from checker.reference.builtins import call_builtin, is_builtin
from checker.reference.env import MISSING, Env
from checker.reference.functions import function_set
from checker.reference.typed import comparable, elements, equal, less, make_set, member
from checker.reference.values import (
    NONE,
    Bag,
    Bool,
    EvalError,
    Int,
    Map,
    Message,
    Node,
    Record,
    Seq,
    Set,
    Str,
    Value,
    boolean,
    show,
    span_of,
)

#: `def` calls nested deeper than this are an error (the compiler rejects
#: recursion; the reference just stops it).
MAX_DEF_DEPTH = 64


def truth(v: Value, what: str, where: object) -> bool:
    """``v`` as a Python bool; ``where`` is the AST node or span to blame."""
    if isinstance(v, Bool):
        return v.b
    span = where if isinstance(where, Span) or where is None else span_of(where)
    raise EvalError(f"{what} must be a boolean, not {v.kind} ({show(v)})", span)


def ev_bool(e: A.Expr, env: Env, what: str = "a condition") -> bool:
    return truth(ev(e, env), what, e)


def ev(e: A.Expr, env: Env) -> Value:
    fn = _DISPATCH.get(type(e))
    if fn is None:  # pragma: no cover - every expression class has an entry
        raise EvalError(f"unsupported expression {type(e).__name__}", getattr(e, "span", None))
    return fn(e, env)


def integer(v: Value, what: str, where: object) -> int:
    if isinstance(v, Int):
        return v.n
    span = where if isinstance(where, Span) or where is None else span_of(where)
    raise EvalError(f"{what} needs an int, not {v.kind} ({show(v)})", span)


# ---- names ---------------------------------------------------------------------

def _name(e: A.Name, env: Env) -> Value:
    n, spec = e.id, env.spec
    v = env.scope.lookup(n)
    if v is not MISSING:
        return v
    frame = env.frame
    if frame is not None:
        if env.role is not None and n in env.role.var_index and env.me is not None:
            return frame.nodes[env.me.gidx][env.role.var_index[n]]
        if n in spec.global_index:
            return frame.globals[spec.global_index[n]]
    if n in spec.consts:
        return spec.consts[n]
    if n in spec.roles:
        return spec.roles[n].node_set
    if frame is not None:
        if n == "sent":
            return frame.net if spec.network == "set" else (frame.sent or Set(()))
        if n == "network":
            return network.as_value(spec.network, frame.net)
        if n == "crashed":
            return frame.crashed
    raise EvalError(f"unknown name '{n}'", e.span)


def _self(e: A.SelfRef, env: Env) -> Value:
    if env.me is None:
        raise EvalError("'self' is only defined inside a role", e.span)
    return env.me


def single_node(e: A.Expr, env: Env) -> Node | None:
    """A single-node role's name stands for its node (``Learner.chosen``)."""
    if isinstance(e, A.Name) and e.id in env.spec.roles and env.scope.lookup(e.id) is MISSING:
        role = env.spec.roles[e.id]
        if len(role.nodes) == 1:
            return role.nodes[0]
    return None


# ---- operators ----------------------------------------------------------------

def _unary(e: A.Unary, env: Env) -> Value:
    v = ev(e.operand, env)
    if e.op == "not":
        return boolean(not truth(v, "'not'", e.operand))
    return Int(-integer(v, "'-'", e.operand))


def _binary(e: A.Binary, env: Env) -> Value:
    op, span = e.op, e.span
    if op in ("and", "or", "=>"):
        first = truth(ev(e.left, env), f"'{op}'", e.left)
        if op == "and" and not first:
            return boolean(False)
        if op == "or" and first:
            return boolean(True)
        if op == "=>" and not first:
            return boolean(True)
        return boolean(truth(ev(e.right, env), f"'{op}'", e.right))
    if op == "is":
        return _is(e, env)
    a, b = ev(e.left, env), ev(e.right, env)
    if op == "==":
        return boolean(equal(a, b, span))
    if op == "!=":
        return boolean(not equal(a, b, span))
    if op == "<":
        return boolean(less(a, b, span))
    if op == ">":
        return boolean(less(b, a, span))
    if op == "<=":
        return boolean(not less(b, a, span))
    if op == ">=":
        return boolean(not less(a, b, span))
    if op == "in":
        return boolean(member(a, b, span))
    if op == "not in":
        return boolean(not member(a, b, span))
    if op == "subset":
        if not (isinstance(a, Set) and isinstance(b, Set)):
            raise EvalError(f"'subset' needs two sets, not {a.kind} and {b.kind}", span)
        comparable(a, b, span)
        return boolean(a.members <= b.members)
    if op == "..":
        lo, hi = integer(a, "'..'", span), integer(b, "'..'", span)
        return Set(Int(i) for i in range(lo, hi + 1))
    return _arith(op, a, b, span)


def _arith(op: str, a: Value, b: Value, span: Span | None) -> Value:
    if isinstance(a, Int) and isinstance(b, Int):
        x, y = a.n, b.n
        if op == "+":
            return Int(x + y)
        if op == "-":
            return Int(x - y)
        if op == "*":
            return Int(x * y)
        if op in ("/", "%"):
            if y == 0:
                raise EvalError("division by zero" if op == "/" else "modulo by zero", span)
            return Int(x // y if op == "/" else x % y)
    elif type(a) is type(b) and isinstance(a, Set) and isinstance(b, Set) and op in ("+", "-", "&"):
        comparable(a, b, span)
        if op == "+":
            return Set(a.members | b.members)
        return Set(a.members - b.members if op == "-" else a.members & b.members)
    elif isinstance(a, Seq) and isinstance(b, Seq) and op == "+":
        return Seq(a.items + b.items)
    elif isinstance(a, Bag) and isinstance(b, Bag) and op == "+":
        return Bag(a.items + b.items)
    raise EvalError(f"'{op}' is not defined on {a.kind} ({show(a)}) and {b.kind} ({show(b)})", span)


def _is(e: A.Binary, env: Env) -> Value:
    if not isinstance(e.right, A.Name):
        raise EvalError("'is' needs a message or quorum name on its right", span_of(e.right))
    target, v = e.right.id, ev(e.left, env)
    spec = env.spec
    if target in spec.messages:
        return boolean(isinstance(v, Message) and v.name == target)
    if target in spec.quorums:
        info = spec.quorums[target]
        role = spec.roles[info.role.name]
        if not isinstance(v, Set):
            raise EvalError(f"'is {target}' needs a set of {role.name} nodes, not {v.kind} ({show(v)})", e.span)
        idx = []
        for x in v.items:
            if not (isinstance(x, Node) and x.role == role.name):
                raise EvalError(f"'is {target}': {show(x)} in {show(v)} is not one of the {role.name} nodes", e.span)
            idx.append(x.index)
        return boolean(info.holds(frozenset(idx)))
    raise EvalError(f"'{target}' is not a message type or a quorum", span_of(e.right))


# ---- access ---------------------------------------------------------------------

def _index(e: A.Index, env: Env) -> Value:
    base = e.base
    if isinstance(base, A.Name) and base.id in env.spec.roles and env.scope.lookup(base.id) is MISSING:
        role = env.spec.roles[base.id]
        i = integer(ev(e.index, env), "a node index", e.index)
        if not 0 <= i < len(role.nodes):
            raise EvalError(f"{role.name}[{i}] does not exist ({role.name} has {len(role.nodes)} node(s))", e.span)
        return role.nodes[i]
    return get_item(ev(base, env), ev(e.index, env), e.span)


def get_item(c: Value, k: Value, span: Span | None) -> Value:
    if isinstance(c, Map):
        for key in c.table:
            if equal(key, k, span):
                return c.table[key]
        raise EvalError(f"key {show(k)} is not in the map {show(c)}", span)
    if isinstance(c, Seq):
        i = integer(k, "a sequence index", span)
        if 0 <= i < len(c.items):
            return c.items[i]
        raise EvalError(f"index {i} is out of range for a sequence of length {len(c.items)}", span)
    raise EvalError(f"cannot index {c.kind} ({show(c)})", span)


def _slice(e: A.Slice, env: Env) -> Value:
    c = ev(e.base, env)
    if not isinstance(c, Seq):
        raise EvalError(f"slicing needs a sequence, not {c.kind}", e.span)
    n = len(c.items)
    lo = 0 if e.lo is None else max(0, min(integer(ev(e.lo, env), "a slice bound", e.span), n))
    hi = n if e.hi is None else max(lo, min(integer(ev(e.hi, env), "a slice bound", e.span), n))
    return Seq(c.items[lo:hi])


def _field(e: A.Field, env: Env) -> Value:
    node = single_node(e.base, env)
    v = node if node is not None else ev(e.base, env)
    return read_field(v, e.name, env, e.span)


def read_field(v: Value, name: str, env: Env, span: Span | None) -> Value:
    if isinstance(v, Node):
        role = env.spec.roles[v.role]
        if name not in role.var_index:
            raise EvalError(f"node {v.name} has no variable '{name}'", span)
        if env.frame is None:
            raise EvalError("a constant cannot read a node's variable", span)
        return env.frame.nodes[v.gidx][role.var_index[name]]
    if isinstance(v, Record):
        x = v.get(name)
    elif isinstance(v, Message):
        x = v.field(name)
    else:
        raise EvalError(f"cannot read field '{name}' of {v.kind} ({show(v)})", span)
    if x is None:
        raise EvalError(f"{show(v)} has no field '{name}'", span)
    return x


# ---- literals ---------------------------------------------------------------------

def _map_lit(e: A.MapLit, env: Env) -> Value:
    return make_map([(ev(k, env), ev(v, env)) for k, v in e.items], e.span)


def make_map(pairs: list[tuple[Value, Value]], span: Span | None) -> Map:
    """Later pairs win over earlier ones with the same key."""
    make_set((k for k, _ in pairs), span) # keys must be comparable
    return Map(pairs)


def _record(e: A.RecordLit, env: Env) -> Value:
    return Record((name, ev(v, env)) for name, v in e.fields)


# ---- binders -----------------------------------------------------------------------

def bindings(names: tuple[str, ...], domain: A.Expr, env: Env) -> Iterator[dict[str, Value]]:
    """Each assignment of ``names`` (all over the same domain)."""
    items = elements(ev(domain, env), span_of(domain), "range over")

    def rec(k: int, acc: dict[str, Value]) -> Iterator[dict[str, Value]]:
        if k == len(names):
            yield dict(acc)
            return
        for x in items:
            acc[names[k]] = x
            yield from rec(k + 1, acc)

    return rec(0, {})


#: a comprehension or quantifier clause: ``for names in domain`` (names
#: given) or ``if cond`` (names None).
Clause = tuple[tuple[str, ...] | None, A.Expr]


def clauses(parts: list[Clause], env: Env, k: int = 0) -> Iterator[Env]:
    """Nested ``for``/``if`` clauses: each environment where all hold.
    A later clause's domain may use earlier names."""
    if k == len(parts):
        yield env
        return
    names, x = parts[k]
    if names is None:
        if ev_bool(x, env, "a filter"):
            yield from clauses(parts, env, k + 1)
        return
    for b in bindings(names, x, env):
        yield from clauses(parts, env.with_scope(env.scope.child(b)), k + 1)


def _quantifier(e: A.Quantifier, env: Env) -> Value:
    parts: list[Clause] = [(b.names, b.domain) for b in e.binders]
    test = all if e.kind == "forall" else any
    return boolean(test(ev_bool(e.body, inner, "a quantifier body") for inner in clauses(parts, env)))


def _comprehension(e: A.Comprehension, env: Env) -> Value:
    parts: list[Clause] = [(c.names, c.source) if isinstance(c, A.CompFor) else (None, c.cond) for c in e.clauses]
    if e.kind == "set":
        return make_set((ev(e.element, inner) for inner in clauses(parts, env)), e.span)
    if e.kind == "seq":
        return Seq(ev(e.element, inner) for inner in clauses(parts, env))
    assert e.value is not None
    value = e.value
    return make_map([(ev(e.element, inner), ev(value, inner)) for inner in clauses(parts, env)], e.span)


def _cond(e: A.CondExpr, env: Env) -> Value:
    return ev(e.then, env) if ev_bool(e.cond, env) else ev(e.orelse, env)


def _choose(e: A.ChooseExpr, env: Env) -> Value:
    for b in bindings((e.name,), e.domain, env):
        if ev_bool(e.cond, env.with_scope(env.scope.child(b))):
            return b[e.name]
    raise EvalError("choose: no element satisfies the condition", e.span)


# ---- calls -------------------------------------------------------------------------

def _call(e: A.Call, env: Env) -> Value:
    spec, f = env.spec, e.func
    if f in spec.messages:
        src = env.me if env.me is not None else NONE
        return message(e, env, src, NONE)
    if f in spec.defs:
        d = spec.defs[f]
        if len(env.defs) >= MAX_DEF_DEPTH:
            raise EvalError(f"definitions nest more than {MAX_DEF_DEPTH} levels deep", e.span)
        args = [ev(a.value, env) for a in e.args]
        if len(args) != len(d.params):
            raise EvalError(f"{f}() takes {len(d.params)} argument(s), got {len(args)}", e.span)
        inner = env.with_scope(env.scope.child(dict(zip(d.params, args))))  # expanded where called
        inner.defs = env.defs + (f,)
        return ev(d.body, inner)
    if is_builtin(f):
        args = [_arg(a.value, env) if f in ("checksum", "connected") else ev(a.value, env) for a in e.args]
        return call_builtin(f, args, env, e.span)
    raise EvalError(f"unknown function or message '{f}'", e.span)


def _arg(e: A.Expr, env: Env) -> Value:
    node = single_node(e, env)
    return node if node is not None and env.spec.roles[node.role].info.decl.count is None else ev(e, env)


def message(call: A.Call, env: Env, src: Value, dst: Value) -> Message:
    """A message constructor ``M(a, b)`` or ``M(f: a, g: b)``."""
    mt = env.spec.messages[call.func]
    named = {a.name: a for a in call.args if a.name is not None}
    if named:
        missing = [f for f in mt.fields if f not in named]
        if missing or len(named) != len(call.args):
            raise EvalError(f"message {mt.name} needs fields {', '.join(mt.fields)}", call.span)
        values = tuple(ev(named[f].value, env) for f in mt.fields)
    else:
        if len(call.args) != len(mt.fields):
            raise EvalError(f"message {mt.name} has {len(mt.fields)} field(s)", call.span)
        values = tuple(ev(a.value, env) for a in call.args)
    return Message(mt.name, mt.order, src, dst, mt.fields, values)


def _lit(make: Callable[[list[Value]], Value]) -> Callable[[A.TupleLit | A.SeqLit, Env], Value]:
    return lambda e, env: make([ev(x, env) for x in e.items])


_DISPATCH: dict[type, Callable[..., Value]] = {
    A.IntLit: lambda e, env: Int(e.value),
    A.StrLit: lambda e, env: Str(e.value),
    A.BoolLit: lambda e, env: boolean(e.value),
    A.NoneLit: lambda e, env: NONE,
    A.SelfRef: _self,
    A.Name: _name,
    A.Unary: _unary,
    A.Binary: _binary,
    A.Index: _index,
    A.Slice: _slice,
    A.Field: _field,
    A.Call: _call,
    A.TupleLit: _lit(Seq),
    A.SeqLit: _lit(Seq),
    A.SetLit: lambda e, env: make_set([ev(x, env) for x in e.items], e.span),
    A.MapLit: _map_lit,
    A.RecordLit: _record,
    A.Comprehension: _comprehension,
    A.Quantifier: _quantifier,
    A.CondExpr: _cond,
    A.ChooseExpr: _choose,
    A.Primed: lambda e, env: ev(e.expr, env.primed()),
    A.FuncSet: lambda e, env: function_set(ev(e.domain, env), ev(e.codomain, env), e.span),
}
