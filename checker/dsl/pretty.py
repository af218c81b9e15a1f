"""`ast.Spec` -> readable DSL text; ``parse(pretty(spec)) == spec``.

The printer inserts the parentheses the grammar needs, plus a few for
readability: around ``and`` inside ``or``, around quantifiers that are
operands of binary operators, around comparisons and boolean operators in
binder domains, and around quantifiers and conditionals in the test or the
``then`` branch of ``if ... then ... else``. Comments and layout are lost.

Two grammar quirks shape the expression printer:

- a quantifier (``forall``/``exists``) sits at the level of ``not`` but its
  body extends as far right as possible, so it may stay bare only where
  nothing of the same expression follows it (*open right*);
- ``if ... then ... else`` and ``choose x in S: p`` are full expressions
  (the lowest level) and likewise extend to the right.

Every AST the parser produces can be printed. A few hand-built ASTs have no
surface syntax (an empty record, ``broadcast`` without ``to``, a
comprehension without clauses) and raise `ValueError`; a negative `IntLit`
prints as ``(-n)``, which parses back as unary minus.
"""

from __future__ import annotations

from checker.dsl import ast as A
from checker.dsl import quorum_ast as Q
from checker.model import Fairness, Temporal

INDENT = "  "
# Past this width an invariant's or definition's body goes on its own line.
WRAP = 88

# Binding strength of each level of the grammar (higher binds tighter).
EXPR, IMPLIES, OR, AND, NOT, COMPARE, RANGE, SUM, PRODUCT, UNARY, POSTFIX = range(11)

_COMPARE_OPS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in", "subset", "is"}
_LEVEL = {"=>": IMPLIES, "or": OR, "and": AND, "..": RANGE, "+": SUM, "-": SUM,
          "*": PRODUCT, "/": PRODUCT, "%": PRODUCT, "&": PRODUCT}
_LEVEL.update({op: COMPARE for op in _COMPARE_OPS})
# Domains of binders print at this level: `forall x in (a in b): ...` keeps
# its parentheses although the grammar would accept an implication there.
_DOMAIN = RANGE


def pretty(spec: A.Spec) -> str:
    """The DSL source text of ``spec`` (ends with a newline)."""
    out = [f"spec {spec.name}"]
    prev_kind: str | None = None
    prev_multi = False
    for d in spec.decls:
        lines = _decl(d, "")
        kind = type(d).__name__
        multi = len(lines) > 1
        blocks = ("RoleDecl", "ActionDecl", "InitDecl")
        if prev_kind is None or kind != prev_kind or multi or prev_multi or kind in blocks:
            out.append("")
        out.extend(lines)
        prev_kind, prev_multi = kind, multi
    return "\n".join(out) + "\n"


def pretty_expr(e: A.Expr) -> str:
    """One expression as it would appear on the right of ``=``."""
    return _expr(e, EXPR, True)


def pretty_lvalue(t: A.LValue) -> str:
    """The target of an assignment as the spec writes it (``log[i].term``)."""
    return _lvalue(t)


def pretty_stmt(s: A.Stmt) -> str:
    """One statement (several lines for blocks)."""
    return "\n".join(_stmt(s, ""))


# ---- declarations -----------------------------------------------------------

def _decl(d: object, pad: str) -> list[str]:
    if isinstance(d, A.ConstDecl):
        return [f"{pad}const {d.name} = {pretty_expr(d.value)}"]
    if isinstance(d, A.NetworkDecl):
        return [f"{pad}network {d.kind}"]
    if isinstance(d, A.FaultsDecl):
        if not d.bounds:
            return [f"{pad}faults {{ }}"]
        items = ", ".join(_fault(b) for b in d.bounds)
        return [f"{pad}faults {{ {items} }}"]
    if isinstance(d, A.MessageDecl):
        doms = d.domains or (None,) * len(d.fields)
        fields = [f if dom is None else f"{f} in {pretty_expr(dom)}" for f, dom in zip(d.fields, doms)]
        return [f"{pad}message {d.name}({', '.join(fields)})"]
    if isinstance(d, A.PersistentDecl):
        return [f"{pad}persistent {', '.join(d.names)}"]
    if isinstance(d, A.PropertyDecl):
        head = f"{pad}property {d.name}{_params(d.params)}"
        if d.kind is Temporal.LEADSTO:
            if d.q is None:
                raise ValueError("cannot print a leadsto property without its right side")
            return [f"{head}: {pretty_expr(d.p)} leadsto {pretty_expr(d.q)}"]
        return [f"{head}: {d.kind} {pretty_expr(d.p)}"]
    if isinstance(d, A.StepPropertyDecl):
        return _wrapped(f"{pad}step property {d.name}{_params(d.params)}:", d.cond, pad)
    if isinstance(d, A.InitWhenDecl):
        return [f"{pad}init when {pretty_expr(d.cond)}"]
    if isinstance(d, A.VarDecl):
        keep = "persistent " if d.persistent else ""
        if d.domain is not None:
            return [f"{pad}{keep}var {d.name} in {pretty_expr(d.domain)}"]
        if d.init is None:
            raise ValueError(f"variable {d.name} has neither an initial value nor a domain")
        return [f"{pad}{keep}var {d.name} = {pretty_expr(d.init)}"]
    if isinstance(d, A.RoleDecl):
        return _role(d, pad)
    if isinstance(d, A.Handler):
        head = f"{_fairness(d.fairness)}on {d.message}({', '.join(d.params)})"
        if d.sender is not None:
            head += f" from {d.sender}"
        return _guarded(head, d.guard, d.body, pad)
    if isinstance(d, A.ActionDecl):
        if d.kind not in ("action", "timeout"):
            raise ValueError(f"cannot print an action of kind {d.kind!r}")
        head = f"{_fairness(d.fairness)}{d.kind} {d.name}{_params(d.params)}"
        return _guarded(head, d.guard, d.body, pad)
    if isinstance(d, A.InitDecl):
        return _block("init", d.body, pad)
    if isinstance(d, A.RestartDecl):
        return _block("on restart", d.body, pad)
    if isinstance(d, A.DefDecl):
        return _wrapped(f"{pad}def {d.name}({', '.join(d.params)}) =", d.body, pad)
    if isinstance(d, A.InvariantDecl):
        return _wrapped(f"{pad}invariant {d.name}:", d.cond, pad)
    if isinstance(d, A.ConstraintDecl):
        return [f"{pad}constraint {pretty_expr(d.cond)}"]
    if isinstance(d, A.TerminalDecl):
        return [f"{pad}terminal {pretty_expr(d.cond)}"]
    if isinstance(d, A.ExpectDecl):
        return [f"{pad}expect {d.verdict} {d.prop}"]
    if isinstance(d, A.MaxDepthDecl):
        return [f"{pad}max_depth {pretty_expr(d.value)}"]
    if isinstance(d, A.SymmetricDecl):
        if not d.roles:
            raise ValueError("cannot print 'symmetric' without roles")
        return [f"{pad}symmetric {', '.join(d.roles)}"]
    if isinstance(d, (Q.QuorumDecl, Q.ProveDecl)):
        return [pretty_decl(d, pad)]
    raise ValueError(f"cannot print declaration {type(d).__name__}")


def _params(params: tuple[A.Param, ...]) -> str:
    if not params:
        return ""
    return "(" + ", ".join(f"{p.name} in {_expr(p.domain, _DOMAIN, False)}" for p in params) + ")"


def _fairness(f: A.FairnessDecl | None) -> str:
    """The fairness prefix of a handler, action or timer (with its space)."""
    if f is None:
        return ""
    if f.kind is Fairness.UNFAIR:
        if f.per:
            raise ValueError("cannot print 'unfair' with 'per'")
        return "unfair "
    head = "strong fair" if f.kind is Fairness.STRONG else "fair"
    return f"{head} per {', '.join(f.per)} " if f.per else f"{head} "


def _fault(b: A.FaultBound) -> str:
    target = f" {b.target}" if b.target is not None else ""
    return f"{b.kind}{target} <= {pretty_expr(b.bound)}"


def _wrapped(head: str, body: A.Expr, pad: str) -> list[str]:
    """``head body`` on one line, or the body on continuation lines (one
    operand of a top-level and/or chain per line)."""
    text = pretty_expr(body)
    if len(head) + 1 + len(text) <= WRAP:
        return [f"{head} {text}"]
    return [head] + [f"{pad}{INDENT}{line}" for line in _chain_lines(body)]


def _guarded(head: str, guard: A.Expr | None, body: tuple, pad: str) -> list[str]:
    """A handler or action: ``head [when guard] { body }``; a long guard
    continues on lines of its own."""
    if guard is None:
        return _block(head, body, pad)
    text = pretty_expr(guard)
    if len(pad) + len(head) + len(text) + 8 <= WRAP:
        return _block(f"{head} when {text}", body, pad)
    cont = pad + 2 * INDENT
    first, *rest = _chain_lines(guard)
    lines = [pad + head, f"{cont}when {first}"] + [cont + line for line in rest]
    block = _block("", body, pad)
    return lines[:-1] + [lines[-1] + " " + block[0][len(pad):]] + block[1:]


def _chain_lines(e: A.Expr) -> list[str]:
    """``e`` split before each operator of its top-level and/or chain; the
    lines joined with spaces parse back to ``e``."""
    if not (isinstance(e, A.Binary) and e.op in ("and", "or")):
        return [pretty_expr(e)]
    op = e.op
    operands: list[A.Expr] = []
    x: A.Expr = e
    while isinstance(x, A.Binary) and x.op == op:
        operands.append(x.right)
        x = x.left
    operands.append(x)
    operands.reverse()
    first_level, next_level = (AND, NOT) if op == "and" else (OR, AND)
    lines = []
    for k, operand in enumerate(operands):
        level = first_level if k == 0 else next_level
        if op == "or" and _is_and(operand):
            level = NOT
        last = k == len(operands) - 1
        text = _expr(operand, level, last and not isinstance(operand, A.Quantifier))
        lines.append(text if k == 0 else f"{op} {text}")
    return lines


def _role(d: A.RoleDecl, pad: str) -> list[str]:
    head = f"{pad}role {d.name}"
    if d.count is not None:
        head += f"[{pretty_expr(d.count)}]"
    if not d.items:
        return [head + " { }"]
    lines = [head + " {"]
    inner = pad + INDENT
    prev_kind: str | None = None
    for item in d.items:
        kind = type(item).__name__
        if prev_kind is not None and kind != prev_kind:
            lines.append("")
        lines.extend(_decl(item, inner))
        prev_kind = kind
    lines.append(pad + "}")
    return lines


# ---- statements -------------------------------------------------------------

def _block(head: str, body: tuple, pad: str) -> list[str]:
    """``head { ... }`` at indentation ``pad``; ``head`` has no padding."""
    sep = " " if head else ""
    if not body:
        return [f"{pad}{head}{sep}{{ }}"]
    lines = [f"{pad}{head}{sep}{{"]
    for s in body:
        lines.extend(_stmt(s, pad + INDENT))
    lines.append(pad + "}")
    return lines


def _stmt(s: object, pad: str) -> list[str]:
    if isinstance(s, A.Assign):
        return [f"{pad}{_lvalue(s.target)} = {pretty_expr(s.value)}"]
    if isinstance(s, A.Let):
        return [f"{pad}let {s.name} = {pretty_expr(s.value)}"]
    if isinstance(s, A.If):
        return _if(s, pad, "if")
    if isinstance(s, A.For):
        head = f"for {', '.join(s.names)} in {_expr(s.source, _DOMAIN, False)}"
        return _block(head, s.body, pad)
    if isinstance(s, A.Send):
        return [pad + _send(s)]
    if isinstance(s, A.Assert):
        label = f"{s.name}: " if s.name is not None else ""
        return [f"{pad}assert {label}{pretty_expr(s.cond)}"]
    if isinstance(s, A.Choose):
        return [f"{pad}choose {s.name} in {_expr(s.domain, _DOMAIN, False)}"]
    if isinstance(s, A.Skip):
        return [f"{pad}skip"]
    if isinstance(s, A.NetOp):
        return [f"{pad}{s.kind}" + ("" if s.message is None else f" {pretty_expr(s.message)}")]
    raise ValueError(f"cannot print statement {type(s).__name__}")


def _if(s: A.If, pad: str, keyword: str) -> list[str]:
    lines = _block(f"{keyword} {pretty_expr(s.cond)}", s.then, pad)
    if not s.orelse:
        return lines
    last = lines.pop()  # "}" or the whole one-line "if c { }"
    if len(s.orelse) == 1 and isinstance(s.orelse[0], A.If):
        rest = _if(s.orelse[0], pad, "if")
        return lines + [f"{last} else {rest[0][len(pad):]}"] + rest[1:]
    rest = _block("else", s.orelse, pad)
    return lines + [f"{last} {rest[0][len(pad):]}"] + rest[1:]


def _send(s: A.Send) -> str:
    call = _call(s.message)
    if s.kind == "reply":
        if s.to is not None:
            raise ValueError("cannot print 'reply' with a destination")
        return f"reply {call}"
    if s.kind not in ("send", "broadcast"):
        raise ValueError(f"cannot print a send of kind {s.kind!r}")
    if s.to is None:
        if s.kind == "broadcast":
            raise ValueError("cannot print 'broadcast' without 'to'")
        return f"send {call}"
    return f"{s.kind} {call} to {pretty_expr(s.to)}"


def _lvalue(t: A.LValue) -> str:
    parts = [t.name]
    for acc in t.accessors:
        parts.append(f".{acc}" if isinstance(acc, str) else f"[{pretty_expr(acc)}]")
    return "".join(parts)


# ---- expressions ------------------------------------------------------------

def _paren(text: str, needed: bool) -> str:
    return f"({text})" if needed else text


def _expr(e: A.Expr, level: int, open_right: bool) -> str:
    """``e`` printed where the grammar expects an expression of ``level``;
    ``open_right``: nothing of the enclosing expression follows it, so a
    right-extending form (quantifier, conditional, choose) may stay bare."""
    if isinstance(e, A.Binary):
        own = _LEVEL.get(e.op)
        if own is None:
            raise ValueError(f"cannot print operator {e.op!r}")
        if own == IMPLIES:  # right associative
            lhs, rhs = OR, IMPLIES
        elif own in (COMPARE, RANGE):  # not associative
            lhs = rhs = own + 1
        else:  # left associative
            lhs, rhs = own, own + 1
        needed = own < level
        inner_open = open_right or needed
        # For readability `and` inside `or` and quantifiers as operands get
        # parentheses the grammar does not need.
        if e.op == "or":
            lhs, rhs = (NOT if _is_and(e.left) else lhs), (NOT if _is_and(e.right) else rhs)
        left = _expr(e.left, lhs, False)
        right = _expr(e.right, rhs, inner_open and not isinstance(e.right, A.Quantifier))
        if e.op == ".." and _simple(e.left) and _simple(e.right):
            text = f"{left}..{right}"
        else:
            text = f"{left} {e.op} {right}"
        return _paren(text, needed)
    if isinstance(e, A.Unary):
        if e.op == "not":
            needed = NOT < level
            return _paren(f"not {_expr(e.operand, NOT, open_right or needed)}", needed)
        if e.op == "-":
            operand = _expr(e.operand, UNARY, False)
            sep = " " if operand.startswith("-") else ""
            return _paren(f"-{sep}{operand}", UNARY < level)
        raise ValueError(f"cannot print unary operator {e.op!r}")
    if isinstance(e, A.Quantifier):
        binders = ", ".join(f"{', '.join(b.names)} in {_expr(b.domain, _DOMAIN, False)}" for b in e.binders)
        needed = level > NOT or not open_right
        return _paren(f"{e.kind} {binders}: {_expr(e.body, EXPR, True if needed else open_right)}", needed)
    if isinstance(e, A.CondExpr):
        needed = level > EXPR or not open_right
        text = (f"if {_expr(e.cond, EXPR, False)} then {_expr(e.then, EXPR, False)} "
                f"else {_expr(e.orelse, EXPR, True if needed else open_right)}")
        return _paren(text, needed)
    if isinstance(e, A.ChooseExpr):
        needed = level > EXPR or not open_right
        cond = _expr(e.cond, EXPR, True if needed else open_right)
        text = f"choose {e.name} in {_expr(e.domain, _DOMAIN, False)}: {cond}"
        return _paren(text, needed)
    return _postfix(e)


def _is_and(e: A.Expr) -> bool:
    return isinstance(e, A.Binary) and e.op == "and"


def _simple(e: A.Expr) -> bool:
    return isinstance(e, (A.IntLit, A.Name, A.Call, A.Field, A.Index, A.SelfRef)) and not (
        isinstance(e, A.IntLit) and e.value < 0)


def _postfix(e: A.Expr) -> str:
    """Atoms and postfix forms (never need parentheses themselves)."""
    if isinstance(e, A.IntLit):
        return str(e.value) if e.value >= 0 else f"(-{-e.value})"
    if isinstance(e, A.StrLit):
        return quote(e.value)
    if isinstance(e, A.BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, A.NoneLit):
        return "none"
    if isinstance(e, A.SelfRef):
        return "self"
    if isinstance(e, A.Name):
        return e.id
    if isinstance(e, A.Index):
        return f"{_expr(e.base, POSTFIX, False)}[{pretty_expr(e.index)}]"
    if isinstance(e, A.Slice):
        lo = _expr(e.lo, EXPR, False) if e.lo is not None else ""
        hi = pretty_expr(e.hi) if e.hi is not None else ""
        return f"{_expr(e.base, POSTFIX, False)}[{lo}:{hi}]"
    if isinstance(e, A.Field):
        return f"{_expr(e.base, POSTFIX, False)}.{e.name}"
    if isinstance(e, A.Primed):
        return f"{_expr(e.expr, POSTFIX, False)}'"
    if isinstance(e, A.FuncSet):
        return f"[{pretty_expr(e.domain)} -> {pretty_expr(e.codomain)}]"
    if isinstance(e, A.Call):
        return _call(e)
    if isinstance(e, A.TupleLit):
        if len(e.items) == 1:
            return f"({pretty_expr(e.items[0])},)"
        return "(" + ", ".join(pretty_expr(i) for i in e.items) + ")"
    if isinstance(e, A.SeqLit):
        return "[" + ", ".join(pretty_expr(i) for i in e.items) + "]"
    if isinstance(e, A.SetLit):
        return "{" + ", ".join(pretty_expr(i) for i in e.items) + "}"
    if isinstance(e, A.MapLit):
        if not e.items:
            return "{:}"
        return "{" + ", ".join(f"{_expr(k, EXPR, False)}: {pretty_expr(v)}" for k, v in e.items) + "}"
    if isinstance(e, A.RecordLit):
        if not e.fields:
            raise ValueError("cannot print a record without fields")
        return "(" + ", ".join(f"{n}: {pretty_expr(v)}" for n, v in e.fields) + ")"
    if isinstance(e, A.Comprehension):
        return _comprehension(e)
    raise ValueError(f"cannot print expression {type(e).__name__}")


def _call(c: A.Call) -> str:
    args = ", ".join((f"{a.name}: " if a.name is not None else "") + pretty_expr(a.value) for a in c.args)
    return f"{c.func}({args})"


def _comprehension(e: A.Comprehension) -> str:
    if not e.clauses:
        raise ValueError("cannot print a comprehension without clauses")
    clauses = []
    for c in e.clauses:
        if isinstance(c, A.CompFor):
            clauses.append(f"for {', '.join(c.names)} in {_expr(c.source, _DOMAIN, False)}")
        elif isinstance(c, A.CompIf):
            clauses.append(f"if {_expr(c.cond, OR, False)}")
        else:
            raise ValueError(f"cannot print comprehension clause {type(c).__name__}")
    tail = " ".join(clauses)
    if e.kind == "set":
        return f"{{{_expr(e.element, EXPR, False)} {tail}}}"
    if e.kind == "seq":
        return f"[{_expr(e.element, EXPR, False)} {tail}]"
    if e.kind == "map":
        if e.value is None:
            raise ValueError("cannot print a map comprehension without a value")
        return f"{{{_expr(e.element, EXPR, False)}: {_expr(e.value, EXPR, False)} {tail}}}"
    raise ValueError(f"cannot print a comprehension of kind {e.kind!r}")


def quote(s: str) -> str:
    """A DSL string literal denoting ``s`` (the parser's escapes reversed)."""
    body = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


# ---- quorums and obligations ------------------------------------------------------------------


def pretty_decl(d: Q.QuorumDecl | Q.ProveDecl, pad: str = "") -> str:
    """The source line of a quorum declaration or an obligation."""
    if isinstance(d, Q.QuorumDecl):
        head = f"{pad}quorum {d.name} of {d.role}"
        if d.weights is not None:
            head += f" weights {_expr(d.weights, _DOMAIN, False)}"
        if d.within is not None:
            head += f" within {_expr(d.within, _DOMAIN, False)}"
        if d.explicit is not None:
            return f"{head}: any of {pretty_expr(d.explicit)}"
        if d.rule is None:
            raise ValueError("a quorum declaration needs a rule")
        return f"{head}: {pretty_expr(d.rule)}"
    head = "prove" if d.expect == "proved" else f"expect {d.expect}"
    return f"{pad}{head} {obligation_text(d)}"


def obligation_text(d: Q.ProveDecl) -> str:
    """The claim as written, e.g. ``intersect(Majority, Majority) for all N``."""
    args = [q.name for q in d.quorums]
    if d.crashes is not None:
        args.append(f"crashes = {pretty_expr(d.crashes)}")
    s = d.scope
    if s.kind == "all":
        scope = f"for all {s.var}"
    elif s.kind in ("eq", "in") and s.value is not None:
        scope = f"for {s.var} {'=' if s.kind == 'eq' else 'in'} {pretty_expr(s.value)}"
    else:
        raise ValueError(f"cannot print a scope of kind {s.kind!r}")
    return f"{d.kind}({', '.join(args)}) {scope}"
