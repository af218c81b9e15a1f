# Raft: a faithful translation of Diego Ongaro's raft.tla
# (github.com/ongardie/raft.tla), checked with TLC's state constraint
# MaxTerm / MaxLogLen / MaxDup / MaxMsgs below.
#
# Correspondence, so that the reachable states match TLC's one to one:
# - `messages` (a bag: a function Message -> count) is the unordered
#   network; msource/mdest are every message's src/dst. Receive(m) is one
#   handler per message type, on the receiving server m.mdest.
# - A branch of Receive that leaves the message in the bag (UpdateTerm,
#   returning to follower, removing or appending a log entry: UNCHANGED
#   messages) says `keep`; Discard(m) is the default of a handler and
#   Reply(r, m) is `reply`.
# - DuplicateMessage / DropMessage are global actions over the distinct
#   messages in flight (`resend m`, `discard m`): unbounded, like raft.tla;
#   the constraint bounds the space.
# - The history variables elections, allLogs and voterLog and the logs
#   copied into messages (mlog) are kept. Next's conjunct
#   allLogs' = allLogs \cup {log[i] : i \in Server} is the first statement
#   of every step (it reads the logs before the step).
# - Nil is `none`; Follower/Candidate/Leader are strings; Value is 1..Values.
# - TLA+ sequences are 1-based and ours 0-based: indexes keep their TLA+
#   values (nextIndex, mprevLogIndex, commitIndex ...) and every access
#   subtracts one: log[i][k] is log[k - 1].
#
# TLC, Values = 2, MaxDup = 1, MaxMsgs = 1 (TLC's depth counts states; ours
# counts steps, one less):
#   Servers = 2, MaxTerm = 2, MaxLogLen = 0:   1,340 distinct states, depth 20
#   Servers = 2, MaxTerm = 2, MaxLogLen = 1:   2,180 distinct states, depth 28
#   Servers = 3, MaxTerm = 2, MaxLogLen = 0: 705,532 distinct states, depth 39
# With symmetry reduction (`--symmetric Server`, like TLC's SYMMETRY
# Permutations(Server)): 679, 1,099 and 118,001 distinct states.

spec Raft

const Servers = 2
const Values = 2
const MaxTerm = 2
const MaxLogLen = 0
const MaxDup = 1
const MaxMsgs = 1
network unordered

message RequestVoteRequest(mterm, mlastLogTerm, mlastLogIndex)
message RequestVoteResponse(mterm, mvoteGranted, mlog)
message AppendEntriesRequest(mterm, mprevLogIndex, mprevLogTerm, mentries, mlog, mcommitIndex)
message AppendEntriesResponse(mterm, msuccess, mmatchIndex)

# History: every successful election, and every log ever in the system.
var elections = {}
var allLogs = {}

def Quorum(s) = 2 * size(s) > Servers
# The term of the last entry in a log, or 0 if the log is empty.
def LastTerm(xlog) = if len(xlog) == 0 then 0 else last(xlog).term
# Next's allLogs' = allLogs \cup {log[i] : i \in Server}.
def AllLogs() = allLogs + {n.log for n in Server}

role Server[Servers] {
  var currentTerm = 1
  var state = "Follower"
  var votedFor = none
  var log = []
  var commitIndex = 0
  var votesResponded = {}
  var votesGranted = {}
  var voterLog = {:}                    # history: voter -> its log
  var nextIndex = {j: 1 for j in Server}
  var matchIndex = {j: 0 for j in Server}

  # Restart(i): lose everything but currentTerm, votedFor and log.
  action Restart {
    allLogs = AllLogs()
    state = "Follower"
    votesResponded = {}
    votesGranted = {}
    voterLog = {:}
    nextIndex = {j: 1 for j in Server}
    matchIndex = {j: 0 for j in Server}
    commitIndex = 0
  }

  # Timeout(i): start a new election.
  action Timeout when state == "Follower" or state == "Candidate" {
    allLogs = AllLogs()
    state = "Candidate"
    currentTerm = currentTerm + 1
    votedFor = none
    votesResponded = {}
    votesGranted = {}
    voterLog = {:}
  }

  # RequestVote(i, j): j may be i itself.
  action RequestVote(j in Server) when state == "Candidate" and j not in votesResponded {
    allLogs = AllLogs()
    send RequestVoteRequest(currentTerm, LastTerm(log), len(log)) to j
  }

  # AppendEntries(i, j): at most one entry.
  action AppendEntries(j in Server) when j != self and state == "Leader" {
    allLogs = AllLogs()
    let prevLogIndex = nextIndex[j] - 1
    let prevLogTerm = if prevLogIndex > 0 then log[prevLogIndex - 1].term else 0
    let lastEntry = min({len(log), nextIndex[j]})
    let entries = log[nextIndex[j] - 1 : lastEntry]          # SubSeq(log[i], nextIndex[i][j], lastEntry)
    send AppendEntriesRequest(currentTerm, prevLogIndex, prevLogTerm, entries, log,
                              min({commitIndex, lastEntry})) to j
  }

  action BecomeLeader when state == "Candidate" and Quorum(votesGranted) {
    allLogs = AllLogs()
    state = "Leader"
    nextIndex = {j: len(log) + 1 for j in Server}
    matchIndex = {j: 0 for j in Server}
    elections = elections + {(eterm: currentTerm, eleader: self, elog: log, evotes: votesGranted,
                              evoterLog: voterLog)}
  }

  action ClientRequest(v in 1..Values) when state == "Leader" {
    allLogs = AllLogs()
    log = append(log, (term: currentTerm, value: v))
  }

  # Always enabled on a leader, even when it changes nothing.
  action AdvanceCommitIndex when state == "Leader" {
    allLogs = AllLogs()
    let agreeIndexes = {k for k in 1..len(log) if Quorum({self} + {n for n in Server if matchIndex[n] >= k})}
    if agreeIndexes != {} and log[max(agreeIndexes) - 1].term == currentTerm {
      commitIndex = max(agreeIndexes)
    }
  }

  # ---- Receive(m); j = m.msource. UpdateTerm first: it keeps m. ----------
  on RequestVoteRequest(mterm, mlastLogTerm, mlastLogIndex) from j {
    allLogs = AllLogs()
    if mterm > currentTerm {                                  # UpdateTerm
      currentTerm = mterm
      state = "Follower"
      votedFor = none
      keep
    } else {                                                  # HandleRequestVoteRequest
      let logOk = mlastLogTerm > LastTerm(log)
                  or (mlastLogTerm == LastTerm(log) and mlastLogIndex >= len(log))
      let grant = mterm == currentTerm and logOk and (votedFor == none or votedFor == j)
      if grant {
        votedFor = j
      }
      reply RequestVoteResponse(currentTerm, grant, log)
    }
  }

  on RequestVoteResponse(mterm, mvoteGranted, mlog) from j {
    allLogs = AllLogs()
    if mterm > currentTerm {                                  # UpdateTerm
      currentTerm = mterm
      state = "Follower"
      votedFor = none
      keep
    } else if mterm == currentTerm {                          # HandleRequestVoteResponse
      votesResponded = votesResponded + {j}
      if mvoteGranted {
        votesGranted = votesGranted + {j}
        if j not in voterLog {                                # voterLog[i] @@ (j :> m.mlog)
          voterLog[j] = mlog
        }
      }
    }                                                         # else DropStaleResponse
  }

  # A leader never handles an AppendEntries request of its own term: no
  # branch of HandleAppendEntriesRequest is enabled then.
  on AppendEntriesRequest(mterm, mprevLogIndex, mprevLogTerm, mentries, mlog, mcommitIndex) from j
      when not (mterm == currentTerm and state == "Leader") {
    allLogs = AllLogs()
    if mterm > currentTerm {                                  # UpdateTerm
      currentTerm = mterm
      state = "Follower"
      votedFor = none
      keep
    } else {                                                  # HandleAppendEntriesRequest
      let logOk = mprevLogIndex == 0
                  or (mprevLogIndex > 0 and mprevLogIndex <= len(log)
                      and mprevLogTerm == log[mprevLogIndex - 1].term)
      if mterm < currentTerm or (mterm == currentTerm and state == "Follower" and not logOk) {
        reply AppendEntriesResponse(currentTerm, false, 0)    # reject request
      } else if state == "Candidate" {                        # return to follower state
        state = "Follower"
        keep
      } else {                                                # accept request
        let index = mprevLogIndex + 1
        if mentries == [] or (len(log) >= index and log[index - 1].term == mentries[0].term) {
          commitIndex = mcommitIndex                          # already done with request
          reply AppendEntriesResponse(currentTerm, true, mprevLogIndex + len(mentries))
        } else if len(log) >= index {                         # conflict: remove 1 entry
          log = log[:len(log) - 1]
          keep
        } else {                                              # no conflict: append entry
          log = append(log, mentries[0])
          keep
        }
      }
    }
  }

  on AppendEntriesResponse(mterm, msuccess, mmatchIndex) from j {
    allLogs = AllLogs()
    if mterm > currentTerm {                                  # UpdateTerm
      currentTerm = mterm
      state = "Follower"
      votedFor = none
      keep
    } else if mterm == currentTerm {                          # HandleAppendEntriesResponse
      if msuccess {
        nextIndex[j] = mmatchIndex + 1
        matchIndex[j] = mmatchIndex
      } else {
        nextIndex[j] = max({nextIndex[j] - 1, 1})
      }
    }                                                         # else DropStaleResponse
  }
}

# ---- the network --------------------------------------------------------
action DuplicateMessage(m in set(network)) {
  allLogs = AllLogs()
  resend m
}

action DropMessage(m in set(network)) {
  allLogs = AllLogs()
  discard m
}

# TLC's CONSTRAINT: states outside it are neither counted nor explored.
constraint forall n in Server: n.currentTerm <= MaxTerm and len(n.log) <= MaxLogLen
constraint forall m in network: count(network, m) <= MaxDup
constraint size(set(network)) <= MaxMsgs

# Election safety: at most one leader per term, now and over the history.
invariant OneLeaderPerTerm:
  forall a, b in Server: (a.state == "Leader" and b.state == "Leader" and a.currentTerm == b.currentTerm) => a == b
invariant OneLeaderPerTermEver:
  forall e, f in elections: e.eterm == f.eterm => e.eleader == f.eleader

expect holds OneLeaderPerTerm
expect holds OneLeaderPerTermEver
expect holds deadlock
