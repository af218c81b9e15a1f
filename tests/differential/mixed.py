"""The generator's mixed-type mode (issue 11, bug 3): values of different
types meet in comparisons, memberships, orderings, sets and variables.

The reference treats each as TLC does: different values, or an evaluation
error for an ill-typed comparison, membership or set. The engine's typed
values (issue 11, bug 3) keep the values apart, but it still answers a
membership test across types (``true in {1}`` is false) and builds a set of
values of different types without an error, where TLC stops; until they
agree this mode is not part of the default run (see
``test_differential.py``).

Every value is wrapped as ``{0: v}[0]``, whose static kind is "any", so
that the compiler's static type checks do not reject the spec.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

#: values of every type, including ints that collide with the engine's
#: encodings of strings (2^48), nodes (2^52) and none (2^56), computed at
#: run time (the front end refuses such literals).
VALUES = (
    "0", "1", "2", "true", "false", '"a"', '"b"', "none", "{0}", "{false}", "{1}", "{true}", "[0]", "[false]",
    "[1, 2]", "{1, 2}", "(a: 1)", '{"a": 1}', "(16777216 * 16777216)", "(67108864 * 67108864)",
    "(268435456 * 268435456)",
)
OPS = ("==", "!=", "<", ">=", "in", "not in")


def any_value(draw: Any) -> str:
    return "{0: " + draw(st.sampled_from(VALUES)) + "}[0]"


def mixed_condition(draw: Any, a: str | None = None) -> str:
    """A condition that puts two values of (maybe) different types
    together (``a``: the first one, e.g. a variable)."""
    a, b = a or any_value(draw), any_value(draw)
    form = draw(st.sampled_from(["op", "op", "set", "max"]))
    if form == "set":
        return f"({{{a}, {b}}} == {{{b}}})"
    if form == "max":
        return f"(max({{{a}, {b}}}) == {a})"
    op = draw(st.sampled_from(OPS))
    if op in ("in", "not in"):
        return f"({a} {op} {{{b}}})"
    return f"({a} {op} {b})"
