"""Hand-made bugs in a recorded etcd run (a directory of member logs), for
the validator to catch. Each mutation takes {file name: lines} and returns
the mutated files, the file and 1-based line where the validator must
reject it, and a description:

- `double_vote`: a member casts its vote in a term for a second candidate;
- `two_leaders`: a second member becomes leader in the leader's term;
- `term_back`: a member becomes follower at an older term;
- `recv_never_sent`: a candidate counts a vote response a second time.

    python examples/etcd/mutate.py RUN_DIR OUT_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

Files = dict[str, list[str]]
CAST = re.compile(r"^(\w+) (\[.*\]) cast MsgVote for (\w+) (\[.*\]) at term (\d+)$")


def _msg(line: str) -> str:
    try:
        return json.loads(line).get("msg", "")
    except json.JSONDecodeError:
        return ""


def _with_msg(line: str, msg: str) -> str:
    d = json.loads(line)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def _ids(files: Files) -> list[str]:
    ids = []
    for lines in files.values():
        m = next((re.match(r"^newRaft (\w+) ", _msg(x)) for x in lines if _msg(x).startswith("newRaft ")), None)
        if m:
            ids.append(m.group(1))
    return ids


def double_vote(files: Files):
    ids = _ids(files)
    for f, lines in sorted(files.items()):
        for i, x in enumerate(lines):
            m = CAST.match(_msg(x))
            if m:
                voter, cand = m.group(1), m.group(3)
                other = next(k for k in ids if k not in (voter, cand))
                out = dict(files)
                out[f] = lines[: i + 1] + [_with_msg(x, f"{voter} {m.group(2)} cast MsgVote for {other} "
                                                         f"{m.group(4)} at term {m.group(5)}")] + lines[i + 1:]
                return out, f, i + 2, f"{voter} votes for {other} too in term {m.group(5)}"
    raise ValueError("the run has no vote cast")


def two_leaders(files: Files):
    ids = _ids(files)
    for f, lines in sorted(files.items()):
        for x in lines:
            m = re.match(r"^(\w+) became leader at term (\d+)$", _msg(x))
            if m:
                ts = json.loads(x)["ts"]
                g = next(k for k, v in sorted(files.items()) if k != f)
                gid = next(k for k in ids if any(_msg(y).startswith(k) for y in files[g]))
                j = next((j for j, y in enumerate(files[g]) if json.loads(y)["ts"] > ts), len(files[g]))
                line = json.dumps({"level": "info", "ts": ts, "caller": "raft/raft.go:771",
                                   "msg": f"{gid} became leader at term {m.group(2)}"}, separators=(",", ":"))
                out = dict(files)
                out[g] = files[g][:j] + [line] + files[g][j:]
                return out, g, j + 1, f"{gid} becomes leader in term {m.group(2)} too"
    raise ValueError("the run has no leader")


def term_back(files: Files):
    for f, lines in sorted(files.items()):
        for i, x in enumerate(lines):
            m = re.match(r"^(\w+) became follower at term (\d+)$", _msg(x))
            if m and int(m.group(2)) >= 2:
                out = dict(files)
                out[f] = list(lines)
                out[f][i] = _with_msg(x, f"{m.group(1)} became follower at term {int(m.group(2)) - 1}")
                return out, f, i + 1, f"{m.group(1)} goes back to term {int(m.group(2)) - 1}"
    raise ValueError("the run has no term change")


def recv_never_sent(files: Files):
    for f, lines in sorted(files.items()):
        for i, x in enumerate(lines):
            m = re.match(r"^(\w+) received MsgVoteResp from (\w+) at term (\d+)$", _msg(x))
            if m and m.group(1) != m.group(2):
                out = dict(files)
                out[f] = lines[: i + 1] + [x] + lines[i + 1:]
                return out, f, i + 2, f"{m.group(1)} receives {m.group(2)}'s vote a second time"
    raise ValueError("the run has no vote response")


MUTATIONS = {"double_vote": double_vote, "two_leaders": two_leaders, "term_back": term_back,
             "recv_never_sent": recv_never_sent}


def write_all(run_dir: str, out_dir: str) -> dict[str, tuple[list[str], str, int, str]]:
    files = {p.name: p.read_text().splitlines() for p in sorted(Path(run_dir).glob("node*.jsonl"))}
    done = {}
    for name, fn in MUTATIONS.items():
        out, f, line, what = fn(files)
        d = Path(out_dir) / name
        d.mkdir(parents=True, exist_ok=True)
        for k, lines in out.items():
            (d / k).write_text("\n".join(lines) + "\n")
        done[name] = ([str(d / k) for k in sorted(out)], str(d / f), line, what)
    return done


if __name__ == "__main__":
    for name, (_, path, line, what) in write_all(sys.argv[1], sys.argv[2]).items():
        print(f"{name}: reject at {path}:{line}: {what}")
