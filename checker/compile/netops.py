"""Network steps a spec writes itself, TLA+ style (`A.NetOp`), and `count`.

raft.tla keeps its messages in a bag and manipulates it directly: a
handler may leave the message it looked at in the bag (``UNCHANGED
messages``), and the environment's DuplicateMessage/DropMessage add or
remove one copy of any message, with no budget (a state constraint bounds
the space instead). These helpers give the generated code those steps for
each kind of network:

- unordered: a `VBag`; set: a `VSet` (TLA+'s ``msgs``); fifo: a `VMap` from
  (src, dst) to a queue (tuple).
"""

from __future__ import annotations

from typing import Any

from checker.compile.runtime import ModelError
from checker.values import VBag, VMap, VRec, VSet


def message(v: Any) -> VRec:
    """``v`` itself, after checking that it is a message."""
    if isinstance(v, VRec) and len(v) >= 3:
        return v
    raise ModelError("resend/discard need a message (e.g. an element of network)")


def keep(kind: str, net: Any, m: VRec) -> Any:
    """``net`` (the network without the handled message) with ``m`` back:
    the message stays in flight; in a FIFO channel it stays at the head."""
    if kind == "unordered":
        return VBag(sorted(net + (m,)))
    if kind == "set":
        return net  # a set network never removes a received message
    chans = dict(net)
    key = (m[1], m[2])
    chans[key] = (m,) + chans.get(key, ())
    return VMap(sorted(chans.items()))


def discard(kind: str, net: Any, m: Any) -> Any:
    """``net`` with one copy of ``m`` removed (TLA+'s WithoutMessage)."""
    m = message(m)
    if kind == "fifo":
        key = (m[1], m[2])
        chans = dict(net)
        q = chans.get(key, ())
        if m not in q:
            raise ModelError("discard: the message is not in the network")
        k = q.index(m)
        q = q[:k] + q[k + 1:]
        if q:
            chans[key] = q
        else:
            del chans[key]
        return VMap(sorted(chans.items()))
    if m not in net:
        raise ModelError("discard: the message is not in the network")
    k = net.index(m)
    rest = net[:k] + net[k + 1:]
    return VSet(rest) if kind == "set" else VBag(rest)


def count(c: Any, x: Any) -> int:
    """How many times ``x`` occurs in a bag or sequence (0 or 1 in a set;
    for a map: whether ``x`` is a key)."""
    if isinstance(c, VMap):
        return int(any(k == x for k, _ in c))
    if isinstance(c, tuple):
        return c.count(x)
    raise ModelError("count() needs a bag, sequence, set or map")


NAMESPACE = {"_net_message": message, "_net_keep": keep, "_net_discard": discard, "_count": count}
