"""The network layer: each kind's generated fragments do exactly what its
runtime methods do, and the methods keep their promises."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from checker.network import NAMESPACE, NetworkKind, network_of
from checker.values import NONE, elements, node, shape_tag

KINDS = list(NetworkKind)


def message(shape: int, src: int, dst, *fields):
    return (shape_tag(shape), node(src), dst if dst == NONE else node(dst), *fields)


def messages(rng: random.Random, n: int) -> list[tuple]:
    """Messages between three nodes, with repeats, some to anyone."""
    out = []
    for _ in range(n):
        src, dst = rng.randrange(3), rng.choice([0, 1, 2, NONE])
        out.append(message(rng.randrange(2), src, dst, rng.randrange(3)))
    return out


def networks(kind: NetworkKind, count: int = 40):
    net = network_of(kind)
    rng = random.Random(7)
    for _ in range(count):
        value = net.empty()
        for _ in range(rng.randrange(3)):
            value = net.add(value, messages(rng, rng.randrange(5)))
        yield value


def run_fragment(kind: NetworkKind, value) -> list:
    """Execute the generated delivery loop on ``value``."""
    loop = network_of(kind).gen_deliveries("net", "m")
    body = "    " * (1 + loop.depth) + f"found.append((m, {loop.rest}))"
    source = "def f(net):\n    found = []\n" + "\n".join("    " + line for line in loop.lines) + "\n" + body
    source += "\n    return found\n"
    ns = dict(NAMESPACE)
    exec(source, ns)  # noqa: S102 - test of our own fragment
    return ns["f"](value)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_deliveries_are_the_runtime_deliveries(kind):
    net = network_of(kind)
    for value in networks(kind):
        assert run_fragment(kind, value) == list(net.deliveries(value))


@pytest.mark.parametrize("kind", KINDS)
def test_generated_add_and_value_are_the_runtime_ones(kind):
    net = network_of(kind)
    rng = random.Random(3)
    for value in networks(kind):
        out = messages(rng, rng.randrange(4))
        ns = dict(NAMESPACE, net=value, out=out)
        assert eval(net.gen_add("net", "out"), ns) == net.add(value, out)  # noqa: S307
        shown = elements(eval(net.gen_value("net"), ns))  # noqa: S307 - a bag or set value
        assert sorted(shown) == sorted(set(net.in_flight(value)) if not net.consumes else net.in_flight(value))


@pytest.mark.parametrize("kind", KINDS)
def test_delivery_then_restore_gives_the_network_back(kind):
    net = network_of(kind)
    for value in networks(kind):
        for m, rest in net.deliveries(value):
            assert net.restore(rest, m) == value
            if net.consumes:
                assert Counter(net.in_flight(rest)) + Counter([m]) == Counter(net.in_flight(value))
            else:
                assert rest == value


@pytest.mark.parametrize("kind", [NetworkKind.FIFO, NetworkKind.UNORDERED])
def test_losses_and_duplications_change_one_copy(kind):
    net = network_of(kind)
    for value in networks(kind):
        before = Counter(net.in_flight(value))
        for m, after in net.losses(value):
            assert Counter(net.in_flight(after)) + Counter([m]) == before
        for m, after in net.duplications(value):
            assert Counter(net.in_flight(after)) == before + Counter([m])


def test_only_the_head_of_a_fifo_queue_is_delivered():
    net = network_of(NetworkKind.FIFO)
    a, b = message(0, 0, 1, 1), message(0, 0, 1, 2)
    value = net.add(net.empty(), [a, b])
    assert [m for m, _ in net.deliveries(value)] == [a]
    assert [(m, over) for m, over, _ in net.overtakings(value)] == [(b, a)]


def test_discard_of_an_absent_message_is_a_model_error():
    from checker.errors import ModelError

    for kind in KINDS:
        net = network_of(kind)
        with pytest.raises(ModelError, match="not in the network"):
            net.discard(net.empty(), message(0, 0, 1, 1))
