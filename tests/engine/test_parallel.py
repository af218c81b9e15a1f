"""The partitioned search on toy models: the same outcome as one process,
including a step assertion raised part-way through a state's steps, a
deadlock, symmetry and the state bound; a model without a recipe is
refused with a clear message."""

from __future__ import annotations

import pytest

from checker.explore.search import explore
from checker.loader import FactoryRecipe
from checker.options import OptionError, SearchOptions
from tests.engine import toys
from tests.golden.test_scale_modes import outcome


def graph() -> toys.Graph:
    """Two branches from 0; node 5 has no step (a deadlock), 9 is terminal."""
    edges = {0: [(0, 1), (0, 2)], 1: [(0, 3), (1, 1)], 2: [(0, 3), (0, 4)], 3: [(0, 5), (0, 9)], 4: [(0, 9)]}
    return toys.Graph(edges, [0], terminal={9})


def bits() -> toys.Bits:
    return toys.Bits(6, symmetric=True)


def wide_counter() -> toys.Counter:
    return toys.Counter(60, steps=(1, 2, 3))


def asserting() -> toys.Asserting:
    return toys.Asserting(bad=3, bound=8)


@pytest.mark.parametrize("factory,bounds", [(graph, {}), (bits, {}), (wide_counter, {}), (asserting, {}),
                                            (wide_counter, {"max_states": 30}), (wide_counter, {"max_depth": 7})],
                         ids=["graph", "symmetric-bits", "counter", "assertion", "max-states", "max-depth"])
def test_two_workers_give_the_outcome_of_one(factory, bounds):
    model = factory()
    model.recipe = FactoryRecipe.of(factory)
    one = explore(model, SearchOptions(**bounds))
    two = explore(model, SearchOptions(workers=2, parallel_threshold=0, **bounds))
    assert outcome(two) == outcome(one)
    assert two.stats.workers == 2


def test_a_model_without_a_recipe_cannot_spread():
    with pytest.raises(OptionError, match="needs a model that worker processes can rebuild"):
        explore(toys.Counter(5), SearchOptions(workers=2))
    assert explore(toys.Counter(5), SearchOptions(workers=1)).stats.distinct == 6
