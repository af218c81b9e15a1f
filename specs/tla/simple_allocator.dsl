# SimpleAllocator: a faithful translation of SimpleAllocator.tla from the
# tlaplus/Examples repository (specifications/allocator, Stephan Merz),
# checked as SimpleAllocator.cfg does (3 clients, 2 resources, no symmetry).
#
# unsat[c] and alloc[c] are maps from clients to sets of resources. Next is
# the three global actions; their fairness is the spec's:
#   \A c: WF_vars(Return(c, alloc[c]))   -> `fair per c` on ReturnAll(c),
#       the Return(c, S) steps with S = alloc[c] (the same transitions,
#       so the same states; Return itself is unfair);
#   \A c: SF_vars(\E S: Allocate(c, S)) -> `strong fair per c` on Allocate;
#   Request has none                     -> `unfair`.
# TLC: 400 distinct states, depth 6 (our 5), every property holds.
# With weak fairness on Allocate, ClientsWillObtain and InfOftenSatisfied
# fail (a client may wait forever for a resource others take turns with);
# so they do with SimpleAllocator2's fairness on ReturnAll (only once the
# client's request is met: `when unsat[c] == {} and alloc[c] != {}`).
# TLC says the same of both variants (tests/golden/test_tla_temporal.py).

spec SimpleAllocator

const Clients = {"c1", "c2", "c3"}
const Resources = {"r1", "r2"}

var unsat = {c: {} for c in Clients}      # outstanding requests per client
var alloc = {c: {} for c in Clients}      # resources allocated to each client

def available() = Resources - {r for c in Clients for r in alloc[c]}

# A client may request resources when all its earlier requests are met and
# it holds none.
unfair action Request(c in Clients, S in subsets(Resources))
    when unsat[c] == {} and alloc[c] == {} and S != {} {
  unsat[c] = S
}

# Available resources a client asked for (not necessarily all of them).
strong fair per c action Allocate(c in Clients, S in subsets(Resources))
    when S != {} and S subset (available() & unsat[c]) {
  alloc[c] = alloc[c] + S
  unsat[c] = unsat[c] - S
}

# A client returns resources it holds, even before its request is met.
unfair action Return(c in Clients, S in subsets(Resources)) when S != {} and S subset alloc[c] {
  alloc[c] = alloc[c] - S
}

fair per c action ReturnAll(c in Clients) when alloc[c] != {} {   # Return(c, alloc[c])
  alloc[c] = {}
}

invariant TypeInvariant: unsat in [Clients -> subsets(Resources)] and alloc in [Clients -> subsets(Resources)]
invariant ResourceMutex: forall c1, c2 in Clients: c1 != c2 => alloc[c1] & alloc[c2] == {}

property ClientsWillReturn(c in Clients): unsat[c] == {} leadsto alloc[c] == {}
property ClientsWillObtain(c in Clients, r in Resources): r in unsat[c] leadsto r in alloc[c]
property InfOftenSatisfied(c in Clients): always eventually unsat[c] == {}
