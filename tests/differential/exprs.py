"""Random well-typed DSL expressions for the spec generator.

Every expression is built for a requested type from the names in scope,
literals and operators; partial operations are guarded so they rarely fail
(``max(S + {0})``, ``if k in m then m[k] else ...``, divisors are positive
literals). Strings come only from `STRINGS`, which the generated spec
declares first, so that the compiled engine interns them in alphabetical
order and iterating a set of strings visits them in the same order in
both checkers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from hypothesis import strategies as st

from tests.differential.mixed import mixed_condition
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
    element,
    literal,
    node,
    seq_of,
    set_of,
)

MAP_INT_STR = ("map", INT, STR)


@dataclass
class World:
    """What the generated spec declares (for expressions to refer to)."""

    roles: dict[str, int] = field(default_factory=dict)
    role_vars: dict[str, list[tuple[str, Type]]] = field(default_factory=dict)
    messages: dict[str, list[tuple[str, Type]]] = field(default_factory=dict)
    network: str = "unordered"
    crashes: bool = False
    partitions: bool = False
    quorums: list[tuple[str, str]] = field(default_factory=list)
    defs: list[tuple[str, Type, Type]] = field(default_factory=list)  # name, parameter type, result type


@dataclass
class Scope:
    atoms: list[tuple[str, Type]] = field(default_factory=list)
    role: str | None = None
    state: bool = True  # may read variables and the network

    def bind(self, name: str, t: Type) -> Scope:
        return replace(self, atoms=self.atoms + [(name, t)])


class ExprGen:
    def __init__(self, draw: Any, world: World, fresh: Fresh, mixed: bool = False):
        self.draw = draw
        self.w = world
        self.fresh = fresh
        self.mixed = mixed

    def pick(self, options: list[Callable[[], str]]) -> str:
        return self.draw(st.sampled_from(options))()

    def int_lit(self) -> str:
        return str(self.draw(st.integers(-1, 2)))

    def lit(self, t: Type) -> str:
        k = t[0]
        if k == "int":
            return self.int_lit()
        if k == "bool":
            return self.draw(st.sampled_from(["true", "false"]))
        if k == "str":
            return self.draw(st.sampled_from(STRINGS))
        if k == "node":
            return f"{t[1]}[{self.draw(st.integers(0, self.w.roles[t[1]] - 1))}]"
        if k == "opt":
            return self.draw(st.sampled_from(["none", "0", "1"]))
        if k == "rec":
            return f"(a: {self.int_lit()}, b: {self.lit(BOOL)})"
        if k == "crc":
            return f"checksum({self.int_lit()})"
        return literal(t, self.w.roles)

    def atoms(self, t: Type, sc: Scope) -> list[str]:
        out = [n for n, at in sc.atoms if at == t]
        if sc.state:
            for n, at in sc.atoms:
                if at[0] == "node":
                    out += [f"{n}.{v}" for v, vt in self.w.role_vars.get(at[1], []) if vt == t]
        return out

    # ---- by type ----------------------------------------------------------
    def expr(self, t: Type, sc: Scope, d: int = 2) -> str:
        """An expression of type ``t``: mostly a name in scope, sometimes a
        literal, otherwise an operator over smaller expressions."""
        atoms = self.atoms(t, sc)
        roll = self.draw(st.integers(0, 9))
        if d <= 0 or (roll < 5 and (atoms or t != BOOL)):  # a constant condition makes dead code
            if atoms and roll < 7:
                return self.draw(st.sampled_from(atoms))
            return self.lit(t)
        k = t[0]
        d1 = d - 1
        options = [lambda: f"(if {self.expr(BOOL, sc, d1)} then {self.expr(t, sc, d1)} "
                           f"else {self.expr(t, sc, d1)})"]
        if k == "int":
            options += self._int(sc, d1)
        elif k == "bool":
            options += self._bool(sc, d1)
        elif k == "str":
            options.append(lambda: self._choose_expr(STR, sc, d1))
        elif k == "opt":
            options.append(lambda: self.expr(INT, sc, d1))
        elif k == "rec":
            options.append(lambda: f"(a: {self.expr(INT, sc, d1)}, b: {self.expr(BOOL, sc, d1)})")
        elif k == "node":
            n = self.w.roles[t[1]]
            options.append(lambda: f"{t[1]}[({self.expr(INT, sc, d1)}) % {n}]")
            if sc.role == t[1]:
                options.append(lambda: "self")
        elif k == "set":
            options += self._set(t, sc, d1)
        elif k == "seq":
            options += self._seq(t, sc, d1)
        elif k == "map":
            options += self._map(t, sc, d1)
        for name, pt, rt in self.w.defs:
            if rt == t:
                options.append(lambda name=name, pt=pt: f"{name}({self.expr(pt, sc, d1)})")
        return self.pick(options)

    def condition(self, sc: Scope) -> str:
        """A condition on the variables in scope (a literal-free one is
        likely: random conditions are often constant)."""
        simple = [(n, t) for n, t in sc.atoms if t in (INT, BOOL, OPT, set_of(INT), seq_of(INT))]
        if not simple or not self.draw(st.integers(0, 3)):
            return self.expr(BOOL, sc)
        parts = []
        for _ in range(self.draw(st.sampled_from([1, 1, 2]))):
            n, t = self.draw(st.sampled_from(simple))
            k = self.int_lit()
            if t == INT:
                parts.append(f"{n} {self.draw(st.sampled_from(['==', '!=', '<', '>=']))} {k}")
            elif t == BOOL:
                parts.append(self.draw(st.sampled_from([n, f"not {n}"])))
            elif t == OPT:
                parts.append(self.draw(st.sampled_from([f"{n} == none", f"{n} == {k}"])))
            else:
                parts.append(self.draw(st.sampled_from([f"{k} in {n}", f"size({n}) == {abs(int(k))}"])))
        return "(" + f" {self.draw(st.sampled_from(['and', 'or']))} ".join(parts) + ")"

    def _int(self, sc: Scope, d: int) -> list[Callable[[], str]]:
        e = lambda: self.expr(INT, sc, d)  # noqa: E731
        coll = self.draw(st.sampled_from([set_of(INT), seq_of(INT), set_of(STR), ("map", INT, STR)]))
        out = [
            lambda: f"({e()} {self.draw(st.sampled_from(['+', '-', '*']))} {e()})",
            lambda: f"({e()} {self.draw(st.sampled_from(['/', '%']))} {self.draw(st.integers(1, 3))})",
            lambda: f"size({self.expr(coll, sc, d)})",
            lambda: f"{self.draw(st.sampled_from(['max', 'min']))}({self.expr(set_of(INT), sc, d)} + {{{e()}}})",
            lambda: f"sum({self.expr(set_of(INT), sc, d)})",
            lambda: f"abs({e()})",
            lambda: f"head(append({self.expr(seq_of(INT), sc, d)}, {e()}))",
            lambda: f"last([{e()}] + {self.expr(seq_of(INT), sc, d)})",
            lambda: f"{self.expr(REC, sc, d)}.a",
            lambda: self._choose_expr(INT, sc, d),
            lambda: self._unwrap(sc, d),
            lambda: f"len({self.expr(seq_of(INT), sc, d)}[{self.int_lit()}:{self.int_lit()}])",
            lambda: f"size(subsets({self.expr(set_of(INT), sc, d)}))",
        ]
        for role in self.w.roles:
            out.append(lambda role=role: f"index({self.expr(node(role), sc, d)})")
            out.append(lambda role=role: self._map_get(("map", node(role), INT), sc, d))
        if sc.state and self.w.messages:
            out.append(lambda: f"count(network, {self._message(sc, d)})")
            out.append(lambda: "size(network)")
        return out

    def _unwrap(self, sc: Scope, d: int) -> str:
        o = self.expr(OPT, sc, d)
        return f"(if {o} == none then {self.expr(INT, sc, d)} else {o})"

    def _map_get(self, t: Type, sc: Scope, d: int) -> str:
        m, k = self.expr(t, sc, d), self.expr(t[1], sc, d)
        return f"(if {k} in {m} then {m}[{k}] else {self.expr(t[2], sc, d)})"

    def _choose_expr(self, t: Type, sc: Scope, d: int) -> str:
        x = self.fresh()
        lit = self.lit(t)
        cond = self.expr(BOOL, sc.bind(x, t), d)
        return f"(choose {x} in {self.expr(set_of(t), sc, d)} + {{{lit}}}: {cond} or {x} == {lit})"

    def _bool(self, sc: Scope, d: int) -> list[Callable[[], str]]:
        b = lambda: self.expr(BOOL, sc, d)  # noqa: E731
        kinds = [INT, STR, OPT, REC, set_of(INT), seq_of(INT), ("map", INT, STR)] + \
            [node(r) for r in self.w.roles] + [set_of(node(r)) for r in self.w.roles]
        in_scope = [at for _, at in sc.atoms if at in kinds]
        same = self.draw(st.sampled_from(in_scope if in_scope and self.draw(st.integers(0, 3)) else kinds))
        out = [
            lambda: f"({self.expr(INT, sc, d)} {self.draw(st.sampled_from(['<', '<=', '>', '>=']))} "
                    f"{self.expr(INT, sc, d)})",
            lambda: f"({self.expr(same, sc, d)} {self.draw(st.sampled_from(['==', '!=']))} {self.expr(same, sc, d)})",
            lambda: f"({b()} {self.draw(st.sampled_from(['and', 'or', '=>']))} {b()})",
            lambda: f"(not {b()})",
            lambda: self._membership(sc, d),
            lambda: f"({self.expr(set_of(INT), sc, d)} subset {self.expr(set_of(INT), sc, d)})",
            lambda: self._quantifier(sc, d),
            lambda: f"{self.expr(REC, sc, d)}.b",
            lambda: f"({self.expr(OPT, sc, d)} == none)",
            lambda: f"({self.expr(MAP_INT_STR, sc, d)} in [{self.expr(set_of(INT), sc, d)} -> "
                    f"{self.expr(set_of(STR), sc, d)}])",
            lambda: self._function_quantifier(sc, d),
        ]
        if sc.state and self.w.crashes:
            role = self.draw(st.sampled_from(sorted(self.w.roles)))
            out.append(lambda: f"({self.expr(node(role), sc, d)} in crashed)")
        if sc.state and self.w.partitions:
            r1, r2 = self.draw(st.sampled_from(sorted(self.w.roles))), self.draw(st.sampled_from(sorted(self.w.roles)))
            out.append(lambda: f"connected({self.expr(node(r1), sc, d)}, {self.expr(node(r2), sc, d)})")
        crcs = [n for n, at in sc.atoms if at == CRC]
        if crcs:
            out.append(lambda: f"({self.draw(st.sampled_from(crcs))} == checksum({self.expr(INT, sc, d)}))")
        for q, role in self.w.quorums:
            out.append(lambda q=q, role=role: f"({self.expr(set_of(node(role)), sc, d)} is {q})")
        if sc.state and self.w.messages:
            out.append(lambda: self._network_test(sc, d))
        if self.mixed:
            out += [lambda: mixed_condition(self.draw)] * 3
            if sc.state:
                out.append(lambda: mixed_condition(self.draw, "gm"))
        return out

    def _membership(self, sc: Scope, d: int) -> str:
        t = self.draw(st.sampled_from([INT, STR] + [node(r) for r in self.w.roles]))
        coll = self.draw(st.sampled_from([set_of(t), seq_of(t)] + ([("map", INT, STR)] if t == INT else [])))
        op = self.draw(st.sampled_from(["in", "not in"]))
        return f"({self.expr(t, sc, d)} {op} {self.expr(coll, sc, d)})"

    def _quantifier(self, sc: Scope, d: int) -> str:
        t = self.draw(st.sampled_from([INT, STR] + [node(r) for r in self.w.roles]))
        x = self.fresh()
        dom = self.expr(self.draw(st.sampled_from([set_of(t), seq_of(t)])), sc, d)
        q = self.draw(st.sampled_from(["forall", "exists"]))
        return f"({q} {x} in {dom}: {self.expr(BOOL, sc.bind(x, t), d)})"

    def _function_quantifier(self, sc: Scope, d: int) -> str:
        f = self.fresh("f")
        q = self.draw(st.sampled_from(["forall", "exists"]))
        return f"({q} {f} in {self.function_set(MAP_INT_STR, sc, d)}: {self.expr(BOOL, sc.bind(f, MAP_INT_STR), d)})"

    def _network_test(self, sc: Scope, d: int) -> str:
        name = self.draw(st.sampled_from(sorted(self.w.messages)))
        x = self.fresh("m")
        inner = sc
        conds = [f"{x} is {name}"]
        for f, ft in self.w.messages[name]:
            if ft != CRC:
                inner = inner.bind(f"{x}.{f}", ft)
        conds.append(self.expr(BOOL, inner, d))
        where = self.draw(st.sampled_from(["network", "sent"]))
        return f"(exists {x} in {where}: {' and '.join(conds)})"

    def _message(self, sc: Scope, d: int, name: str | None = None) -> str:
        name = name or self.draw(st.sampled_from(sorted(self.w.messages)))
        args = [self.expr(ft, sc, d) if ft != CRC else f"checksum({self.expr(INT, sc, d)})"
                for _, ft in self.w.messages[name]]
        return f"{name}({', '.join(args)})"

    def _set(self, t: Type, sc: Scope, d: int) -> list[Callable[[], str]]:
        el = element(t)
        s = lambda: self.expr(t, sc, d)  # noqa: E731
        out = [
            lambda: "{" + ", ".join(self.expr(el, sc, d) for _ in range(self.draw(st.integers(1, 2)))) + "}",
            lambda: f"({s()} {self.draw(st.sampled_from(['+', '-', '&']))} {s()})",
            lambda: self._comprehension("set", el, sc, d),
            lambda: f"set({self.expr(seq_of(el), sc, d)})",
        ]
        if el == INT:
            out.append(lambda: f"({self.int_lit()}..{self.int_lit()})")
            out.append(lambda: f"keys({self.expr(('map', INT, STR), sc, d)})")
        if el == STR:
            out.append(lambda: f"values({self.expr(('map', INT, STR), sc, d)})")
            f, v = self.fresh("f"), self.fresh("v")
            out.append(lambda: f"{{{v} for {f} in {self.function_set(MAP_INT_STR, sc, d)} for {v} in values({f})}}")
        if el[0] == "node":
            out.append(lambda: el[1])
        return out

    def _comprehension(self, kind: str, el: Type, sc: Scope, d: int) -> str:
        src_t = self.draw(st.sampled_from([INT, STR] + [node(r) for r in self.w.roles]))
        x = self.fresh()
        inner = sc.bind(x, src_t)
        src = self.expr(self.draw(st.sampled_from([set_of(src_t), seq_of(src_t)])), sc, d)
        body = self.expr(el, inner, d)
        cond = f" if {self.expr(BOOL, inner, d)}" if self.draw(st.booleans()) else ""
        open_, close = ("{", "}") if kind == "set" else ("[", "]")
        return f"{open_}{body} for {x} in {src}{cond}{close}"

    def _seq(self, t: Type, sc: Scope, d: int) -> list[Callable[[], str]]:
        el = element(t)
        s = lambda: self.expr(t, sc, d)  # noqa: E731
        return [
            lambda: "[" + ", ".join(self.expr(el, sc, d) for _ in range(self.draw(st.integers(1, 2)))) + "]",
            lambda: f"({s()} + {s()})",
            lambda: f"append({s()}, {self.expr(el, sc, d)})",
            lambda: f"tail(append({s()}, {self.expr(el, sc, d)}))",
            lambda: f"{s()}[{self.int_lit()}:{self.int_lit()}]",
            lambda: f"seq({self.expr(set_of(el), sc, d)})",
            lambda: self._comprehension("seq", el, sc, d),
        ]

    def _map(self, t: Type, sc: Scope, d: int) -> list[Callable[[], str]]:
        kt, vt = t[1], t[2]
        x = self.fresh()
        return [
            lambda: "{" + f"{self.expr(kt, sc, d)}: {self.expr(vt, sc, d)}" + "}",
            lambda: "{" + f"{x}: {self.expr(vt, sc.bind(x, kt), d)} for {x} in {self.expr(set_of(kt), sc, d)}" + "}",
            lambda: f"(choose {x} in {self.function_set(t, sc, d)}: {self.expr(BOOL, sc.bind(x, t), d)} or true)",
        ]

    def function_set(self, t: Type, sc: Scope, d: int) -> str:
        """``[S -> T]`` of maps of type ``t``, never empty."""
        return f"[{self.expr(set_of(t[1]), sc, d)} -> {self.expr(set_of(t[2]), sc, d)} + {{{self.lit(t[2])}}}]"
