# Issue 11, bug 2: a step that changes nothing discharged weak fairness.
# A(j=0) stutters; TLA+'s WF_x(Next) is about <<Next>>_x steps, so A(j=1)
# stays enabled until it is taken.
# TLC (WF_x(Next), <>(x = 1)): 2 distinct states, Reach holds.
spec StutteringFairness
network unordered

var x = 0
action A(j in {0, 1}) { if j == 1 { x = 1 } }

property Reach: eventually x == 1
terminal true
