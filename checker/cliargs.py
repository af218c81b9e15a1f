"""Argument types shared by the subcommands: each names its option in the
error (argparse turns the message into our usage error, exit 2)."""

from __future__ import annotations

import argparse
from typing import Callable


def non_negative_int(flag: str) -> Callable[[str], int]:
    def conv(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be an integer, not {text!r}") from None
        if v < 0:
            raise argparse.ArgumentTypeError(f"{flag} must be >= 0, not {v}")
        return v

    return conv


def positive_seconds(flag: str) -> Callable[[str], float]:
    def conv(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a number of seconds, not {text!r}") from None
        if not v > 0:
            raise argparse.ArgumentTypeError(f"{flag} must be > 0")
        return v

    return conv
