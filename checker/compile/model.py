"""The Model a compiled spec presents to the engine."""

from __future__ import annotations

import re
from collections import Counter
from types import CodeType
from typing import Any, Iterator

from checker.compile.module import Generated, generated_filename
from checker.compile.reads import state_slots
from checker.compile.runtime import AssertFail, EvalError, StepFailures
from checker.compile.steps import LiveSpec
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec
from checker.dsl.temporal import step_fairness
from checker.errors import ModelError, Span
from checker.faults import StepView
from checker.model import (
    Action,
    Expectation,
    Fairness,
    Invariant,
    LivenessProperty,
    Model,
    State,
    StepAssertionError,
    StepInfo,
    StepKind,
    StepProperty,
    ValidationView,
    Verdict,
)
from checker.network import network_of
from checker.options import LoadOptions
from checker.values import NONE, Names, canonical

#: a message that starts with its place in the spec (file:line:col: ...)
_PLACED = re.compile(r"(.+?):(\d+):(\d+): (.*)", re.S)


class CompiledModel(Model):
    """A spec compiled to Python functions (see `checker.compile.module`)."""

    names: Names
    plain_states = True  # model values are ints, strs and tuples (checker.values)

    def __init__(self, r: ResolvedSpec, gen: Generated, options: LoadOptions):
        ns = gen.namespace
        self.resolved = r
        self.generated = gen
        self._filename = generated_filename(r)
        self.layout = gen.layout
        self.options = options
        self.name = r.spec.name
        self.names = r.names
        self.network = network_of(r.network)
        self.action_kinds = gen.actions
        self.action_names = [a.name for a in gen.actions]
        self.assertion_names = list(r.assertions)
        self.invariants = [
            Invariant(inv.name, ns[f"inv_{k}"], ns[f"explain_{k}"],
                      state_slots(r, gen.layout, inv.cond) if _costly(ns[f"inv_{k}"]) else None)
            for k, inv in enumerate(r.invariants)
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
        self.check_deadlock = not any(isinstance(t.cond, A.BoolLit) and t.cond.value for t in r.terminals)
        self._view_slots = self._layout()
        self._view = StepView(self.names, self.node_name, self._msg)
        self.liveness = self._liveness(gen.liveness, ns)
        self.step_properties = [StepProperty(sp.name, ns[sp.check_fn], ns[sp.explain_fn])
                                for sp in gen.step_properties]
        self._fairness = [step_fairness(a) for a in gen.actions]
        self._validation: ValidationView | None = None

    # -- the engine interface ---------------------------------------------
    def initial_states(self) -> list[State]:
        try:
            return self._initial()
        except AssertFail as exc:
            raise ModelError(f"assertion '{exc.prop}' fails in the initial state") from None
        except ModelError as exc:
            described = self.describe_error(exc)
            raise ModelError(f"while computing the initial states: {described.message}", described.span,
                             described.source) from None

    def successors(self, state: State) -> Iterator[tuple[Action, State]]:
        try:
            return self._successors(state)
        except StepFailures as exc:
            errors = [StepAssertionError(f.prop, f.action or (0,), f"assertion {f.prop} failed", f.values,
                                         successors=exc.successors) for f in exc.failures]
            errors[0].also = errors[1:]
            raise errors[0] from None

    def describe_error(self, exc: ModelError) -> ModelError:
        """The place in the spec of the innermost generated line the error
        passed through, and its values as the spec writes them."""
        if exc.span is not None:
            return exc
        message = exc.shown(self.names.show) if isinstance(exc, EvalError) else exc.message
        placed = _PLACED.fullmatch(message)
        if placed is not None and placed.group(1) == self.resolved.spec.file:  # the place is in the message
            line, col = int(placed.group(2)), int(placed.group(3))
            return ModelError(placed.group(4), Span(placed.group(1), line, col, line, col + 1),
                              self.resolved.spec.source)
        span = None
        tb = exc.__traceback__
        while tb is not None:  # the innermost generated line with a known place
            if tb.tb_frame.f_code.co_filename == self._filename:
                span = self.generated.spans.get(tb.tb_lineno - 1, span)
            tb = tb.tb_next
        return ModelError(message, span, self.resolved.spec.source)

    def is_terminal(self, state: State) -> bool:
        return self._terminal(state)

    def fairness_class(self, action: Action) -> Any:
        """Deliveries: (handler, node, message); a role's actions and timers:
        (action, node); global actions: (action,); with ``per p``, the
        values of those parameters too; unfair steps and faults: none."""
        entry = self.action_kinds[action[0]]
        if entry.fault is not None:
            return entry.fault.fairness_class(action)
        fairness, per = self._fairness[action[0]]
        if fairness is Fairness.UNFAIR:
            return None
        kind = entry.kind
        if kind is StepKind.DELIVER:
            return action
        if kind in (StepKind.ACTION, StepKind.TIMER):
            return action[:2] + tuple(action[2 + k] for k in per) if per else action[:2]
        if kind is StepKind.GLOBAL:
            return action[:1] + tuple(action[1 + k] for k in per) if per else action[:1]
        return None

    def class_fairness(self, cls: Any) -> Fairness:
        """As declared on the handler, action or timer (`checker.dsl.temporal`)."""
        return self._fairness[cls[0]][0]

    def validation_view(self) -> ValidationView:
        if self._validation is None:
            from checker.compile.validation import CompiledView

            self._validation = CompiledView(self)
        return self._validation

    # -- display -------------------------------------------------------------
    def _layout(self) -> list[tuple[str, int]]:
        r, layout = self.resolved, self.layout
        slots: list[tuple[str, int]] = []
        for role in r.roles.values():
            for i in range(role.count):
                for name in role.vars:
                    slots.append((f"{role.node_name(i)}.{name}", layout.node_slot(role, name, i)))
        for name, slot in layout.globals.items():
            slots.append((name, slot))
        slots.append(("network" if self.network.consumes else "sent", layout.net))
        if layout.sent is not None:
            slots.append(("sent", layout.sent))
        for key, slot in layout.counters.items():
            slots.append((f"faults.{key}", slot))
        if layout.crashed is not None:
            slots.append(("crashed", layout.crashed))
        if layout.partition is not None:
            slots.append(("partition", layout.partition))
        return slots

    def _liveness(self, specs: list[LiveSpec], ns: dict[str, Any]) -> list[LivenessProperty]:
        """One `LivenessProperty` per property and binding of its parameters
        (the bindings are evaluated on an initial state)."""
        out: list[LivenessProperty] = []
        try:
            first = self.initial_states() if specs else []
        except ModelError:  # the search meets it again and makes it its verdict
            first = []
        for spec in specs:
            p, q = ns[spec.p_fn], ns[spec.q_fn] if spec.q_fn else None
            for b in ns[spec.bind_fn](first[0]) if first else [()]:
                shown = {name: self.names.show(v) for name, v in zip(spec.params, b)} or None
                out.append(LivenessProperty(spec.name, spec.kind, _bind(p, b), _bind(q, b) if q else None, shown))
        return out

    def state_view(self, state: State) -> dict[str, Any]:
        view = {name: state[slot] for name, slot in self._view_slots}
        if self.network.consumes:
            view["network"] = self.network.display(state[self.layout.net])
        return view

    def node_name(self, node: str | None) -> str:
        return "env" if node is None or node == NONE else self.names.show(node)

    def format_action(self, action: Action) -> str:
        kind = self.action_kinds[action[0]]
        show = self.names.show
        if kind.fault is not None:
            return kind.fault.describe(action, self._view)
        if kind.kind is StepKind.DELIVER:
            node, m = action[1], action[2]
            return f"{self.node_name(node)} handles {self.names.show_payload(m)} from {self.node_name(m[1])}"
        if kind.kind in (StepKind.ACTION, StepKind.TIMER):
            args = ", ".join(f"{p}={show(v)}" for p, v in zip(kind.params, action[2:]))
            what = "timeout" if kind.kind is StepKind.TIMER else "action"
            return f"{self.node_name(action[1])} {what} {kind.decl.name}({args})"
        args = ", ".join(f"{p}={show(v)}" for p, v in zip(kind.params, action[1:]))
        return f"{kind.decl.name}({args})"

    def _msg(self, m: tuple) -> dict[str, Any]:
        return {"src": self.node_name(m[1]), "dst": "*" if m[2] == NONE else self.node_name(m[2]),
                "text": self.names.show_payload(m)}

    def initial_sends(self, state: State) -> tuple[dict[str, Any], ...]:
        return tuple(self._msg(m) for m in self.in_flight(state))

    def step_info(self, action: Action, before: State, after: State) -> StepInfo:
        kind = self.action_kinds[action[0]]
        label = self.format_action(action)
        delivered = action[2] if kind.kind is StepKind.DELIVER else None
        # what the step sent: the messages in flight after it that were not before
        was = Counter(self.in_flight(before))
        if delivered is not None and self.network.consumes:
            was[delivered] -= 1
        # (canonical: fields of one message kind may hold values of several types, an int and none)
        sends = tuple(self._msg(m) for m in canonical((Counter(self.in_flight(after)) - was).elements()))
        if kind.fault is not None:
            return kind.fault.step_info(action, self._view, label, sends)
        if delivered is not None:
            return StepInfo(StepKind.DELIVER, label, self.node_name(action[1]), self._msg(delivered), sends)
        if kind.kind in (StepKind.ACTION, StepKind.TIMER):
            return StepInfo(kind.kind, label, self.node_name(action[1]), None, sends)
        return StepInfo(StepKind.GLOBAL, label, None, None, sends)

    def in_flight(self, state: State) -> tuple:
        """The messages in the network of ``state``, copies repeated."""
        return self.network.in_flight(state[self.layout.net])


def _bind(fn: Any, args: tuple) -> Any:
    if not args:
        return fn
    return lambda s: fn(s, *args)


def _costly(fn: Any) -> bool:
    """Whether a generated predicate loops or calls a helper: then it is
    worth not evaluating where the slots it reads did not change (a test
    of a few slots costs as much as comparing them with the parent's)."""
    code = fn.__code__
    return any(isinstance(c, CodeType) for c in code.co_consts) \
        or any(n.startswith(("v_def_", "_rt")) for n in code.co_names)
