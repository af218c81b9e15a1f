"""The Model a compiled spec presents to the engine."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from checker.compile import faultview
from checker.compile.codegen import Generated
from checker.compile.runtime import AssertFail, StepFailures
from checker.dsl.resolve import ResolvedSpec
from checker.errors import ModelError
from checker.options import LoadOptions
from checker.model import Action, Expectation, Invariant, Model, State, StepAssertionError, StepInfo, Verdict
from checker.values import NONE, VRec


class CompiledModel(Model):
    """A spec compiled to Python functions (see `checker.compile.codegen`)."""

    def __init__(self, r: ResolvedSpec, gen: Generated, ns: dict[str, Any], options: LoadOptions):
        self.resolved = r
        self.generated = gen
        self.options = options
        self.name = r.spec.name
        self.names = r.names
        self.action_kinds = gen.actions
        self.action_names = [a.name for a in gen.actions]
        self.assertion_names = list(gen.assertion_names)
        self.invariants = [
            Invariant(name, ns[f"inv_{k}"], ns[f"explain_{k}"]) for k, name in enumerate(gen.invariant_names)
        ]
        self.expectations = [
            Expectation(e.prop, Verdict.VIOLATED if e.verdict == "violation" else Verdict.HOLDS, str(e.span))
            for e in r.expects
        ]
        self.max_depth = r.max_depth
        self._successors = ns["successors"]
        self._initial = ns["initial"]
        self.constraint = ns["constraint"] if r.constraints else None
        self._terminal = ns["terminal"]
        self.check_deadlock = not any(_is_true(t.cond) for t in r.terminals)
        self._view_slots = self._layout()
        self.liveness = faultview.liveness_properties(self, gen, ns)

    # -- the engine interface ---------------------------------------------
    def initial_states(self) -> list[State]:
        try:
            return self._initial()
        except AssertFail as exc:
            raise ModelError(f"assertion '{exc.prop}' fails in the initial state") from None
        except ModelError as exc:
            raise ModelError(f"while computing the initial states: {exc.message}") from None

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        try:
            return self._successors(state)
        except StepFailures as exc:
            first = exc.failures[0]
            raise StepAssertionError(first.prop, first.action or (0,), f"assertion {first.prop} failed",
                                     first.values, successors=exc.successors) from None
        except ModelError as exc:
            raise ModelError(f"{exc.message} (in a step from a state reached by this spec)") from None

    def is_terminal(self, state: State) -> bool:
        return self._terminal(state)

    # -- display -------------------------------------------------------------
    def _layout(self) -> list[tuple[str, int]]:
        r = self.resolved
        slots: list[tuple[str, int]] = []
        for role in r.roles.values():
            for i in range(role.count):
                for v in role.vars.values():
                    slots.append((f"{role.node_name(i)}.{v.name}", v.slot + i))
        for v in r.global_vars.values():
            slots.append((v.name, v.slot))
        slots.append(("network" if r.network != "set" else "sent", r.net_slot))
        if r.sent_slot is not None:
            slots.append(("sent", r.sent_slot))
        for kind, slot in r.fault_slots.items():
            slots.append((f"faults.{kind}", slot))
        return slots + faultview.layout(self)

    def state_view(self, state: State) -> dict[str, Any]:
        view = {name: state[slot] for name, slot in self._view_slots}
        if self.resolved.network == "fifo":
            net = state[self.resolved.net_slot]
            view["network"] = tuple(m for _, q in net for m in q)
        return view

    def node_name(self, node: int | None) -> str:
        return "env" if node is None or node == NONE else self.names.show(node)

    def format_action(self, action: Action) -> str:
        kind = self.action_kinds[action[0]]
        show = self.names.show
        if kind.kind == "deliver":
            node, m = action[1], action[2]
            return f"{self.node_name(node)} handles {self.names.show_payload(m)} from {self.node_name(m[1])}"
        if kind.kind in ("action", "timer"):
            args = ", ".join(f"{p}={show(v)}" for p, v in zip(kind.params, action[2:]))
            what = "timeout" if kind.kind == "timer" else "action"
            return f"{self.node_name(action[1])} {what} {kind.decl.name}({args})"
        if kind.kind == "global":
            args = ", ".join(f"{p}={show(v)}" for p, v in zip(kind.params, action[1:]))
            return f"{kind.decl.name}({args})"
        if kind.kind in ("loss", "duplicate"):
            return f"{kind.kind}: {self.names.show_message(action[1])}"
        if faultview.is_fault_step(kind.kind):
            return faultview.format_fault(self, kind, action)
        return kind.name

    def fairness_class(self, action: Action) -> Any:
        return faultview.fairness_class(self, action)

    def _msg(self, m: VRec) -> dict[str, Any]:
        return {"src": self.node_name(m[1]), "dst": "*" if m[2] == NONE else self.node_name(m[2]),
                "text": self.names.show_payload(m)}

    def initial_sends(self, state: State) -> tuple[dict[str, Any], ...]:
        return tuple(self._msg(m) for m in self._in_flight(state))

    def step_info(self, action: Action, before: State, after: State) -> StepInfo:
        kind = self.action_kinds[action[0]]
        label = self.format_action(action)
        r = self.resolved
        delivered = action[2] if kind.kind == "deliver" else None
        sends: tuple[dict[str, Any], ...] = ()
        if kind.kind not in ("loss", "duplicate"):
            b = Counter(self._in_flight(before))
            a = Counter(self._in_flight(after))
            if delivered is not None and r.network != "set":
                b[delivered] -= 1
            new = a - b
            sends = tuple(self._msg(m) for m in sorted(new.elements()))
        if kind.kind == "deliver":
            return StepInfo("deliver", label, self.node_name(action[1]), self._msg(delivered), sends)
        if kind.kind in ("action", "timer"):
            return StepInfo(kind.kind, label, self.node_name(action[1]), None, sends)
        if kind.kind == "global":
            return StepInfo("global", label, None, None, sends)
        if faultview.is_fault_step(kind.kind):
            return faultview.fault_step_info(self, kind, action, label, sends)
        return StepInfo(kind.kind, label, None, self._msg(action[1]), ())

    def _in_flight(self, state: State) -> tuple:
        net = state[self.resolved.net_slot]
        if self.resolved.network == "fifo":
            return tuple(m for _, q in net for m in q)
        return net


def _is_true(e) -> bool:
    from checker.dsl import ast as A

    return isinstance(e, A.BoolLit) and e.value
