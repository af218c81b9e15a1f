# Two-phase commit: a faithful translation of TwoPhase.tla from the
# tlaplus/Examples repository (specifications/transaction_commit).
#
# TLA+'s `msgs` (the set of every message ever sent; receiving does not
# remove a message) is the `set` network. The TM's single Commit/Abort
# message is broadcast as one message per RM, added in the same step, so
# the reachable states correspond one to one. TLC reports 288 distinct
# states for 3 RMs and 8,832 for 5.

spec TwoPhase

const RM = 3
network set

role TM {
  var tmState = "init"
  var tmPrepared = {}

  on Prepared() from rm when tmState == "init" {        # TMRcvPrepared(rm)
    tmPrepared = tmPrepared + {rm}
  }
  action Commit when tmState == "init" and tmPrepared == RMs {   # TMCommit
    tmState = "committed"
    broadcast Commit() to RMs
  }
  action Abort when tmState == "init" {                 # TMAbort
    tmState = "aborted"
    broadcast Abort() to RMs
  }
}

role RMs[RM] {
  var rmState = "working"

  action Prepare when rmState == "working" {            # RMPrepare(rm)
    rmState = "prepared"
    send Prepared() to TM
  }
  action ChooseToAbort when rmState == "working" {      # RMChooseToAbort(rm)
    rmState = "aborted"
  }
  on Commit() { rmState = "committed" }                 # RMRcvCommitMsg(rm)
  on Abort() { rmState = "aborted" }                    # RMRcvAbortMsg(rm)
}

# TCConsistent: no RM has committed while another has aborted.
invariant TCConsistent:
  not exists a, b in RMs: a.rmState == "committed" and b.rmState == "aborted"

expect holds TCConsistent
expect holds deadlock
