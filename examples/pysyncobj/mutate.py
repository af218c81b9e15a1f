"""Hand-made bugs in a recorded PySyncObj log, for the validator to catch.

Each function takes the log's lines and returns (mutated lines, the
1-based line number where the validator must reject it, a description):

- `vote_twice`: in the split vote, a candidate that voted for itself
  grants its vote to the other candidate as well (two votes in one term);
- `apply_before_commit`: the leader applies a command right after
  appending it, before any commit;
- `reordered_apply`: a node applies two entries in the wrong order.

    python examples/pysyncobj/mutate.py run.jsonl OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _events(lines: list[str]) -> list[dict]:
    return [json.loads(x) for x in lines]


def vote_twice(lines: list[str]) -> tuple[list[str], int, str]:
    evs = _events(lines)
    for i, e in enumerate(evs):
        st = e.get("state", {})
        if e["event"] == "recv_request_vote" and st.get("role") == "candidate" and st.get("voted_for") == e["node"] \
                and st.get("term") == e["msg"]["term"]:
            e = json.loads(lines[i])
            e["state"]["voted_for"] = e["from"]
            reply = {"seq": e["seq"], "t": e["t"], "event": "send_response_vote", "node": e["node"], "to": e["from"],
                     "msg": {"term": e["msg"]["term"]}}
            out = lines[:i] + [json.dumps(e), json.dumps(reply)] + lines[i + 1:]
            return out, i + 1, (f"{e['node']} voted for itself in term {e['msg']['term']}, then grants its vote "
                                f"to {e['from']} too")
    raise ValueError("the log has no split vote (a candidate rejecting another candidate)")


def apply_before_commit(lines: list[str]) -> tuple[list[str], int, str]:
    evs = _events(lines)
    for i, e in enumerate(evs):
        if e["event"] != "client_request":
            continue
        for j in range(i + 1, len(evs)):
            a = evs[j]
            if a["event"] == "apply" and a["node"] == e["node"] and a["index"] == e["index"]:
                out = lines[: i + 1] + [lines[j]] + lines[i + 1: j] + lines[j + 1:]
                return out, i + 2, (f"{e['node']} applies entry {e['index']} ({e['cmd']!r}) right after appending "
                                    "it, before it is committed")
    raise ValueError("the log has no command applied by the node that appended it")


def reordered_apply(lines: list[str]) -> tuple[list[str], int, str]:
    evs = _events(lines)
    for i, e in enumerate(evs):
        if e["event"] != "apply" or e["cmd"] == "noop":
            continue
        for j in range(i + 1, len(evs)):
            a = evs[j]
            if a["event"] == "apply" and a["node"] == e["node"] and a["index"] == e["index"] + 1:
                out = list(lines)
                out[i], out[j] = lines[j], lines[i]
                return out, i + 1, (f"{e['node']} applies entry {a['index']} ({a['cmd']!r}) before entry "
                                    f"{e['index']} ({e['cmd']!r})")
    raise ValueError("the log has no node applying two commands")


MUTATIONS = {"vote_twice": vote_twice, "apply_before_commit": apply_before_commit, "reordered_apply": reordered_apply}


def write_all(log: str, out_dir: str) -> dict[str, tuple[str, int, str]]:
    """Write each mutation of ``log`` into ``out_dir``; returns
    {name: (path, line to reject, description)}."""
    lines = Path(log).read_text().splitlines()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    done = {}
    for name, fn in MUTATIONS.items():
        out, line, what = fn(lines)
        path = Path(out_dir) / f"{name}.jsonl"
        path.write_text("\n".join(out) + "\n")
        done[name] = (str(path), line, what)
    return done


if __name__ == "__main__":
    for _name, (path, line, what) in write_all(sys.argv[1], sys.argv[2]).items():
        print(f"{path}: line {line}: {what}")
