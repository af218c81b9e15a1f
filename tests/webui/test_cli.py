"""`checker explore` as a user runs it: a process that prints its URL, serves
on 127.0.0.1, stops cleanly on Ctrl-C, and exits 2 with a clear message on
bad input."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.cli import main

CHECKER = [sys.executable, "-m", "checker.cli"]


class Explorer:
    """A running ``checker explore`` process."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen([*CHECKER, "explore", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert match, first + self.proc.stderr.read() if self.proc.stderr else first
        self.url = match.group(0)
        self.port = int(match.group(1))

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.url + path.lstrip("/"))
        if host is not None:
            req.add_unredirected_header("Host", host)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def interrupt(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def explorer() -> Iterator[Explorer]:
    ex = Explorer("specs/ticket.dsl", "--no-search")
    try:
        yield ex
    finally:
        ex.kill()


def test_serves_on_loopback_and_stops_cleanly_on_ctrl_c(explorer: Explorer) -> None:
    status, headers, body = explorer.get("/")
    assert status == 200 and body.startswith(b"<!DOCTYPE html>")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    status, _, body = explorer.get("/api/view?path=0")
    assert status == 200 and len(json.loads(body)["enabled"]) == 6
    # a page elsewhere that points its own name at 127.0.0.1 gets nothing
    status, _, body = explorer.get("/api/model", host=f"attacker.example:{explorer.port}")
    assert status == 403 and b"127.0.0.1 or localhost" in body
    assert explorer.get("/api/model", host=f"localhost:{explorer.port}")[0] == 200
    # it listens on 127.0.0.1 only: the machine's other address does not answer
    other = _non_loopback_address()
    if other is not None:
        with socket.socket() as s:
            s.settimeout(5)
            assert s.connect_ex((other, explorer.port)) != 0
    code, out, err = explorer.interrupt()
    assert (code, err) == (0, "checker explore: stopped\n") and "Traceback" not in out


def _non_loopback_address() -> str | None:
    """An address of this machine other than 127.0.0.1, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def test_a_trace_given_on_the_command_line_opens_first(tmp_path: Path, capsys) -> None:
    assert main(["run", "specs/ticket.dsl", "--no-progress", "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    ex = Explorer("specs/ticket.dsl", "--no-search", "--trace", str(tmp_path / "Consistency.trace.json"))
    try:
        status, _, body = ex.get("/api/model")
        assert status == 200 and len(json.loads(body)["start"]) == 16
    finally:
        ex.kill()


def _run(*args: str) -> tuple[int, str]:
    done = subprocess.run([*CHECKER, "explore", *args], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = _run("specs/ticket.dsl", "--port", str(port))
    assert code == 2 and f"--port {port}: 127.0.0.1:{port} is already in use" in err


@pytest.mark.parametrize("args, message", [
    (["specs/nope.dsl"], "specs/nope.dsl: no such file"),
    (["specs/ticket.dsl", "--const", "Servers"], "--const Servers: expected NAME=VALUE"),
    (["specs/ticket.dsl", "--const", "Nope=1"], "Nope"),
    (["specs/ticket.dsl", "--faults", "flood=1"], "--faults flood=1"),
    (["specs/ticket.dsl", "--port", "70000"], "--port must be from 0 to 65535"),
    (["specs/ticket.dsl", "--port", "http"], "--port must be a port number"),
    (["specs/ticket.dsl", "--trace", "missing.trace.json"], "missing.trace.json: no such trace file"),
])
def test_bad_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    code, err = _run(*args)
    assert code == 2 and message in err


def test_a_malformed_or_foreign_trace_file_exits_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.trace.json"
    bad.write_text('{"format": "checker-trace", "version": 1, "spec": "S", "nodes": [], "steps": [{"index": 0}], '
                   '"violation": {"prop": "P", "kind": "invariant"}}')
    code, err = _run("specs/ticket.dsl", "--trace", str(bad))
    assert code == 2 and f"{bad}: steps[0]: missing fields 'kind', 'label'" in err
    bad.write_text("{" * 50_000)
    code, err = _run("specs/ticket.dsl", "--trace", str(bad))
    assert code == 2 and str(bad) in err
    assert main(["run", "specs/channel/naive.dsl", "--no-progress", "--out", str(tmp_path)]) == 1
    capsys.readouterr()
    code, err = _run("specs/ticket.dsl", "--trace", str(tmp_path / "NoCorruption.trace.json"))
    assert code == 2 and "not a behaviour of this model" in err
