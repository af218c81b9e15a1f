"""Static checking of expressions: each expression's `Kind` (recorded in
a `KindTable`, per place it is evaluated) and the errors of unknown names,
arity and static type mismatches. `checker.dsl.typecheck` builds on it for
statements and the whole spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterable

from checker.dsl import ast as A
from checker.dsl.kinds import (
    ANY,
    BOOL,
    INT,
    MAP,
    MSG,
    NONE,
    REC,
    SCALARS,
    SEQ,
    SET,
    STR,
    Kind,
    ValueKind,
    binary_kind,
    collection,
    compatible,
    element_of,
    joined,
    joined_all,
    node_of,
)
from checker.errors import SpecError
from checker.network import network_of
from checker.values import elements, kind_of

if TYPE_CHECKING:  # the resolver runs the checker: no import at run time
    from checker.dsl.resolve import ResolvedSpec, RoleInfo, VarInfo

#: definitions are expanded in place; deeper chains overflow Python's limits.
MAX_DEF_NESTING = 32
BUILTINS = {
    "size": 1, "len": 1, "max": 1, "min": 1, "sum": 1, "abs": 1, "append": 2, "head": 1, "tail": 1,
    "last": 1, "keys": 1, "values": 1, "index": 1, "seq": 1, "set": 1, "subsets": 1,
    "count": 2,
}
_CMP = ("==", "!=", "<", "<=", ">", ">=")

Path = tuple[int, ...]  # ids of the calls that expanded a definition


#: what the inference of `ExprChecker` learns, by key: ("var", role or "",
#: name), ("field", message, field), ("src", message)
Key = tuple[str, str, str]


class KindTable:
    """The kind of every expression the checker saw, per expansion path
    (keyed by the expression's identity: the spec keeps its AST alive). A
    table with a ``parent`` adds kinds for a few more expressions (e.g. an
    expression a validation mapping observes) and looks up the rest there."""

    def __init__(self, parent: KindTable | None = None) -> None:
        self._kinds: dict[tuple[int, Path], Kind] = {}
        self.parent = parent
        #: the inferred kinds the table was made under (`checker.dsl.typecheck`)
        self.assumed: dict[Key, Kind] = {}

    def put(self, e: A.Expr | A.LValue, path: Path, kind: Kind) -> Kind:
        self._kinds[(id(e), path)] = kind
        return kind

    def get(self, e: A.Expr | A.LValue, path: Path = ()) -> Kind:
        kind = self._kinds.get((id(e), path))
        if kind is None:
            return self.parent.get(e, path) if self.parent is not None else ANY
        return kind

    def check_assignment(self, s: A.Assign, path: Path, kind: Kind) -> None:
        """Mark an assignment whose value the checker cannot prove to be of
        its target's kind ``kind``: the compiled code checks it at run time
        (the code reading the target trusts ``kind``)."""
        self._kinds[(id(s), path)] = kind

    def assignment_check(self, s: A.Assign, path: Path = ()) -> Kind | None:
        """The kind an assignment's value is checked against, if any."""
        kind = self._kinds.get((id(s), path))
        if kind is None and self.parent is not None:
            return self.parent.assignment_check(s, path)
        return kind


def kind_of_value(v: Any) -> Kind:
    """The kind of a constant's value (with the kind of its elements when
    they are all of one)."""
    base = kind_of(v)
    if base in (ValueKind.SET, ValueKind.BAG, ValueKind.SEQ):
        items = v if base is ValueKind.SEQ else elements(v)
        return collection(base, joined_all([kind_of_value(x) for x in items]))
    return Kind(base)


def var_key(v: VarInfo) -> Key:
    return ("var", v.role.name if v.role is not None else "", v.name)


def declared_kind(v: VarInfo) -> Kind:
    """A variable's kind as its initial value's form declares it (an int
    literal, a set literal, ...); ``ANY`` when the form says nothing (none,
    an expression): then it is inferred from what is assigned to it."""
    init = v.decl.init
    if init is None:  # `var x in S`: inferred from S's elements
        return ANY
    if isinstance(init, A.IntLit) or (isinstance(init, A.Unary) and init.op == "-"):
        return INT
    if isinstance(init, A.BoolLit):
        return BOOL
    if isinstance(init, A.StrLit):
        return STR
    if isinstance(init, A.SetLit) or (isinstance(init, A.Comprehension) and init.kind == "set"):
        return SET
    if isinstance(init, A.MapLit) or (isinstance(init, A.Comprehension) and init.kind == "map"):
        return MAP
    if isinstance(init, A.SeqLit) or (isinstance(init, A.Comprehension) and init.kind == "seq"):
        return SEQ
    return ANY


def int_literal(e: A.Expr) -> int | None:
    """The value of ``3`` or ``-3`` written as a literal, else None."""
    if isinstance(e, A.IntLit):
        return e.value
    if isinstance(e, A.Unary) and e.op == "-" and isinstance(e.operand, A.IntLit):
        return -e.operand.value
    return None


def role_node_literal(r: ResolvedSpec, e: A.Expr, locals_: Iterable[str]) -> RoleInfo | None:
    """The role, when ``e`` is the bare name of a single-node role standing
    for its node (``Learner.chosen``, ``connected(self, TM)``)."""
    if isinstance(e, A.Name) and e.id in r.roles and e.id not in locals_ and r.roles[e.id].count == 1:
        return r.roles[e.id]
    return None


@dataclass
class Scope:
    """Where an expression is checked: the role (``self``, own variables),
    the local names with their kinds, and what the place allows."""

    role: RoleInfo | None
    locals: dict[str, Kind] = field(default_factory=dict)
    handler: bool = False  # inside a message handler: reply, keep
    path: Path = ()
    expanding: tuple[str, ...] = ()
    top: bool = True  # at the top level of a block (choose)
    primes: bool = False  # in a step property: x' reads the state after the step
    primed: bool = False  # inside x' (a prime may not be primed again)

    def child(self, **changes: Any) -> Scope:
        return replace(self, locals=dict(self.locals), **changes)


def _inferred(k: Kind) -> Kind:
    return Kind(k.base, k.role, k.shape, k.nullable, True) if k.known else k


def _is_tests(e: A.Expr) -> list[tuple[str, str]]:
    """(name, message) of each ``name is Message`` among ``e``'s conjuncts."""
    if isinstance(e, A.Binary) and e.op == "and":
        return _is_tests(e.left) + _is_tests(e.right)
    if isinstance(e, A.Binary) and e.op == "is" and isinstance(e.left, A.Name) and isinstance(e.right, A.Name):
        return [(e.left.id, e.right.id)]
    return []


def _err(msg: str, node: Any) -> SpecError:
    return SpecError(msg, getattr(node, "span", None))

class ExprChecker:
    """Checks expressions of a resolved spec and records their kinds in `table`."""

    def __init__(self, r: ResolvedSpec, assumed: dict[Key, Kind] | None = None):
        self.r = r
        self.table = KindTable()
        self.network = network_of(r.network)
        #: what an earlier pass inferred (a sound over-approximation), and
        #: what this pass finds: the kinds of variables without a declared
        #: kind, of message fields and of message senders
        self.assumed = assumed or {}
        self.found: dict[Key, Kind] = {}
        self.field_names = {f for m in r.messages.values() for f in m.fields} | {"src", "dst"}
        for role in r.roles.values():
            self.field_names |= set(role.vars)
        # Record fields written anywhere: a definition may read `.term`
        # before the record literal that has it is checked.
        self.field_names |= {name for x in A.walk(r.spec) if isinstance(x, A.RecordLit) for name, _ in x.fields}

    # ---- inference ---------------------------------------------------------------
    def learn(self, key: Key, kind: Kind) -> None:
        kind = Kind(kind.base, kind.role, kind.shape, kind.nullable)  # stored plain, marked when read
        old = self.found.get(key)
        self.found[key] = kind if old is None else joined(old, kind)

    def var_kind(self, v: VarInfo) -> Kind:
        declared = declared_kind(v)
        if not declared.known:
            return _inferred(self.assumed.get(var_key(v), ANY))
        given = self.assumed.get(var_key(v))
        if given is not None and (given.nullable or given.base is ValueKind.NONE):
            return replace(declared, nullable=True)  # `x = none` somewhere: code reading x must allow none
        return declared

    def field_kind(self, message: str, name: str) -> Kind:
        if name == "src":
            return _inferred(self.assumed.get(("src", message, ""), Kind(ValueKind.NODE, nullable=True)))
        if name == "dst":
            return _inferred(self.assumed.get(("dst", message, ""), Kind(ValueKind.NODE, nullable=True)))
        return _inferred(self.assumed.get(("field", message, name), ANY))

    def precise(self, e: A.Expr, scope: Scope) -> Kind:
        """The kind recorded for ``e`` (inferred ones included), after `expr`."""
        return self.table.get(e, scope.path)

    def checked(self, e: A.Expr, scope: Scope) -> Kind:
        """Check ``e``; its recorded kind, inferred ones included (for kinds
        built from it, not for errors)."""
        self.expr(e, scope)
        return self.table.get(e, scope.path)

    # ---- expressions -----------------------------------------------------------
    def cond(self, e: A.Expr, scope: Scope, what: str = "condition") -> None:
        k = self.expr(e, scope)
        if k.is_(ValueKind.BOOL, ValueKind.ANY):
            return
        raise _err(f"{what} must be a boolean, but this is {k.describe()}", e)

    def expr(self, e: A.Expr, scope: Scope) -> Kind:
        """``e``'s kind, recorded for the compiler; an inferred kind is
        recorded but returned as ANY: it raises no static error."""
        method = getattr(self, "e_" + type(e).__name__, None)
        if method is None:  # pragma: no cover - every AST node has a method
            raise _err(f"unsupported expression {type(e).__name__}", e)
        kind = self.table.put(e, scope.path, method(e, scope))
        return ANY if kind.inferred else kind

    def e_IntLit(self, e: A.IntLit, scope: Scope) -> Kind:
        return INT

    def e_StrLit(self, e: A.StrLit, scope: Scope) -> Kind:
        return STR

    def e_BoolLit(self, e: A.BoolLit, scope: Scope) -> Kind:
        return BOOL

    def e_NoneLit(self, e: A.NoneLit, scope: Scope) -> Kind:
        return NONE

    def e_SelfRef(self, e: A.SelfRef, scope: Scope) -> Kind:
        if scope.role is None:
            raise _err("'self' is only defined inside a role", e)
        return node_of(scope.role.name)

    def e_Name(self, e: A.Name, scope: Scope) -> Kind:
        n, r = e.id, self.r
        if n in scope.locals:
            return scope.locals[n]
        if scope.role is not None and n in scope.role.vars:
            return self.var_kind(scope.role.vars[n])
        if n in r.global_vars:
            return self.var_kind(r.global_vars[n])
        if n in r.consts:
            return kind_of_value(r.consts[n])
        if n in r.roles:
            return collection(ValueKind.SET, node_of(n))
        if n == "crashed":
            return collection(ValueKind.SET, Kind(ValueKind.NODE))
        if n == "sent":
            return collection(ValueKind.SET, MSG)
        if n == "network":
            return collection(ValueKind(self.network.value_kind), MSG)
        if n in r.defs:
            raise _err(f"'{n}' is a definition with parameters; call it as {n}(...)", e)
        if n in r.messages:
            raise _err(f"'{n}' is a message; construct it as {n}(...)", e)
        raise _err(f"unknown name '{n}'", e)

    def e_Unary(self, e: A.Unary, scope: Scope) -> Kind:
        k = self.expr(e.operand, scope)
        if e.op == "not":
            if not k.is_(ValueKind.BOOL, ValueKind.ANY):
                raise _err(f"'not' needs a boolean, but this is {k.describe()}", e.operand)
            return BOOL
        if not k.is_(ValueKind.INT, ValueKind.ANY):
            raise _err(f"'-' needs an int, but this is {k.describe()}", e.operand)
        return INT

    def refined(self, scope: Scope, cond: A.Expr) -> Scope:
        """``scope`` where ``cond`` holds: a local ``m`` that ``cond``'s
        conjuncts test with ``m is P1b`` is known to be a P1b message."""
        tests = [(n, msg) for n, msg in _is_tests(cond) if n in scope.locals and msg in self.r.messages]
        if not tests:
            return scope
        inner = scope.child()
        for n, msg in tests:
            inner.locals[n] = Kind(ValueKind.MSG, shape=msg)
        return inner

    def e_Binary(self, e: A.Binary, scope: Scope) -> Kind:
        op = e.op
        if op == "is":
            return self.is_test(e, scope)
        ka = self.expr(e.left, scope)
        kb = self.expr(e.right, self.refined(scope, e.left) if op in ("and", "=>") else scope)
        if op in ("and", "or", "=>"):
            for k, side in ((ka, e.left), (kb, e.right)):
                if not k.is_(ValueKind.BOOL, ValueKind.ANY):
                    raise _err(f"'{op}' needs booleans, but this is {k.describe()}", side)
        elif op in ("==", "!="):
            if not compatible(ka, kb):
                raise _err(f"comparing {ka.describe()} with {kb.describe()} is always "
                           f"{'false' if op == '==' else 'true'}", e)
        elif op in _CMP:
            self._need(e, ka, kb, (ValueKind.INT, ValueKind.STR), f"'{op}'")
        elif op in ("in", "not in"):
            if kb.is_(*SCALARS):
                raise _err(f"'{op}' needs a collection on its right, but this is {kb.describe()}", e.right)
        elif op == "subset":
            for k, side in ((ka, e.left), (kb, e.right)):
                if k.is_(*SCALARS, ValueKind.REC, ValueKind.MSG):
                    raise _err(f"'subset' needs sets, but this is {k.describe()}", side)
        elif op in ("..", "*", "/", "%"):
            self._need(e, ka, kb, (ValueKind.INT,), f"'{op}'")
        elif op == "&":
            self._need(e, ka, kb, (ValueKind.SET,), "'&'")
        elif op in ("+", "-"):
            self._plus_minus(e, ka, kb)
        else:  # pragma: no cover - the parser makes no other operator
            raise _err(f"unknown operator '{op}'", e)
        return binary_kind(op, self.precise(e.left, scope), self.precise(e.right, scope))

    def _plus_minus(self, e: A.Binary, ka: Kind, kb: Kind) -> None:
        op = e.op
        if ka.is_(ValueKind.INT) or kb.is_(ValueKind.INT):
            self._need(e, ka, kb, (ValueKind.INT,), f"'{op}'")
            return
        if op == "+" and ka.is_(ValueKind.SEQ) and kb.is_(ValueKind.SEQ):
            return
        bad = (ValueKind.STR, ValueKind.BOOL, ValueKind.NONE, ValueKind.NODE)
        if ka.is_(*bad) or kb.is_(*bad):
            k, side = (ka, e.left) if ka.is_(*bad) else (kb, e.right)
            raise _err(f"'{op}' is not defined on {k.describe()}", side)

    def _need(self, e: A.Binary, ka: Kind, kb: Kind, allowed: tuple[ValueKind, ...], what: str) -> None:
        for k, side in ((ka, e.left), (kb, e.right)):
            if k.known and k.base not in allowed:
                names = " or ".join(Kind(a).describe() for a in allowed)
                raise _err(f"{what} needs {names}, but this is {k.describe()}", side)

    def is_test(self, e: A.Binary, scope: Scope) -> Kind:
        if not isinstance(e.right, A.Name):
            raise _err("'is' needs a message name on its right (e.g. m is Prepare) "
                       "or a quorum name (acks is Majority)", e.right)
        target = e.right.id
        k = self.expr(e.left, scope)
        if target in self.r.messages:
            return BOOL
        if target not in self.r.quorums:
            raise _err(f"'{target}' is not a message type or a quorum", e.right)
        info = self.r.quorums[target]
        if k.is_(ValueKind.MAP):
            raise _err(f"'is {info.name}' needs a set of {info.role.name} nodes, but this is a map "
                       "(write keys(...) for its keys)", e.left)
        if not k.is_(ValueKind.SET, ValueKind.ANY):
            raise _err(f"'is {info.name}' needs a set of {info.role.name} nodes, but this is {k.describe()}", e.left)
        if info.role.name in self.r.symmetric:
            # Symmetry reduction swaps nodes; a rule that tells them apart would make it unsound.
            from checker.proofs.rules import node_signature

            if len({node_signature([info.rule], i) for i in range(info.role.count)}) > 1:
                raise _err(f"quorum {info.name} tells {info.role.name} nodes apart (weights, within or "
                           f"any of), so role {info.role.name} cannot be symmetric", e.right)
        return BOOL

    def _role_index(self, role: RoleInfo, index: A.Expr, scope: Scope) -> None:
        k = self.expr(index, scope)
        if not k.is_(ValueKind.INT, ValueKind.ANY):
            raise _err(f"a node index must be an int, but this is {k.describe()}", index)
        literal = int_literal(index)
        if literal is not None and not 0 <= literal < role.count:
            raise _err(f"{role.name} has {role.count} node(s); index {literal} is out of range", index)

    def e_Index(self, e: A.Index, scope: Scope) -> Kind:  # noqa: D102
        if isinstance(e.base, A.Name) and e.base.id in self.r.roles and e.base.id not in scope.locals:
            self._role_index(self.r.roles[e.base.id], e.index, scope)
            return node_of(e.base.id)
        kb = self.expr(e.base, scope)
        self.expr(e.index, scope)
        if kb.is_(ValueKind.SET, ValueKind.BAG, ValueKind.INT, ValueKind.BOOL, ValueKind.STR, ValueKind.NONE,
                  ValueKind.NODE):
            raise _err(f"cannot index {kb.describe()}", e.base)
        precise = self.precise(e.base, scope)
        return element_of(precise) if precise.is_(ValueKind.SEQ) else ANY

    def e_Slice(self, e: A.Slice, scope: Scope) -> Kind:
        kb = self.expr(e.base, scope)
        if not kb.is_(ValueKind.SEQ, ValueKind.ANY):
            raise _err(f"slicing needs a sequence, but this is {kb.describe()}", e.base)
        for bound in (e.lo, e.hi):
            if bound is not None:
                self.expr(bound, scope)
        return collection(ValueKind.SEQ, element_of(self.precise(e.base, scope)))

    def e_Field(self, e: A.Field, scope: Scope) -> Kind:
        single = role_node_literal(self.r, e.base, scope.locals)
        kb = node_of(single.name) if single is not None else self.expr(e.base, scope)
        if kb.is_(ValueKind.NODE) and kb.role is not None:
            role = self.r.roles[kb.role]
            if e.name not in role.vars:
                raise _err(f"role {role.name} has no variable '{e.name}'", e)
            return self.var_kind(role.vars[e.name])
        if kb.is_(ValueKind.MSG) and kb.shape is not None:
            info = self.r.messages[kb.shape]
            if e.name not in info.fields and e.name not in ("src", "dst"):
                raise _err(f"message {info.name} has no field '{e.name}' "
                           f"(fields: {', '.join(info.fields + ('src', 'dst'))})", e)
            return self.field_kind(kb.shape, e.name)
        if e.name not in self.field_names and not any(e.name in s.fields for s in self.r.names.shapes):
            raise _err(f"no message, record or role has a field or variable named '{e.name}'", e)
        if kb.is_(ValueKind.INT, ValueKind.BOOL, ValueKind.STR, ValueKind.NONE, ValueKind.SET, ValueKind.SEQ,
                  ValueKind.MAP, ValueKind.BAG):
            raise _err(f"{kb.describe()} has no fields", e.base)
        return ANY

    def e_TupleLit(self, e: A.TupleLit | A.SeqLit, scope: Scope) -> Kind:
        return collection(ValueKind.SEQ, joined_all([self.checked(i, scope) for i in e.items]))

    e_SeqLit = e_TupleLit

    def e_SetLit(self, e: A.SetLit, scope: Scope) -> Kind:
        return collection(ValueKind.SET, joined_all([self.checked(i, scope) for i in e.items]))

    def e_MapLit(self, e: A.MapLit, scope: Scope) -> Kind:
        for k, v in e.items:
            self.expr(k, scope)
            self.expr(v, scope)
        return MAP

    def e_RecordLit(self, e: A.RecordLit, scope: Scope) -> Kind:
        for _, v in e.fields:
            self.expr(v, scope)
        return REC

    # ---- binders ------------------------------------------------------------------
    def _element(self, domain: A.Expr, scope: Scope) -> Kind:
        """The kind of an element of ``domain`` (already checked)."""
        return element_of(self.precise(domain, scope))

    def bind(self, names: tuple[str, ...], domain: A.Expr, scope: Scope, inner: Scope) -> None:
        """Check ``domain`` in ``scope`` and bind ``names`` in ``inner``."""
        kd = self.expr(domain, scope)
        if kd.is_(*SCALARS):
            raise _err(f"cannot range over {kd.describe()}", domain)
        elem = self._element(domain, scope)
        for n in names:
            inner.locals[n] = elem

    def e_Quantifier(self, e: A.Quantifier, scope: Scope) -> Kind:
        inner = scope.child()
        for b in e.binders:
            self.bind(b.names, b.domain, inner.child(), inner)
        self.cond(e.body, inner, "a quantifier body")
        return BOOL

    def e_Comprehension(self, e: A.Comprehension, scope: Scope) -> Kind:
        inner = scope.child()
        for c in e.clauses:
            if isinstance(c, A.CompFor):
                self.bind(c.names, c.source, inner.child(), inner)
            else:
                self.cond(c.cond, inner, "a filter")
                inner = self.refined(inner, c.cond)
        elem = self.checked(e.element, inner)
        if e.value is not None:
            self.expr(e.value, inner)
            return MAP
        return collection(ValueKind.SET if e.kind == "set" else ValueKind.SEQ, elem)

    def e_CondExpr(self, e: A.CondExpr, scope: Scope) -> Kind:
        self.cond(e.cond, scope)
        return joined(self.checked(e.then, self.refined(scope, e.cond)), self.checked(e.orelse, scope))

    def e_Primed(self, e: A.Primed, scope: Scope) -> Kind:
        if not scope.primes:
            raise _err("a primed expression (x', the value after a step) is only possible in a "
                       "'step property'", e)
        if scope.primed:
            raise _err("a primed expression cannot be primed again", e)
        return self.checked(e.expr, scope.child(primed=True))

    def e_FuncSet(self, e: A.FuncSet, scope: Scope) -> Kind:
        for side in (e.domain, e.codomain):
            k = self.expr(side, scope)
            if not k.is_(ValueKind.SET, ValueKind.ANY):
                raise _err(f"[S -> T] needs two sets, but this is {k.describe()}", side)
        return collection(ValueKind.SET, MAP)

    def e_ChooseExpr(self, e: A.ChooseExpr, scope: Scope) -> Kind:
        inner = scope.child()
        self.bind((e.name,), e.domain, scope, inner)
        self.cond(e.cond, inner)
        return inner.locals[e.name]

    # ---- calls --------------------------------------------------------------------
    def e_Call(self, e: A.Call, scope: Scope) -> Kind:
        f = e.func
        if f in self.r.messages:
            self.message(e, scope)
            return MSG
        if f in self.r.defs:
            return self.expand(e, scope)
        if f in ("checksum", "connected"):
            return self.fault_call(e, scope)
        if f in BUILTINS:
            if len(e.args) != BUILTINS[f] or any(a.name for a in e.args):
                raise _err(f"{f}() takes {BUILTINS[f]} positional argument(s), got {len(e.args)}", e)
            kinds = [self.expr(a.value, scope) for a in e.args]
            return self.builtin(e, kinds, [self.precise(a.value, scope) for a in e.args])
        if f in self.r.roles:
            raise _err(f"'{f}' is a role; write {f}[i] for one of its nodes", e)
        raise _err(f"unknown function or message '{f}'", e)

    def builtin(self, e: A.Call, kinds: list[Kind], precise: list[Kind]) -> Kind:
        f, ka, pa = e.func, kinds[0], precise[0]
        if f in ("size", "len"):
            if ka.is_(*SCALARS):
                raise _err(f"{f}() needs a collection, but this is {ka.describe()}", e.args[0].value)
            return INT
        if f == "count":
            if ka.is_(*SCALARS, ValueKind.REC, ValueKind.MSG):
                raise _err(f"count() needs a bag, sequence, set or map, but this is {ka.describe()}", e.args[0].value)
            return INT
        if f == "index":
            if not ka.is_(ValueKind.NODE, ValueKind.ANY):
                raise _err(f"index() needs a node, but this is {ka.describe()}", e.args[0].value)
            return INT
        if f in ("max", "min", "head", "last"):
            return element_of(pa)
        if f in ("tail", "seq"):
            return collection(ValueKind.SEQ, element_of(pa))
        if f == "append":
            elem = joined(element_of(pa), precise[1]) if pa.elem is not None else None
            return collection(ValueKind.SEQ, elem)
        if f == "set":
            return collection(ValueKind.SET, element_of(pa))
        if f == "subsets":
            return collection(ValueKind.SET, collection(ValueKind.SET, element_of(pa)))
        return {"sum": INT, "abs": INT, "keys": SET, "values": SET}.get(f, ANY)

    def expand(self, e: A.Call, scope: Scope) -> Kind:
        d = self.r.defs[e.func]
        if e.func in scope.expanding:
            raise _err(f"'{e.func}' is recursive; definitions are expanded in place and cannot call themselves", e)
        if len(scope.expanding) >= MAX_DEF_NESTING:
            raise _err(f"definitions call each other more than {MAX_DEF_NESTING} levels deep "
                       f"({' -> '.join(scope.expanding[:3])} -> ...)", e)
        if len(e.args) != len(d.params) or any(a.name for a in e.args):
            raise _err(f"{e.func}() takes {len(d.params)} positional argument(s), got {len(e.args)}", e)
        args = [self.checked(a.value, scope) for a in e.args]
        # Expanded in place: the body also sees the names visible at the call.
        inner = scope.child(path=scope.path + (id(e),), expanding=scope.expanding + (e.func,))
        inner.locals.update(zip(d.params, args))
        try:
            return self.checked(d.body, inner)
        except SpecError as exc:
            exc.message += f" (in '{e.func}', called at {e.span})"
            exc.args = (exc.message,)
            raise

    def message(self, call: A.Call, scope: Scope, dst: Kind = NONE) -> None:
        """The fields of a message constructor (``dst``: the kind of its
        receiver; none for a message built in an expression)."""
        self.learn(("dst", call.func, ""), dst)
        info = self.r.messages[call.func]
        positional = [a for a in call.args if a.name is None]
        named = [a for a in call.args if a.name is not None]
        if positional and named:
            raise _err(f"message {info.name}: use either positional or named fields, not both", call)
        if positional:
            if len(positional) != len(info.fields):
                raise _err(f"message {info.name} has {len(info.fields)} field(s) ({', '.join(info.fields) or 'none'}), "
                           f"but {len(positional)} value(s) were given", call)
            for fname, a in zip(info.fields, positional):
                self.expr(a.value, scope)
                self.learn(("field", info.name, fname), self.precise(a.value, scope))
            self._sender(info.name, scope)
            return
        given: set[str] = set()
        for a in named:
            if a.name not in info.fields:
                fields = ", ".join(info.fields) or "none"
                raise _err(f"message {info.name} has no field '{a.name}' (fields: {fields})", a)
            if a.name in given:
                raise _err(f"field '{a.name}' is given twice", a)
            given.add(a.name)
            self.expr(a.value, scope)
            self.learn(("field", info.name, a.name), self.precise(a.value, scope))
        missing = [f for f in info.fields if f not in given]
        if missing:
            raise _err(f"message {info.name} is missing field(s): {', '.join(missing)}", call)
        self._sender(info.name, scope)

    def _sender(self, message: str, scope: Scope) -> None:
        """A message constructed in a role is sent by its node; elsewhere
        (a global action) by none."""
        self.learn(("src", message, ""), node_of(scope.role.name) if scope.role is not None else NONE)

    def fault_call(self, e: A.Call, scope: Scope) -> Kind:
        """``checksum(a, ...)`` and ``connected(a, b)`` (`checker.faults`)."""
        if any(a.name for a in e.args):
            raise _err(f"{e.func}() takes positional arguments only", e)
        kinds = []
        for a in e.args:
            single = role_node_literal(self.r, a.value, scope.locals)
            if single is not None and single.decl.count is None:
                kinds.append(self.table.put(a.value, scope.path, node_of(single.name)))
            else:
                kinds.append(self.expr(a.value, scope))
        if e.func == "checksum":
            if not kinds:
                raise _err("checksum() needs at least one argument: the fields it covers", e)
            return REC
        if len(kinds) != 2:
            raise _err(f"connected() takes 2 positional argument(s), got {len(kinds)}", e)
        for k, arg in zip(kinds, e.args):
            if not k.is_(ValueKind.NODE, ValueKind.ANY):
                raise _err("connected() needs two nodes", arg.value)
        return BOOL
