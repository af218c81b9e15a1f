# Issue 11, bug 1's class: every branch of a `choose` starts from what the
# statements before it left, locals included (the second branch used to
# see y = 1 from the first, so x became 3).
# TLC (Next == \E v \in {1, 2}: LET y == 0 + v IN x' = y): 3 distinct
# states, depth 2 (ours 1), Small holds.
spec ChooseKeepsLocals
network unordered

var x = 0
action A {
  let y = 0
  choose v in {1, 2}
  y = y + v
  x = y
}

invariant Small: x <= 2
terminal true
