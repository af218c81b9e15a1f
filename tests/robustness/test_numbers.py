"""Issue 14: every number a user gives is bounded, and the error names the
limit and the place (the option, or file:line:col); ranges and powersets
the checker is asked to build are bounded too."""

from __future__ import annotations

import pytest

from tests.conftest import MODELS, src
from tests.robustness.tools import TICKET, cli, write

HUGE = "9" * 5000


@pytest.mark.parametrize("argv, message", [
    (["--const", f"Servers={HUGE}"], "--const Servers=999999999999...: the integer has 5000 digits; at most 18"),
    (["--const", f"Servers=-{HUGE}"], "--const Servers=-99999999999...: the integer has 5000 digits; at most 18"),
    (["--faults", f"partition={HUGE}"], "--faults partition=999999999999999999999...: the bound is far too large "
                                         "(at most 9 digits"),
    (["--faults", "loss=\u00b2"], "--faults loss=\u00b2: the bound must be a non-negative integer"),
    (["--max-depth", HUGE], "--max-depth 999999999999999999999...: at most 18 digits"),
    (["--max-states", "\u00b2"], "--max-states must be an integer, not '\u00b2'"),
    (["--time-limit", "nan"], "--time-limit must be > 0, not 'nan'"),
])
def test_an_option_out_of_bounds_names_the_option_and_the_limit(capsys, argv, message):
    code, _, err = cli(capsys, "run", TICKET, "--no-progress", *argv)
    assert code == 2 and message in err, err
    assert len(err) < 400  # the value is not echoed whole


def test_a_python_model_constant_is_bounded_too(capsys):
    code, _, err = cli(capsys, "run", str(MODELS / "ticket.py"), "--const", f"Servers={HUGE}", "--no-progress")
    assert code == 2 and "the integer has 5000 digits; at most 18" in err, err


def test_an_integer_literal_is_bounded_and_its_line_clipped(capsys, tmp_path):
    path = write(tmp_path, "big.dsl", src("spec Big", f"var x = {HUGE}"))
    code, _, err = cli(capsys, "run", path, "--no-progress")
    assert code == 2 and err.startswith(f"{path}:2:9: error: integer literal too large (5000 digits; at most 18)")
    assert max(len(line) for line in err.splitlines()[1:]) < 120


def test_a_constant_range_is_bounded(capsys, tmp_path):
    path = write(tmp_path, "range.dsl", src("spec R", "const S = 0..10000000000", "var x = 0"))
    code, _, err = cli(capsys, "run", path, "--no-progress")
    assert code == 2 and err.startswith(f"{path}:2:11: error: the range has 10000000001 elements; a constant "
                                        "range may have at most 1000000"), err
