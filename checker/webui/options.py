"""What `checker explore` was asked to do: one frozen value, built by the CLI.

Nothing below the CLI sees the argparse namespace; everything the explorer
needs travels in `ExplorerOptions`, which holds the project's own typed
options for loading the model and for the background check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.options import LoadOptions, SearchOptions

#: the only address the explorer listens on: it serves the spec and accepts
#: uploads, so it must not be reachable from another machine.
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ExplorerOptions:
    """The explorer's options.

    ``load``: how the spec becomes a model (constants, fault bounds);
    ``search``: the bounds of the background check (breadth-first, for the
    "shortest path to the violation" buttons), None to run none; ``port``:
    0 picks a free port; ``trace``: a ``.trace.json`` to open at start.
    """

    spec: str
    load: LoadOptions = field(default_factory=LoadOptions)
    search: SearchOptions | None = field(default_factory=SearchOptions)
    port: int = 0
    host: str = LOOPBACK
    open_browser: bool = False
    trace: str | None = None
