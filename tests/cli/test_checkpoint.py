"""Runs that survive: a search killed (SIGKILL) or interrupted (Ctrl-C)
after a checkpoint resumes to exactly the result of an uninterrupted run;
the memory limit ends a search cleanly with a checkpoint to resume."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TICKET = str(ROOT / "specs" / "ticket.dsl")
CHECKPOINT = "checkpoint.pickle"


def checker(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "checker.cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def finish(p: subprocess.Popen) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=600)
    return p.returncode, out, err


def comparable(text: str) -> list[str]:
    """The report without its clock readings and worker count."""
    return [line for line in text.splitlines()
            if not line.startswith(("time:", "note: checkpoint written", "fingerprint collision"))]


def wait_for_checkpoint(directory: Path, p: subprocess.Popen, *, after: float = 0.0) -> None:
    """Until a checkpoint newer than ``after`` exists (the run must still be going)."""
    target = directory / CHECKPOINT
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if target.exists() and target.stat().st_mtime > after:
            return
        assert p.poll() is None, "the run ended before writing a checkpoint"
        time.sleep(0.05)
    raise AssertionError("no checkpoint appeared")


@pytest.fixture(scope="module")
def uninterrupted() -> list[str]:
    code, out, err = finish(checker("run", TICKET, "--no-progress", "--workers", "1"))
    assert code == 1, err
    return comparable(out)


@pytest.mark.slow
@pytest.mark.parametrize("workers_before,workers_after", [("1", "2"), ("2", "1")])
def test_a_killed_run_resumes_to_the_uninterrupted_result(tmp_path, uninterrupted, workers_before, workers_after):
    cp = tmp_path / "cp"
    p = checker("run", TICKET, "--no-progress", "--workers", workers_before, "--checkpoint", str(cp),
                "--checkpoint-every", "0.3")
    wait_for_checkpoint(cp, p)
    first = (cp / CHECKPOINT).stat().st_mtime
    wait_for_checkpoint(cp, p, after=first)  # a later one: the search is well under way
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL
    code, out, err = finish(checker("run", "--resume", str(cp), "--no-progress", "--workers", workers_after))
    assert code == 1, err
    assert comparable(out) == uninterrupted


@pytest.mark.slow
def test_ctrl_c_writes_a_checkpoint_and_stops_with_the_figures_so_far(tmp_path, uninterrupted):
    cp = tmp_path / "cp"
    p = checker("run", TICKET, "--no-progress", "--workers", "1", "--checkpoint", str(cp), "--checkpoint-every", "0.3")
    wait_for_checkpoint(cp, p)
    p.send_signal(signal.SIGINT)
    code, out, err = finish(p)
    if code == 1:  # the search found its violation first and finished
        pytest.skip("the run ended before Ctrl-C arrived")
    assert code == 130, err
    assert "search: incomplete (bfs): interrupted (Ctrl-C)" in out
    assert f"continue with: checker run --resume {cp}" in out
    code, out, err = finish(checker("run", "--resume", str(cp), "--no-progress"))
    assert code == 1, err
    assert comparable(out) == uninterrupted


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_memory_limit_stops_cleanly_and_keeps_a_checkpoint(tmp_path, uninterrupted, workers):
    cp = tmp_path / "cp"
    # Far below what the interpreter alone needs: the search stops at its first look.
    code, out, err = finish(checker("run", TICKET, "--json", "--no-progress", "--workers", workers,
                                    "--memory-limit", "1M", "--checkpoint", str(cp)))
    assert code == 3, err
    data = json.loads(out)
    assert data["reason"].startswith("memory limit 1.0M reached")
    assert data["stats"]["distinct"] > 0 and data["exit_code"] == 3
    assert (cp / CHECKPOINT).exists()
    code, out, err = finish(checker("run", "--resume", str(cp), "--no-progress"))
    assert code == 1, err
    assert comparable(out) == uninterrupted


@pytest.mark.slow
def test_resume_refuses_what_the_checkpoint_fixes(tmp_path):
    cp = tmp_path / "cp"
    code, _, err = finish(checker("run", TICKET, "--no-progress", "--workers", "1", "--max-states", "5000",
                                  "--checkpoint", str(cp), "--memory-limit", "1M"))
    assert code == 3, err
    code, _, err = finish(checker("run", "--resume", str(cp), "--max-depth", "3"))
    assert code == 2 and "the checkpoint fixes the model and the search; drop --max-depth" in err
    code, _, err = finish(checker("run", "--resume", str(tmp_path / "nothing")))
    assert code == 2 and "no checkpoint here" in err
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / CHECKPOINT).write_bytes(b"not a pickle")
    code, _, err = finish(checker("run", "--resume", str(tmp_path / "bad")))
    assert code == 2 and "not a readable checkpoint" in err and "Traceback" not in err


def test_bad_scale_options_name_their_flag():
    for args, message in [(["--memory-limit", "lots"], "--memory-limit: expected a size such as 4G"),
                          (["--workers", "0"], "--workers must be >= 1"),
                          (["--checkpoint-every", "-1"], "--checkpoint-every must be > 0"),
                          (["--exact-states", "--workers", "2"], "--exact-states keeps whole states in one process"),
                          (["--strategy", "dfs", "--checkpoint", "x"], "--checkpoint applies to the breadth-first")]:
        code, _, err = finish(checker("run", TICKET, "--no-progress", *args))
        assert code == 2, (args, err)
        assert message in err, (args, err)
        assert "Traceback" not in err
