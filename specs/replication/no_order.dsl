# Replication without ordering: two clients each send one command straight
# to both replicas of a counter. Client[0] adds 1, Client[1] doubles.
#
# Lesson: the network delivers concurrent messages in any order, and
# these two commands do not commute ((1 + 1) * 2 = 4 but 1 * 2 + 1 = 3).
# One replica applies "add" first, the other "double" first, and once both
# have applied both commands their states differ forever (Agreement
# violated, 4 steps: each replica handles the two commands in the opposite
# order). No fault is needed: concurrency alone breaks it. Next:
# specs/replication/primary.dsl puts one node in charge of the order.

spec NoOrder

const Clients = 2
const Ops = ["add", "double"]
network unordered

role Client[Clients] {
  init {
    broadcast Apply(Ops[index(self)]) to Replica
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

# Replicas that applied the same number of commands are in the same state.
invariant Agreement: forall a, b in Replica: a.applied == b.applied => a.x == b.x

terminal size(network) == 0

expect violation Agreement
