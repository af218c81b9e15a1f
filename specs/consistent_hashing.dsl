# Consistent hashing: keys sit on a ring of Slots slots; each node sits at
# one slot, and a key belongs to the first member node clockwise from it.
# Nodes join and leave in every possible order (at least one stays). On a
# join the new node takes, from the member after it on the ring, the keys
# that are now closer to it; on a leave the node hands all its keys to the
# member after it.
#
# Lesson: a membership change moves only the keys of one arc, the one
# between the changed node and the member before it (MinimalMovement; with
# `key mod #members` placement almost every key would move on each change),
# and every key always has exactly one owner, the right one (OneOwner,
# Placement). Everything holds, in every join/leave order.

spec ConsistentHashing

const Slots = 12
const Positions = [1, 5, 8, 10]       # the slot of Node[i]
const Keys = {0, 2, 3, 4, 6, 7, 9, 11}

role Node[4] {
  var member = false
  var keys = {}                       # the keys this node stores
}

var moved = {}                        # ghost: keys whose holder changed in the last step
var arc = {}                          # ghost: keys between the changed node and the member before it

def Pos(n) = Positions[index(n)]
def Dist(a, b) = (b - a + Slots) % Slots               # clockwise, from slot a to slot b
def Members() = {n for n in Node if n.member}
# The owner of slot k among the nodes of M: the first one clockwise from k.
def Owner(k, M) = choose n in M: forall m in M: Dist(k, Pos(n)) <= Dist(k, Pos(m))
# The member of M after node n on the ring (n itself if it is alone).
def Next(n, M) = choose s in M: forall m in M: m == n or (s != n and Dist(Pos(n), Pos(s)) <= Dist(Pos(n), Pos(m)))
# The keys after the member of M before n, up to n: the arc n owns.
def Arc(n, M) = {k for k in Keys if forall m in M: m == n or Dist(k, Pos(n)) < Dist(k, Pos(m))}
def Holder(k) = choose n in Node: k in n.keys

init {
  Node[0].member = true
  Node[0].keys = Keys
}

action join(n in Node) when not n.member {
  let before = {k: Holder(k) for k in Keys}
  let succ = Owner(Pos(n), Members())
  let take = {k for k in succ.keys if Dist(k, Pos(n)) < Dist(k, Pos(succ))}
  Node[index(succ)].keys = succ.keys - take
  n.keys = take
  n.member = true
  moved = {k for k in Keys if Holder(k) != before[k]}
  arc = Arc(n, Members())
}

action leave(n in Node) when n.member and size(Members()) > 1 {
  let before = {k: Holder(k) for k in Keys}
  let succ = Next(n, Members())
  arc = Arc(n, Members())
  Node[index(succ)].keys = succ.keys + n.keys
  n.keys = {}
  n.member = false
  moved = {k for k in Keys if Holder(k) != before[k]}
}

invariant OneOwner: forall k in Keys: size({n for n in Node if k in n.keys}) == 1
invariant Placement: forall k in Keys: k in Owner(k, Members()).keys
invariant MinimalMovement: moved subset arc

terminal true

expect holds OneOwner
expect holds Placement
expect holds MinimalMovement
