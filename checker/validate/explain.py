"""Why no behaviour matches an event: the report of a rejected log.

Every candidate state (and, when the mapping has silent steps, the states
a few silent steps away from it) is tried against the event and scored by
how close it came: a candidate whose step ran but disagreed on a few
values beats one where the step did not even apply. The closest ones are
reported first, each with what disagreed: the message the log names is
not in flight (and what is), a field, parameter or observed variable
differs (model vs log, the first difference first), or the step's guard
is false (when the model can say, its false conjunct and the values it
reads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from checker.validate.match import show_model

#: candidates (with their silent successors) scored for an explanation.
MAX_SCORED = 2000


@dataclass
class CandidateReport:
    """What one candidate state says about the rejected event."""

    index: int  # 1-based, among the candidates when the event came
    node_state: dict[str, str]  # the acting node's variables, shown
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (step name, what disagreed)
    silent: list[str] = field(default_factory=list)  # silent steps taken first (shown)
    closest: bool = False  # the closest of all candidates tried
    differences: int = 0  # values that differ, in the closest attempt (0: the step did not apply)


def explain(matcher, eb, view, candidates: list[tuple[tuple, tuple]], limit: int,
            silent: Callable[[tuple, tuple, int], list] | None = None) -> list[CandidateReport]:
    """Reports for the ``limit`` closest candidates (state, claims)."""
    tried: list[tuple[tuple, int, CandidateReport]] = []
    for k, (state, claims) in enumerate(candidates[:MAX_SCORED]):
        options: list[tuple[tuple, tuple, list]] = [(state, claims, [])]
        if silent is not None:
            options += silent(state, claims, max(1, MAX_SCORED // max(1, len(candidates))))
        for s, c, path in options:
            rep, score = _report(matcher, eb, view, s, c, k + 1)
            rep.silent = [matcher.model.format_action(a) for a in path]
            tried.append((score, len(tried), rep))
    tried.sort(key=lambda x: (x[0], x[1]))
    reports = [rep for _, _, rep in tried[:limit]]
    if reports and len(tried) > 1:
        reports[0].closest = True
    return reports


def _report(matcher, eb, view, state: tuple, claims: tuple, index: int) -> tuple[CandidateReport, tuple]:
    why: list = []
    matcher.match(eb, view, state, claims, why)
    rep = CandidateReport(index, _node_state(matcher.model, state, view.node))
    # When an attempt got as far as the step the event names, other
    # messages and parameters of that step are noise.
    close = {step for step, _, level, _ in why if level == 2}
    ranked = sorted(why, key=lambda w: (-w[2], w[3]))
    seen = set()
    for step, text, level, _ in ranked:
        if (step, text) not in seen and (level == 2 or step not in close):
            seen.add((step, text))
            rep.reasons.append((step, text))
    if not rep.reasons:
        rep.reasons.append(("", "no step of the mapped kinds matches (nothing more specific is known)"))
    best = ranked[0] if ranked else None
    rep.differences = best[3] if best is not None and best[2] == 2 else 0
    # closer: the step ran (level 2) with few differences; then level 1 with few
    score = (0, best[3]) if best is not None and best[2] == 2 else (1, best[3] if best is not None else 99)
    return rep, score


def _node_state(model, state: tuple, node: str | None) -> dict[str, str]:
    if node is None:
        return {}
    prefix = model.names.show(node) + "."
    return {k[len(prefix):]: show_model(model.names, v, 80) for k, v in model.state_view(state).items()
            if k.startswith(prefix)}


def first_difference(text: str) -> str:
    """The first difference of a mismatch text ("..., but a: model 1, log 2; ...")."""
    _, _, rest = text.partition(", but ")
    return (rest or text).split("; ")[0]


def describe(rep: CandidateReport) -> Any:
    """One line naming the closest candidate and its first difference."""
    if not rep.reasons or not rep.differences or rep.differences >= 99:
        return None
    how = f" after {len(rep.silent)} silent step(s)" if rep.silent else ""
    return (f"closest: candidate {rep.index}{how}, differing in {rep.differences} value(s); first: "
            f"{first_difference(rep.reasons[0][1])}")
