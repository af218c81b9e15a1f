# Raft at the granularity of PySyncObj 0.3.x (github.com/bakwc/PySyncObj),
# the model `checker validate` checks PySyncObj's run-time logs against
# (examples/pysyncobj/). Each step is one unit of PySyncObj's code: an
# election timeout, the handling of one message, one AppendEntries sent to
# one peer, a client command appended by the leader, the leader advancing
# its commit index, one entry applied, a node killed.
#
# Where PySyncObj differs from the Raft paper the model follows PySyncObj
# (each difference is marked "PySyncObj:"); the three that show in its logs
# are switches (true: PySyncObj, false: the paper), so that
# `checker validate --const LeaderNoop=false ...` shows the deviation:
#  - InitialNoop: every log starts with a NO-OP entry at index 1, term 0;
#    commitIndex and lastApplied start at 1 (the paper: empty, 0 and 0);
#  - LeaderNoop: a new leader appends a NO-OP of its term (the paper only
#    suggests it, in section 8);
#  - OptimisticNext: the leader advances nextIndex when it sends entries
#    (pipelining), not when the follower acknowledges them;
#  - PersistentCommit: a restarted node reloads the commit index it last
#    stored in its journal (PySyncObj stores it lazily, once a second: any
#    value up to the one it had), and re-applies the log up to it (the
#    paper: commitIndex is volatile, 0 after a restart);
# and, without a switch:
#  - stale RequestVote/AppendEntries (lower term) are ignored, not answered;
#    only granted votes are answered; a vote is never granted twice in a
#    term, not even again to the same candidate;
#  - a candidate counts vote responses, not voters;
#  - AppendEntries are answered with NextNodeIdx(next, success, reset), a
#    message without a term; the leader acts on it whatever its term;
#  - a follower truncates its log after prevLogIdx on every accepted
#    AppendEntries, heartbeats included, not only on a conflict;
#  - the leader steps down by itself when it has not heard from a majority
#    for a while (`step_down`).
#
# Log indexes are 1-based as in PySyncObj: entry i is log[i - 1]. The
# vocabulary (message names, currentTerm, votedFor, log, commitIndex, ...)
# is that of specs/raft.dsl; the steps are PySyncObj's, which are finer.

spec RaftPySyncObj

const N = 3
const InitialNoop = true
const LeaderNoop = true
const OptimisticNext = true
const PersistentCommit = true
const Values = ["a", "b", "c", "d", "e", "f"]
const NValues = 1          # client commands the model may issue: Values[0:NValues]
const MaxTerm = 1          # bounds for `checker run` (trace validation ignores constraints)
const MaxLog = 2
const MaxCrashes = 1       # nodes that may be killed
const MaxInFlight = 2      # messages in flight (heartbeats could queue up forever)
network fifo               # PySyncObj sends over one TCP connection per pair of nodes
const MaxLoss = 0          # a send on a broken connection is a loss (validation raises it)
faults { loss <= MaxLoss }

message RequestVote(term, lastLogIndex, lastLogTerm)
message ResponseVote(term)
message AppendEntries(term, prevLogIdx, prevLogTerm, entries, commitIndex)
message NextNodeIdx(nextNodeIdx, success, reset)

def InitCommit() = if InitialNoop then 1 else 0
def TermAt(l, i) = if i == 0 then 0 else l[i - 1].term
def LastTerm(l) = TermAt(l, len(l))
# Indexes past the commit index that a majority (the leader and matching
# followers) holds and whose entry is of the leader's term.
def Committable(l, match, commit, term) =
  {i for i in (commit + 1)..len(l)
     if 2 * (1 + size({p for p in keys(match) if match[p] >= i})) > N and l[i - 1].term == term}

role Server[N] {
  var currentTerm = 0
  var votedFor = none
  var log = if InitialNoop then [(term: 0, cmd: "noop")] else []
  var state = "follower"
  var votes = 0
  var commitIndex = InitCommit()
  var lastApplied = InitCommit()
  var nextIndex = {:}
  var matchIndex = {:}
  var alive = true

  timeout election when alive and state != "leader" {
    state = "candidate"
    currentTerm = currentTerm + 1
    votedFor = self
    votes = 1
    for p in Server - {self} {
      send RequestVote(currentTerm, len(log), LastTerm(log)) to p
    }
  }

  on RequestVote(term, lastLogIndex, lastLogTerm) from c when alive {
    if term > currentTerm {
      currentTerm = term
      votedFor = none
      state = "follower"
    }
    if state != "leader" and term >= currentTerm and votedFor == none
        and (lastLogTerm > LastTerm(log) or (lastLogTerm == LastTerm(log) and lastLogIndex >= len(log))) {
      votedFor = c
      reply ResponseVote(term)
    }
  }

  on ResponseVote(term) from v when alive {
    if state == "candidate" and term == currentTerm {
      votes = votes + 1
      if 2 * votes > N {
        state = "leader"
        nextIndex = {p: len(log) + 1 for p in Server - {self}}
        matchIndex = {p: 0 for p in Server - {self}}
        if LeaderNoop {
          log = append(log, (term: currentTerm, cmd: "noop"))
        }
      }
    }
  }

  # One AppendEntries to one peer: every entry from nextIndex on.
  action send_append(p in Server) when alive and state == "leader" and p != self {
    let prev = nextIndex[p] - 1
    if prev > len(log) {
      # PySyncObj: prevLogIdx/prevLogTerm are None past the leader's log.
      send AppendEntries(currentTerm, none, none, [], commitIndex) to p
    } else {
      send AppendEntries(currentTerm, prev, TermAt(log, prev), log[prev:], commitIndex) to p
      if OptimisticNext and prev < len(log) {
        nextIndex[p] = len(log) + 1
      }
    }
  }

  on AppendEntries(term, prevLogIdx, prevLogTerm, entries, leaderCommit) from l when alive {
    if term >= currentTerm {
      if term > currentTerm {
        currentTerm = term
        votedFor = none
      }
      state = "follower"
      if prevLogIdx == none or prevLogIdx > len(log) {
        reply NextNodeIdx(len(log) + 1, false, true)
      } else if TermAt(log, prevLogIdx) != prevLogTerm {
        reply NextNodeIdx(prevLogIdx, false, true)
      } else {
        log = log[0:prevLogIdx] + entries
        reply NextNodeIdx(prevLogIdx + len(entries) + 1, true, false)
        if commitIndex > len(log) {
          commitIndex = len(log)
        }
        if leaderCommit > commitIndex {
          commitIndex = min({leaderCommit, len(log)})
        }
      }
    }
  }

  on NextNodeIdx(next, success, reset) from f when alive {
    if state == "leader" {
      if reset {
        nextIndex[f] = next
      }
      if success and matchIndex[f] < next - 1 {
        matchIndex[f] = next - 1
        nextIndex[f] = next
      }
    }
  }

  action client_request(v in set(Values[0:NValues])) when alive and state == "leader" {
    log = append(log, (term: currentTerm, cmd: v))
  }

  action advance_commit when alive and state == "leader"
      and size(Committable(log, matchIndex, commitIndex, currentTerm)) > 0 {
    commitIndex = max(Committable(log, matchIndex, commitIndex, currentTerm))
  }

  action apply when alive and lastApplied < commitIndex {
    lastApplied = lastApplied + 1
  }

  # PySyncObj: leaderFallbackTimeout without responses from a majority.
  action step_down when alive and state == "leader" {
    state = "follower"
  }

  action crash when alive and size({s for s in Server if not s.alive}) < MaxCrashes {
    alive = false
  }

  # A killed node started again on its journal: the log, currentTerm and
  # votedFor survive (PySyncObj stores the last two before any message that
  # shows them); the role, the votes, nextIndex/matchIndex and lastApplied
  # do not; the commit index is the one last stored (PersistentCommit).
  action restart(c in 0..commitIndex)
      when not alive and c >= InitCommit() and (PersistentCommit or c == InitCommit()) {
    alive = true
    state = "follower"
    votes = 0
    nextIndex = {:}
    matchIndex = {:}
    commitIndex = c
    lastApplied = InitCommit()
  }
}

# At most one leader per term.
invariant ElectionSafety:
  forall a, b in Server: (a.state == "leader" and b.state == "leader" and a.currentTerm == b.currentTerm) => a == b

# Nodes never apply different commands at the same index.
invariant StateMachineSafety:
  forall a, b in Server: forall i in 1..min({a.lastApplied, b.lastApplied, len(a.log), len(b.log)}):
    a.log[i - 1] == b.log[i - 1]

constraint size(network) <= MaxInFlight
constraint forall s in Server: s.currentTerm <= MaxTerm and len(s.log) <= MaxLog
terminal true

expect holds ElectionSafety
expect holds StateMachineSafety
