"""The JUnit XML writer, read back with junitparser."""

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from checker.junit import Case, Suite, to_xml, write


def test_round_trip(tmp_path):
    suites = [
        Suite("specs/paxos.dsl", [
            Case("invariant Agreement holds", seconds=1.25),
            Case("expect violation Consistency", outcome="failure", kind="missed",
                 message="expected a violation, none found", details="explored 1234 states"),
        ], timestamp="2024-01-01T00:00:00"),
        Suite("specs/raft.dsl", [
            Case("run", outcome="error", message="time ran out", details="depth 12"),
            Case("liveness", outcome="skipped", message="not implemented"),
            Case("weird \x01 <&> \"name\"", classname="custom.Class", details="a\x00b"),
        ]),
    ]
    path = tmp_path / "sub" / "report.xml"
    write(path, suites)
    xml = JUnitXml.fromfile(str(path))
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (5, 1, 1, 1)
    paxos, raft = list(xml)
    assert paxos.name == "specs/paxos.dsl" and paxos.tests == 2 and paxos.failures == 1
    assert paxos.time == pytest.approx(1.25)
    cases = list(paxos)
    assert cases[0].is_passed and cases[0].classname == "specs/paxos.dsl"
    (failure,) = cases[1].result
    assert isinstance(failure, Failure) and failure.type == "missed"
    assert failure.message == "expected a violation, none found"
    assert failure.text == "explored 1234 states"
    run, liveness, weird = list(raft)
    assert isinstance(run.result[0], Error) and run.result[0].text == "depth 12"
    assert isinstance(liveness.result[0], Skipped)
    assert weird.name == "weird \ufffd <&> \"name\"" and weird.classname == "custom.Class"


def test_xml_text_and_bad_outcome():
    text = to_xml([Suite("s", [Case("c")])])
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert 'tests="1" failures="0" errors="0" skipped="0"' in text
    with pytest.raises(ValueError):
        Case("c", outcome="flaky")
