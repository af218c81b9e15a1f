# Single-decree Paxos: a faithful translation of Paxos.tla from the
# tlaplus/Examples repository (specifications/Paxos), checked as MCPaxos
# does but without symmetry.
#
# TLA+'s `msgs` (every message ever sent) is the `set` network: a message
# stays after it is received. Phase1a and Phase2a are global actions (the
# spec has no explicit leaders); an acceptor's Phase1b/Phase2b are handlers
# of the 1a/2a messages. A 1b/2b message's `acc` field is its sender.
# TLC reports 3,921 distinct states for 3 acceptors, 2 values and
# ballots 0..1 (depth 17).

spec Paxos

const Acceptors = 3
const Values = 2
const MaxBallot = 1
network set

message P1a(bal)
message P2a(bal, val)

def Ballots() = 0..MaxBallot
def Vals() = 0..Values - 1
def Quorums() = {q for q in subsets(Acceptor) if 2 * size(q) > Acceptors}

role Acceptor[Acceptors] {
  var maxBal = -1
  var maxVBal = -1       # <<maxVBal, maxVal>> is the vote with the largest
  var maxVal = none      # ballot this acceptor cast, or <<-1, none>>

  on P1a(bal) when bal > maxBal {                    # Phase1b(a)
    maxBal = bal
    send P1b(bal, maxVBal, maxVal)
  }
  on P2a(bal, val) when bal >= maxBal {              # Phase2b(a)
    maxBal = bal
    maxVBal = bal
    maxVal = val
    send P2b(bal, val)
  }
}

# Learners are not modelled in Paxos.tla; these two messages are only read.
message P1b(bal, mbal, mval)
message P2b(bal, val)

action Phase1a(b in Ballots()) {
  send P1a(b)
}

def Q1b(Q, b) = {m for m in sent if m is P1b and m.src in Q and m.bal == b}
def Q1bv(Q, b) = {m for m in Q1b(Q, b) if m.mbal >= 0}
def ShowsSafe(Q, b, v) =
  (forall a in Q: exists m in Q1b(Q, b): m.src == a)
  and (Q1bv(Q, b) == {}
       or exists m in Q1bv(Q, b): m.mval == v and (forall mm in Q1bv(Q, b): m.mbal >= mm.mbal))

action Phase2a(b in Ballots(), v in Vals())
  when not (exists m in sent: m is P2a and m.bal == b)
       and (exists Q in Quorums(): ShowsSafe(Q, b, v)) {
  send P2a(b, v)
}

# A value is chosen when a quorum of acceptors voted for it in one ballot.
def VotedFor(a, b, v) = exists m in sent: m is P2b and m.src == a and m.bal == b and m.val == v
def Chosen() = {v for v in Vals() for b in Ballots() if exists Q in Quorums(): forall a in Q: VotedFor(a, b, v)}

invariant Agreement: size(Chosen()) <= 1
# Inv of Paxos.tla, second conjunct: an acceptor's last vote is recorded.
invariant VoteRecorded:
  forall a in Acceptor: (a.maxVBal == -1 and a.maxVal == none) or VotedFor(a, a.maxVBal, a.maxVal)

expect holds Agreement
expect holds VoteRecorded
expect holds deadlock
