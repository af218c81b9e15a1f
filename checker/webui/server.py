"""`checker explore`'s web server: the standard library's threading HTTP server.

Why http.server: the explorer answers one person's clicks on their own
machine through six small JSON routes; the standard library does that
without a dependency, and a framework (Flask, aiohttp, ...) would bring
routing and async machinery that buys nothing here. Each request is
answered in its own thread (the background check runs in another), so the
page stays responsive while the check runs.

It listens on 127.0.0.1 only, and answers only requests whose Host header
names that address (or localhost) with its port: a web page elsewhere that
re-points a DNS name at 127.0.0.1 gets nothing. Ctrl-C (or SIGTERM) stops it
cleanly, with exit code 0.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from checker.errors import TraceFileError, UsageError
from checker.exitcode import ExitCode
from checker.loader import load_model
from checker.trace import load_trace_file
from checker.webui.app import MAX_UPLOAD, App, Response, error
from checker.webui.background import BackgroundSearch
from checker.webui.explorer import Explorer
from checker.webui.options import LOOPBACK, ExplorerOptions


class ExplorerServer(ThreadingHTTPServer):
    """A threading HTTP server bound to 127.0.0.1 that serves one `App`."""

    daemon_threads = True
    allow_reuse_address = False  # a port in use is an error, not shared

    def __init__(self, app: App, port: int):
        self.app = app
        super().__init__((LOOPBACK, port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser went away mid-answer: nothing to report
        print(f"checker explore: error while answering a request: {type(exc).__name__}: {exc}", file=sys.stderr)


class _Handler(BaseHTTPRequestHandler):
    server: ExplorerServer
    server_version = "checker-explore"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        if not self._host_allowed():
            self._send(error(403, "this explorer answers only requests for 127.0.0.1 or localhost"))
            return
        body = b""
        if method == "POST":
            length_text = self.headers.get("Content-Length", "")
            if not length_text.isdigit():
                self.close_connection = True
                self._send(error(411, "a POST needs a Content-Length"))
                return
            length = int(length_text)
            if length > MAX_UPLOAD:
                self.close_connection = True
                self._send(error(413, f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB"))
                return
            body = self.rfile.read(length)
        self._send(self.server.app.handle(method, self.path, body))

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        port = self.server.port
        return host in (f"{LOOPBACK}:{port}", f"localhost:{port}")

    def _send(self, resp: Response) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in resp.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(resp.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass  # one line per click would drown the URL the user needs


def build_app(options: ExplorerOptions) -> App:
    """Load the model (and the trace to open) that ``options`` name."""
    model = load_model(options.spec, options.load)
    ex = Explorer(model, options.spec, options.load)
    start = None
    if options.trace is not None:
        try:
            trace = load_trace_file(options.trace)
        except RecursionError:
            raise TraceFileError(f"{options.trace}: the JSON is nested too deeply") from None
        start = ex.open_trace(trace, options.trace)
    search = BackgroundSearch(ex, options.search)
    return App(ex, search, start)


def listen(app: App, host: str, port: int) -> ExplorerServer:
    """Bind the server; a bad address or a busy port is a usage error."""
    if host != LOOPBACK:
        raise UsageError(f"the explorer listens on {LOOPBACK} only, not on {host}")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is a number from 0 to 65535 (0 picks a free one)")
    try:
        return ExplorerServer(app, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"--port {port}: {LOOPBACK}:{port} is already in use "
                             "(leave --port out to pick a free port)") from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"--port {port}: not allowed to listen on {LOOPBACK}:{port} "
                             "(ports below 1024 need root)") from None
        raise UsageError(f"--port {port}: cannot listen on {LOOPBACK}:{port}: {exc.strerror}") from None


def serve(options: ExplorerOptions, out: TextIO | None = None) -> ExitCode:
    """Run the explorer until Ctrl-C (or SIGTERM); a clean stop is OK."""
    out = out or sys.stdout
    app = build_app(options)
    server = listen(app, options.host, options.port)
    restore = _sigterm_as_interrupt()
    try:
        print(f"checker explore: {app.ex.model.name} ({options.spec}) on {server.url}", file=out)
        print("press Ctrl-C to stop", file=out, flush=True)
        app.search.start()
        if options.open_browser and not _open(server.url):
            print(f"checker explore: no browser available; open {server.url} yourself", file=sys.stderr)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        print("checker explore: stopped", file=sys.stderr)
    finally:
        app.search.stop()
        server.server_close()
        restore()
    return ExitCode.OK


def _open(url: str) -> bool:
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def _sigterm_as_interrupt() -> Any:
    """Make SIGTERM stop the server like Ctrl-C; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)
