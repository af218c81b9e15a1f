# Leader election of etcd's Raft (go.etcd.io/etcd/raft, as in etcd 3.4),
# at the granularity of what etcd logs, the model `checker validate`
# checks etcd's own logs against (examples/etcd/). Each step is one thing
# etcd's Raft does and logs: an election timeout, a vote request handled
# (vote cast, rejected, or ignored), a vote response counted, a message
# from a leader that sets the term or the leader, a member restarted.
#
# Replication is not logged at level info and is not modelled: a member's
# log shows only as the (last term, last index) etcd writes into its vote
# lines, so whether a voter's log is at least as up to date as the
# candidate's is a choice of the model that the log resolves, and the
# mapping checks the rule itself against the positions etcd logs. Where etcd differs from the Raft paper
# the model follows etcd; the differences its logs show are switches
# (true: etcd, the default; false: the paper):
#  - BootstrapTerm1: a new cluster's members start at term 1, their logs
#    holding the configuration entries (the paper: term 0, empty log);
#  - CheckQuorum: a member that has heard from a leader within an election
#    timeout ignores a vote request of a higher term, without taking the
#    term ("lease is not expired"; the paper: a higher term always wins);
#  - LeaderBlocksVote: a member that knows the leader of its term refuses
#    its vote even if it has not voted in that term (the paper: votedFor
#    is null, so it grants it).
# A member's vote for itself is a vote response it receives from itself,
# and a lost election (a majority of rejections) makes the candidate a
# follower at once; both are as in the paper.

spec EtcdRaft

const N = 3
const BootstrapTerm1 = true
const CheckQuorum = true
const LeaderBlocksVote = true
const MaxTerm = 2          # a bound for `checker run`; validation raises it
const MaxCrashes = 1         # members down at once
network unordered          # rafthttp streams; messages to a killed member are never received

message Vote(term)
message VoteResp(term, reject)

# (term, leader) of every leader so far: the only members heartbeats come from.
var elected = {}

def Quorum() = N / 2 + 1
def UpToDate(clt, cidx, vlt, vidx) = clt > vlt or (clt == vlt and cidx >= vidx)

role Server[N] {
  var term = if BootstrapTerm1 then 1 else 0
  var vote = none
  var lead = none
  var state = "follower"
  var granted = {}
  var rejected = {}
  var alive = true

  # "is starting a new election": a candidate of the next term, its own
  # vote counted, a vote request to every other member.
  timeout election when alive and state != "leader" {
    term = term + 1
    vote = self
    lead = none
    state = "candidate"
    granted = {self}
    rejected = {}
    for p in Server - {self} {
      send Vote(term) to p
    }
  }

  on Vote(t) from c when alive {
    # etcd: within the lease of a known leader the request is ignored.
    choose leased in (if CheckQuorum and t > term and lead != none then {true, false} else {false})
    # the voter's log is not modelled: whether it is at least as up to
    # date as the candidate's is a choice (the log tells)
    choose fresh in {true, false}
    if t >= term and not leased {
      if t > term {
        term = t
        vote = none
        lead = none
        state = "follower"
        granted = {}
        rejected = {}
      }
      if fresh and (vote == c or (vote == none and (lead == none or not LeaderBlocksVote))) {
        vote = c
        reply VoteResp(t, false)
      } else {
        reply VoteResp(term, true)
      }
    }
  }

  on VoteResp(t, reject) from v when alive {
    if t > term {
      term = t
      vote = none
      lead = none
      state = "follower"
      granted = {}
      rejected = {}
    } else if t == term and state == "candidate" {
      if reject {
        rejected = rejected + {v}
      } else {
        granted = granted + {v}
      }
      if size(granted) >= Quorum() {
        state = "leader"
        lead = self
        elected = elected + {(term, self)}
      } else if size(rejected) >= Quorum() {
        state = "follower"
      }
    }
  }

  # A heartbeat or an append from the leader l of term t (not logged by
  # etcd unless it raises the term): l is the member's leader from now on.
  action hear(l in Server, t in 0..MaxTerm)
      when alive and l != self and (t, l) in elected and t >= term and not (state == "leader" and t == term) {
    if t > term {
      vote = none
    }
    term = t
    lead = l
    state = "follower"
    granted = {}
    rejected = {}
  }

  # A reply to a heartbeat or an append (not modelled) from a member of a
  # higher term t: that member has reached t (terms only grow).
  action hear_term(v in Server, t in 0..MaxTerm) when alive and v != self and t > term and v.term >= t {
    term = t
    vote = none
    lead = none
    state = "follower"
    granted = {}
    rejected = {}
  }

  # CheckQuorum: a leader that has not heard from a quorum steps down.
  action step_down when alive and state == "leader" and CheckQuorum {
    state = "follower"
    lead = none
  }

  action crash when alive and size({s for s in Server if not s.alive}) < MaxCrashes {
    alive = false
  }

  # Started again on its data directory: term and vote (the HardState)
  # and the log survive.
  action restart when not alive {
    alive = true
    state = "follower"
    lead = none
    granted = {}
    rejected = {}
  }
}

# At most one leader per term.
invariant ElectionSafety:
  forall a, b in Server: (a.state == "leader" and b.state == "leader" and a.term == b.term) => a == b

# A member votes at most once per term: who it voted for has its vote.
invariant OneVote:
  forall s in Server: s.state == "leader" => s.vote == s

constraint forall s in Server: s.term <= MaxTerm
terminal true

expect holds ElectionSafety
expect holds OneVote
