# Primary-based replication: clients send their commands to one primary,
# which forwards each to every replica over FIFO channels, so all replicas
# apply the commands in the primary's order.
#
# Lesson, part 1: a single serializer fixes the divergence of
# specs/replication/no_order.dsl: Agreement holds in every reachable state
# (same commands, same order, same state).
# Lesson, part 2: the primary is a single point of failure. Let it crash
# (one crash allowed) and the commands it has not forwarded yet are gone;
# no replica ever applies them (AllApplied violated, 1 step: the primary
# crashes before handling anything, and the run can stop there). Masking
# this needs a replacement primary and agreement on who it is:
# consensus (specs/paxos.dsl).

spec Primary

const Clients = 2
const Ops = ["add", "double"]
network fifo
faults { crash Primary <= 1 }

role Client[Clients] {
  init {
    send Request(Ops[index(self)]) to Primary
  }
}

role Primary {
  var forwarded = 0

  on Request(op) from c {
    broadcast Apply(op) to Replica
    forwarded = forwarded + 1
  }
}

role Replica[2] {
  var x = 1
  var applied = 0

  on Apply(op) {
    x = if op == "add" then x + 1 else 2 * x
    applied = applied + 1
  }
}

invariant Agreement: forall a, b in Replica: a.applied == b.applied => a.x == b.x
# Every client's command reaches every replica.
property AllApplied: eventually forall r in Replica: r.applied == Clients

terminal size(network) == 0

expect holds Agreement
expect violation AllApplied
