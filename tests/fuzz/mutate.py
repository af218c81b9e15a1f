"""Mutations of user inputs, the way a careless or hostile user makes them:
tokens deleted, repeated, swapped and inserted, truncation, random bytes,
huge and negative numbers, deep nesting.

Every mutation draws its choices from a `Pick` (``pick(n)`` -> an int in
``range(n)``), so the same functions serve hypothesis (`tests.fuzz.strategies`,
which shrinks them) and a plain `random.Random` (`tests.fuzz.run`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

#: ``pick(n)``: a choice in ``range(n)`` (n >= 1)
Pick = Callable[[int], int]

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\s+|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|==|!=|<=|>=|=>|\.\.|.', re.S)


def tokens(text: str) -> list[str]:
    """Source text as tokens (whitespace and comments included), so that
    joining them gives the text back."""
    return _TOKEN.findall(text)


def _number(pick: Pick) -> str:
    return ["0", "-1", "1", "7", "18", "1000000", "999999999999999999", "9" * 19, "9" * 5000,
            "4294967296", "-9999999999"][pick(11)]


def _nesting(pick: Pick) -> str:
    depth = [50, 200, 3000][pick(3)]
    open_, close = [("(", ")"), ("[", "]"), ("{", "}"), ("not ", ""), ("-", "")][pick(5)]
    return open_ * depth + "1" + close * depth


#: tokens worth inserting into a spec: keywords, punctuation, odd names
SPEC_VOCABULARY = (
    "spec", "const", "var", "role", "on", "from", "when", "action", "timeout", "init", "def", "invariant",
    "property", "eventually", "always", "leadsto", "constraint", "terminal", "expect", "violation", "holds",
    "network", "fifo", "unordered", "set", "faults", "loss", "crash", "restart", "partition", "message",
    "persistent", "symmetric", "quorum", "prove", "send", "broadcast", "reply", "to", "if", "else", "then",
    "for", "in", "let", "assert", "choose", "keep", "resend", "discard", "forall", "exists", "forallx",
    "self", "none", "true", "false", "and", "or", "not", "is", "subset", "subsets", "size", "len", "max", "min",
    "keys", "values", "append", "head", "tail", "index", "seq", "sum", "count", "sent", "crashed",
    "{", "}", "(", ")", "[", "]", ",", ":", ";", ".", "..", "=", "==", "!=", "<", "<=", ">", ">=", "=>",
    "+", "-", "*", "/", "%", "&", "\n", " ", '"x"', '"', "#", "{:}", "\t", "\u00e9", "\u00b2", "\ufeff",
)


def mutate_spec(text: str, pick: Pick) -> bytes:
    """One to three token-level mutations of spec ``text``, as bytes
    (sometimes with a byte-order mark or a byte that is not UTF-8). Most
    mutations keep the syntax (a name, number, operator or operand swapped
    for another), so that the spec gets past the parser to the type checker,
    the compiler and the search; the others break it."""
    toks = tokens(text)
    for _ in range(1 + pick(3)):
        toks = _mutate_tokens(toks, pick) if pick(3) == 0 else _swap_alike(toks, pick)
    return _damaged("".join(toks).encode("utf-8"), pick(12), pick)


_KEYWORDS = frozenset(t for t in SPEC_VOCABULARY if t.isidentifier()) - {"forallx"}
#: operators that may stand in for each other (the syntax stays valid)
_OPERATOR_CLASSES = (("+", "-", "*", "/", "%", "&"), ("==", "!=", "<", "<=", ">", ">=", "in", "subset"),
                     ("and", "or", "=>"), ("forall", "exists"))
#: operands of every type, to put where an operand is
OPERANDS = ("0", "1", "-1", "1000000", "999999999999999999", "true", "false", "none", '"x"', "{}", "[]", "{:}",
            "{1, 2}", "[1, 2]", "(1, 2)", "(a: 1)", "{1: 2}", "0..3", "0..1000000", "subsets(0..20)", "self",
            "Server[0]", "Server[7]", "[1][5]", "{:}[1]", "(a: 1).b", "1 / 0", "[1, 2][0:5]", "head([])",
            "choose x in {}: true", "max({})", "size(3)", "network", "sent", "crashed")


def _swap_alike(toks: list[str], pick: Pick) -> list[str]:
    """Swap one name, number, operator or operand for another of its kind."""
    names = [i for i, t in enumerate(toks) if t.isidentifier() and t not in _KEYWORDS]
    numbers = [i for i, t in enumerate(toks) if t.isdigit()]
    operators = [i for i, t in enumerate(toks) if any(t in c for c in _OPERATOR_CLASSES)]
    kind = pick(4)
    out = list(toks)
    if kind == 0 and names:
        i = names[pick(len(names))]
        out[i] = toks[names[pick(len(names))]]
    elif kind == 1 and numbers:
        out[numbers[pick(len(numbers))]] = _number(pick)
    elif kind == 2 and operators:
        i = operators[pick(len(operators))]
        cls = next(c for c in _OPERATOR_CLASSES if toks[i] in c)
        out[i] = cls[pick(len(cls))]
    elif names or numbers:
        operands = names + numbers
        out[operands[pick(len(operands))]] = OPERANDS[pick(len(OPERANDS))]
    return out


def _mutate_tokens(toks: list[str], pick: Pick) -> list[str]:
    if not toks:
        return [SPEC_VOCABULARY[pick(len(SPEC_VOCABULARY))]]
    # mutate a non-blank token when there is one
    solid = [i for i, t in enumerate(toks) if not t.isspace()] or list(range(len(toks)))
    i = solid[pick(len(solid))]
    op = pick(9)
    if op == 0:  # delete
        return toks[:i] + toks[i + 1:]
    if op == 1:  # repeat
        return toks[:i] + [toks[i], " ", toks[i]] + toks[i + 1:]
    if op == 2:  # swap with another token
        j = solid[pick(len(solid))]
        out = list(toks)
        out[i], out[j] = out[j], out[i]
        return out
    if op == 3:  # insert a keyword or punctuation
        return toks[:i] + [" ", SPEC_VOCABULARY[pick(len(SPEC_VOCABULARY))], " "] + toks[i:]
    if op == 4:  # replace
        return toks[:i] + [SPEC_VOCABULARY[pick(len(SPEC_VOCABULARY))]] + toks[i + 1:]
    if op == 5:  # truncate
        return toks[:i]
    if op == 6:  # an extreme number, where a number is (or anywhere)
        numbers = [k for k in solid if toks[k].isdigit()]
        k = numbers[pick(len(numbers))] if numbers else i
        return toks[:k] + [_number(pick)] + toks[k + 1:]
    if op == 7:  # a token copied from elsewhere in the spec
        j = solid[pick(len(solid))]
        return toks[:i] + [" ", toks[j], " "] + toks[i:]
    return toks[:i] + [" ", _nesting(pick), " "] + toks[i + 1:]  # deep nesting in place of a token


# ---- JSON documents (trace files, log lines) -----------------------------------

def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a JSON document (iteratively: documents are shallow)."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(doc, list):
        for k, v in enumerate(doc):
            out.extend(_paths(v, prefix + (k,)))
    return out


def odd_json(pick: Pick) -> Any:
    """A JSON value of a surprising type or size."""
    k = pick(14)
    if k == 0:
        return None
    if k == 1:
        return [True, False][pick(2)]
    if k == 2:
        return [-1, 0, 1, 2 ** 63, -(2 ** 63), 10 ** 30, int("9" * 400)][pick(7)]
    if k == 3:
        return [1.5, -0.0, 1e308, float("inf"), float("nan")][pick(5)]
    if k == 4:
        return ["", "x", "Server[0]", "Server[99]", "\x00", "\u202e", "<script>", "a" * 5000][pick(8)]
    if k == 5:
        return []
    if k == 6:
        return {}
    if k == 7:
        return [odd_json(pick)]
    if k == 8:
        return {"#set": [odd_json(pick)]}
    if k == 9:
        return {"#map": [[odd_json(pick), odd_json(pick)]]}
    if k == 10:
        return {"#msg": "M", "src": odd_json(pick)}
    if k == 11:
        return {"#tup": [1]}
    if k == 12:
        depth = [30, 200, 5000][pick(3)]
        doc: Any = 1
        for _ in range(depth):
            doc = [doc] if pick(2) else {"k": doc}
        return doc
    return {"#node": "Server", "index": odd_json(pick)}


def mutate_json(doc: Any, pick: Pick) -> Any:
    """One to three mutations of a JSON document: a value replaced by an odd
    one, a key deleted or renamed, a list cut or extended."""
    doc = json.loads(json.dumps(doc))
    for _ in range(1 + pick(3)):
        paths = _paths(doc)
        path = paths[pick(len(paths))]
        if not path:
            if pick(4) == 0:
                doc = odd_json(pick)
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        op = pick(5)
        if op == 0 and isinstance(parent, dict):
            del parent[key]
        elif op == 1 and isinstance(parent, dict):
            parent[str(key) + "_"] = parent.pop(key)
        elif op == 2 and isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key][: pick(len(parent[key]))]
        elif op == 3 and isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key] + [parent[key][pick(len(parent[key]))]]
        else:
            parent[key] = odd_json(pick)
    return doc


def dump_json(doc: Any, pick: Pick) -> bytes:
    """A JSON document as the bytes of a file, sometimes damaged: cut short,
    with a byte-order mark, a byte that is not UTF-8, or non-standard
    numbers (Python writes Infinity and NaN)."""
    data = json.dumps(doc, indent=[None, 1][pick(2)]).encode("utf-8")
    k = pick(10)
    if k == 0 and data:
        return data[: pick(len(data))]
    return _damaged(data, k - 1, pick)


# ---- JSON Lines logs and TOML mappings ------------------------------------------

def mutate_log(lines: list[str], pick: Pick) -> bytes:
    """A JSON Lines log with one to three lines damaged, deleted, repeated
    or reordered."""
    lines = list(lines)
    for _ in range(1 + pick(3)):
        if not lines:
            lines.append("{}")
        i = pick(len(lines))
        op = pick(5)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = pick(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            try:
                doc = json.loads(lines[i])
            except ValueError:
                doc = {}
            lines[i] = json.dumps(mutate_json(doc, pick))
        else:
            toks = tokens(lines[i])
            lines[i] = "".join(_mutate_tokens(toks, pick))
    return _damaged(("\n".join(lines) + "\n").encode("utf-8"), pick(10), pick)


TOML_VOCABULARY = ("[", "]", "[[", "]]", "=", '"', "'", ",", "{", "}", ".", "\n", "#", "true", "false", "1",
                   "-1", "9" * 5000, "1e999", "nan", "inf", "events", "log", "nodes", "tables", "validate",
                   "step", "node", "from", "to", "fields", "observe", "match", "regex", "lookup", "each",
                   "record", "tuple", "seq", "first", "int", "value", "null", "kind", "time", "skip", "silent",
                   "max_silent", "max_candidates", '"(?P<x>"', '"Server[9]"', '"Server.on Nope"')


def mutate_toml(text: str, pick: Pick) -> bytes:
    """One to three token-level mutations of a TOML mapping."""
    toks = tokens(text)
    for _ in range(1 + pick(3)):
        if not toks:
            toks = ["["]
        solid = [i for i, t in enumerate(toks) if not t.isspace()] or [0]
        i = solid[pick(len(solid))]
        op = pick(5)
        if op == 0:
            toks = toks[:i] + toks[i + 1:]
        elif op == 1:
            toks = toks[:i] + [TOML_VOCABULARY[pick(len(TOML_VOCABULARY))]] + toks[i:]
        elif op == 2:
            toks = toks[:i] + [TOML_VOCABULARY[pick(len(TOML_VOCABULARY))]] + toks[i + 1:]
        elif op == 3:
            j = solid[pick(len(solid))]
            toks = toks[:i] + [toks[j]] + toks[i:]
        else:
            toks = toks[:i]
    data = "".join(toks).encode("utf-8")
    if pick(10) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


def _damaged(data: bytes, k: int, pick: Pick) -> bytes:
    """``data`` with a byte-order mark in front (``k`` 0) or a byte that is
    not UTF-8 inside (``k`` 1); as it is otherwise."""
    if k == 0:
        return b"\xef\xbb\xbf" + data
    if k == 1 and data:
        at = pick(len(data))
        return data[:at] + bytes([0x80 + pick(128)]) + data[at:]
    return data
