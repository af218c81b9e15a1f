"""Source text -> `ast.Spec`, with positioned syntax errors."""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path

from lark import Lark, Token, Tree, v_args
from lark import __version__ as lark_version
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from checker.dsl import ast as A
from checker.dsl.quorum_ast import QuorumTransformer
from checker.errors import CheckerError, Span, SpecError
from checker.model import Fairness, Temporal
from checker.textio import BOM, read_text

_GRAMMAR = Path(__file__).with_name("grammar.lark")
# Deeper parse trees would overflow Python's recursion limit in the passes
# that walk the AST, or the nesting limits of the generated Python code.
MAX_NESTING = 100

# Friendly names for terminals in "expected ..." messages.
_TOKEN_NAMES = {
    "NAME": "a name", "INT": "an integer", "STRING": "a string", "LBRACE": "'{'", "RBRACE": "'}'",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COLON": "':'", "COMMA": "','",
    "EQUAL": "'='", "SEMICOLON": "';'", "$END": "end of file", "QUANT": "'forall'/'exists'",
}

#: an integer literal longer than this is a typo (computed integers may be of any size)
MAX_LITERAL_DIGITS = 18


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    # Building the LALR tables takes half a second, a tenth of a whole
    # TwoPhase run: lark keeps them in a file it checks against the grammar.
    return Lark(_GRAMMAR.read_text(), parser="lalr", propagate_positions=True, maybe_placeholders=True,
                cache=_cache_file() or False)


def _cache_file() -> str | None:
    """Where lark keeps the parser tables: a directory of this user's (not a
    shared temporary directory, where another user could plant one), or
    None when there is none we can write."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "checker")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not os.access(directory, os.W_OK) or os.stat(directory).st_uid != os.getuid():
            return None
    except OSError:
        return None
    return os.path.join(directory, f"grammar-lark{lark_version}-py{sys.version_info[0]}{sys.version_info[1]}.cache")


def parse_file(path: str) -> A.Spec:
    try:
        text = read_text(path)
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read spec: {exc.strerror}") from None
    return parse(text, path)


def parse(text: str, file: str = "<spec>") -> A.Spec:
    """Parse DSL source; raises `SpecError` with file:line:col on bad syntax."""
    if text.startswith(BOM):
        text = text[1:]
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, file) from None
    _check_nesting(tree, text, file)
    try:
        spec = _ToAst(file).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, SpecError):
            raise exc.orig_exc.with_source(text) from None
        raise
    return A.Spec(spec.name, spec.decls, file=file, source=text, span=spec.span)


def _check_nesting(tree: Tree, text: str, file: str) -> None:
    """Reject parse trees deeper than `MAX_NESTING` (iteratively, since the
    tree may be too deep to walk recursively)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise SpecError(f"nested too deeply (more than {MAX_NESTING} levels; each operator of a chain such as "
                            "'a and b and ...' is a level); split it up with 'def' or 'let'",
                            _span(file, node.meta), text)
        # Children pushed in reverse: the first node found too deep is the
        # first in source order (for a long chain, near its start).
        stack.extend((c, depth + 1) for c in reversed(node.children) if isinstance(c, Tree))


def _syntax_error(exc: UnexpectedInput, text: str, file: str) -> SpecError:
    line, col = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else "?"
        msg = f"unexpected character {char!r}"
    elif isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
        msg = "unexpected end of file" + _expected(_accepted(exc))
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            lines = text.splitlines() or [""]
            line, col = len(lines), len(lines[-1]) + 1
            msg = "unexpected end of file"
        else:
            shown = tok.value if len(tok.value) < 30 else tok.value[:27] + "..."
            msg = f"unexpected {shown!r}"
        hint = _hint(text, line, col)
        msg += f"; {hint}" if hint else _expected(_accepted(exc))
    else:  # pragma: no cover - lark has no other kinds today
        msg = "syntax error"
    width = len(exc.token.value) if isinstance(exc, UnexpectedToken) and exc.token.type != "$END" else 1
    return SpecError(msg, Span(file, line, col, line, col + width), text)


#: what a user coming from another language writes, and what to write instead
_HINTS = (
    (re.compile(r"\s*def\s+(\w+)\s*$"), "a definition without parameters still has parentheses: "
                                          "'def {0}() = ...'"),
    (re.compile(r"\s*property\s+(\w+)\s*:\s*always\s*$"), "'always P' is an invariant: write 'invariant {0}: "
     "...'; a property is 'eventually P', 'always eventually P', 'eventually always P' or 'P leadsto Q'"),
)


def _hint(text: str, line: int, col: int) -> str:
    """A hint for a known mistake ending just before line:col, if any."""
    lines = text.split("\n")
    before = lines[line - 1][: col - 1] if 1 <= line <= len(lines) else ""
    for pattern, hint in _HINTS:
        m = pattern.fullmatch(before)
        if m:
            return hint.format(*m.groups())
    return ""


# Terminals that can start an expression (or an operand); where an operand
# may come the message says "an expression" instead of listing them.
_EXPR_START = {"INT", "STRING", "NAME", "LPAR", "LSQB", "LBRACE", "MINUS", "QUANT", "NOT", "IF", "CHOOSE",
               "TRUE", "FALSE", "NONE", "SELF"}
_OPERAND_START = {"INT", "STRING", "NAME", "LPAR"}


def _accepted(exc: UnexpectedInput) -> set[str]:
    # `accepts` includes keywords the contextual lexer leaves out of `expected`.
    return set(getattr(exc, "accepts", None) or getattr(exc, "expected", None) or ())


def _expected(expected: set[str]) -> str:
    if not expected:
        return ""
    expression = _OPERAND_START <= expected
    if expression:
        expected = expected - _EXPR_START
    names = sorted({_TOKEN_NAMES.get(t, _keyword(t)) for t in expected})
    if expression:
        names.insert(0, "an expression")
    if len(names) > 10:
        return ""
    return "; expected " + ", ".join(names)


def _keyword(terminal: str) -> str:
    # A literal terminal shows as its text: MINUS as '-', __ANON_2 as '=='.
    term = _terminals().get(terminal)
    if term is not None and term.pattern.type == "str":
        return f"'{term.pattern.value}'"
    return terminal.lower()


@functools.lru_cache(maxsize=1)
def _terminals() -> dict:
    return {t.name: t for t in _parser().terminals}


def _span(file: str, meta) -> Span:
    if getattr(meta, "empty", True):
        return Span(file, 0, 0)
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_span(file: str, tok: Token) -> Span:
    line, col = tok.line or 0, tok.column or 0
    return Span(file, line, col, tok.end_line or line, tok.end_column or col + len(tok))


def _unescape(s: str) -> str:
    body = s[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _stmts(block) -> tuple:
    return tuple(s for s in block if s is not None)


@v_args(meta=True)
class _ToAst(QuorumTransformer):  # quorum/prove declarations: checker.dsl.quorum_ast
    """Builds the AST bottom-up; every node gets its span."""

    def __init__(self, file: str):
        super().__init__()
        self.file = file

    def sp(self, meta) -> Span:
        return _span(self.file, meta)

    # -- top level --
    def start(self, meta, items):
        name, *decls = items
        return A.Spec(str(name), tuple(decls), file=self.file, span=self.sp(meta))

    def const_decl(self, meta, items):
        return A.ConstDecl(str(items[0]), items[1], span=self.sp(meta))

    def network_decl(self, meta, items):
        return A.NetworkDecl(str(items[0]), span=_tok_span(self.file, items[0]))

    def faults_decl(self, meta, items):
        return A.FaultsDecl(tuple(i for i in items if i is not None), span=self.sp(meta))

    def fault_bound(self, meta, items):
        kind, target, bound = items
        return A.FaultBound(str(kind), str(target) if target is not None else None, bound, span=self.sp(meta))

    def message_decl(self, meta, items):
        fields = items[1] or ()
        domains = tuple(d for _, d in fields) if any(d is not None for _, d in fields) else ()
        return A.MessageDecl(str(items[0]), tuple(f for f, _ in fields), span=self.sp(meta), domains=domains)

    def msg_fields(self, meta, items):
        return tuple(items)

    def msg_field(self, meta, items):
        return (str(items[0]), items[1])

    def persistent_decl(self, meta, items):
        return A.PersistentDecl(items[1], span=self.sp(meta))

    def property_decl(self, meta, items):
        name, params, (kind, p, q) = items
        return A.PropertyDecl(str(name), params or (), kind, p, q, span=self.sp(meta))

    def eventually_prop(self, meta, items):
        return (Temporal.EVENTUALLY, items[0], None)

    def leadsto_prop(self, meta, items):
        return (Temporal.LEADSTO, items[0], items[1])

    def always_eventually_prop(self, meta, items):
        return (Temporal.ALWAYS_EVENTUALLY, items[0], None)

    def eventually_always_prop(self, meta, items):
        return (Temporal.EVENTUALLY_ALWAYS, items[0], None)

    def step_property_decl(self, meta, items):
        name, params, cond = items
        return A.StepPropertyDecl(str(name), params or (), cond, span=self.sp(meta))

    def init_when_decl(self, meta, items):
        return A.InitWhenDecl(items[0], span=self.sp(meta))

    def unfair(self, meta, items):
        return A.FairnessDecl(Fairness.UNFAIR, span=self.sp(meta))

    def fair(self, meta, items):
        strong, per = items
        return A.FairnessDecl(Fairness.STRONG if strong is not None else Fairness.WEAK, per or (),
                              span=self.sp(meta))

    def role_decl(self, meta, items):
        name, count, *rest = items
        return A.RoleDecl(str(name), count, tuple(rest), span=self.sp(meta))

    def var_decl(self, meta, items):
        persistent = len(items) == 3
        name, (how, e) = items[-2:]
        init, domain = (e, None) if how == "=" else (None, e)
        return A.VarDecl(str(name), init, persistent=persistent, span=self.sp(meta), domain=domain)

    def var_value(self, meta, items):
        return ("=", items[0])

    def var_domain(self, meta, items):
        return ("in", items[0])

    def handler_decl(self, meta, items):
        fairness, msg, params, sender, guard, body = items
        return A.Handler(str(msg), params or (), str(sender) if sender is not None else None, guard, body,
                         span=self.sp(meta), fairness=fairness)

    def action_decl(self, meta, items):
        fairness, name, params, guard, body = items
        return A.ActionDecl(str(name), params or (), guard, body, span=self.sp(meta), fairness=fairness)

    def timeout_decl(self, meta, items):
        fairness, name, params, guard, body = items
        return A.ActionDecl(str(name), params or (), guard, body, kind="timeout", span=self.sp(meta),
                            fairness=fairness)

    def restart_decl(self, meta, items):
        return A.RestartDecl(items[0], span=self.sp(meta))

    def params(self, meta, items):
        return tuple(items)

    def param(self, meta, items):
        return A.Param(str(items[0]), items[1], span=self.sp(meta))

    def init_decl(self, meta, items):
        return A.InitDecl(items[0], span=self.sp(meta))

    def def_decl(self, meta, items):
        return A.DefDecl(str(items[0]), items[1] or (), items[2], span=self.sp(meta))

    def invariant_decl(self, meta, items):
        return A.InvariantDecl(str(items[0]), items[1], span=self.sp(meta))

    def constraint_decl(self, meta, items):
        return A.ConstraintDecl(items[0], span=self.sp(meta))

    def terminal_decl(self, meta, items):
        return A.TerminalDecl(items[0], span=self.sp(meta))

    def expect_decl(self, meta, items):
        return A.ExpectDecl(str(items[0]), str(items[1]), span=self.sp(meta))

    def max_depth_decl(self, meta, items):
        return A.MaxDepthDecl(items[0], span=self.sp(meta))

    def symmetric_decl(self, meta, items):
        return A.SymmetricDecl(tuple(str(i) for i in items), span=self.sp(meta))

    def names(self, meta, items):
        return tuple(str(i) for i in items)

    # -- statements --
    def block(self, meta, items):
        return _stmts(items)

    def assign(self, meta, items):
        return A.Assign(items[0], items[1], span=self.sp(meta))

    def lvalue(self, meta, items):
        name, *accs = items
        return A.LValue(str(name), tuple(accs), span=self.sp(meta))

    def index_acc(self, meta, items):
        return items[0]

    def field_acc(self, meta, items):
        return str(items[0])

    def if_stmt(self, meta, items):
        cond, then, *rest = items
        orelse = rest[0] if rest else None
        if orelse is None:
            orelse = ()
        elif isinstance(orelse, A.If):
            orelse = (orelse,)
        return A.If(cond, then, orelse, span=self.sp(meta))

    def for_stmt(self, meta, items):
        return A.For(items[0], items[1], items[2], span=self.sp(meta))

    def let_stmt(self, meta, items):
        return A.Let(str(items[0]), items[1], span=self.sp(meta))

    def send_stmt(self, meta, items):
        return A.Send("send", items[0], items[1], span=self.sp(meta))

    def broadcast_stmt(self, meta, items):
        return A.Send("broadcast", items[0], items[1], span=self.sp(meta))

    def reply_stmt(self, meta, items):
        return A.Send("reply", items[0], None, span=self.sp(meta))

    def assert_stmt(self, meta, items):
        name, cond = items
        return A.Assert(str(name) if name is not None else None, cond, span=self.sp(meta))

    def choose_stmt(self, meta, items):
        return A.Choose(str(items[0]), items[1], span=self.sp(meta))

    def skip_stmt(self, meta, items):
        return None

    def keep_stmt(self, meta, items):
        return A.NetOp("keep", None, span=self.sp(meta))

    def resend_stmt(self, meta, items):
        return A.NetOp("resend", items[0], span=self.sp(meta))

    def discard_stmt(self, meta, items):
        return A.NetOp("discard", items[0], span=self.sp(meta))

    # -- expressions --
    def quantifier(self, meta, items):
        kind, binders, body = items
        return A.Quantifier(str(kind), binders, body, span=self.sp(meta))

    def binders(self, meta, items):
        return tuple(items)

    def binder(self, meta, items):
        return A.Binder(items[0], items[1], span=self.sp(meta))

    def cond_expr(self, meta, items):
        return A.CondExpr(items[0], items[1], items[2], span=self.sp(meta))

    def choose_expr(self, meta, items):
        return A.ChooseExpr(str(items[0]), items[1], items[2], span=self.sp(meta))

    def implies_op(self, meta, items):
        return A.Binary("=>", items[0], items[1], span=self.sp(meta))

    def or_op(self, meta, items):
        return A.Binary("or", items[0], items[1], span=self.sp(meta))

    def and_op(self, meta, items):
        return A.Binary("and", items[0], items[1], span=self.sp(meta))

    def not_op(self, meta, items):
        return A.Unary("not", items[0], span=self.sp(meta))

    def compare(self, meta, items):
        left, *ops, right = items
        op = " ".join(str(o) for o in ops)
        return A.Binary(op, left, right, span=self.sp(meta))

    def range_op(self, meta, items):
        return A.Binary("..", items[0], items[1], span=self.sp(meta))

    def binop(self, meta, items):
        return A.Binary(str(items[1]), items[0], items[2], span=self.sp(meta))

    def neg(self, meta, items):
        return A.Unary("-", items[0], span=self.sp(meta))

    def index(self, meta, items):
        return A.Index(items[0], items[1], span=self.sp(meta))

    def slice(self, meta, items):
        return A.Slice(items[0], items[1], items[2], span=self.sp(meta))

    def field(self, meta, items):
        return A.Field(items[0], str(items[1]), span=self.sp(meta))

    def primed(self, meta, items):
        return A.Primed(items[0], span=self.sp(meta))

    def func_set(self, meta, items):
        return A.FuncSet(items[0], items[1], span=self.sp(meta))

    def call(self, meta, items):
        name, args = items
        return A.Call(str(name), args or (), span=self.sp(meta))

    def args(self, meta, items):
        return tuple(i if isinstance(i, A.Arg) else A.Arg(None, i, span=getattr(i, "span", A.NOSPAN))
                     for i in items if i is not None)

    def named_arg(self, meta, items):
        return A.Arg(str(items[0]), items[1], span=self.sp(meta))

    def int_lit(self, meta, items):
        text = str(items[0])
        if len(text) > MAX_LITERAL_DIGITS:  # a typo, and int() refuses thousands of digits
            raise SpecError(f"integer literal too large ({len(text)} digits; at most {MAX_LITERAL_DIGITS})",
                            self.sp(meta))
        return A.IntLit(int(text), span=self.sp(meta))

    def str_lit(self, meta, items):
        return A.StrLit(_unescape(str(items[0])), span=self.sp(meta))

    def true_lit(self, meta, items):
        return A.BoolLit(True, span=self.sp(meta))

    def false_lit(self, meta, items):
        return A.BoolLit(False, span=self.sp(meta))

    def none_lit(self, meta, items):
        return A.NoneLit(span=self.sp(meta))

    def self_ref(self, meta, items):
        return A.SelfRef(span=self.sp(meta))

    def name(self, meta, items):
        return A.Name(str(items[0]), span=self.sp(meta))

    def tuple_lit(self, meta, items):
        return A.TupleLit(tuple(i for i in items if i is not None), span=self.sp(meta))

    def record_lit(self, meta, items):
        fields = tuple(i for i in items if i is not None)
        seen: set[str] = set()
        for fname, value in fields:
            if fname in seen:
                raise SpecError(f"duplicate field '{fname}' in record", getattr(value, "span", None))
            seen.add(fname)
        return A.RecordLit(fields, span=self.sp(meta))

    def field_init(self, meta, items):
        return (str(items[0]), items[1])

    def set_lit(self, meta, items):
        return A.SetLit(tuple(i for i in items if i is not None), span=self.sp(meta))

    def map_lit(self, meta, items):
        return A.MapLit(tuple(i for i in items if i is not None), span=self.sp(meta))

    def map_item(self, meta, items):
        return (items[0], items[1])

    def seq_lit(self, meta, items):
        return A.SeqLit(tuple(i for i in items if i is not None), span=self.sp(meta))

    def set_comp(self, meta, items):
        return A.Comprehension("set", items[0], None, tuple(items[1:]), span=self.sp(meta))

    def seq_comp(self, meta, items):
        return A.Comprehension("seq", items[0], None, tuple(items[1:]), span=self.sp(meta))

    def map_comp(self, meta, items):
        (key, value), *clauses = items
        return A.Comprehension("map", key, value, tuple(clauses), span=self.sp(meta))

    def comp_for(self, meta, items):
        return A.CompFor(items[0], items[1], span=self.sp(meta))

    def comp_if(self, meta, items):
        return A.CompIf(items[0], span=self.sp(meta))
