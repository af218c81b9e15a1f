"""The generated ``successors(s)``: every enabled step of a state, in a
fixed order — deliveries in network order, then actions by role and node,
then global actions, then faults.

Steps are written into the one function, not called: a person writing
TwoPhase by hand loops over the nodes and tests each guard in place, and
a call per node and action (with its result list) cost a third of the
search. A step with an assertion or a ``choose`` stays a function of its
own (`checker.compile.steps`): its failures are collected per branch
(``_fails``) while the state's other steps go on.
"""

from __future__ import annotations

from checker.compile.context import Code
from checker.compile.faults import FaultPlan
from checker.compile.steps import StepCompiler
from checker.dsl import ast as A
from checker.dsl.resolve import ResolvedSpec, RoleInfo
from checker.network import Network
from checker.values import shape_tag

#: (action index, its function, its role) for each action and timer
Call = tuple[int, str, RoleInfo | None, A.ActionDecl]
#: (action index, its function, its role, its declaration) for each handler
Handler = tuple[int, str, RoleInfo, A.Handler]


def inlined(body: tuple[A.Stmt, ...]) -> bool:
    """Whether a step body can be written into ``successors``: no assertion
    (its failure ends only its branch) and no ``choose`` (whose branches
    catch one)."""
    return not any(isinstance(x, (A.Assert, A.Choose)) for x in A.walk(body))


class SuccessorsCompiler:
    """Writes ``successors(s)`` into ``code``; the step functions of the
    steps that are not inlined exist already."""

    def __init__(self, r: ResolvedSpec, steps: StepCompiler, network: Network, code: Code):
        self.r = r
        self.steps = steps
        self.network = network
        self.code = code
        self.namespace: dict[str, object] = {}

    def generate(self, handlers: list[Handler], calls: list[Call], faults: FaultPlan) -> None:
        code = self.code
        # A failed assert is collected, not raised at once, so the state's
        # other steps are still explored.
        with code.block("def successors(s):"):
            code.line("res = []; fails = []", f"net = s[{self.steps.layout.net}]")
            faults.prologue(code)
            if handlers:
                self._deliveries(handlers, faults)
            for call in calls:
                self._action(call, faults)
            faults.steps(code)
            code.line("if fails: raise _StepFailures(fails, res)", "return res")

    def _deliveries(self, handlers: list[Handler], faults: FaultPlan) -> None:
        code = self.code
        by_tag: dict[str, list[Handler]] = {}
        for entry in handlers:
            by_tag.setdefault(shape_tag(self.r.messages[entry[3].message].shape), []).append(entry)
        loop = self.network.gen_deliveries("net", "m")
        code.line(*loop.lines)
        code.level += loop.depth
        code.line("d = m[2]; tag = m[0]")
        for k, (tag, group) in enumerate(by_tag.items()):
            with code.block(f"{'if' if k == 0 else 'elif'} tag == {tag!r}:"):
                rest = loop.rest
                if rest != "net":  # a network that keeps delivered messages is unchanged
                    code.line(f"rest = {rest}")
                    rest = "rest"
                for idx, fn, role, h in group:
                    # The nodes of the role that receive m: all of them for a message to any node.
                    # (Whether a kind of message always has a node as dst is not known statically:
                    # a reply to a global action's message, or a send to a variable holding none,
                    # goes to anyone.)
                    one = f"_ONE_{role.name}"
                    self.namespace[one] = {n: (n,) for n in role.nodes}
                    with code.block(f"for node in ({tuple(role.nodes)!r} if d == _NONE else {one}.get(d, ())):"):
                        faults.skip_delivery(code)
                        if inlined(h.body):
                            code.line(f"me = node; _i = ord(node[1]) - {role.first}")
                            self.steps.inline_handler(idx, role, h, rest)
                            continue
                        with code.block("try:"):
                            code.line(f"for t in {fn}(s, node, m, {rest}): res.append((({idx}, node, m), t))")
                        with code.block("except _AssertFail as exc:"):
                            code.line(f"for t in _rt_failed(exc, fails, ({idx}, node, m)): "
                                      f"res.append((({idx}, node, m), t))")
        code.level -= loop.depth

    def _action(self, call: Call, faults: FaultPlan) -> None:
        code = self.code
        idx, fn, role, decl = call
        if role is None:
            if inlined(decl.body):
                code.line("me = None; _i = None")
                self.steps.inline_action(idx, None, decl)
                return
            with code.block("try:"):
                code.line(f"for p, t in {fn}(s, None): res.append((({idx},) + p, t))")
            with code.block("except _AssertFail as exc:"):
                code.line(f"for p, t in _rt_failed(exc, fails, ({idx},)): res.append((({idx},) + p, t))")
            return
        if inlined(decl.body):
            with code.block(f"for _i in range({role.count}):"):
                code.line(f"node = me = {tuple(role.nodes)!r}[_i]")
                faults.skip_actor(code)
                self.steps.inline_action(idx, role, decl)
            return
        with code.block(f"for node in {tuple(role.nodes)!r}:"):
            faults.skip_actor(code)
            with code.block("try:"):
                code.line(f"for p, t in {fn}(s, node): res.append((({idx}, node) + p, t))")
            with code.block("except _AssertFail as exc:"):
                code.line(f"for p, t in _rt_failed(exc, fails, ({idx}, node)): res.append((({idx}, node) + p, t))")
