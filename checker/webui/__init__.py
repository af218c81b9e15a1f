"""`checker explore SPEC`: a local web page to walk a model's state space by hand.

The page shows the current state (per node, the messages in flight, the
variables the last step changed), every enabled step (fault steps apart),
the path so far as the sequence chart of the HTML trace page, and every
invariant's verdict; it opens saved traces and exports the path as one.
Modules: `options` (what the CLI asks for), `explorer` (paths of step
choices over a `Model`), `view` (the JSON of one step), `background` (the
full check in a thread), `app` (the HTTP routes as plain functions), `page`
and `assets` (the HTML), `server` (http.server on 127.0.0.1).
"""

from checker.exitcode import ExitCode
from checker.webui.options import ExplorerOptions


def serve(options: ExplorerOptions) -> ExitCode:
    """Serve the explorer until Ctrl-C (see `checker.webui.server.serve`)."""
    from checker.webui.server import serve as _serve

    return _serve(options)


__all__ = ["ExplorerOptions", "serve"]
