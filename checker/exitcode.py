"""The exit codes of every `checker` command, in one place.

Each command gives the codes the same meaning: 0 all is as it should be,
1 the check found a problem, 2 the input is wrong, 3 the check could not
finish, 4 a bug in the checker.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    #: run: every property holds; check: every expectation met; prove: every
    #: result as expected; validate: the log is accepted.
    OK = 0
    #: run: a property is violated; check: an expectation is missed; prove: a
    #: result other than expected; validate: the log is rejected.
    FAILED = 1
    #: a spec, usage, mapping, log or trace-file error (positioned, no traceback).
    ERROR = 2
    #: a bound or time limit cut the search, a proof came out unknown, or a
    #: validation was inconclusive.
    INCOMPLETE = 3
    #: a bug in the checker (CHECKER_DEBUG=1 shows the traceback).
    INTERNAL = 4
    #: stopped by Ctrl-C.
    INTERRUPTED = 130
