"""Hand-made bugs (and harmless changes) in a recorded PySyncObj run.

A run is a directory of per-node logs (``node0.jsonl`` ...) written by
``harness.py``. Each mutation takes {file name: lines} and returns the
mutated files, the file and 1-based line where the validator must reject
it (None for a harmless change, which it must accept), and a description:

- `double_vote`: a node that voted for one candidate grants a second
  candidate its vote in the same term (needs a split vote: kill-leader);
- `two_leaders`: a follower of the term's leader says it is leader too;
- `apply_before_commit`: the leader applies a command right after
  appending it, before it is committed;
- `wrong_apply`: a node applies another command than its log holds;
- `term_back`: a node's term goes back;
- `recv_never_sent`: a node receives an AppendEntries twice, sent once;
- `deleted_send`: a vote response's send line is removed (the receive is
  rejected when the mapping has ``require_send``);
- `whitespace` and `swapped_concurrent` (harmless): blank lines and
  spaces; two adjacent lines of different nodes (independent applies)
  swapped.

    python examples/pysyncobj/mutate.py RUN_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

Files = dict[str, list[str]]
Result = tuple[Files, str | None, int | None, str]


def _ev(line: str) -> dict:
    return json.loads(line)


def _merged(files: Files) -> list[tuple[int, str, int, dict]]:
    """(t, file, 0-based index, event) of every line, in time order."""
    out = [(_ev(x)["t"], f, i, _ev(x)) for f, lines in files.items() for i, x in enumerate(lines) if x.strip()]
    return sorted(out)


def _insert(files: Files, f: str, i: int, event: dict) -> Files:
    """``event`` as the line after line ``i`` of ``f`` (its time just after)."""
    out = {k: list(v) for k, v in files.items()}
    event = dict(event, t=_ev(out[f][i])["t"] + 1)
    out[f].insert(i + 1, json.dumps(event))
    return out


def _replace(files: Files, f: str, i: int, event: dict) -> Files:
    out = {k: list(v) for k, v in files.items()}
    out[f][i] = json.dumps(event)
    return out


def _unit_end(lines: list[str], i: int) -> int:
    """The last line of the message-handling unit whose ``recv`` is line
    ``i`` (its effects and sends follow it, ctx "recv")."""
    j = i
    while j + 1 < len(lines) and _ev(lines[j + 1])["ctx"] == "recv" and _ev(lines[j + 1])["kind"] != "recv":
        j += 1
    return j


def double_vote(files: Files) -> Result:
    evs = _merged(files)
    for _, f, i, e in evs:
        if e["kind"] == "recv" and e["msg"].get("type") == "request_vote":
            # granted? a term_vote naming the candidate follows in this node's unit
            nxt = [_ev(x) for x in files[f][i + 1:i + 4]]
            if not any(x["kind"] == "term_vote" and x.get("vote") == e["from"] for x in nxt):
                vote = {"node": e["node"], "kind": "term_vote", "ctx": "recv", "term": e["msg"]["term"],
                        "vote": e["from"]}
                end = _unit_end(files[f], i)
                return (_insert(files, f, end, vote), f, end + 2,
                        f"{e['node']} grants {e['from']} its vote in term {e['msg']['term']}, having voted already")
    raise ValueError("the run has no denied vote (record a split vote: --scenario kill-leader)")


def two_leaders(files: Files) -> Result:
    evs = _merged(files)
    for _, f, i, e in evs:
        if e["kind"] == "recv" and e["msg"].get("type") == "append_entries" and e["msg"]["entries"]:
            role = {"node": e["node"], "kind": "role", "ctx": "recv", "role": 2}
            end = _unit_end(files[f], i)
            return (_insert(files, f, end, role), f, end + 2,
                    f"{e['node']} becomes leader of term {e['msg']['term']}, whose leader is {e['from']}")
    raise ValueError("the run has no AppendEntries with entries")


def apply_before_commit(files: Files) -> Result:
    for f, lines in files.items():
        evs = [_ev(x) for x in lines]
        for i, e in enumerate(evs):
            if e["kind"] == "log_append" and e["ctx"] == "tick":
                j = next((j for j in range(i + 1, len(evs)) if evs[j]["kind"] == "apply"
                          and evs[j]["index"] == e["index"]), None)
                if j is not None:
                    out = {k: list(v) for k, v in files.items()}
                    moved = dict(evs[j], t=e["t"] + 1)
                    del out[f][j]
                    out[f].insert(i + 1, json.dumps(moved))
                    return out, f, i + 2, f"{e['node']} applies entry {e['index']} right after appending it"
    raise ValueError("the run has no command applied by the leader that appended it")


def wrong_apply(files: Files) -> Result:
    for f, lines in files.items():
        for i, x in enumerate(lines):
            e = _ev(x)
            if e["kind"] == "apply" and e["args"]:
                return (_replace(files, f, i, dict(e, args=["z"])), f, i + 1,
                        f"{e['node']} applies 'z' as entry {e['index']} (its log holds {e['args'][0]!r})")
    raise ValueError("the run applies no command")


def term_back(files: Files) -> Result:
    for _, f, i, e in _merged(files):
        later = [_ev(x) for x in files[f][i + 1:]]
        unit = later[:next((k for k, x in enumerate(later) if x["kind"] == "recv" or x["ctx"] != "recv"), len(later))]
        if e["kind"] == "term_vote" and e["term"] >= 2 and e["ctx"] == "recv" and \
                not any(x["kind"] == "term_vote" for x in unit):  # the term the handler ends with
            return (_replace(files, f, i, dict(e, term=e["term"] - 1)), f, i + 1,
                    f"{e['node']}'s term goes back to {e['term'] - 1}")
    raise ValueError("the run has no term change to 2 or more in a handler")


def recv_never_sent(files: Files) -> Result:
    for _, f, i, e in _merged(files):
        if e["kind"] == "recv" and e["msg"].get("type") == "append_entries":
            return (_insert(files, f, i, {k: v for k, v in e.items() if k != "t"}), f, i + 2,
                    f"{e['node']} receives the AppendEntries from {e['from']} a second time")
    raise ValueError("the run has no AppendEntries")


def deleted_send(files: Files) -> Result:
    for _, f, i, e in _merged(files):
        if e["kind"] == "send" and e["msg"].get("type") == "response_vote":
            dst = f"{e['to']}.jsonl"
            out = {k: list(v) for k, v in files.items()}
            del out[f][i]
            for j, x in enumerate(out[dst]):
                r = _ev(x)
                if r["kind"] == "recv" and r["from"] == e["node"] and r["msg"] == e["msg"] and r["t"] > e["t"]:
                    return out, dst, j + 1, f"{e['node']}'s send of {e['msg']} to {e['to']} is not in the log"
    raise ValueError("the run has no vote response received")


def whitespace(files: Files) -> Result:
    out = {k: ["", *(f"  {x.replace(': ', ':  ')}  " for x in v), "   "] for k, v in files.items()}
    return out, None, None, "blank lines, and spaces inside and around every line"


def swapped_concurrent(files: Files) -> Result:
    evs = _merged(files)
    for (ta, fa, ia, a), (tb, fb, ib, b) in zip(evs, evs[1:]):
        if fa != fb and a["kind"] == b["kind"] == "apply":
            out = _replace(files, fa, ia, dict(a, t=tb))
            out = _replace(out, fb, ib, dict(b, t=ta))
            return out, None, None, f"{a['node']}'s and {b['node']}'s applies of entry {a['index']} swapped"
    raise ValueError("the run has no two adjacent applies at different nodes")


MUTATIONS: dict[str, Callable[[Files], Result]] = {
    "double_vote": double_vote, "two_leaders": two_leaders, "apply_before_commit": apply_before_commit,
    "wrong_apply": wrong_apply, "term_back": term_back, "recv_never_sent": recv_never_sent,
    "deleted_send": deleted_send, "whitespace": whitespace, "swapped_concurrent": swapped_concurrent,
}


def read_run(run_dir: str) -> Files:
    return {p.name: p.read_text().splitlines() for p in sorted(Path(run_dir).glob("node*.jsonl"))}


def write_all(run_dir: str, out_dir: str) -> dict[str, tuple[list[str], str | None, int | None, str]]:
    """Each mutation of the run in ``out_dir/<name>/``; returns {name:
    (its log paths, path to reject at or None, line or None, description)}."""
    files = read_run(run_dir)
    done = {}
    for name, fn in MUTATIONS.items():
        out, f, line, what = fn(files)
        d = Path(out_dir) / name
        d.mkdir(parents=True, exist_ok=True)
        for k, lines in out.items():
            (d / k).write_text("\n".join(lines) + "\n")
        done[name] = ([str(d / k) for k in sorted(out)], str(d / f) if f else None, line, what)
    return done


if __name__ == "__main__":
    for name, (_, path, line, what) in write_all(sys.argv[1], sys.argv[2]).items():
        print(f"{name}: {'accept' if path is None else f'reject at {path}:{line}'}: {what}")
