# The naive channel plus a checksum: the client sends checksum(op) with each
# command, and the server executes a command only if the checksum it
# computes matches the one that came with it.
#
# Lesson: a checksum makes corruption detectable. Corruption still happens
# (an op turns into another value of its domain, or the checksum itself is
# garbled), but the server discards the damaged message: no corrupted
# command is ever executed (NoCorruption holds). The checker models a
# perfect checksum: a corrupted message never matches (real CRCs miss a
# tiny fraction of corruptions).
#
# Detecting is not repairing: a discarded command is a lost command, so
# AllExecuted is violated (corrupt the first command; the run ends without
# it). Next: specs/channel/ack_retransmit.dsl.

spec ChecksumChannel

const Commands = ["inc", "dbl"]
const Ops = ["inc", "dbl", "rst"]
network fifo
faults { corrupt <= 1 }

message Cmd(id, op in Ops, sum)

role Client {
  init {
    for i in 0..size(Commands) - 1 {
      send Cmd(i, Commands[i], checksum(Commands[i])) to Server
    }
  }
}

role Server {
  var executed = []
  var discarded = 0         # corrupted messages thrown away

  on Cmd(id, op, sum) {
    if sum == checksum(op) {
      executed = append(executed, (id, op))
    } else {
      discarded = discarded + 1
    }
  }
}

invariant NoCorruption: forall e in Server.executed: e[1] == Commands[e[0]]
invariant AtMostOnce:
  forall i in 0..size(Server.executed) - 1: forall j in 0..size(Server.executed) - 1:
    i != j => Server.executed[i][0] != Server.executed[j][0]
property AllExecuted:
  eventually forall i in 0..size(Commands) - 1: (i, Commands[i]) in Server.executed

terminal size(network) == 0

expect holds NoCorruption
expect holds AtMostOnce
expect violation AllExecuted
