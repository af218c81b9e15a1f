"""Malformed specs: each fails with a SpecError (or UsageError) naming the
problem, at the right line:col, with the source line and a caret."""

from __future__ import annotations

import pytest

from checker.cli.common import usage_error
from checker.compile import load_text
from checker.errors import SpecError
from checker.options import LoadOptions, Option, OptionError
from tests.conftest import src

FILE = "bad.dsl"


def spec_error(text: str, consts: dict[str, str] | None = None) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_text(text, FILE, LoadOptions(consts=consts))
    return info.value


# (id, source, message substring, line, col[, --const overrides])
CASES = [
    # ---- syntax --------------------------------------------------------
    ("missing-equals", src("spec X", "const N 3"), "unexpected '3'; expected '='", 2, 9),
    ("unexpected-character", src("spec X", "const N = 3 $ 4"), "unexpected character '$'", 2, 13),
    ("unexpected-eof", src("spec X", "role S[3] {", "  var t = 0"),
     "unexpected end of file; expected 'action', 'fair', 'init', 'on', 'persistent', 'strong', 'timeout', 'unfair', 'var', '}'", 3, 12),
    ("empty-file", "", "unexpected end of file; expected 'spec'", 1, 1),
    # ---- initial values read only variables that have theirs (found by the fuzzer) ----
    ("init-reads-later-global", src("spec X", "const C = {1, 2}", "var u = {a: {} for c in C}", "var a = {}"),
     "the initial value of 'u' reads 'a', which gets its initial value after it", 3, 10),
    ("init-reads-global-from-role", src("spec X", "role R[2] {", "  var x = g", "}", "var g = 0"),
     "the initial value of 'x' reads 'g'", 3, 11),
    ("init-reads-later-role-var", src("spec X", "role R[2] {", "  var x = R[1].y + 1", "  var y = 0", "}"),
     "the initial value of 'x' reads 'y'", 3, 11),
    ("init-reads-itself", src("spec X", "var g = g + 1"), "the initial value of 'g' reads 'g'", 2, 9),
    ("unterminated-string", src("spec X", 'const N = "abc'), "unexpected character '\"'", 2, 11),
    ("expected-expression", src("spec X", "role S {", "  var x = 0", "  action a { x = = 1 }", "}"),
     "unexpected '='; expected an expression", 4, 18),
    ("action-empty-parens", src("spec X", "action a() { }"), "unexpected ')'; expected a name", 2, 10),
    ("unclosed-role", src("spec X", "role S {", "  action a { }", "", "invariant I: true"),
     "unexpected 'invariant'", 5, 1),
    ("integer-too-large", src("spec X", "const N = 99999999999999999999"), "integer literal too large", 2, 11),
    ("duplicate-record-field", src("spec X", "const N = (a: 1, a: 2)"), "duplicate field 'a' in record", 2, 21),
    # ---- names ---------------------------------------------------------
    ("unknown-name-in-invariant", src("spec X", "role S[3] { var t = 0 }", "invariant I: forall s in S: s.t >= missing"),
     "unknown name 'missing'", 3, 36),
    ("unknown-variable-assigned", src("spec X", "role S[3] {", "  var t = 0", "  on M() { u = 1 }", "}"),
     "unknown variable 'u'", 4, 12),
    ("let-out-of-scope", src("spec X", "role S {", "  var t = 0", "  action a {", "    if true { let y = 1 }",
                             "    t = y", "  }", "}"),
     "unknown name 'y'", 6, 9),
    ("self-outside-role", src("spec X", "role S[3] { var t = 0 }", "invariant I: self == self"),
     "'self' is only defined inside a role", 3, 14),
    ("self-in-def-used-globally", src("spec X", "def F() = self", "invariant I: F() == F()"),
     "'self' is only defined inside a role (in 'F', called at bad.dsl:3:14)", 2, 11),
    ("unknown-role-in-broadcast", src("spec X", "message M()", "role S { action a { broadcast M() to Nope } }"),
     "unknown name 'Nope'", 3, 38),
    ("unknown-message-sent", src("spec X", "role S[3] {", "  action a { send Nope() to S[0] }", "}"),
     "unknown message 'Nope'", 3, 19),
    ("handler-for-a-role", src("spec X", "role S[3] { on S() { } }"), "'S' is not a message", 2, 13),
    ("unknown-field-of-node", src("spec X", "role Server[3] { var t = 0 }", "invariant I: Server[0].zzz == 0"),
     "role Server has no variable 'zzz'", 3, 14),
    # ---- arity and messages --------------------------------------------
    ("send-wrong-arity", src("spec X", "message M(a, b)", "role S[3] {", "  var t = 0",
                             "  on M(a, b) from c { send M(1) to c }", "}"),
     "message M has 2 field(s) (a, b), but 1 value(s) were given", 5, 28),
    ("send-unknown-named-field", src("spec X", "message M(a, b)", "role S[3] {", "  var t = 0",
                                     "  on M(a, b) from c { send M(a: 1, z: 2) to c }", "}"),
     "message M has no field 'z' (fields: a, b)", 5, 36),
    ("send-missing-named-field", src("spec X", "message M(a, b)", "role S { action a { send M(a: 1) } }"),
     "message M is missing field(s): b", 3, 26),
    ("handler-arity-vs-message", src("spec X", "message M(a, b)", "role S[3] {", "  on M(a) { }", "}"),
     "message 'M' has 2 field(s) (a, b), but this handler binds 1", 4, 3),
    ("handlers-disagree-on-arity", src("spec X", "role A { on M(a) { } }", "role B { on M(a, b) { } }"),
     "message 'M' has 1 field(s) (a), but this handler binds 2", 3, 10),
    ("handler-sender-shadows-param", src("spec X", "role S { on M(a) from a { } }"),
     "names its sender 'a' like one of its parameters", 2, 10),
    ("reserved-field-name", src("spec X", "message M(src)"), "message field name 'src' is reserved", 2, 1),
    ("builtin-arity", src("spec X", "invariant I: size(1, 2) == 0"), "size() takes 1 positional argument(s), got 2", 2, 14),
    ("def-arity", src("spec X", "def F(x) = x", "invariant I: F(1, 2) == 1"),
     "F() takes 1 positional argument(s), got 2", 3, 14),
    # ---- duplicates ----------------------------------------------------
    ("duplicate-const", src("spec X", "const N = 1", "const N = 2"), "'N' is already declared at bad.dsl:2:1", 3, 1),
    ("duplicate-invariant", src("spec X", "invariant I: true", "invariant I: false"),
     "'I' is already declared at bad.dsl:2:1", 3, 1),
    ("duplicate-role-variable", src("spec X", "role S[3] {", "  var t = 0", "  var t = 1", "}"),
     "variable 't' is already declared in role S", 4, 3),
    ("duplicate-handler", src("spec X", "role S {", "  on M() { }", "  on M() { }", "}"),
     "role S already handles message 'M'", 4, 3),
    ("timer-named-like-action", src("spec X", "role S {", "  action a { }", "  timeout a { }", "}"),
     "action 'a' is already declared in role S", 4, 3),
    ("message-named-like-const", src("spec X", "const M = 1", "message M()"), "'M' is already declared as something else", 3, 1),
    ("network-twice", src("spec X", "network set", "network fifo"), "the network is declared twice", 3, 9),
    # ---- types ---------------------------------------------------------
    ("int-plus-string", src("spec X", "role S[3] {", "  var t_max = 0", '  on M() { t_max = t_max + "x" }', "}"),
     "'+' needs an int, but this is a string", 4, 28),
    ("assign-string-to-int", src("spec X", "role S[3] {", "  var t = 0", '  on M() { t = "x" }', "}"),
     "cannot assign a string to 't', which holds an int", 4, 16),
    ("assign-string-to-node-variable", src("spec X", "role S[2] { var t = 0 }", 'action a { S[0].t = "x" }'),
     "cannot assign a string to 't', which holds an int", 3, 12),
    ("if-condition-not-bool", src("spec X", "role S[3] {", "  var t = 0", "  on M() { if 3 { } }", "}"),
     "an if condition must be a boolean, but this is an int", 4, 15),
    ("guard-not-bool", src("spec X", "role S {", "  action a when 3 { }", "}"),
     "a guard must be a boolean, but this is an int", 3, 17),
    ("invariant-not-bool", src("spec X", "invariant I: 3"), "an invariant must be a boolean, but this is an int", 2, 14),
    ("compare-node-with-int", src("spec X", "role S[2] { var t = 0 }", "invariant I: S[0] == 1"),
     "comparing a node with an int is always false", 3, 14),
    ("subset-of-int", src("spec X", "invariant I: 1 subset {1}"), "'subset' needs sets, but this is an int", 2, 14),
    ("field-update-of-int-variable", src("spec X", "role S[3] {", "  var t = 0", "  action a { t.x.y = 1 }", "}"),
     "'t' holds an int, which has no elements or fields to assign", 4, 14),
    ("quantify-over-int", src("spec X", "invariant I: forall x in 3: x > 0"), "cannot range over an int", 2, 26),
    ("send-to-int", src("spec X", "message M()", "role S { action a { send M() to 3 } }"),
     "a message must be sent to a node or a set of nodes, but this is an int", 3, 33),
    ("is-needs-message", src("spec X", "message M()", "invariant I: forall m in sent: m is 3"),
     "'is' needs a message name on its right", 3, 37),
    # ---- statements ----------------------------------------------------
    ("reply-outside-handler", src("spec X", "role S[3] {", "  action a { reply M() }", "  on M() { }", "}"),
     "'reply' is only possible inside a message handler", 3, 14),
    ("reply-in-init", src("spec X", "message M()", "role S { init { reply M() } }"),
     "'reply' is only possible inside a message handler", 3, 17),
    ("choose-inside-if", src("spec X", "role S[3] {", "  var t = 0", "  on M() {", "    if t == 0 {",
                             "      choose x in {1, 2}", "      t = x", "    }", "  }", "}"),
     "'choose' may only appear at the top level", 6, 7),
    ("choose-inside-for", src("spec X", "role S {", "  action a { for i in 0..2 { choose x in {1} } }", "}"),
     "'choose' may only appear at the top level", 3, 30),
    ("assign-constant", src("spec X", "const N = 1", "role S { action a { N = 2 } }"),
     "cannot assign to constant 'N'", 3, 21),
    ("assign-sent", src("spec X", "role S { action a { sent = {} } }"),
     "'sent' is maintained by the checker and cannot be assigned", 2, 21),
    # ---- definitions ---------------------------------------------------
    ("recursive-def", src("spec X", "def F(x) = F(x)", "invariant I: F(1) == 1"),
     "'F' is recursive; definitions are expanded in place and cannot call themselves", 2, 12),
    ("mutually-recursive-defs", src("spec X", "def F(x) = G(x)", "def G(x) = F(x)", "invariant I: F(1) == 1"),
     "'F' is recursive", 3, 12),
    ("def-used-without-call", src("spec X", "def F() = 1", "invariant I: F == 1"),
     "'F' is a definition with parameters; call it as F(...)", 3, 14),
    # ---- nodes ---------------------------------------------------------
    ("node-index-out-of-range", src("spec X", "role Server[3] { var t = 0 }", "invariant I: Server[5].t == 0"),
     "Server has 3 node(s); index 5 is out of range", 3, 21),
    ("negative-node-index", src("spec X", "role Server[3] { var t = 0 }", "invariant I: Server[-1].t == 0"),
     "Server has 3 node(s); index -1 is out of range", 3, 21),
    ("string-node-index", src("spec X", "role Server[3] { var t = 0 }", 'invariant I: Server["a"].t == 0'),
     "a node index must be an int, but this is a string", 3, 21),
    ("negative-role-count", src("spec X", "role S[-1] { }"), "the count of role 'S' must be a non-negative integer", 2, 8),
    ("string-role-count", src("spec X", 'role S["a"] { }'), "the count of role 'S' must be a non-negative integer", 2, 8),
    ("huge-role-count", src("spec X", "role S[100000000] { }"), "at most 1000 are supported", 2, 8),
    ("role-count-from-negative-const", src("spec X", "const N = 3", "role S[N] { }"),
     "the count of role 'S' must be a non-negative integer", 3, 8, {"N": "-1"}),
    # ---- network and faults ----------------------------------------------
    ("unknown-network", src("spec X", "network lossy"), "unknown network 'lossy'; choose one of fifo, unordered, set", 2, 9),
    ("loss-on-set-network", src("spec X", "network set", "faults { loss <= 1 }"),
     "fault 'loss' does not apply to a 'set' network", 3, 10),
    ("negative-fault-bound", src("spec X", "faults { loss <= -1 }"),
     "the bound of fault 'loss' must be a non-negative integer constant", 2, 18),
    ("unbounded-fault", src("spec X", "faults { duplicate <= none }"),
     "(an unbounded fault makes the state space infinite)", 2, 23),
    ("fault-bound-not-constant", src("spec X", "role S { var t = 0 }", "faults { loss <= S.t }"),
     "a constant must be built from literals, earlier constants and operators", 3, 18),
    ("unknown-fault-kind", src("spec X", "faults { explode <= 1 }"), "unknown fault kind 'explode'", 2, 10),
    ("fault-bounded-twice", src("spec X", "faults { loss <= 1, loss <= 2 }"), "fault 'loss' is bounded twice", 2, 21),
    ("message-fault-with-role", src("spec X", "role S { }", "faults { loss S <= 1 }"),
     "fault 'loss' applies to messages, not to a role", 3, 10),
    # ---- constants -------------------------------------------------------
    ("const-uses-later-const", src("spec X", "const N = M", "const M = 1"), "'M' is not a constant declared above", 2, 11),
    ("const-division-by-zero", src("spec X", "const N = 1 / 0"), "division by zero", 2, 11),
    ("const-string-plus-int", src("spec X", 'const N = "a" + 1'), "'+' is not supported in a constant expression", 2, 11),
    ("const-set-less-than-int", src("spec X", "const N = {1} < 2"), "'<' is not supported in a constant expression", 2, 11),
    ("const-size-of-int", src("spec X", "const N = size(3)"), "size() needs a set or a sequence", 2, 16),
    ("const-huge-range", src("spec X", "const N = 0..100000000000"), "a constant range may have at most", 2, 11),
    ("max-depth-negative", src("spec X", "max_depth -1"), "max_depth must be a non-negative integer constant", 2, 11),
    ("expect-bad-verdict", src("spec X", "invariant I: true", "expect maybe I"), "expect: 'maybe' is not a verdict", 3, 1),
    ("symmetric-unknown-role", src("spec X", "symmetric Foo"), "symmetric: unknown role 'Foo'", 2, 1),
    # ---- fairness, temporal properties, initial states (issue 11) --------------
    ("per-unknown", src("spec X", "fair per q action A(p in 0..1) { }"),
     "'per q': action A has no parameter 'q' (parameters: p)", 2, 1),
    ("per-twice", src("spec X", "fair per p, p action A(p in 0..1) { }"), "'per' names parameter 'p' twice", 2, 1),
    ("per-on-handler", src("spec X", "role R { fair per m on M(m) { } }"),
     "a handler's fairness classes are already one per node and message", 2, 10),
    ("prime-in-invariant", src("spec X", "var x = 0", "invariant I: x' == x"),
     "a primed expression (x', the value after a step) is only possible in a 'step property'", 3, 14),
    ("prime-in-guard", src("spec X", "var x = 0", "action A when x' == 1 { }"), "only possible in a 'step property'", 3, 15),
    ("prime-of-prime", src("spec X", "var x = 0", "step property S: (x')' == x"),
     "a primed expression cannot be primed again", 3, 19),
    ("step-property-not-bool", src("spec X", "var x = 0", "step property S: x' + 1"),
     "a step property must be a boolean", 3, 18),
    ("always-eventually-not-bool", src("spec X", "var x = 0", "property P: always eventually x + 1"),
     "the condition of 'always eventually' must be a boolean", 3, 31),
    ("func-set-of-int", src("spec X", "var f in [1 -> 0..1]"), "[S -> T] needs two sets, but this is an int", 2, 11),
    ("var-in-int", src("spec X", "var x in 5"), "'var x in S' needs a set (or sequence) of initial values", 2, 10),
    ("init-when-not-bool", src("spec X", "var x = 0", "init when x + 1"),
     "the condition of 'init when' must be a boolean", 3, 11),
    ("var-in-crashing-role", src("spec X", "faults { crash R <= 1 }", "role R { var x in 0..1 }"),
     "make it persistent", 3, 10),
    ("duplicate-step-property", src("spec X", "var x = 0", "invariant S: true", "step property S: x' == x"),
     "'S' is already declared", 4, 1),
    # ---- layout of the source ------------------------------------------------
    ("crlf-line-endings", "spec X\r\nconst N = 1\r\ninvariant I: N == missing\r\n", "unknown name 'missing'", 3, 19),
    ("tabs", "spec X\n\tinvariant I:\tN == 1\n", "unknown name 'N'", 2, 15),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_spec(case):
    _, text, message, line, col, *rest = case
    err = spec_error(text, rest[0] if rest else None)
    assert message in err.message
    assert err.span is not None and (err.span.file, err.span.line, err.span.col) == (FILE, line, col), err.format()
    shown = err.format().splitlines()
    assert shown[0] == f"{FILE}:{line}:{col}: error: {err.message}"
    # The offending line, then a caret under the offending column.
    source_line = text.splitlines()[line - 1].expandtabs(1) if text else ""
    if source_line:
        assert shown[1] == "    " + source_line
        assert shown[2].startswith("    " + " " * (col - 1) + "^")
        assert set(shown[2].strip()) == {"^"}


# ---- nesting that used to overflow Python's limits (RecursionError,
# "too many nested parentheses", "too many levels of indentation") ---------

DEEP = [
    ("and-chain", src("spec X", "var v = true", "invariant I: " + " and ".join(["v"] * 1000)), 3, 14),
    ("nested-parens", src("spec X", "var v = 1", "invariant I: " + "(" * 300 + "v" + " + 1)" * 300 + " > 0"), 3, 112),
    ("nested-minus", src("spec X", "const N = " + "-" * 3000 + "1"), 2, 109),
    ("nested-sets", src("spec X", "const N = " + "{" * 2000 + "1" + "}" * 2000), 2, 109),
    ("nested-ifs", src("spec X", "role S {", "  var t = 0", "  action a {",
                       "if t == 0 { " * 200 + "t = 1" + " }" * 200, "  }", "}"), 5, 568),
]


@pytest.mark.parametrize("name, text, line, col", DEEP, ids=[d[0] for d in DEEP])
def test_too_deeply_nested(name, text, line, col):
    err = spec_error(text)
    assert "nested too deeply (more than 100 levels" in err.message
    assert (err.span.line, err.span.col) == (line, col)
    assert "^" in err.format().splitlines()[2]


def test_moderate_nesting_is_fine():
    load_text(src("spec X", "var v = true", "invariant I: " + " and ".join(["v"] * 90)), FILE)


def test_def_chain_too_deep():
    text = src("spec X", "def F0(x) = x", *(f"def F{i}(x) = F{i - 1}(x) + 1" for i in range(1, 120)),
               "invariant I: F119(0) > 0")
    err = spec_error(text)
    assert err.message.startswith("definitions call each other more than 32 levels deep (F119 -> F118 -> F117 -> ...)")
    assert (err.span.line, err.span.col) == (90, 14)  # the call F87(x) in the body of F88


# ---- constant overrides: OptionError naming the option (the CLI: --const) ----

def test_const_override_of_unknown_name():
    with pytest.raises(OptionError) as info:
        load_text(src("spec X", "const N = 3"), FILE, LoadOptions(consts={"Z": "4"}))
    assert info.value.option is Option.CONSTS
    assert str(usage_error(info.value)) == "--const Z: the spec declares no constant 'Z' (constants: N)"


def test_const_override_with_bad_value():
    with pytest.raises(OptionError) as info:
        load_text(src("spec X", "const N = 3"), FILE, LoadOptions(consts={"N": "1.5"}))
    assert "--const N=1.5: the value must be an integer, true, false, a string, or a sequence" \
        in str(usage_error(info.value))


def test_const_override_with_a_sequence_literal():
    m = load_text(src("spec X", 'const Vs = ["a"]'), FILE, LoadOptions(consts={"Vs": '["x", "y"]'}))
    assert m.names.show(m.resolved.consts["Vs"]) == '["x", "y"]'
    with pytest.raises(OptionError) as info:
        load_text(src("spec X", 'const Vs = ["a"]'), FILE, LoadOptions(consts={"Vs": '["x",'}))
    assert str(usage_error(info.value)).startswith('--const Vs=["x",: ')
