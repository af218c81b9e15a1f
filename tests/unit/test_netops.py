"""TLA+-style network statements (keep, resend, discard) and count()."""

from __future__ import annotations

import pytest

from checker.compile import load_text
from checker.dsl.parser import parse
from checker.dsl.pretty import pretty
from checker.errors import SpecError
from checker.explore.search import explore

BAG = """
spec Bag
network unordered
role P[2] {
  var n = 0
  init { send Ping() to P[1 - index(self)] }
  on Ping() from q when n < 2 { n = n + 1; keep }
}
action Dup(m in set(network)) { resend m }
action Drop(m in set(network)) { discard m }
constraint forall m in network: count(network, m) <= 2
terminal true
"""


def test_keep_resend_discard_and_count():
    model = load_text(BAG, "bag.dsl")
    result = explore(model)
    assert result.complete
    # each node counts 0..2 handled pings; each of the 2 pings has 0..2 copies
    assert result.stats.distinct == 3 * 3 * 3 * 3
    assert result.coverage["Dup"] > 0 and result.coverage["Drop"] > 0


def test_keep_leaves_the_message_in_a_fifo_channel_at_its_head():
    text = BAG.replace("network unordered", "network fifo").replace("resend m", "skip").replace(
        "action Drop(m in set(network)) { discard m }", "")
    result = explore(load_text(text, "fifo.dsl"))
    assert result.complete and result.stats.distinct == 9


def test_pretty_round_trip():
    spec = parse(BAG, "bag.dsl")
    again = parse(pretty(spec), "bag.dsl")
    assert pretty(again) == pretty(spec)
    assert "keep" in pretty(spec) and "resend m" in pretty(spec) and "discard m" in pretty(spec)


@pytest.mark.parametrize("old,new,message", [
    ("action Dup(m in set(network)) { resend m }", "action Dup(m in set(network)) { keep }",
     "'keep' leaves the handled message in the network; it is only possible inside a message handler"),
    ("resend m", "resend 3", "'resend' needs a message, but this is an int"),
    ("count(network, m) <= 2", "count(3, m) <= 2", r"count\(\) needs a bag, sequence, set or map"),
])
def test_static_errors(old, new, message):
    with pytest.raises(SpecError, match=message):
        load_text(BAG.replace(old, new), "bad.dsl")


def test_discarding_an_absent_message_is_a_model_error():
    text = BAG.replace("discard m", "discard m; discard m")
    result = explore(load_text(text, "bad.dsl"))  # an evaluation error: the verdict, with the place
    assert result.verdicts["evaluation error"] == "violated"
    assert result.error.startswith("bad.dsl:") and "discard: the message is not in the network" in result.error
