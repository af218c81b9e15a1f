"""64-bit state fingerprints: the keys of the seen set.

A fingerprint is xxHash3-64 of the state's MessagePack encoding. It must
be equal for equal states in every process and on every machine (the
parallel search partitions the seen set by fingerprint, checkpoints are
written to disk), so it is a function of the state's value alone:

- Python's ``hash()`` is out: it salts strings per process and maps
  ``-1`` and ``-2`` to the same value, so it would merge distinct states.
- MessagePack (C) walks nested tuples of any tuple subclass, ints, strings,
  bytes, bools, floats and None without references or memo, so equal
  states give equal bytes. Sets, big ints and other values the packer has
  no encoding for go through `_extension` (sets sorted by their encoding,
  so the result does not depend on iteration order).
- xxh3-64 is the fastest well-kept 64-bit hash of bytes for Python.

Measured on this project's specs (µs per state, one core; TwoPhase RM=7,
raft.tla 3 servers, paxos.dsl): ``hash()`` 0.2-0.4, MessagePack + xxh3
1.0-2.5, ``marshal`` (version 2, no references) + xxh3 1.2-2.2 but it
writes sets in iteration order and refuses tuple subclasses, ``repr``
5-15, a pure-Python flattening into ``struct``/``array`` + xxh3 6.5-10,
pickle 14-29 while states held tuple subclasses (and its memo makes equal
states encode differently). The search computes a fingerprint only for a
successor that is not one of the states of the current and next level
(`checker.explore.sequential`).
"""

from __future__ import annotations

from typing import Any

import msgpack
import xxhash

from checker.model import State

#: bits in a fingerprint.
BITS = 64

_SET, _BIGINT, _FROZEN_DICT = 1, 2, 3


def _extension(value: Any) -> msgpack.ExtType:
    """What MessagePack cannot encode by itself, in a canonical form."""
    if isinstance(value, (frozenset, set)):
        return msgpack.ExtType(_SET, b"".join(sorted(_inner(v) for v in value)))
    if isinstance(value, int):  # beyond 64 bits
        return msgpack.ExtType(_BIGINT, str(value).encode())
    if isinstance(value, dict):
        pairs = sorted(_inner((k, v)) for k, v in value.items())
        return msgpack.ExtType(_FROZEN_DICT, b"".join(pairs))
    raise TypeError(f"a state holds a {type(value).__name__}, which has no stable fingerprint "
                    "(states are built from tuples, ints, strings, bools, floats, None and frozensets)")


_inner_packer = msgpack.Packer(default=_extension, use_bin_type=True, autoreset=True)


def _inner(value: Any) -> bytes:
    return _inner_packer.pack(value)


_pack = msgpack.Packer(default=_extension, use_bin_type=True, autoreset=True).pack
_digest = xxhash.xxh3_64_intdigest


def fingerprint(state: State) -> int:
    """The state's 64-bit fingerprint (an int in [0, 2**64))."""
    return _digest(_pack(state))


def _ext_hook(code: int, data: bytes) -> Any:
    if code == _BIGINT:
        return int(data)
    raise ValueError(f"a compact state holds extension {code}, which has no plain decoding")


def unpack_state(packed: bytes) -> State:
    """A state back from its MessagePack encoding (`Model.plain_states`:
    tuples, ints, strings, bools and None come back equal and of the same
    types)."""
    return msgpack.unpackb(packed, use_list=False, raw=False, ext_hook=_ext_hook)


def collision_probability(distinct: int, generated: int) -> float:
    """TLC's optimistic estimate of the chance that two distinct states
    shared a fingerprint during a search: each of the ``generated -
    distinct`` lookups that found a fingerprint could have matched one of
    at most ``distinct`` others by chance."""
    return distinct * max(generated - distinct, 0) / 2.0 ** BITS
