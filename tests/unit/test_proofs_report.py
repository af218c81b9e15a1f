"""Proof output: table, JSON, JUnit cases."""

import json

from junitparser import Error, Failure, JUnitXml

from checker import junit
from checker.proofs import Available, Concrete, Intersect, Threshold, parse_cond, parse_expr, prove
from checker.proofs.report import format_table, to_json, to_junit_suite

QUORUMS = {"Majority": Threshold(parse_cond("size > N / 2")),
           "Half": Threshold(parse_cond("size >= N / 2")),
           "Square": Threshold(parse_cond("size * size > N"))}


def results():
    return [
        prove(Intersect(("Majority", "Majority")), QUORUMS),
        prove(Intersect(("Half", "Half")), QUORUMS),
        prove(Intersect(("Half", "Half"), expect="refuted", label="half is unsafe"), QUORUMS),
        prove(Available("Majority", parse_expr("N / 2"), Concrete(4)), QUORUMS),
        prove(Intersect(("Square", "Square")), QUORUMS),
    ]


def test_table():
    text = format_table(results())
    lines = text.splitlines()
    assert lines[0].split() == ["obligation", "result", "time", "details"]
    assert "intersect(Majority, Majority) for all N" in lines[2] and "holds for N >= 1" in lines[2]
    assert "REFUTED (expected proved)" in lines[3]
    assert "N = 2, Half#1 = {s0}, Half#2 = {s1}" in lines[3]
    assert lines[4].startswith("half is unsafe") and "REFUTED " in lines[4]
    assert "unknown (expected proved)" in lines[6] and "nonlinear" in lines[6]
    assert lines[-1] == "1 proved, 3 refuted, 1 unknown; 3 not as expected"


def test_json():
    doc = json.loads(json.dumps(to_json(results(), spec="specs/x.dsl")))
    assert doc["version"] == 1 and doc["spec"] == "specs/x.dsl"
    first, second = doc["results"][:2]
    assert first["status"] == "proved" and first["ok"] and first["domain"] == "N >= 1"
    assert second["witness"] == {"N": 2, "sets": {"Half#1": ["s0"], "Half#2": ["s1"]}, "note": ""}
    assert doc["results"][4]["reason"].startswith("nonlinear")


def test_junit_round_trip(tmp_path):
    path = tmp_path / "out" / "proofs.junit.xml"
    junit.write(path, [to_junit_suite(results(), "specs/x.dsl")])
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1 and suites[0].name == "specs/x.dsl"
    suite = suites[0]
    assert (suite.tests, suite.failures, suite.errors) == (5, 2, 1)
    cases = {c.name: c for c in suite}
    assert cases["intersect(Majority, Majority) for all N"].is_passed
    assert cases["half is unsafe"].is_passed
    bad = cases["intersect(Half, Half) for all N"]
    (failure,) = bad.result
    assert isinstance(failure, Failure) and failure.type == "refuted"
    assert "N = 2" in failure.message and "Half#1 = {s0}" in failure.text
    (error,) = cases["intersect(Square, Square) for all N"].result
    assert isinstance(error, Error) and "nonlinear" in error.message
