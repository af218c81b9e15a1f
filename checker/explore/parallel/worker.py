"""``python -m checker.explore.parallel.worker FD ABORT_FD``: one worker
process of a parallel search, talking to its coordinator over the two
inherited sockets (calls, and the abort flag of the level in progress)."""

from __future__ import annotations

import gc
import signal
import sys
from multiprocessing.connection import Connection


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    gc.disable()  # states are acyclic tuples (see checker.explore.search)
    from checker.explore.parallel.backends import serve

    serve(Connection(int(argv[0])), Connection(int(argv[1])))


if __name__ == "__main__":
    main(sys.argv[1:])
