# Issue 11, bug 1's class: one binding of an action's parameters must not
# leak into the next. The body assigned the loop variable itself, so after
# A(p=0, q=0) the binding (p=0, q=1) ran with p = -1 and wrote key -1.
# Found by the differential test. TLC (x' = [x EXCEPT or extended at p]
# over p, q \in 0..1): 4 distinct states, depth 3 (ours 2), Keys holds.
spec ParameterAssignment
network unordered

var x = {:}
action A(p in 0..1, q in 0..1) {
  x[p] = "b"
  p = p - 1
}

invariant Keys: keys(x) subset 0..1
terminal true
