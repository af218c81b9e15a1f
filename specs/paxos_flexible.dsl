# Flexible Paxos (Howard, Malkhi, Spiegelman 2016) with an off-by-one bug.
#
# Flexible Paxos lets phase 1 (prepare/promise) and phase 2 (accept/vote)
# use different quorums: only a phase-1 quorum and a phase-2 quorum must
# intersect, which holds when |Q1| + |Q2| > N. Small phase-2 quorums make
# the common case fast, at the price of larger phase-1 quorums.
#
# This variant sizes phase-1 quorums as N - Q2 instead of N - Q2 + 1, so
# |Q1| + |Q2| = N: a new leader's phase-1 quorum can miss every acceptor
# that voted for a chosen value. The prover refutes the intersection, with
# a witness; the model checker finds two chosen values. The protocol is the
# one of specs/paxos.dsl, without faults.

spec FlexiblePaxos

const Proposers = 2
const Acceptors = 3
const Values = ["v1", "v2"]
const Q2 = 1                     # phase-2 quorum size
network unordered

quorum Phase1 of Acceptor: size >= N - Q2      # the bug: should be N - Q2 + 1
quorum Phase2 of Acceptor: size >= Q2

role Proposer[Proposers] {
  var ballot = index(self) + 1
  var value = Values[index(self)]
  var phase = 1
  var promises = {}
  var best = 0

  init {
    broadcast Prepare(ballot) to Acceptor
  }
  on Promise(bal, vbal, vval) from a {
    if phase == 1 and bal == ballot and not (a in promises) {
      promises = promises + {a}
      if vbal > best {
        best = vbal
        value = vval
      }
      if promises is Phase1 {
        phase = 2
        broadcast Accept(ballot, value) to Acceptor
      }
    }
  }
}

role Acceptor[Acceptors] {
  var promised = 0
  var vbal = 0
  var vval = none
  var votes = {}

  on Prepare(bal) from p {
    if bal > promised {
      promised = bal
      reply Promise(bal, vbal, vval)
    }
  }
  on Accept(bal, val) from p {
    if bal >= promised {
      promised = bal
      vbal = bal
      vval = val
      votes = votes + {(bal, val)}
    }
  }
}

# A value is chosen once a phase-2 quorum voted for it in one ballot.
def Chosen() = {v for v in Values for b in 1..Proposers
                if {a for a in Acceptor if (b, v) in a.votes} is Phase2}

invariant Agreement: size(Chosen()) <= 1

terminal size(network) == 0

expect violation Agreement

# Refuted: the smallest counterexample has N = 2 (one acceptor each) ...
expect refuted intersect(Phase1, Phase2) for all N
# ... and the model's 3 acceptors have one too.
expect refuted intersect(Phase1, Phase2) for N = Acceptors
# What the small phase-2 quorums buy: a vote survives all but Q2 crashes.
prove available(Phase2, crashes = N - Q2) for all N
