"""The full check, run in the background while a person explores.

The explorer starts `checker.explore.explore` (breadth-first, so every
counterexample is a shortest one) in a daemon thread; the page polls its
progress and, for each property found violated, offers the counterexample
as a path to walk ("shortest path to the violation"). The search stops at
the next progress tick (about every two seconds) once the server stops.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from enum import StrEnum
from typing import Any

from checker.errors import CheckerError
from checker.explore.progress import Progress
from checker.explore.result import CheckResult
from checker.explore.search import explore
from checker.options import SearchOptions, Strategy
from checker.trace import ReplayError
from checker.webui.explorer import Explorer


class SearchState(StrEnum):
    OFF = "off"  # not asked for (--no-search)
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # the model failed during the search
    STOPPED = "stopped"  # the server is stopping


class _Stopped(Exception):
    """Raised from the progress callback to end the search early."""


class BackgroundSearch:
    """One breadth-first check of the explorer's model, in a thread."""

    def __init__(self, ex: Explorer, options: SearchOptions | None = None):
        """``options``: the bounds of the check (None: no check); the check
        is breadth-first whatever the strategy, for shortest paths."""
        self.ex = ex
        self.options = replace(options, strategy=Strategy.BFS) if options is not None else None
        self.state = SearchState.RUNNING if options is not None else SearchState.OFF
        self.progress: Progress | None = None
        self.result: CheckResult | None = None
        self.error = ""
        self.paths: dict[str, list[int]] = {}  # violated property -> its counterexample's path
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.state is SearchState.RUNNING and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="checker-explore-search", daemon=True)
            self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        """Ask the search to end; wait up to ``wait`` seconds for it."""
        self._stop.set()
        if self._thread is not None and wait > 0:
            self._thread.join(wait)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the search to end; True when it has."""
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _tick(self, p: Progress) -> None:
        with self._lock:
            self.progress = p
        if self._stop.is_set():
            raise _Stopped

    def _run(self) -> None:
        try:
            result = explore(self.ex.model, self.options, progress=self._tick)
            paths = {}
            for prop, trace in result.traces.items():
                paths[prop] = self.ex.open_trace(trace, f"the counterexample to {prop}")
        except _Stopped:
            with self._lock:
                self.state = SearchState.STOPPED
            return
        except (CheckerError, ReplayError) as exc:
            with self._lock:
                self.state, self.error = SearchState.FAILED, str(exc)
            return
        except Exception as exc:  # a bug in the checker: say so on the page, keep serving
            with self._lock:
                self.state, self.error = SearchState.FAILED, f"internal error: {type(exc).__name__}: {exc}"
            return
        with self._lock:
            self.result, self.paths, self.state = result, paths, SearchState.DONE

    def status(self) -> dict[str, Any]:
        """The search as the page shows it."""
        with self._lock:
            out: dict[str, Any] = {"state": self.state.value, "error": self.error}
            p = self.progress
            if p is not None:
                out["progress"] = {"distinct": p.distinct, "generated": p.generated, "seconds": round(p.seconds, 1)}
            r = self.result
            if r is None:
                return out
            out["complete"] = r.complete
            out["reason"] = r.reason
            out["stats"] = {"distinct": r.stats.distinct, "generated": r.stats.generated,
                            "depth": r.stats.max_depth, "seconds": round(r.stats.seconds, 2)}
            out["verdicts"] = [
                {"prop": prop, "verdict": verdict, "path": self.paths.get(prop),
                 "steps": len(r.traces[prop]) if prop in r.traces else None,
                 "loopStart": r.traces[prop].loop_start if prop in r.traces else None,
                 "failingStep": r.traces[prop].failing_step if prop in r.traces else None}
                for prop, verdict in r.verdicts.items()
            ]
            return out
