# Two-phase locking across servers: a client locks every server, sends its
# command to all of them, and releases the locks once every server has
# executed it. A server grants its lock to one client at a time and queues
# the others.
#
# Lessons (the golden test runs each variant):
#   - default (Ordered = false: a client asks every server at once): two
#     clients that each got some of the locks wait for each other forever:
#     deadlock (6 steps) and AllDone violated.
#   - --const Ordered=true: locks taken one at a time in server order
#     cannot deadlock; every property holds.
#   - --const Ordered=true --const ClientCrashes=1: a client that crashes
#     while a server has granted it the lock never releases it; the other
#     client waits forever (deadlock, AllDone violated).
#   - --const Ordered=true --const ServerCrashes=1: a crashed server never
#     answers (and never returns its lock); every client blocks
#     (deadlock, AllDone violated).
# In every variant the locks do their job while they work: no two clients
# execute at once (MutualExclusion) and all servers execute the commands in
# the same order (SameOrder).

spec TwoPhaseLock

const Clients = 2
const Servers = 2
const Ordered = false             # true: lock the servers one at a time, in index order
const ClientCrashes = 0
const ServerCrashes = 0
network unordered
faults { crash Client <= ClientCrashes, crash Server <= ServerCrashes }

role Client[Clients] {
  var phase = "locking"           # locking -> executing -> done
  var held = {}                   # servers whose lock we hold
  var acks = {}                   # servers that executed our command

  init {
    if Ordered {
      send Lock() to Server[0]
    } else {
      broadcast Lock() to Server
    }
  }
  on Granted() from s {
    held = held + {s}
    if size(held) == Servers {
      phase = "executing"
      broadcast Command(index(self)) to Server
    } else if Ordered {
      send Lock() to Server[size(held)]
    }
  }
  on Done() from s {
    acks = acks + {s}
    if size(acks) == Servers {
      phase = "done"
      held = {}
      broadcast Unlock() to Server
    }
  }
}

role Server[Servers] {
  var holder = none
  var waiting = []                # clients queued for the lock
  var log = []                    # commands executed, in order

  on Lock() from c {
    if holder == none {
      holder = c
      reply Granted()
    } else {
      waiting = append(waiting, c)
    }
  }
  on Command(cmd) from c {
    log = append(log, cmd)
    reply Done()
  }
  on Unlock() from c {
    if size(waiting) > 0 {
      holder = head(waiting)
      waiting = tail(waiting)
      send Granted() to holder
    } else {
      holder = none
    }
  }
}

invariant MutualExclusion:
  forall a, b in Client: (a.phase == "executing" and b.phase == "executing") => a == b
invariant SameOrder: forall a, b in Server: size(a.log) == size(b.log) => a.log == b.log
# Every client that does not crash finishes.
property AllDone: eventually forall c in Client: c.phase == "done" or c in crashed

terminal size(network) == 0 and forall c in Client: c.phase == "done" or c in crashed

expect violation deadlock
expect violation AllDone
