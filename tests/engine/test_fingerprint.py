"""The fingerprint is a function of a state's value alone: equal states
have equal fingerprints in every process, and states Python's hash()
confuses do not share one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from checker.explore.fingerprint import collision_probability, fingerprint


class Tagged(tuple):
    """A tuple subclass, as the DSL's sets, maps and records are."""

    __slots__ = ()


def test_a_fingerprint_is_a_64_bit_int_pinned_across_versions():
    # Checkpoints store fingerprints on disk: the function must not drift.
    assert fingerprint((1, 2, "x")) == 17519004695702794605
    assert 0 <= fingerprint(((), (None, True), -(2**63))) < 2**64


def test_states_hash_confuses_get_different_fingerprints():
    assert hash((-1,)) == hash((-2,))  # why hash() cannot be the fingerprint
    assert fingerprint((-1,)) != fingerprint((-2,))
    assert fingerprint((0, 1)) != fingerprint((1, 0))
    assert fingerprint(((1, 2), 3)) != fingerprint((1, (2, 3)))
    assert fingerprint((2**70,)) != fingerprint((2**70 + 1,))
    assert fingerprint(("1",)) != fingerprint((1,)) != fingerprint((b"1",))


def test_equal_states_have_equal_fingerprints_whatever_their_make_up():
    assert fingerprint(Tagged((1, Tagged((2,))))) == fingerprint((1, (2,)))
    a, b = frozenset([8, 16]), frozenset([16, 8])
    assert list(a) != list(b) and a == b  # same set, another iteration order
    assert fingerprint((a,)) == fingerprint((b,))
    big = 10**30
    assert fingerprint((big,)) == fingerprint((int(str(big)),))


def test_strings_fingerprint_alike_in_processes_with_different_hash_seeds():
    code = "from checker.explore.fingerprint import fingerprint; print(fingerprint(('a', ('b', 1), frozenset('xyz'))))"
    seen = set()
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=dict(os.environ, PYTHONHASHSEED=seed))
        seen.add(int(out.stdout))
    assert seen == {fingerprint(("a", ("b", 1), frozenset("xyz")))}


def test_a_value_without_a_stable_encoding_is_named():
    with pytest.raises(TypeError, match="a state holds a object"):
        fingerprint((object(),))


def test_collision_probability_is_tlcs_optimistic_estimate():
    assert collision_probability(0, 0) == 0.0
    assert collision_probability(2**20, 2**20 + 2**24) == pytest.approx(2.0**44 / 2.0**64)
