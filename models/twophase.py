"""Two-phase commit, exactly TLA+'s TwoPhase.tla, written against `Model`.

Source: tlaplus/Examples, specifications/transaction_commit/TwoPhase.tla.
A transaction manager TM and ``RM`` resource managers. The variables are
TLA+'s:

- ``rmState[rm]`` in {"working", "prepared", "committed", "aborted"},
  shown as ``RM[i].state``;
- ``tmState`` in {"init", "committed", "aborted"}, shown as ``TM[0].state``;
- ``tmPrepared``, the set of RMs the TM heard "Prepared" from, shown as
  ``TM[0].prepared``;
- ``msgs``, the set of every message ever sent. Receiving does not remove
  a message, so a receive step is enabled as long as the message exists,
  even when it changes nothing (so TwoPhase never deadlocks in TLC's sense).

The steps are TPNext's disjuncts, in that order per state: TMCommit,
TMAbort, then for each rm: TMRcvPrepared(rm), RMPrepare(rm),
RMChooseToAbort(rm), RMRcvCommitMsg(rm), RMRcvAbortMsg(rm).

Messages are records of message shapes Prepared(src=rm, dst=TM),
Commit(src=TM, dst=none) and Abort(src=TM, dst=none): one copy of each
broadcast, like TLA+'s ``[type |-> "Commit"]``.

The state is a flat tuple ``(rmState[0], ..., rmState[RM-1], tmState,
tmPrepared, msgs)``. Set values are interned per model so that states
share them (memory per distinct state stays small).

TLC's distinct-state counts: RM=3 -> 288, RM=5 -> 8,832, RM=7 -> 296,448.
Invariant TCConsistent (no RM committed while another aborted) holds.
"""

from __future__ import annotations

from typing import Any, Iterator

from checker.model import Action, Expectation, Invariant, Model, State, StepInfo, StepKind, Verdict
from checker.values import EMPTY_SET, NONE, SET, Names, Shape, canonical, is_record, is_set, shape_tag, string

ACTIONS = [
    "TMRcvPrepared",
    "TMCommit",
    "TMAbort",
    "RMPrepare",
    "RMChooseToAbort",
    "RMRcvCommitMsg",
    "RMRcvAbortMsg",
]
RCV_PREPARED, TM_COMMIT, TM_ABORT, RM_PREPARE, RM_ABORT, RCV_COMMIT, RCV_ABORT = range(7)


class TwoPhase(Model):
    """TwoPhase.tla with ``n_rm`` resource managers."""

    def __init__(self, n_rm: int = 3):
        if n_rm < 1:
            raise ValueError("RM must be at least 1")
        self.n_rm = n = n_rm
        self.name = f"TwoPhase(RM={n})"
        self.action_names = list(ACTIONS)
        self.names = names = Names()
        self.tm = names.node("TM[0]")
        self.rms = [names.node(f"RM[{i}]") for i in range(n)]
        self.WORKING = string("working")
        self.PREPARED = string("prepared")
        self.COMMITTED = string("committed")
        self.ABORTED = string("aborted")
        self.INIT = string("init")
        sh_prep = names.shape(Shape("Prepared", ("src", "dst"), True))
        sh_commit = names.shape(Shape("Commit", ("src", "dst"), True))
        sh_abort = names.shape(Shape("Abort", ("src", "dst"), True))
        self.prepared_msg = [(shape_tag(sh_prep), rm, self.tm) for rm in self.rms]
        self.commit_msg = (shape_tag(sh_commit), self.tm, NONE)
        self.abort_msg = (shape_tag(sh_abort), self.tm, NONE)
        self.all_rms = (SET, *self.rms)
        # Interned set values: equal sets are one shared object.
        self._sets: dict[tuple, tuple] = {}
        self._add: dict[tuple[tuple, Any], tuple] = {}
        self.invariants = [Invariant("TCConsistent", self._consistent, self._explain)]
        self.expectations = [Expectation("TCConsistent", Verdict.HOLDS), Expectation("deadlock", Verdict.HOLDS)]
        # Prebuilt action tuples: no allocation per step.
        self._acts = [[(k, i) for i in range(n)] for k in range(7)]

    # -- helpers ----------------------------------------------------------
    def _with(self, s: tuple, item: Any) -> tuple:
        """``s \\cup {item}``, interned and memoised."""
        key = (s, item)
        r = self._add.get(key)
        if r is None:
            r = (SET, *canonical(set(s[1:]) | {item}))
            r = self._sets.setdefault(r, r)
            self._add[key] = r
        return r

    # -- Model interface -------------------------------------------------
    def initial_states(self) -> list[State]:
        empty = self._sets.setdefault(EMPTY_SET, EMPTY_SET)
        return [(self.WORKING,) * self.n_rm + (self.INIT, empty, empty)]

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        n = self.n_rm
        tm_state, prepared, msgs = state[n], state[n + 1], state[n + 2]
        init = tm_state == self.INIT
        acts = self._acts
        if init:
            if prepared == self.all_rms:  # TMCommit
                yield (TM_COMMIT,), state[:n] + (self.COMMITTED, prepared, self._with(msgs, self.commit_msg))
            yield (TM_ABORT,), state[:n] + (self.ABORTED, prepared, self._with(msgs, self.abort_msg))
        has_commit = self.commit_msg in msgs
        has_abort = self.abort_msg in msgs
        WORKING = self.WORKING
        for i in range(n):
            if init and self.prepared_msg[i] in msgs:  # TMRcvPrepared(rm)
                rm = self.rms[i]
                new = prepared if rm in prepared else self._with(prepared, rm)
                yield acts[RCV_PREPARED][i], state[: n + 1] + (new, msgs)
            if state[i] == WORKING:
                t = list(state)  # RMPrepare(rm)
                t[i] = self.PREPARED
                t[n + 2] = self._with(msgs, self.prepared_msg[i])
                yield acts[RM_PREPARE][i], tuple(t)
                t = list(state)  # RMChooseToAbort(rm)
                t[i] = self.ABORTED
                yield acts[RM_ABORT][i], tuple(t)
            if has_commit:
                t = list(state)
                t[i] = self.COMMITTED
                yield acts[RCV_COMMIT][i], tuple(t)
            if has_abort:
                t = list(state)
                t[i] = self.ABORTED
                yield acts[RCV_ABORT][i], tuple(t)

    def _consistent(self, state: State) -> bool:
        rms = state[: self.n_rm]
        return not (self.ABORTED in rms and self.COMMITTED in rms)

    def _explain(self, state: State) -> dict[str, str]:
        out: dict[str, str] = {}
        rms = state[: self.n_rm]
        for want in (self.COMMITTED, self.ABORTED):
            if want in rms:
                out[f"RM[{rms.index(want)}].state"] = self.names.show(want)
        return out

    def format_action(self, action: Action) -> str:
        kind = ACTIONS[action[0]]
        if len(action) == 1:
            return kind
        return f"{kind}(RM[{action[1]}])"

    def step_info(self, action: Action, before: State, after: State) -> StepInfo:
        kind = action[0]
        label = self.format_action(action)
        names = self.names
        if kind in (TM_COMMIT, TM_ABORT):
            m = self.commit_msg if kind == TM_COMMIT else self.abort_msg
            return StepInfo(StepKind.ACTION, label, "TM[0]", None, (_msg_dict(names, m),))
        i = action[1]
        if kind == RM_PREPARE:
            return StepInfo(StepKind.ACTION, label, f"RM[{i}]", None, (_msg_dict(names, self.prepared_msg[i]),))
        if kind == RM_ABORT:
            return StepInfo(StepKind.ACTION, label, f"RM[{i}]")
        if kind == RCV_PREPARED:
            return StepInfo(StepKind.DELIVER, label, "TM[0]", _msg_dict(names, self.prepared_msg[i]))
        m = self.commit_msg if kind == RCV_COMMIT else self.abort_msg
        # A broadcast: this step is RM i receiving it.
        msg = dict(_msg_dict(names, m), dst=f"RM[{i}]")
        return StepInfo(StepKind.DELIVER, label, f"RM[{i}]", msg)

    def state_view(self, state: State) -> dict[str, Any]:
        n = self.n_rm
        view: dict[str, Any] = {f"RM[{i}].state": state[i] for i in range(n)}
        view["TM[0].state"] = state[n]
        view["TM[0].prepared"] = state[n + 1]
        view["msgs"] = state[n + 2]
        return view

    def show_value(self, value: Any) -> str:
        if is_set(value) and len(value) > 1 and is_record(value[1]):
            return "{" + ", ".join(self.names.show_message(m) for m in value[1:]) + "}"
        return self.names.show(value)


def _msg_dict(names: Names, m: tuple) -> dict[str, Any]:
    return {
        "src": names.show(m[1]),
        "dst": "*" if m[2] == NONE else names.show(m[2]),
        "text": names.show_payload(m),
    }


def build_model(RM: int = 3) -> TwoPhase:
    """TwoPhase.tla with ``RM`` resource managers."""
    return TwoPhase(RM)
