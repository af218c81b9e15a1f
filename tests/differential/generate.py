"""A hypothesis strategy for small random well-typed specs (DSL text).

A spec has one or two roles of one or two nodes, per-node and global
variables of every kind of value (ints, bools, strings, records, maps,
sets, sequences, none, nodes), some with a set of initial values (``var x
in S``), init blocks with ``choose``, an ``init when`` condition, guarded
actions and timers with parameters, handlers and sends over the chosen
network (fifo, unordered or set), global actions (some resending or
discarding in-flight messages), each unfair, weakly or strongly fair (per
parameter, sometimes), a few faults, a quorum, a ``def``, invariants, step
assertions (in parameterised steps and choose branches too), a terminal
condition, ``eventually`` / ``leadsto`` / ``always eventually`` /
``eventually always`` properties and step properties. Expressions use
function sets ``[S -> T]``. A generated ``constraint`` bounds every
variable, message field and the network's size, so every state space is
finite.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.differential.exprs import ExprGen, Scope, World
from tests.differential.mixed import any_value
from tests.differential.types import (
    BOOL,
    CRC,
    INT,
    OPT,
    REC,
    STR,
    STRINGS,
    Fresh,
    Type,
    bound,
    map_of,
    node,
    seq_of,
    set_of,
)

NETWORKS = ("unordered", "fifo", "set")
#: step assertions a spec may hold
MAX_ASSERTS = 2


def _var_types(roles: list[str]) -> list[Type]:
    return [INT, INT, INT, BOOL, STR, OPT, REC, set_of(INT), set_of(STR), seq_of(INT), map_of(INT, STR)] + \
        [node(r) for r in roles] + [set_of(node(r)) for r in roles] + [map_of(node(r), INT) for r in roles]


class SpecBuilder:
    def __init__(self, draw: Any, mixed: bool = False):
        self.draw = draw
        self.fresh = Fresh()
        self.w = World()
        self.ex = ExprGen(draw, self.w, self.fresh, mixed)
        self.mixed = mixed
        self.globals: list[tuple[str, Type]] = []
        self.lines: list[str] = []
        self.crashing: set[str] = set()  # roles with crash / restart faults
        self.restarting: set[str] = set()
        self.asserts = 0
        self.allow_asserts = False
        #: whether the body being generated may hold the spec's one step
        #: assertion (then it has no choose; see `_assertion_body`)
        self.asserting = False

    def d(self, strategy: Any) -> Any:
        return self.draw(strategy)

    def pick(self, *choices: Any) -> Any:
        """One of ``choices``, uniformly (repeat one to weigh it)."""
        return self.draw(st.sampled_from(choices))

    # ---- the spec -----------------------------------------------------------
    def build(self) -> str:
        if self.pick(False, False, False, True):
            return self.build_small()
        w, d = self.w, self.d
        w.network = d(st.sampled_from(NETWORKS))
        counts = self.pick([1], [2], [2, 1], [1, 1], [1, 2])
        for k, c in enumerate(counts[:2] if sum(counts) <= 3 else counts[:1]):
            w.roles["AB"[k]] = c
        roles = list(w.roles)
        n_vars = 0
        for r in roles:
            w.role_vars[r] = []
            for _ in range(self.pick(1, 2, 1)):
                w.role_vars[r].append((f"x{n_vars}", d(st.sampled_from(_var_types(roles)))))
                n_vars += 1
        self.globals = [(f"g{k}", d(st.sampled_from(_var_types(roles)))) for k in range(self.pick(0, 1, 1, 2))]
        field_types = [INT, INT, STR, BOOL, OPT, set_of(INT)] + [node(r) for r in roles]
        faults = self._faults()
        corrupt = "corrupt <= 1" in faults
        if corrupt:
            field_types.append(CRC)
        for k in range(self.pick(1, 1, 2, 0)):
            w.messages[f"M{k}"] = [(f"f{j}", d(st.sampled_from(field_types))) for j in range(self.pick(1, 0, 2, 1))]
        if corrupt and not any(t == INT for fs in w.messages.values() for _, t in fs):
            w.messages.setdefault("M0", []).insert(0, ("f9", INT))  # something a corruption can change
        if d(st.booleans()):
            w.quorums.append(("Q", roles[0]))
        has_props = self.pick(True, False, False)
        self.allow_asserts = d(st.booleans()) and (not has_props or self.pick(True, False, False))
        out = self.lines
        out += ["spec Generated", f"const Strs = {{{', '.join(STRINGS)}}}", f"network {w.network}"]
        if faults:
            out.append("faults { " + ", ".join(faults) + " }")
        for name, fields in w.messages.items():
            decl = ", ".join(f"{f} in 0..1" if ft == INT and corrupt else f for f, ft in fields)
            out.append(f"message {name}({decl})")
        for q, role in w.quorums:
            out.append(f"quorum {q} of {role}: size > N / 2")
        if d(st.booleans()):
            self._def()
        for r in roles:
            self._role(r)
        for g, t in self.globals:
            out.append(self._var(g, t, self._global_scope(), fixed=False))
        self._mixed_var()
        if self.pick(False, False, True):
            out.append("init {")
            self._block(self._global_scope(), indent=1, top=True, init=True)
            out.append("}")
        for k in range(self.pick(0, 1, 1, 2)):
            self._global_action(k)
        for k in range(self.pick(0, 1, 1, 2)):
            out.append(f"invariant I{k}: {self.ex.condition(self._global_scope())}")
        self._init_when()
        out.append(f"constraint {self._constraint()}")
        terminal = d(st.integers(0, 3))
        if terminal == 0:
            out.append("terminal true")
        elif terminal == 1:
            out.append(f"terminal {self.ex.expr(BOOL, self._global_scope(), 1)}")
        if has_props:
            for k in range(d(st.integers(1, 2))):
                self._property(k)
        for k in range(self.pick(0, 0, 0, 1, 2)):
            self._step_property(k)
        return "\n".join(out) + "\n"

    def build_small(self) -> str:
        """A spec of global variables and actions only, several initial
        states and liveness properties: small graphs where the fairness
        and lasso rules are easy to get wrong."""
        out = self.lines
        self.globals = [(f"g{k}", self.pick(INT, INT, BOOL, OPT, set_of(INT))) for k in range(self.pick(1, 1, 2))]
        out += ["spec Small", f"const Strs = {{{', '.join(STRINGS)}}}", "network unordered"]
        out += [self._var(g, t, self._global_scope(), fixed=False) for g, t in self.globals]
        self._mixed_var()
        if self.pick(True, True, False):  # several initial states
            g, t = self.d(st.sampled_from(self.globals))
            c = self.fresh("c")
            domain = self._domain(t, self._global_scope()) if t in (INT, BOOL) else f"{{{self.ex.lit(t)}, {self.ex.lit(t)}}}"
            out += ["init {", f"  choose {c} in {domain}", f"  {g} = {c}"]
            if self.pick(True, False):
                self._block(self._global_scope().bind(c, t), indent=1, top=True, init=True)
            out.append("}")
        for k in range(self.pick(1, 2, 2, 3)):
            self._global_action(k)
        self._init_when()
        out.append(f"constraint {self._constraint()}")
        if self.pick(True, False):
            out.append("terminal true")
        for k in range(self.pick(1, 2)):
            self._property(k)
        for k in range(self.pick(0, 0, 1)):
            self._step_property(k)
        return "\n".join(out) + "\n"

    def _mixed_var(self) -> None:
        """In the mixed-type mode, a variable that takes values of every type
        (`tests.differential.mixed`), one action per value."""
        if self.mixed:
            self.lines.append("var gm = none")
            self.lines.extend(f"action Mixed{k} {{ gm = {any_value(self.draw)} }}" for k in range(3))

    def _faults(self) -> list[str]:
        w, d = self.w, self.d
        kinds = ["crash", "partition"] + (["loss", "duplicate", "corrupt"] if w.network != "set" else []) + \
            (["reorder"] if w.network == "fifo" else [])
        chosen = d(st.lists(st.sampled_from(kinds), unique=True, max_size=2)) if d(st.booleans()) else []
        out = []
        for k in chosen:
            if k == "crash":
                role = d(st.sampled_from(list(w.roles)))
                out.append(f"crash {role} <= 1")
                self.crashing.add(role)
                if d(st.booleans()):
                    out.append(f"restart {role} <= 1")
                    self.restarting.add(role)
                w.crashes = True
            elif k == "partition":
                mode = d(st.sampled_from(["", "hold "] + (["drop "] if w.network != "set" else [])))
                out.append(f"partition {mode}<= 1")
                w.partitions = True
            else:
                out.append(f"{k} <= 1")
        return out

    def _def(self) -> None:
        pt, rt = self.d(st.sampled_from([INT, STR, set_of(INT)])), self.d(st.sampled_from([INT, BOOL]))
        sc = self._global_scope().bind("y", pt)
        self.lines.append(f"def D(y) = {self.ex.expr(rt, sc)}")
        self.w.defs.append(("D", pt, rt))

    def _global_scope(self) -> Scope:
        return Scope(atoms=list(self.globals))

    def _role_scope(self, role: str) -> Scope:
        return Scope(atoms=list(self.w.role_vars[role]) + list(self.globals) + [("self", node(role))], role=role)

    def _role(self, role: str) -> None:
        out, d = self.lines, self.d
        out.append(f"role {role}[{self.w.roles[role]}] {{")
        for name, t in self.w.role_vars[role]:
            keep = "persistent " if role in self.crashing and self.pick(True, False, False) else ""
            out.append(f"  {keep}{self._var(name, t, self._role_scope(role), fixed=role in self.crashing and not keep)}")
        if self.pick(True, False):
            out.append("  init {")
            self._block(self._role_scope(role), indent=2, top=True, init=True)
            out.append("  }")
        for name, fields in self.w.messages.items():
            if self.pick(True, True, False):
                self._handler(role, name, fields)
        for k in range(self.pick(1, 1, 2, 0)):
            kind = d(st.sampled_from(["action", "action", "timeout"]))
            sc, params = self._params(self._role_scope(role))
            guard = f" when {self.ex.condition(sc)}" if d(st.booleans()) else ""
            fair = self._fairness(params)
            out.append(f"  {fair}{kind} {'a' if kind == 'action' else 't'}{role}{k}{params}{guard} {{")
            self._assertion_body(True, sc, indent=2)
            out.append("  }")
        if role in self.restarting and self.pick(True, False):
            out.append("  on restart {")
            self._block(self._role_scope(role), indent=2, top=True)
            out.append("  }")
        out.append("}")

    def _params(self, sc: Scope) -> tuple[Scope, str]:
        params = []
        for _ in range(self.pick(0, 1, 1, 2)):
            t = self.d(st.sampled_from([INT, INT, STR, BOOL] + [node(r) for r in self.w.roles]))
            p = self.fresh("p")
            params.append(f"{p} in {self._domain(t, sc)}")
            sc = sc.bind(p, t)
        return sc, f"({', '.join(params)})" if params else ""

    def _domain(self, t: Type, sc: Scope) -> str:
        fixed = {INT: "0..1", STR: '{"a", "b"}', BOOL: "{true, false}"}
        if t[0] == "node":
            fixed[t] = t[1]
        if self.pick(True, True, False):
            return fixed[t]
        return f"({self.ex.expr(set_of(t), sc, 1)} + {{{self.ex.lit(t)}}})"  # never empty

    def _handler(self, role: str, name: str, fields: list[tuple[str, Type]]) -> None:
        sc = self._role_scope(role)
        params = []
        for _, t in fields:
            p = self.fresh("p")
            params.append(p)
            sc = sc.bind(p, t)
        guard = f" when {self.ex.condition(sc)}" if self.d(st.booleans()) else ""
        self.lines.append(f"  {self._fairness('')}on {name}({', '.join(params)}) from src{guard} {{")
        self._assertion_body(True, sc, indent=2, handler=True)
        self.lines.append("  }")

    def _global_action(self, k: int) -> None:
        d = self.d
        if self.w.messages and d(st.integers(0, 3)) == 0:
            op = d(st.sampled_from(["resend", "discard"]))
            self.lines.append(f"{self._fairness('(m in set(network))')}action N{k}(m in set(network)) {{ {op} m }}")
            return
        sc, params = self._params(self._global_scope())
        guard = f" when {self.ex.condition(sc)}" if d(st.booleans()) else ""
        self.lines.append(f"{self._fairness(params)}action G{k}{params}{guard} {{")
        self._assertion_body(True, sc, indent=1)
        self.lines.append("}")

    # ---- statements -----------------------------------------------------------
    def _assertion_body(self, eligible: bool, sc: Scope, indent: int, handler: bool = False) -> None:
        """A step body that may hold one of the spec's (at most two) step
        assertions."""
        self.asserting = eligible and self.allow_asserts and self.asserts < MAX_ASSERTS
        self._block(sc, indent, top=True, handler=handler)
        self.asserting = False

    def _block(self, sc: Scope, indent: int, top: bool = False, handler: bool = False, init: bool = False,
               depth: int = 0) -> None:
        n = self.pick(2, 1, 3, 2)
        body_start = len(self.lines)
        for _ in range(n):
            sc = self._stmt(sc, indent, top, handler, init, depth)
        if len(self.lines) == body_start:
            self.lines.append("  " * indent + "skip")

    def _assignable(self, sc: Scope) -> list[tuple[str, Type]]:
        """Mostly state variables; sometimes a parameter or a ``let``."""
        state = (list(self.w.role_vars[sc.role]) if sc.role else []) + list(self.globals)
        locals_ = [(n, t) for n, t in sc.atoms if n.startswith(("l", "p")) and "." not in n]
        return state if state and self.pick(True, True, True, False) else state + locals_

    def _stmt(self, sc: Scope, indent: int, top: bool, handler: bool, init: bool, depth: int) -> Scope:
        d, ex, pad = self.d, self.ex, "  " * indent
        kinds = ["step"] * 4 + ["assign", "update", "if", "if", "let", "send", "send"] + \
            (["node_var"] if self.w.roles else [])
        if depth == 0:
            kinds.append("for")
        if top:
            kinds += ["choose"] * (3 if init else 1)
        if handler:
            kinds += ["reply", "keep"]
        if self.asserting and self.asserts < MAX_ASSERTS:
            kinds += ["assert"] * 2
        kind = d(st.sampled_from(kinds))
        targets = self._assignable(sc)
        if kind == "step" and targets:
            self._step(d(st.sampled_from(targets)), sc, pad)
        elif kind == "assign" and targets:
            name, t = d(st.sampled_from(targets))
            self.lines.append(f"{pad}{name} = {ex.expr(t, sc)}")
        elif kind == "update" and targets:
            self._update(d(st.sampled_from(targets)), sc, pad)
        elif kind == "if":
            self.lines.append(f"{pad}if {ex.expr(BOOL, sc)} {{")
            self._block(sc, indent + 1, handler=handler, init=init, depth=depth + 1)
            if d(st.booleans()):
                self.lines.append(f"{pad}}} else {{")
                self._block(sc, indent + 1, handler=handler, init=init, depth=depth + 1)
            self.lines.append(f"{pad}}}")
        elif kind == "for":
            t = d(st.sampled_from([INT, STR] + [node(r) for r in self.w.roles]))
            x = self.fresh()
            self.lines.append(f"{pad}for {x} in {ex.expr(d(st.sampled_from([set_of(t), seq_of(t)])), sc, 1)} {{")
            self._block(sc.bind(x, t), indent + 1, handler=handler, init=init, depth=depth + 1)
            self.lines.append(f"{pad}}}")
        elif kind == "let":
            t = d(st.sampled_from([INT, INT, STR, set_of(INT), seq_of(INT)]))
            name = self.fresh("l")
            self.lines.append(f"{pad}let {name} = {ex.expr(t, sc)}")
            return sc.bind(name, t)
        elif kind == "choose":
            t = d(st.sampled_from([INT, INT, STR, BOOL] + [node(r) for r in self.w.roles]))
            x = self.fresh("c")
            self.lines.append(f"{pad}choose {x} in {self._domain(t, sc)}")
            return sc.bind(x, t)
        elif kind in ("send", "reply") and self.w.messages:
            self._send(kind, sc, pad)
        elif kind == "keep":
            self.lines.append(f"{pad}keep")
        elif kind == "assert":
            self.asserts += 1
            self.lines.append(f"{pad}assert S{self.asserts}: {ex.expr(BOOL, sc, 1)}")
        elif kind == "node_var":
            self._node_var(sc, pad)
        return sc

    def _step(self, target: tuple[str, Type], sc: Scope, pad: str) -> None:
        """A small change that keeps the value in bounds most of the time."""
        name, t = target
        d, ex = self.d, self.ex
        k = t[0]
        if k == "int":
            change = d(st.sampled_from([f"({name} + 1) % 3", f"{name} + 1", f"{name} - 1", f"2 - {name}"]))
        elif k == "bool":
            change = f"not {name}"
        elif k == "opt":
            change = f"(if {name} == none then {ex.int_lit()} else none)"
        elif k == "rec":
            self.lines.append(f"{pad}{name}.a = ({name}.a + 1) % 3")
            return
        elif k == "set":
            change = f"{name} {d(st.sampled_from(['+', '-']))} {{{ex.expr(t[1], sc, 1)}}}"
        elif k == "seq":
            change = d(st.sampled_from([f"append({name}, {ex.expr(t[1], sc, 1)})", f"{name}[1:]"]))
        elif k == "node":
            n = self.w.roles[t[1]]
            change = f"{t[1]}[(index({name}) + 1) % {n}]"
        elif k == "map":
            self.lines.append(f"{pad}{name}[{ex.expr(t[1], sc, 1)}] = {ex.expr(t[2], sc, 1)}")
            return
        else:
            change = ex.lit(t)
        self.lines.append(f"{pad}{name} = {change}")

    def _update(self, target: tuple[str, Type], sc: Scope, pad: str) -> None:
        name, t = target
        ex = self.ex
        if t[0] == "map":
            self.lines.append(f"{pad}{name}[{ex.expr(t[1], sc, 1)}] = {ex.expr(t[2], sc)}")
        elif t[0] == "seq":
            self.lines.append(f"{pad}if len({name}) > 0 {{ {name}[0] = {ex.expr(t[1], sc)} }}")
        elif t == REC:
            self.lines.append(f"{pad}{name}.a = {ex.expr(INT, sc)}")
        else:
            self.lines.append(f"{pad}{name} = {ex.expr(t, sc, 1)}")

    def _node_var(self, sc: Scope, pad: str) -> None:
        role = self.d(st.sampled_from(list(self.w.roles)))
        name, t = self.d(st.sampled_from(self.w.role_vars[role]))
        x = self.fresh()
        value = self.ex.expr(t, sc.bind(x, node(role)).bind(f"{x}.{name}", t), 1)
        self.lines.append(f"{pad}for {x} in {role} {{ {x}.{name} = {value} }}")

    def _send(self, kind: str, sc: Scope, pad: str) -> None:
        d, ex = self.d, self.ex
        name = d(st.sampled_from(sorted(self.w.messages)))
        msg = ex._message(sc, 1, name)
        if kind == "reply":
            self.lines.append(f"{pad}reply {msg}")
            return
        role = d(st.sampled_from(list(self.w.roles)))
        how = d(st.sampled_from(["to_node", "to_set", "broadcast", "anyone"]))
        if how == "to_node":
            self.lines.append(f"{pad}send {msg} to {ex.expr(node(role), sc, 1)}")
        elif how == "to_set":
            self.lines.append(f"{pad}send {msg} to {ex.expr(set_of(node(role)), sc, 1)}")
        elif how == "broadcast":
            self.lines.append(f"{pad}broadcast {msg} to {role}")
        else:
            self.lines.append(f"{pad}send {msg}")

    # ---- properties --------------------------------------------------------------
    def _constraint(self) -> str:
        parts = ["size(network) <= 2"]
        for role, vars_ in self.w.role_vars.items():
            for name, t in vars_:
                n = self.fresh("n")
                b = bound(t, f"{n}.{name}", self.fresh)
                if b:
                    parts.append(f"(forall {n} in {role}: {b})")
        for name, t in self.globals:
            b = bound(t, name, self.fresh)
            if b:
                parts.append(b)
        for name, fields in self.w.messages.items():
            bs = [b for f, t in fields if (b := bound(t, f"m.{f}", self.fresh))]
            if bs:
                parts.append(f"(forall m in network: m is {name} => ({' and '.join(bs)}))")
        return " and ".join(parts)

    def _property(self, k: int) -> None:
        d, ex = self.d, self.ex
        head, sc = self._property_head(f"property P{k}")
        kind = d(st.sampled_from(["eventually", "leadsto", "always eventually", "eventually always"]))
        if kind == "leadsto":
            self.lines.append(f"{head}: {ex.condition(sc)} leadsto {ex.condition(sc)}")
        else:
            self.lines.append(f"{head}: {kind} {ex.condition(sc)}")

    def _property_head(self, head: str) -> tuple[str, Scope]:
        sc = self._global_scope()
        if self.w.roles and self.d(st.booleans()):
            role = self.d(st.sampled_from(list(self.w.roles)))
            x = self.fresh("r")
            head += f"({x} in {role})"
            sc = sc.bind(x, node(role))
        return head, sc

    def _step_property(self, k: int) -> None:
        """A condition over a step: a value after it (primed) against one before."""
        head, sc = self._property_head(f"step property T{k}")
        t = self.d(st.sampled_from([INT, INT, BOOL, OPT, set_of(INT)] + [vt for vs in self.w.role_vars.values()
                                                                          for _, vt in vs]))
        ops = ["==", "!=", "<=", ">="] if t == INT else ["==", "!="]
        before, after = self.ex.expr(t, sc, 1), self.ex.expr(t, sc, 1)
        cond = f"({after})' {self.d(st.sampled_from(ops))} {before}"
        if self.d(st.booleans()):
            cond += f" {self.d(st.sampled_from(['or', 'and', '=>']))} ({self.ex.condition(sc)})'"
        self.lines.append(f"{head}: {cond}")

    def _fairness(self, params: str) -> str:
        """A fairness modifier: none (weak), unfair, fair, strong fair,
        sometimes per the first parameter (``params``: "(p1 in S, ...)")."""
        kind = self.pick("", "", "", "unfair ", "fair ", "strong fair ", "strong fair ")
        if kind in ("fair ", "strong fair ") and params and self.pick(True, False):
            kind += f"per {params[1:].split(' in ')[0]} "
        return kind

    def _var(self, name: str, t: Type, sc: Scope, fixed: bool) -> str:
        """``var name = literal``, or (unless ``fixed``) sometimes ``var name in S``."""
        if fixed or self.pick(True, True, True, False):
            return f"var {name} = {self.ex.lit(t)}"
        if t in (INT, STR, BOOL) or t[0] == "node":
            return f"var {name} in {self._domain(t, Scope(atoms=[], role=sc.role, state=False))}"
        return f"var {name} in {{{self.ex.lit(t)}, {self.ex.lit(t)}}}"

    def _init_when(self) -> None:
        if self.pick(False, False, False, True):
            self.lines.append(f"init when {self.ex.condition(self._global_scope())}")


@st.composite
def specs(draw: Any, mixed: bool = False) -> str:
    """The text of one small random well-typed spec."""
    return SpecBuilder(draw, mixed).build()
