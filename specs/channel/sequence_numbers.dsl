# Sequence numbers on top of acknowledgements, retransmission and a
# checksum: every command and every Ack carries the command's number.
#
# Lesson: with sequence numbers the receiver can tell a retransmitted or
# duplicated command from a new one (it executes seq == expected only, and
# acknowledges older ones again without executing them), and the sender can
# tell the Ack of the current command from a stale one. Together with the
# checksum this gives exactly-once, in-order execution over a channel that
# loses, duplicates, corrupts and reorders messages (an unordered network
# delivers in any order): ExactlyOnceInOrder holds in every reachable state
# and AllExecuted holds under weak fairness, within the fault bounds below.
# This is the skeleton of TCP (and of the alternating-bit protocol, which
# needs only seq mod 2 when one message is outstanding).
#
# Timing assumption as in specs/channel/ack_retransmit.dsl: the timer fires
# only when nothing is in flight.

spec SequenceNumbers

const Commands = ["inc", "dbl"]
const Ops = ["inc", "dbl", "rst"]
const Seqs = 0..1                     # the sequence numbers in use
network unordered
faults { loss <= 1, duplicate <= 1, corrupt <= 1 }

message Cmd(seq in Seqs, op in Ops, sum)
message Ack(seq in Seqs, sum)

role Client {
  var next = 0                        # the command being sent

  init {
    send Cmd(0, Commands[0], checksum(0, Commands[0])) to Server
  }
  on Ack(seq, sum) {
    if sum == checksum(seq) and seq == next {
      next = next + 1
      if next < size(Commands) {
        send Cmd(next, Commands[next], checksum(next, Commands[next])) to Server
      }
    }
  }
  timeout retransmit when next < size(Commands) and size(network) == 0 {
    send Cmd(next, Commands[next], checksum(next, Commands[next])) to Server
  }
}

role Server {
  var expected = 0                    # the next sequence number to execute
  var executed = []

  on Cmd(seq, op, sum) from c {
    if sum == checksum(seq, op) {
      if seq == expected {
        executed = append(executed, op)
        expected = expected + 1
      }
      if seq < expected {
        reply Ack(seq, checksum(seq))   # again, if the first Ack was lost
      }
    }
  }
}

# Executed exactly the commands sent so far, in order, each once.
invariant ExactlyOnceInOrder: Server.executed == Commands[0:size(Server.executed)]
property AllExecuted: eventually Server.executed == Commands

terminal Client.next == size(Commands) and size(network) == 0

expect holds ExactlyOnceInOrder
expect holds AllExecuted
