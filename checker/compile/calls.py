"""Calls in expressions: builtins, `def` expansion, message constructors."""

from __future__ import annotations

from checker.compile.context import ANY, Ctx, _describe, base_kind
from checker.dsl import ast as A
from checker.errors import SpecError

# Definitions are expanded in place; deeper chains overflow Python's limits.
MAX_DEF_NESTING = 32
BUILTINS = {
    "size": 1, "len": 1, "max": 1, "min": 1, "sum": 1, "abs": 1, "append": 2, "head": 1, "tail": 1,
    "last": 1, "keys": 1, "values": 1, "index": 1, "seq": 1, "set": 1, "subsets": 1,
    "count": 2,
}


class CallCompiler:
    """The call-compiling half of `checker.compile.exprs.ExprCompiler`."""

    # ---- calls ----------------------------------------------------------
    def e_Call(self, e: A.Call, ctx: Ctx):
        f = e.func
        if f in self.r.messages:
            return self.message_value(e, ctx, dst="_NONE"), "msg"
        if f in self.r.defs:
            return self.expand_def(e, ctx)
        if f in ("checksum", "connected"):  # checker.compile.faults
            from checker.compile.faults import fault_call

            return fault_call(self, e, ctx)
        if f in BUILTINS:
            if len(e.args) != BUILTINS[f] or any(a.name for a in e.args):
                raise self.err(f"{f}() takes {BUILTINS[f]} positional argument(s), got {len(e.args)}", e)
            args = [self.expr(a.value, ctx) for a in e.args]
            return self.builtin(e, f, args)
        if f in self.r.roles:
            raise self.err(f"'{f}' is a role; write {f}[i] for one of its nodes", e)
        raise self.err(f"unknown function or message '{f}'", e)

    def builtin(self, e: A.Call, f: str, args: list[tuple[str, str]]):
        (a, ka), *rest = args
        ka = base_kind(ka)
        if f in ("size", "len"):
            if ka in ("int", "bool", "str", "none", "node"):
                raise self.err(f"{f}() needs a collection, but this is {_describe(ka)}", e.args[0].value)
            return f"len({a})", "int"
        if f == "max":
            return f"_rt_maximum({a})", ANY
        if f == "min":
            return f"_rt_minimum({a})", ANY
        if f == "sum":
            return f"sum(_rt_iterate({a}))", "int"
        if f == "abs":
            return f"abs({a})", "int"
        if f == "append":
            return f"_rt_append({a}, {rest[0][0]})", "seq"
        if f in ("head", "last"):
            return f"_rt_{f}({a})", ANY
        if f == "tail":
            return f"_rt_tail({a})", "seq"
        if f == "keys":
            return f"_rt_keys({a})", "set"
        if f == "values":
            return f"_rt_values({a})", "set"
        if f == "seq":
            return f"tuple(_rt_iterate({a}))", "seq"
        if f == "set":
            return f"_rt_mkset(_rt_iterate({a}))", "set"
        if f == "subsets":
            return f"_rt_subsets({a})", "set"
        if f == "count":  # copies of an element in a bag
            if ka in ("int", "bool", "str", "none", "node", "rec", "msg"):
                raise self.err(f"count() needs a bag, sequence, set or map, but this is {_describe(ka)}", e.args[0].value)
            return f"_rt_count({a}, {rest[0][0]})", "int"
        if f == "index":
            if not ka.startswith("node") and ka != ANY:
                raise self.err(f"index() needs a node, but this is {_describe(ka)}", e.args[0].value)
            return f"_node_index({a})", "int"
        raise self.err(f"unknown builtin {f}", e)  # pragma: no cover

    def expand_def(self, e: A.Call, ctx: Ctx):
        d = self.r.defs[e.func]
        if e.func in ctx.expanding:
            raise self.err(f"'{e.func}' is recursive; definitions are expanded in place and cannot call themselves", e)
        if len(ctx.expanding) >= MAX_DEF_NESTING:
            raise self.err(f"definitions call each other more than {MAX_DEF_NESTING} levels deep "
                           f"({' -> '.join(ctx.expanding[:3])} -> ...)", e)
        if len(e.args) != len(d.params) or any(a.name for a in e.args):
            raise self.err(f"{e.func}() takes {len(d.params)} positional argument(s), got {len(e.args)}", e)
        args = [self.expr(a.value, ctx) for a in e.args]
        inner = ctx.child(expanding=ctx.expanding + (e.func,))
        pynames = []
        for p, (_, k) in zip(d.params, args):
            py = self.fresh(p)
            inner.locals[p] = (py, k)
            pynames.append(py)
        try:
            body, kind = self.expr(d.body, inner)
        except SpecError as exc:
            exc.message += f" (in '{e.func}', called at {e.span})"
            exc.args = (exc.message,)
            raise
        return f"(lambda {', '.join(pynames)}: {body})({', '.join(a for a, _ in args)})", kind

    def message_value(self, call: A.Call, ctx: Ctx, dst: str) -> str:
        """``VRec((shape, src, dst, fields...))`` for a message constructor."""
        info = self.r.messages[call.func]
        values: dict[str, str] = {}
        positional = [a for a in call.args if a.name is None]
        named = [a for a in call.args if a.name is not None]
        if positional and named:
            raise self.err(f"message {info.name}: use either positional or named fields, not both", call)
        if positional:
            if len(positional) != len(info.fields):
                raise self.err(f"message {info.name} has {len(info.fields)} field(s) ({', '.join(info.fields) or 'none'}), "
                               f"but {len(positional)} value(s) were given", call)
            for fname, a in zip(info.fields, positional):
                values[fname] = self.expr(a.value, ctx)[0]
        else:
            for a in named:
                if a.name not in info.fields:
                    raise self.err(f"message {info.name} has no field '{a.name}' (fields: {', '.join(info.fields) or 'none'})", a)
                if a.name in values:
                    raise self.err(f"field '{a.name}' is given twice", a)
                values[a.name] = self.expr(a.value, ctx)[0]
            missing = [f for f in info.fields if f not in values]
            if missing:
                raise self.err(f"message {info.name} is missing field(s): {', '.join(missing)}", call)
        src = "me" if ctx.role is not None else "_NONE"
        parts = [str(info.shape), src, dst] + [values[f] for f in info.fields]
        return f"_VRec(({', '.join(parts)},))"
