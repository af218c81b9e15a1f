# The naive ticket protocol, and its overwrite bug.
#
# Phase 1: a client asks every server for a ticket; a server hands out
#          t_max + 1 and remembers it as t_max.
# Phase 2: once a client holds tickets from a majority, it sends
#          (ticket, command) to those servers; a server stores the command
#          only if the ticket equals its current t_max, and answers success.
# Phase 3: on a majority of successes, the client tells all servers to
#          execute; a server executes its stored command.
#
# The bug: client A stores its command on a majority, then client B takes
# newer tickets from a majority and overwrites the command on the server
# the two majorities share. Servers that execute before and after the
# overwrite execute different commands.

spec NaiveTicket

const Servers = 3
const Clients = 2
const Commands = ["c1", "c2"]
network unordered

# A client proceeds once a majority of the servers answered. The bug is not
# in the quorums: any two majorities share a server (proved below for every
# number of servers); it is what that shared server does with a newer ticket.
quorum Majority of Server: size > N / 2

role Server[Servers] {
  var t_max = 0
  var stored = none
  var executed = none

  on RequestTicket() from c {
    t_max = t_max + 1
    reply Ticket(t_max)
  }
  on Propose(t, cmd) from c {
    if t == t_max {
      stored = cmd
      reply Success()
    }
  }
  on Execute() {
    executed = stored
  }
}

role Client[Clients] {
  var cmd = Commands[index(self)]
  var phase = 1
  var tickets = {:}          # server -> ticket it handed out
  var successes = {}         # servers that stored our command

  init {
    broadcast RequestTicket() to Server
  }
  on Ticket(t) from s {
    if phase == 1 {
      tickets[s] = t
      if keys(tickets) is Majority {
        phase = 2
        for srv in keys(tickets) {
          send Propose(tickets[srv], cmd) to srv
        }
      }
    }
  }
  on Success() from s {
    if phase == 2 {
      successes = successes + {s}
      if successes is Majority {
        phase = 3
        broadcast Execute() to Server
      }
    }
  }
}

invariant Consistency:
  forall a, b in Server: (a.executed != none and b.executed != none) => a.executed == b.executed

# The run is over when no message is in flight.
terminal size(network) == 0

prove intersect(Majority, Majority) for all N
prove available(Majority, crashes = (N - 1) / 2) for all N

expect violation Consistency
