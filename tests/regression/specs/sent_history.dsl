# The history of sent messages held the set's own tag as an element: size(sent)
# counted one message too many (OneSent was reported violated) and printing the
# trace ended in an internal error. R sends M to itself once.
# TLC (/work/tlc/models/sent_history): 3 distinct states, depth 3, no error.
spec SentHistory
network unordered
message M()

role R[1] {
  var x = 0
  action a when x == 0 { x = 1; send M() to self }
  on M() { x = 2 }
}

invariant OneSent: size(sent) <= 1 and (forall m in sent: m is M)
terminal true
