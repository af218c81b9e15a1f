"""What the tests share: paths, small helpers, the ``slow`` marker, and the
hypothesis profiles of the differential tests.

``pytest`` runs the quick tests (a minute or two); ``pytest --slow`` runs
every test, as CI and the README's set-up command do. The differential
test (tests/differential) runs under the ``checker`` hypothesis profile (a
fixed seed and a few hundred examples) unless ``--hypothesis-profile=long``
asks for thousands of fresh ones; ``--mixed-types`` adds its specs where
values of different types meet (the engine still disagrees with the
reference there: see tests/differential/mixed.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
MODELS = ROOT / "models"

# Registered here, before the hypothesis plugin reads --hypothesis-profile.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
# No shrinking by default: each example runs two model checkers, so shrinking
# a failure takes minutes; the failing spec is printed whole anyway.
settings.register_profile("checker", max_examples=300, derandomize=True, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.register_profile("long", max_examples=5000, derandomize=False, deadline=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.load_profile("checker")


def src(*lines: str) -> str:
    """Spec source text; the first argument is line 1."""
    return "\n".join(lines) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI does)")
    parser.addoption("--mixed-types", action="store_true",
                     help="also run the differential tests where values of different types meet")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds; runs only with --slow")
    config.addinivalue_line("markers", "mixed_types: differential tests of values of different types; "
                                       "runs only with --mixed-types")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker, option in (("slow", "--slow"), ("mixed_types", "--mixed-types")):
        if config.getoption(option):
            continue
        off = [item for item in items if item.get_closest_marker(marker)]
        if off:
            config.hook.pytest_deselected(items=off)
            items[:] = [item for item in items if not item.get_closest_marker(marker)]
