# Issue 11, bug 4: liveness at the edge of a state constraint. At x = 2 the
# only step leaves the constraint; TLC decides enabledness without the
# constraint, so Inc is enabled there forever and never taken: not a fair
# behaviour, and no violation.
# TLC (CONSTRAINT x <= 2, WF_x(Inc), <>(x = 5)): 3 distinct states, depth 3
# (ours 2), Reach holds, no deadlock.
spec ConstraintLiveness
network unordered

var x = 0
action Inc { x = x + 1 }

constraint x <= 2
property Reach: eventually x == 5
