"""A small JUnit XML writer (stdlib only) for CI dashboards.

One `Suite` per spec, one `Case` per proof obligation or model-checking
expectation. A failed case carries a one-line ``message`` (the verdict)
and a ``details`` body (a witness, a trace summary). The output follows the
common Jenkins/Surefire schema that junitparser, GitLab, GitHub actions and
Jenkins read::

    <testsuites tests= failures= errors= skipped= time=>
      <testsuite name= tests= failures= errors= skipped= time=>
        <testcase name= classname= time=>
          <failure message= type=>details</failure>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

OUTCOMES = ("passed", "failure", "error", "skipped")

# Characters XML 1.0 cannot carry at all, even escaped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Case:
    """One test case.

    ``outcome`` is one of `OUTCOMES`: ``failure`` for a wrong verdict (a
    missed expectation), ``error`` for a check that could not finish
    (timeout, unknown), ``skipped`` for one not run. ``kind`` becomes the
    ``type`` attribute of the failure element (e.g. ``refuted``).
    """

    name: str
    classname: str = ""
    seconds: float = 0.0
    outcome: str = "passed"
    message: str = ""
    details: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")


@dataclass
class Suite:
    """The test cases of one spec; ``timestamp`` is ISO 8601 if given."""

    name: str
    cases: list[Case] = field(default_factory=list)
    timestamp: str | None = None

    def count(self, outcome: str) -> int:
        """How many cases have this outcome."""
        return sum(1 for c in self.cases if c.outcome == outcome)

    @property
    def seconds(self) -> float:
        """Total time of the cases."""
        return sum(c.seconds for c in self.cases)


def _clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _totals(elem: ET.Element, tests: int, failures: int, errors: int, skipped: int,
            seconds: float) -> None:
    elem.set("tests", str(tests))
    elem.set("failures", str(failures))
    elem.set("errors", str(errors))
    elem.set("skipped", str(skipped))
    elem.set("time", f"{seconds:.3f}")


def to_element(suites: Sequence[Suite], name: str = "checker") -> ET.Element:
    """The ``<testsuites>`` element for ``suites``."""
    root = ET.Element("testsuites", name=_clean(name))
    for suite in suites:
        s = ET.SubElement(root, "testsuite", name=_clean(suite.name))
        _totals(s, len(suite.cases), suite.count("failure"), suite.count("error"),
                suite.count("skipped"), suite.seconds)
        if suite.timestamp:
            s.set("timestamp", suite.timestamp)
        for case in suite.cases:
            c = ET.SubElement(s, "testcase", name=_clean(case.name),
                              classname=_clean(case.classname or suite.name),
                              time=f"{case.seconds:.3f}")
            if case.outcome != "passed":
                tag = "skipped" if case.outcome == "skipped" else case.outcome
                e = ET.SubElement(c, tag, message=_clean(case.message))
                if case.kind:
                    e.set("type", _clean(case.kind))
                if case.details:
                    e.text = _clean(case.details)
    _totals(root, sum(len(s.cases) for s in suites), sum(s.count("failure") for s in suites),
            sum(s.count("error") for s in suites), sum(s.count("skipped") for s in suites),
            sum(s.seconds for s in suites))
    return root


def to_xml(suites: Sequence[Suite], name: str = "checker") -> str:
    """JUnit XML text (UTF-8, with an XML declaration)."""
    root = to_element(suites, name)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(path: str | Path, suites: Sequence[Suite], name: str = "checker") -> None:
    """Write JUnit XML to ``path`` (parent directories are created)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_xml(suites, name), encoding="utf-8")
