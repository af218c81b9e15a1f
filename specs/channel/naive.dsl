# A naive channel: the client sends its commands once, over a channel that
# may lose, duplicate or corrupt a message; the server executes whatever
# arrives.
#
# Lesson: a channel that is not reliable breaks each of the three things a
# user takes for granted, one fault each:
#   - corruption: the server executes a command the client never sent
#     (NoCorruption, 2 steps);
#   - loss: a command is never executed (AllExecuted, a liveness property:
#     the run ends with the command missing);
#   - duplication: a command executes twice (AtMostOnce, 3 steps).
# The server cannot tell a corrupted command from a real one: corruption
# replaces the op with another value of its domain (Ops), and nothing in
# the message says so. Next: specs/channel/checksum.dsl.
#
# `id` is a ghost field: the server records it with what it executed so the
# properties can say which command an execution came from; the protocol
# never looks at it.

spec NaiveChannel

const Commands = ["inc", "dbl"]       # what the client sends, in this order
const Ops = ["inc", "dbl", "rst"]     # every op a Cmd can carry on the wire
network fifo
faults { loss <= 1, duplicate <= 1, corrupt <= 1 }

message Cmd(id, op in Ops)

role Client {
  init {
    for i in 0..size(Commands) - 1 {
      send Cmd(i, Commands[i]) to Server
    }
  }
}

role Server {
  var executed = []         # (id, op) of every execution, in order

  on Cmd(id, op) {
    executed = append(executed, (id, op))
  }
}

# Every execution is of a command the client sent with that id.
invariant NoCorruption: forall e in Server.executed: e[1] == Commands[e[0]]
# No command executes twice.
invariant AtMostOnce:
  forall i in 0..size(Server.executed) - 1: forall j in 0..size(Server.executed) - 1:
    i != j => Server.executed[i][0] != Server.executed[j][0]
# Every command is executed at least once.
property AllExecuted:
  eventually forall i in 0..size(Commands) - 1: (i, Commands[i]) in Server.executed

terminal size(network) == 0

expect violation NoCorruption
expect violation AtMostOnce
expect violation AllExecuted
