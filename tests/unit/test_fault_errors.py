"""Bad fault, crash, persistence and liveness declarations: each fails with a
positioned SpecError (or a UsageError naming the option), never a traceback."""

from __future__ import annotations

import pytest

from checker.cli import main
from checker.cli.common import parse_faults
from checker.compile import load_text
from checker.errors import SpecError, UsageError
from tests.conftest import src

FILE = "bad.dsl"


ROLE = "role S[2] { var x = 0 }"

# (id, source, message substring, line, col)
CASES = [
    ("persistent-unknown-variable", src("spec X", "role S {", "  var x = 0", "  persistent x, y", "}"),
     "persistent: role S has no variable 'y'", 4, 3),
    ("persistent-global", src("spec X", "persistent var g = 0"),
     "'g' is a global variable; only the variables of a role's nodes can be persistent", 2, 1),
    ("reorder-on-unordered", src("spec X", "network unordered", "faults { reorder <= 1 }"),
     "fault 'reorder' does not apply to an 'unordered' network", 3, 10),
    ("corrupt-on-set", src("spec X", "network set", "message M(a in 0..1)", "faults { corrupt <= 1 }"),
     "fault 'corrupt' does not apply to a 'set' network", 4, 10),
    ("partition-drop-on-set", src("spec X", "network set", "faults { partition drop <= 1 }"),
     "partition drop does not apply to a 'set' network", 3, 10),
    ("partition-bad-mode", src("spec X", "faults { partition lossy <= 1 }"), "'lossy' is not a mode", 2, 10),
    ("crash-unknown-role", src("spec X", ROLE, "faults { crash Nope <= 1 }"), "fault 'crash': unknown role 'Nope'", 3, 10),
    ("restart-without-crash", src("spec X", ROLE, "faults { restart S <= 1 }"),
     "fault 'restart S': nodes of S never crash; add a crash bound", 3, 10),
    ("on-restart-without-restart", src("spec X", "role S {", "  var x = 0", "  on restart { x = 1 }", "}",
                                       "faults { crash S <= 1 }"),
     "role S has 'on restart' but no fault restarts its nodes", 4, 3),
    ("two-restart-blocks", src("spec X", "role S {", "  on restart { }", "  on restart { }", "}",
                               "faults { crash S <= 1, restart S <= 1 }"),
     "role S already has an 'on restart' block", 4, 3),
    ("crash-bound-unbounded", src("spec X", ROLE, "faults { crash S <= none }"),
     "the bound of fault 'crash S' must be a non-negative integer constant (an unbounded fault", 3, 21),
    ("fault-bound-too-large", src("spec X", "faults { loss <= 1000 }"),
     "the bound of fault 'loss' is 1000; at most 20", 2, 18),
    ("crash-bounded-twice", src("spec X", ROLE, "faults { crash S <= 1, crash S <= 2 }"),
     "fault 'crash S' is bounded twice", 3, 24),
    ("corrupt-nothing-corruptible", src("spec X", "message M(a)", "faults { corrupt <= 1 }"),
     "fault 'corrupt': no message field can be corrupted", 3, 10),
    ("domain-not-a-collection", src("spec X", "message M(a in 3)", "faults { corrupt <= 1 }"),
     "the domain of field 'a' must be a constant set or sequence", 2, 16),
    ("property-unknown-name", src("spec X", ROLE, "property P: eventually nope"), "unknown name 'nope'", 3, 24),
    ("property-not-boolean", src("spec X", ROLE, "property P: S[0].x leadsto true"),
     "each side of 'leadsto' must be a boolean", 3, 13),
    ("property-named-like-invariant", src("spec X", ROLE, "invariant P: true", "property P: eventually true"),
     "'P' is already declared", 4, 1),
    ("property-param-over-int", src("spec X", ROLE, "property P(n in 3): eventually true"), "cannot range over an int", 3, 17),
    ("property-syntax", src("spec X", "property P: eventually"), "unexpected end of file", 2, 23),
    ("connected-needs-nodes", src("spec X", "role S { timeout t when connected(1, self) { } }"),
     "connected() needs two nodes", 2, 35),
    ("checksum-without-arguments", src("spec X", "role S { var c = 0", "  action a { c = checksum() } }"),
     "checksum() needs at least one argument", 3, 18),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_fault_spec(case):
    _, text, message, line, col = case
    with pytest.raises(SpecError) as info:
        load_text(text, FILE)
    err = info.value
    assert message in err.message
    assert (err.span.line, err.span.col) == (line, col), err.format()
    shown = err.format()
    assert shown.startswith(f"{FILE}:{line}:{col}: error: ") and "^" in shown


@pytest.mark.parametrize("items, message", [
    (["loss"], "--faults loss: expected KIND=N or KIND:ROLE=N"),
    (["loss=x"], "the bound must be a non-negative integer"),
    (["loss=-1"], "the bound must be a non-negative integer"),
    (["loss=" + "9" * 5000], "the bound is far too large"),
    (["loss=1,loss=2"], "--faults loss is given twice"),
])
def test_bad_fault_options(items, message):
    with pytest.raises(UsageError) as info:
        parse_faults(items)
    assert message in str(info.value)


@pytest.mark.parametrize("faults, message", [
    ("reorder=1", "--faults reorder=1: fault 'reorder' does not apply to an 'unordered' network"),
    ("crash:Nope=1", "--faults crash:Nope=1: unknown role 'Nope'"),
    ("loss:S=1", "applies to messages, not to a role"),
    ("explode=1", "--faults explode=1: unknown fault kind 'explode'"),
    ("loss=1000", "--faults loss=1000: the bound must be between 0 and 20"),
])
def test_fault_options_that_do_not_apply(faults, message, tmp_path, capsys):
    spec = tmp_path / "x.dsl"
    spec.write_text(src("spec X", ROLE))
    assert main(["run", str(spec), "--faults", faults, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_fault_options_parse():
    assert parse_faults(["loss=2,crash=1", "crash:Server=0"]) == {"loss": 2, "crash": 1, "crash Server": 0}
