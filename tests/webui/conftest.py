"""The explorer's browser tests share the render tests' Chromium fixture
(one headless Chromium per test module)."""

from tests.render.test_browser import browser  # noqa: F401 (a fixture, used by name)
