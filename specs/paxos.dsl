# Single-decree Paxos in actor style: two proposers compete to get their
# own value chosen by three acceptors, over a network that may lose one
# message and duplicate one.
#
# Proposer i owns ballot i + 1 (ballots are unique). Phase 1: it asks every
# acceptor to promise its ballot; an acceptor promises a ballot higher than
# any it promised before and reports its latest vote. Phase 2: with promises
# from a majority, the proposer asks the acceptors to accept the value of
# the highest-ballot vote reported, or its own value if none was; an
# acceptor accepts unless it promised a higher ballot. A value is chosen
# once a majority of acceptors voted for it in one ballot; each acceptor
# keeps the history of its votes so the invariant can see every choice
# (a learner would only learn a subset of them).
#
# Agreement (at most one value is ever chosen) holds under every
# interleaving, loss and duplication within the bounds.

spec Paxos

const Proposers = 2
const Acceptors = 3
const Values = ["v1", "v2"]
network unordered
faults { loss <= 1, duplicate <= 1 }

# Phase 1 waits for promises from a Majority, a value is chosen by a Majority
# of votes: Agreement rests on any two of them sharing an acceptor.
quorum Majority of Acceptor: size > N / 2

role Proposer[Proposers] {
  var ballot = index(self) + 1
  var value = Values[index(self)]
  var phase = 1
  var promises = {}          # acceptors that promised our ballot
  var best = 0               # highest ballot among the votes they reported

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
      if promises is Majority {
        phase = 2
        broadcast Accept(ballot, value) to Acceptor
      }
    }
  }
}

role Acceptor[Acceptors] {
  var promised = 0
  var vbal = 0               # ballot of the latest vote (0: none)
  var vval = none
  var votes = {}             # history: every (ballot, value) this acceptor voted for

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

def Chosen() = {v for v in Values for b in 1..Proposers
                if {a for a in Acceptor if (b, v) in a.votes} is Majority}

invariant Agreement: size(Chosen()) <= 1
# Every acceptor's vote is for a value some proposer proposed.
invariant Validity: forall a in Acceptor: a.vval == none or a.vval in Values

terminal size(network) == 0

expect holds Agreement
expect holds Validity

# Checked above for 3 acceptors; proved here for every number of them.
prove intersect(Majority, Majority) for all N
# Progress needs a live Majority: it survives any minority of crashes ...
prove available(Majority, crashes = (N - 1) / 2) for all N
# ... and no partition gives both sides one (no split decisions).
prove one_side(Majority) for all N
