# Acknowledgements and retransmission: the client sends one command at a
# time and waits for the server's Ack; when its timer fires without an Ack
# it sends the command again.
#
# Lesson: retransmission turns a lossy channel into one where every command
# is eventually executed (AllExecuted holds under at most two losses, under
# weak fairness: a message that can be delivered is eventually delivered,
# and an enabled timer eventually fires). But the client cannot tell a lost
# command from a lost Ack: when the Ack is lost it sends the command again
# and the server executes it twice (AtMostOnce violated, 4 steps: deliver,
# lose the Ack, time out, deliver again). Next:
# specs/channel/sequence_numbers.dsl.
#
# Timing assumption: the timer is longer than any message delay, so it
# fires only when nothing is in flight (its guard reads the network, which a
# real node cannot; that is how the model states the assumption). A
# corrupted message that fails its checksum (specs/channel/checksum.dsl)
# is just one more loss here.

spec AckRetransmit

const Commands = ["inc", "dbl"]
network fifo
faults { loss <= 2 }

message Cmd(id, op)
message Ack()

role Client {
  var next = 0                # the command being sent; all done at size(Commands)

  init {
    send Cmd(0, Commands[0]) to Server
  }
  on Ack() {
    next = next + 1
    if next < size(Commands) {
      send Cmd(next, Commands[next]) to Server
    }
  }
  timeout retransmit when next < size(Commands) and size(network) == 0 {
    send Cmd(next, Commands[next]) to Server
  }
}

role Server {
  var executed = []

  on Cmd(id, op) from c {
    executed = append(executed, (id, op))
    reply Ack()
  }
}

invariant NoCorruption: forall e in Server.executed: e[1] == Commands[e[0]]
invariant AtMostOnce:
  forall i in 0..size(Server.executed) - 1: forall j in 0..size(Server.executed) - 1:
    i != j => Server.executed[i][0] != Server.executed[j][0]
property AllExecuted:
  eventually forall i in 0..size(Commands) - 1: (i, Commands[i]) in Server.executed

terminal Client.next == size(Commands) and size(network) == 0

expect violation AtMostOnce
expect holds AllExecuted
