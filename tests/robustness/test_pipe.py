"""Issue 14: `checker run SPEC | head -1` keeps the verdict's exit code (a
reader that goes away is no success: a CI script piping the report would
lose the violation)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.robustness.tools import TICKET


@pytest.mark.parametrize("command, code", [(["run", TICKET, "--no-progress"], 1),
                                           (["simulate", TICKET, "--no-progress", "--seed", "1"], 1)])
def test_a_closed_pipe_keeps_the_exit_code(command, code):
    # the reader exits at once: every write of the report meets a closed pipe
    checker = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", *command]
    proc = subprocess.Popen(checker, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
