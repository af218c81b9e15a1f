# A leadsto counterexample's prefix must be a shortest one. Both initial
# states trigger P, and x = 0 steps to x = 1, where the run stops: the
# shortest counterexample starts in x = 1 (0 steps). The engine's search
# reached (x = 1, after P) through x = 0 first and never shortened it
# (1 step). Found by reasoning about the reference's prefix distances.
# TLC (x \in {0, 1}, WF_x(A), (x < 5) ~> (x = 7)): 2 distinct states, P
# violated (TLC's own trace, x = 0 -> x = 1 -> stuttering, is not a
# shortest one: it does not promise that).
spec LeadstoShortestPrefix
network unordered

var x = 0
init { choose v in {0, 1}; x = v }
action A when x == 0 { x = 1 }

property P: x < 5 leadsto x == 7
terminal true
