"""What the robustness tests share: run `checker` in this process and read
what it said."""

from __future__ import annotations

from pathlib import Path

from checker.cli import main
from tests.conftest import ROOT

SPECS = ROOT / "specs"
DATA = ROOT / "tests" / "validate" / "data"
TICKET = str(SPECS / "ticket.dsl")
TICKET_MAP = str(DATA / "ticket.toml")
TICKET_LOG = str(DATA / "ticket_ok.jsonl")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``checker ARGV``: (exit code, stdout, stderr); never a traceback."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return int(code), out, err


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)
