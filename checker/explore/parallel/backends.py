"""Where the partitions of a parallel search live: worker processes on
this machine, or Ray actors on a cluster. Both offer the same small
interface to the coordinator: call one method on every partition at once
and collect the results in worker order.

A worker rebuilds the model from its recipe (`Model.recipe`): the spec's
text and load options travel, never the compiled model.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import subprocess
import sys
import traceback
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable

from checker.errors import CheckerError
from checker.options import Option, OptionError

#: seconds between two looks at the stop conditions while workers run.
POLL = 0.25


class WorkerFailed(CheckerError):
    """A worker process died or its model failed in a way that is not a
    checker error of the user's input."""


def _describe(exc: BaseException) -> tuple[Any, str]:
    """An exception as something that survives the trip: the exception
    itself if it pickles (a CheckerError keeps its message), and its text."""
    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))
        return exc, text
    except Exception:
        return None, text


def serve(conn: Connection, abort: Connection) -> None:
    """The loop of a worker process (`checker.explore.parallel.worker`):
    build the service (a `Partition`, a simulation worker) from the first
    message, then answer calls until told to stop."""
    service, args = conn.recv()
    try:
        part = service(*args, aborted=abort.poll, progress=lambda done: conn.send(("progress", done)))
    except BaseException as exc:
        conn.send(("error", _describe(exc)))
        return
    conn.send(("ok", None))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        method, args = msg
        try:
            conn.send(("ok", getattr(part, method)(*args)))
        except BaseException as exc:
            conn.send(("error", _describe(exc)))


def _raise(index: int, payload: tuple[Any, str]) -> None:
    exc, text = payload
    if isinstance(exc, CheckerError):
        raise exc
    raise WorkerFailed(f"worker {index} failed:\n{text}")


class ProcessBackend:
    """One worker process per entry of ``args``, each a fresh interpreter
    running `checker.explore.parallel.worker` (so nothing of the caller's
    main module is re-run) that builds ``service(*args[i], aborted=...,
    progress=...)``; the service rebuilds the model from its recipe."""

    def __init__(self, service: type, args: list[tuple[Any, ...]], on_wait: Callable[[], None],
                 on_progress: Callable[[int, int], None] | None = None, wait: bool = True):
        n = len(args)
        #: which workers have built their service
        self.booted = [False] * n
        self.n = n
        self.on_wait = on_wait
        self.on_progress = on_progress
        self.conns: list[Connection] = []
        self.aborts: list[Connection] = []
        self.procs: list[subprocess.Popen[bytes]] = []
        env = dict(os.environ)
        # the checker package as this process sees it, even when not installed
        root = str(Path(__file__).resolve().parents[3])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        for i in range(n):
            mine, theirs = socket.socketpair()
            abort_mine, abort_theirs = socket.socketpair()
            fds = (theirs.fileno(), abort_theirs.fileno())
            proc = subprocess.Popen([sys.executable, "-m", "checker.explore.parallel.worker", *map(str, fds)],
                                    pass_fds=fds, env=env, stdin=subprocess.DEVNULL)
            theirs.close()
            abort_theirs.close()
            self.conns.append(Connection(mine.detach()))
            self.aborts.append(Connection(abort_mine.detach()))
            self.procs.append(proc)
            self.conns[-1].send((service, args[i]))
        self.ready(wait)

    def ready(self, wait: bool) -> bool:
        """Whether every worker has built its service (``wait``: until then)."""
        todo = [i for i in range(self.n) if not self.booted[i]]
        if todo and wait:
            self._collect(todo)
            todo = []
        for i in todo:
            if self.conns[i].poll():
                kind, payload = self.conns[i].recv()
                if kind == "error":
                    _raise(i, payload)
            elif self.procs[i].poll() is not None:
                raise self._died(i)
            else:
                continue
            self.booted[i] = True
        if not todo:
            self.booted = [True] * self.n
        return all(self.booted)

    def call(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        """``method(*args[i])`` on worker i, for every worker at once."""
        for conn, a in zip(self.conns, args):
            conn.send((method, a))
        return self._collect()

    def call_one(self, index: int, method: str, *args: Any) -> Any:
        self.conns[index].send((method, args))
        return self._collect([index])[0]

    def _died(self, i: int) -> WorkerFailed:
        code = self.procs[i].poll()
        return WorkerFailed(f"worker process {i} died (exit code {code}); if the kernel killed it for want of "
                            "memory, give --memory-limit below the machine's memory")

    def _collect(self, which: list[int] | None = None) -> list[Any]:
        waiting = set(range(self.n) if which is None else which)
        results: dict[int, Any] = {}
        by_conn = {id(c): i for i, c in enumerate(self.conns)}
        while waiting:
            for ready in wait([self.conns[i] for i in waiting], timeout=POLL):
                i = by_conn[id(ready)]
                try:
                    kind, payload = self.conns[i].recv()
                except (EOFError, OSError):
                    raise self._died(i) from None
                if kind == "progress":
                    if self.on_progress is not None:
                        self.on_progress(i, payload)
                    continue
                if kind == "error":
                    _raise(i, payload)
                results[i] = payload
                waiting.discard(i)
            for i in waiting:
                if self.procs[i].poll() is not None:
                    raise self._died(i)
            self.on_wait()
        return [results[i] for i in sorted(results)]

    def abort(self) -> None:
        """Ask the running level to stop (workers look every few hundred states)."""
        for a in self.aborts:
            try:
                a.send_bytes(b"!")
            except OSError:
                pass

    def clear_abort(self) -> None:
        for a in self.aborts:
            try:
                while a.poll():
                    a.recv_bytes()
            except (OSError, EOFError):
                pass

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def close(self) -> None:
        for conn, booted, p in zip(self.conns, self.booted, self.procs):
            if not booted:  # still building its model: not worth waiting for
                p.kill()
                continue
            try:
                conn.send(None)
            except OSError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for conn in self.conns + self.aborts:
            conn.close()


def _reachable(address: str) -> None:
    """Fail fast on a ``host:port`` nobody answers at (ray.init would retry
    for minutes)."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return  # "auto", "ray://...": Ray's own resolution
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise OptionError(Option.RAY_ADDRESS, address, f"cannot join the Ray cluster: nothing answers there ({exc})") \
            from None


def _node_id(_actor: Any) -> str:
    import ray

    return str(ray.get_runtime_context().get_node_id())


class RayBackend:
    """One Ray actor per worker on the cluster at ``address``, built as
    ``service(*make(i, n))``; ``n`` 0: one per CPU of the cluster."""

    def __init__(self, address: str, service: type, make: Callable[[int, int], tuple[Any, ...]], n: int,
                 on_wait: Callable[[], None]):
        try:
            import ray
        except ImportError:
            raise OptionError(Option.RAY_ADDRESS, address,
                              "Ray is not installed; install it with: pip install 'checker[ray]'") from None
        self.ray = ray
        _reachable(address)
        try:
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False, logging_level=logging.WARNING)
        except Exception as exc:  # no cluster there, a version mismatch, ...
            raise OptionError(Option.RAY_ADDRESS, address, f"cannot join the Ray cluster: {exc}") from None
        if n == 0:
            n = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.n = n
        self.on_wait = on_wait
        actor: Any = ray.remote(num_cpus=1)(service)
        # SPREAD: one worker per node where the cluster allows it.
        self.actors: list[Any] = [actor.options(scheduling_strategy="SPREAD").remote(*make(i, n)) for i in range(n)]
        #: the cluster node of each actor
        self.nodes: list[str] = self._get([a.__ray_call__.remote(_node_id) for a in self.actors])

    def _get(self, refs: list[Any]) -> list[Any]:
        ray = self.ray
        pending = list(refs)
        while pending:
            _, pending = ray.wait(pending, num_returns=len(pending), timeout=POLL)
            if pending:
                self.on_wait()
        try:
            return ray.get(refs)
        except ray.exceptions.RayTaskError as exc:
            cause = exc.as_instanceof_cause()
            if isinstance(cause, CheckerError):
                raise cause from None
            raise WorkerFailed(f"a Ray worker failed: {exc}") from None
        except ray.exceptions.RayActorError as exc:
            raise WorkerFailed(f"a Ray actor died: {exc}") from None

    def call(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        return self._get([getattr(a, method).remote(*x) for a, x in zip(self.actors, args)])

    def call_one(self, index: int, method: str, *args: Any) -> Any:
        return self._get([getattr(self.actors[index], method).remote(*args)])[0]

    def ready(self, wait: bool) -> bool:
        """The actors exist once the backend does (it asked each for its node)."""
        return True

    def abort(self) -> None:
        """Ray actors finish the level in progress (no shared flag)."""

    def clear_abort(self) -> None:
        pass

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)
