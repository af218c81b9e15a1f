# CAP: a register replicated on two nodes, a writer and a reader, and a
# network that may partition once (messages across the cut wait until it
# heals; nothing forces the heal, so a partition may last forever).
#
# Client[0] writes 1 through Replica[0]; Client[1] reads through Replica[1]
# (at any time). A replica serves each request by asking its peer first:
# a write is copied to the peer before it is acknowledged, a read returns
# the newer of its own and its peer's value. When the peer does not answer:
#   - Mode = "AP" (the default): a replica that cannot reach its peer gives
#     up waiting and answers from its own state;
#   - Mode = "CP" (--const Mode=CP): it keeps waiting: without a majority
#     (with two replicas, both) it does not answer.
#
# The definitions (Gilbert and Lynch's, for this register):
#   Consistency: every read sees the latest completed write (a read that
#     starts after a write has completed returns that value or a newer one).
#   Availability: every request received by a non-failed node gets a response.
#   Partition tolerance: the system keeps its guarantees while messages
#     between the two sides are held up indefinitely.
# During a partition a system must give up one of them:
#   - AP answers, so Availability holds, but Consistency is violated
#     (8 steps: partition, the write completes on Replica[0] alone, then
#     the read returns the old value from Replica[1]);
#   - CP stays consistent (Consistency holds), but a request is never
#     answered while the partition lasts (Availability violated, 3 steps).
# Without a partition both variants are consistent and available.
#
# Modelling note: a replica "cannot reach its peer" when connected() says
# so: a perfect failure detector, the best an AP system can hope for.

spec CAP

const Mode = "AP"
network unordered
faults { partition <= 1 }

var completed = 0                 # ghost: the value of the latest completed write

def Peer(r) = Replica[1 - index(r)]

role Client[2] {
  var state = "idle"              # idle -> waiting -> done
  var floor = 0                   # ghost: `completed` when the read began
  var got = none                  # what the read returned

  init {
    if index(self) == 0 {
      state = "waiting"
      send Write(1) to Replica[0]
    }
  }
  action read when index(self) == 1 and state == "idle" {
    floor = completed
    state = "waiting"
    send Read() to Replica[1]
  }
  on WriteOk(v) {
    state = "done"
    completed = v
  }
  on ReadOk(v) {
    state = "done"
    got = v
  }
}

role Replica[2] {
  var value = 0
  var client = none               # the client waiting for our answer
  var request = none              # "write" or "read"

  on Write(v) from c {
    value = v
    client = c
    request = "write"
    send Sync(v) to Peer(self)
  }
  on Sync(v) from r {
    value = max({value, v})
    reply SyncOk()
  }
  on SyncOk() {
    if request == "write" and client != none {
      send WriteOk(value) to client
      client = none
    }
  }
  on Read() from c {
    client = c
    request = "read"
    send Probe() to Peer(self)
  }
  on Probe() from r {
    reply ProbeOk(value)
  }
  on ProbeOk(v) {
    if request == "read" and client != none {
      send ReadOk(max({value, v})) to client
      client = none
    }
  }
  timeout give_up when Mode == "AP" and client != none and not connected(self, Peer(self)) {
    if request == "write" {
      send WriteOk(value) to client
    } else {
      send ReadOk(value) to client
    }
    client = none
  }
}

invariant Consistency: forall c in Client: c.got == none or c.got >= c.floor
property Availability(r in Replica): r.client != none leadsto r.client == none

terminal size(network) == 0

expect violation Consistency
expect holds Availability
