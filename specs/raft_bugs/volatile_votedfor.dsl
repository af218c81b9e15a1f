# Raft where votedFor is not kept on stable storage: a server that crashes
# forgets whom it voted for in its current term. specs/raft.dsl with
# votedFor volatile.
#
# The shortest counterexample (one term is enough): Server[0] leads term 1
# with Server[1]'s vote; its RequestVote to Server[2] is lost; Server[0]
# crashes and restarts in term 1 having forgotten its vote (for itself);
# Server[2] times out into term 1 and gets Server[0]'s vote: two leaders
# in term 1, over the history of elections (ElectionSafety: 9 steps).
# 12,164 distinct states with symmetry.

spec RaftVolatileVotedFor

const Servers = 3
const MaxTerm = 1
const MaxLogLen = 1
const Values = 1
const Batch = 1
const MaxInFlight = 2
network unordered
faults { loss <= 1, crash Server <= 1, restart Server <= 1 }
symmetric Server

message RequestVote(term, lastLogIndex, lastLogTerm)
message Vote(term)
message AppendEntries(term, prevLogIndex, prevLogTerm, entries, leaderCommit)
message AppendEntriesResponse(term, success, matchIndex)

# History (ghost) variables, read only by the properties.
var elections = {}            # (term, leader) of every election won
var committed = {}            # (index, entry, term) of every entry a leader committed, in its term
var applied = {}              # (index, value) of every command any server applied

def Quorum(s) = 2 * size(s) > Servers
def LastTerm(l) = if len(l) == 0 then 0 else last(l).term
# The receiver's log is at least as up to date as (lastTerm, lastIndex).
def UpToDate(lastTerm, lastIndex, l) =
  lastTerm > LastTerm(l) or (lastTerm == LastTerm(l) and lastIndex >= len(l))
# An RPC between a leader and f is in flight (one outstanding RPC each).
def Busy(l, f) = exists m in network:
  (m is AppendEntries and m.src == l and m.dst == f) or (m is AppendEntriesResponse and m.src == f and m.dst == l)

role Server[Servers] {
  persistent var currentTerm = 0
  var votedFor = none                     # BUG: forgotten on a crash
  persistent var log = []
  var state = "follower"
  var votes = {}                # candidate: who voted for it in currentTerm
  var nextIndex = {:}           # leader: per follower
  var matchIndex = {:}          # leader: per follower
  var commitIndex = 0
  var lastApplied = 0

  # ---- leader election ------------------------------------------------
  timeout election when state != "leader" and currentTerm < MaxTerm {
    currentTerm = currentTerm + 1
    state = "candidate"
    votedFor = self
    votes = {self}
    broadcast RequestVote(currentTerm, len(log), LastTerm(log)) to Server - {self}
  }

  on RequestVote(term, lastLogIndex, lastLogTerm) from c {
    if term > currentTerm {                     # a newer term: step down
      currentTerm = term; votedFor = none
      state = "follower"; votes = {}; nextIndex = {:}; matchIndex = {:}
    }
    if term == currentTerm and (votedFor == none or votedFor == c)
       and UpToDate(lastLogTerm, lastLogIndex, log) {
      votedFor = c
      reply Vote(currentTerm)
    }
  }

  # A vote carries the candidate's own term: the voter had adopted it.
  on Vote(term) from v {
    if term == currentTerm and state == "candidate" {
      votes = votes + {v}
      if Quorum(votes) {
        state = "leader"; votes = {}
        nextIndex = {f: len(log) + 1 for f in Server - {self}}
        matchIndex = {f: 0 for f in Server - {self}}
        elections = elections + {(term: currentTerm, leader: self)}
      }
    }
  }

  # ---- log replication --------------------------------------------------
  action propose(v in 1..Values) when state == "leader" and len(log) < MaxLogLen {
    log = append(log, (term: currentTerm, value: v))
  }

  action replicate when state == "leader" and exists f in Server: f != self and not Busy(self, f) {
    for f in Server - {self} {
      if not Busy(self, f) {
        let prev = nextIndex[f] - 1
        send AppendEntries(currentTerm, prev, if prev == 0 then 0 else log[prev - 1].term,
                           log[prev:prev + Batch], commitIndex) to f
      }
    }
  }

  on AppendEntries(term, prevLogIndex, prevLogTerm, entries, leaderCommit) from l {
    if term < currentTerm {
      reply AppendEntriesResponse(currentTerm, false, 0)
    } else {
      let wasLeader = state == "leader" and term == currentTerm   # two leaders in one term
      let before = log
      if term > currentTerm {
        currentTerm = term; votedFor = none
      }
      state = "follower"; votes = {}; nextIndex = {:}; matchIndex = {:}
      if prevLogIndex == 0 or (prevLogIndex <= len(log) and log[prevLogIndex - 1].term == prevLogTerm) {
        let index = prevLogIndex
        for e in entries {
          index = index + 1
          if len(log) >= index and log[index - 1].term != e.term {
            log = log[:index - 1]                 # a conflict: drop it and all that follow
          }
          if len(log) < index {
            log = append(log, e)
          }
        }
        assert LeaderAppendOnly: not wasLeader or log[:len(before)] == before
        if leaderCommit > commitIndex {
          commitIndex = max({commitIndex, min({leaderCommit, prevLogIndex + len(entries)})})
        }
        reply AppendEntriesResponse(currentTerm, true, prevLogIndex + len(entries))
      } else {
        reply AppendEntriesResponse(currentTerm, false, 0)
      }
    }
  }

  on AppendEntriesResponse(term, success, matchIdx) from f {
    if term > currentTerm {                     # a newer term: step down
      currentTerm = term; votedFor = none
      state = "follower"; votes = {}; nextIndex = {:}; matchIndex = {:}
    } else if term == currentTerm and state == "leader" {
      if success {
        matchIndex[f] = max({matchIndex[f], matchIdx})
        nextIndex[f] = max({nextIndex[f], matchIdx + 1})
        # Commit the last index a majority stores, if its entry is of this term.
        let agreed = {n for n in (commitIndex + 1)..len(log)
                        if Quorum({self} + {s for s in keys(matchIndex) if matchIndex[s] >= n})
                           and log[n - 1].term == currentTerm}
        if agreed != {} {
          for n in (commitIndex + 1)..max(agreed) {
            committed = committed + {(index: n, entry: log[n - 1], term: currentTerm)}
          }
          commitIndex = max(agreed)
        }
      } else {
        nextIndex[f] = max({1, nextIndex[f] - 1})
      }
    }
  }

  # ---- the state machine ------------------------------------------------
  action apply when lastApplied < commitIndex {
    for n in (lastApplied + 1)..commitIndex {
      applied = applied + {(index: n, value: log[n - 1].value)}
    }
    lastApplied = commitIndex
  }
}

# Bounds (TLC's CONSTRAINT): states outside are neither counted nor explored.
constraint size(network) <= MaxInFlight

invariant ElectionSafety:
  forall e, f in elections: e.term == f.term => e.leader == f.leader
invariant LogMatching:
  forall a, b in Server: forall n in 1..min({len(a.log), len(b.log)}):
    a.log[n - 1].term == b.log[n - 1].term => a.log[:n] == b.log[:n]
invariant LeaderCompleteness:
  forall s in Server: forall c in committed:
    (s.state == "leader" and s.currentTerm > c.term) => (len(s.log) >= c.index and s.log[c.index - 1] == c.entry)
invariant CommittedStays:
  forall c in committed: Quorum({s for s in Server if len(s.log) >= c.index and s.log[c.index - 1] == c.entry})
invariant StateMachineSafety:
  forall p, q in applied: p.index == q.index => p.value == q.value

# Every run ends when the bounds stop elections and proposals and the
# network is quiet: that is not a deadlock.
terminal true

expect violation ElectionSafety
expect holds LogMatching
expect holds LeaderCompleteness
expect holds CommittedStays
expect holds StateMachineSafety
expect holds LeaderAppendOnly
