"""The fault and liveness syntax round-trips through the pretty-printer."""

from __future__ import annotations

from checker.dsl import ast as A
from checker.dsl.parser import parse
from checker.dsl.pretty import pretty

TEXT = """
spec Faulty
const Ops = ["a", "b"]
network fifo
faults { loss <= 1, corrupt <= 1, reorder <= 2, crash Server <= 1, restart Server <= 1, partition drop <= 1 }
message Cmd(seq in 0..3, op in Ops, sum)
message Plain(x)
role Server[2] {
  var log = []
  var term = 0
  persistent log, term
  persistent var votedFor = none
  on Cmd(seq, op, sum) when sum == checksum(seq, op) and connected(self, Server[0]) { log = append(log, op) }
  timeout election when not (self in crashed) { term = term + 1 }
  on restart { term = term }
}
property Eventually: eventually forall s in Server: size(s.log) > 0
property Answered(s in Server, t in 0..1): s.term == t leadsto s.term > t or s in crashed
"""


def test_fault_constructs_round_trip():
    spec = parse(TEXT)
    text = pretty(spec)
    assert parse(text) == spec
    for line in ["message Cmd(seq in 0..3, op in Ops, sum)", "message Plain(x)", "  persistent log, term",
                 "  persistent var votedFor = none", "property Eventually: eventually forall s in Server: size(s.log) > 0",
                 "property Answered(s in Server, t in 0..1): s.term == t leadsto s.term > t or s in crashed",
                 "faults { loss <= 1, corrupt <= 1, reorder <= 2, crash Server <= 1, restart Server <= 1, "
                 "partition drop <= 1 }"]:
        assert line in text.splitlines(), (line, text)


def test_parsed_shapes():
    decls = {type(d).__name__ + getattr(d, "name", ""): d for d in parse(TEXT).decls}
    cmd = decls["MessageDeclCmd"]
    assert cmd.fields == ("seq", "op", "sum") and cmd.domains[2] is None and cmd.domains[0] is not None
    assert decls["MessageDeclPlain"].domains == ()
    prop = decls["PropertyDeclAnswered"]
    assert prop.kind == "leadsto" and [p.name for p in prop.params] == ["s", "t"]
    assert decls["PropertyDeclEventually"].q is None
    role = decls["RoleDeclServer"]
    assert any(isinstance(i, A.PersistentDecl) and i.names == ("log", "term") for i in role.items)


def test_keywords_stay_usable_as_names_elsewhere():
    spec = parse("spec X\nconst eventually = 1\nconst leadsto = 2\ninvariant I: eventually < leadsto\n")
    assert [d.name for d in spec.decls] == ["eventually", "leadsto", "I"]
