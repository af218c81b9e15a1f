# The bakery algorithm (atomic version): a faithful translation of Bakery.tla
# from the tlaplus/Examples repository (specifications/Bakery-Boulangerie,
# Leslie Lamport and Stephan Merz), checked as MCBakery.cfg does: ISpec ==
# Inv /\ [][Next]_vars, i.e. every state where the inductive invariant holds
# is an initial state (TLC enumerates TypeOK's `\in` conjuncts and keeps the
# states where IInv holds: `var x in [Procs -> S]` and `init when`), N = 2
# processes and Nat overridden by 0..MaxNat, MaxNat = 2, no deadlock check.
#
# The PlusCal labels are global actions of a process p; a label with an
# `either` or an `if` is one action per branch. Functions of Procs are maps.
# TLC: 655,200 distinct states, depth 1 (our 0: Inv is inductive, so every
# reachable state is an initial state), no invariant violated.

spec Bakery

const N = 2
const MaxNat = 2
const Procs = 1..N
const Nat = 0..MaxNat
const Labels = {"ncs", "e1", "e2", "e3", "e4", "w1", "w2", "cs", "exit"}

var num in [Procs -> Nat]
var flag in [Procs -> {false, true}]
var unchecked in [Procs -> subsets(Procs)]
var max in [Procs -> Nat]
var nxt in [Procs -> Procs]
var pc in [Procs -> Labels]

def prec(a, b) = a[0] < b[0] or (a[0] == b[0] and a[1] < b[1])   # a \prec b on pairs

action ncs(p in Procs) when pc[p] == "ncs" { pc[p] = "e1" }

action e1_flip(p in Procs) when pc[p] == "e1" { flag[p] = not flag[p] }
action e1(p in Procs) when pc[p] == "e1" {
  flag[p] = true
  unchecked[p] = Procs - {p}
  max[p] = 0
  pc[p] = "e2"
}

action e2(p in Procs, i in unchecked[p]) when pc[p] == "e2" {
  unchecked[p] = unchecked[p] - {i}
  if num[i] > max[p] { max[p] = num[i] }
}
action e2_done(p in Procs) when pc[p] == "e2" and unchecked[p] == {} { pc[p] = "e3" }

action e3_any(p in Procs, k in Nat) when pc[p] == "e3" { num[p] = k }
action e3(p in Procs, i in {j for j in Nat if j > max[p]}) when pc[p] == "e3" {
  num[p] = i
  pc[p] = "e4"
}

action e4_flip(p in Procs) when pc[p] == "e4" { flag[p] = not flag[p] }
action e4(p in Procs) when pc[p] == "e4" {
  flag[p] = false
  unchecked[p] = Procs - {p}
  pc[p] = "w1"
}

action w1(p in Procs, i in unchecked[p]) when pc[p] == "w1" and not flag[i] {
  nxt[p] = i
  pc[p] = "w2"
}
action w1_done(p in Procs) when pc[p] == "w1" and unchecked[p] == {} { pc[p] = "cs" }

action w2(p in Procs) when pc[p] == "w2" and (num[nxt[p]] == 0 or prec((num[p], p), (num[nxt[p]], nxt[p]))) {
  unchecked[p] = unchecked[p] - {nxt[p]}
  pc[p] = "w1"
}

action cs(p in Procs) when pc[p] == "cs" { pc[p] = "exit" }

action exit_any(p in Procs, k in Nat) when pc[p] == "exit" { num[p] = k }
action exit(p in Procs) when pc[p] == "exit" {
  num[p] = 0
  pc[p] = "ncs"
}

def TypeCorrect() = num in [Procs -> Nat] and flag in [Procs -> {false, true}]
  and unchecked in [Procs -> subsets(Procs)] and max in [Procs -> Nat]
  and nxt in [Procs -> Procs] and pc in [Procs -> Labels]

# num[i] > 0 and, if j is trying to enter and i keeps num[i], j has or will
# choose a number for which <<num[i], i>> \prec <<num[j], j>>.
def Before(i, j) = num[i] > 0 and (
  pc[j] in {"ncs", "e1", "exit"}
  or (pc[j] == "e2" and (i in unchecked[j] or max[j] >= num[i]))
  or (pc[j] == "e3" and max[j] >= num[i])
  or (pc[j] in {"e4", "w1", "w2"} and prec((num[i], i), (num[j], j))
      and (pc[j] in {"w1", "w2"} => i in unchecked[j])))

def IInv() = forall i in Procs:
  (pc[i] in {"e4", "w1", "w2", "cs"} => num[i] != 0)
  and (pc[i] in {"e2", "e3"} => flag[i])
  and (pc[i] == "w2" => nxt[i] != i)
  and (pc[i] in {"w1", "w2"} => i not in unchecked[i])
  and (pc[i] in {"w1", "w2"} => forall j in (Procs - unchecked[i]) - {i}: Before(i, j))
  and ((pc[i] == "w2" and ((pc[nxt[i]] == "e2" and i not in unchecked[nxt[i]]) or pc[nxt[i]] == "e3"))
       => max[nxt[i]] >= num[i])
  and (pc[i] == "cs" => forall j in Procs - {i}: Before(i, j))

init when IInv()       # ISpec: Init == Inv == TypeOK /\ IInv

invariant MutualExclusion: forall i, j in Procs: i != j => not (pc[i] == "cs" and pc[j] == "cs")
invariant TypeOK: TypeCorrect()
invariant Inv: TypeCorrect() and IInv()

terminal true          # CHECK_DEADLOCK FALSE
