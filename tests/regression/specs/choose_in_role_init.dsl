# Issue 11, bug 1: `choose` in a role's init block wrote into the wrong
# node (2 initial states instead of 4; with a later role's init block a
# value never chosen; with a global init block after it a TypeError).
# TLC (x \in [N -> {0, 1}] /\ y = 6 /\ g = 1): 4 distinct states, Y holds.
spec ChooseInRoleInit
network unordered

role N[2] {
  var x = 0
  init { choose v in {0, 1}; x = v }
}

role M {
  var y = 5
  init { y = 6 }
}

var g = 0
init { g = 1 }

invariant Y: M.y == 6 and g == 1 and (forall n in N: n.x in {0, 1})
terminal true
