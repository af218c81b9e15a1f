"""A resolved spec -> one generated Python module, and its namespace.

Generated once per (spec, options), then exec'd: exploration calls plain
Python functions, never an interpreter walking the AST. Besides the step
and predicate functions (`checker.compile.steps`) the module holds
``successors(s)``: every enabled step of a state, in a fixed order —
deliveries in network order, then actions by role and node, then global
actions, then faults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from checker.compile import runtime as rt
from checker.compile.context import ActionKind, Code
from checker.compile.exprs import ExprCompiler
from checker.compile.faults import FaultPlan
from checker.compile.functions import NAMESPACE as FUNCTIONS_NAMESPACE
from checker.compile.layout import StateLayout, lay_out
from checker.compile.steps import LiveSpec, StepCompiler
from checker.compile.successors import Call, Handler, SuccessorsCompiler
from checker.compile.temporal import StepSpec, step_properties
from checker.dsl.resolve import ResolvedSpec
from checker.errors import Span
from checker.model import StepKind
from checker.network import NAMESPACE as NETWORK_NAMESPACE
from checker.network import network_of
from checker.values import BOOLS, EMPTY_BAG, EMPTY_MAP, EMPTY_SET, NONE, TRUE


@dataclass
class Generated:
    """The generated module of a spec, before and after it is exec'd."""

    source: str
    namespace: dict[str, Any]
    layout: StateLayout
    actions: list[ActionKind] = field(default_factory=list)
    liveness: list[LiveSpec] = field(default_factory=list)
    step_properties: list[StepSpec] = field(default_factory=list)
    #: called with the namespace once the source is exec'd
    bind: Callable[[dict[str, Any]], None] = lambda ns: None
    #: generated line (0-based) -> the place in the spec it was compiled from
    spans: dict[int, Span] = field(default_factory=dict)


def generated_filename(r: ResolvedSpec) -> str:
    """The file name the generated module is compiled under (tracebacks
    through it are mapped back to the spec: `Generated.spans`)."""
    return f"<checker:{r.spec.name}>"


class ModuleCompiler:
    """Builds the generated module of one resolved spec."""

    def __init__(self, r: ResolvedSpec):
        self.r = r
        self.layout = lay_out(r)
        self.network = network_of(r.network)
        self.code = Code()
        self.ex = ExprCompiler(r, self.layout)
        self.steps = StepCompiler(r, self.ex, self.code)
        self.actions: list[ActionKind] = []

    def _action(self, a: ActionKind) -> int:
        self.actions.append(a)
        return len(self.actions) - 1

    def generate(self) -> Generated:
        r, steps = self.r, self.steps
        self._helpers()
        handlers: list[Handler] = []
        for role in r.roles.values():
            for h in role.handlers.values():
                idx = self._action(ActionKind(f"{role.name}.on {h.message}", StepKind.DELIVER, role, h))
                steps.handler(f"h_{idx}", role, h)  # validation runs it (checker.compile.validation)
                handlers.append((idx, f"h_{idx}", role, h))
        calls: list[Call] = []
        for role in r.roles.values():
            for a in role.actions:
                kind = StepKind.TIMER if a.kind == "timeout" else StepKind.ACTION
                idx = self._action(ActionKind(f"{role.name}.{a.name}", kind, role, a, tuple(p.name for p in a.params)))
                calls.append((idx, f"a_{idx}", role, a))
        for a in r.actions:
            idx = self._action(ActionKind(a.name, StepKind.GLOBAL, None, a, tuple(p.name for p in a.params)))
            calls.append((idx, f"a_{idx}", None, a))
        for _, fn, owner, a in calls:
            steps.action(fn, owner, a)
        faults = FaultPlan(r, self.layout, self.network, steps, self._action)
        faults.kinds_of(self.actions)
        self._finish(faults)
        successors = SuccessorsCompiler(r, steps, self.network, self.code)
        successors.generate(handlers, calls, faults)
        steps.initial(self.ex.const_ref(self.network.empty()))
        steps.predicates()
        live = steps.liveness()
        step_props = step_properties(steps)
        for fn in self.ex.functions:  # called by the code above: defined before it runs
            self.code.line(*fn.rstrip("\n").split("\n"))
        ns = self._namespace()
        ns.update(faults.namespace())
        ns.update(successors.namespace)
        return Generated(self.code.text(), ns, self.layout, self.actions, live, step_props, faults.bind,
                         dict(self.code.spans))

    # ---- fixed helpers ----------------------------------------------------
    def _helpers(self) -> None:
        code = self.code
        for role in self.r.roles.values():
            with code.block(f"def _node_{role.name}(i):"):
                with code.block(f"if type(i) is not int or not 0 <= i < {role.count}:"):
                    code.line(f"raise _ModelError(f'{role.name}[{{i}}] does not exist "
                              f"({role.name} has {role.count} node(s))')")
                code.line(f"return {role.nodes!r}[i]")
        with code.block("def _node_index(v):"):
            code.line("return _NODE_INDEX[v]")

    def _finish(self, faults: FaultPlan) -> None:
        """``_finish(st, out)``: the next state, with the step's sends."""
        code, layout = self.code, self.layout
        with code.block("def _finish(st, out):"):
            with code.block("if out:"):
                code.line(f"st[{layout.net}] = {self.network.gen_add(f'st[{layout.net}]', 'out')}")
                if layout.sent is not None:
                    code.line(f"st[{layout.sent}] = _rt_mkset(st[{layout.sent}][1:] + tuple(out))")
                faults.finish(code)
            code.line("return tuple(st)")

    def _namespace(self) -> dict[str, Any]:
        r = self.r
        ns: dict[str, Any] = dict(self.ex.namespace)
        shape_fields = [{f: i + 1 for i, f in enumerate(s.fields)} for s in r.names.shapes]
        node_var_slots: dict[str, dict[int, int]] = {}
        for role in r.roles.values():
            for name in role.vars:
                for i in range(role.count):
                    node_var_slots.setdefault(name, {})[role.first + i] = self.layout.node_slot(role, name, i)
        ns.update(NETWORK_NAMESPACE)
        ns.update(rt.NAMESPACE)
        ns.update(FUNCTIONS_NAMESPACE)
        ns.update({
            "_rt": rt.Runtime(shape_fields, node_var_slots, len(r.node_roles), r.names.show),
            "_NONE": NONE, "_TRUE": TRUE, "_B": BOOLS,
            "_EMPTY_SET": EMPTY_SET, "_EMPTY_MAP": EMPTY_MAP, "_EMPTY_BAG": EMPTY_BAG,
            "_AssertFail": rt.AssertFail, "_ModelError": rt.ModelError, "_StepFailures": rt.StepFailures,
            "_BranchFailures": rt.BranchFailures,
            "_NODE_INDEX": {n: i for role in r.roles.values() for i, n in enumerate(role.nodes)},
            "_show": r.names.show, "_NET": self.network, "_MISS": rt.MISS,
        })
        return ns
