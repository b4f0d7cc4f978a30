"""Every number, name and output path the CLI takes is checked here, with the range in the message.

Each helper is an argparse `type=`: a bad value becomes one line, `error: argument --cols: …`,
before any model is loaded. `Parser` prints that line alone (no usage block) and exits with 2,
the code of every user mistake. No torch, no Qt.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from ganstudio.core.jobs import MAX_SEED

EXIT_USER_ERROR = 2
DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one line and exit code 2 (subcommands inherit it)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_USER_ERROR)


def _number(text: str, kind: type) -> float:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not {'a whole number' if kind is int else 'a number'}") \
            from None
    return value


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """A whole number from `lo` to `hi`."""
    def parse(text: str) -> int:
        value = int(_number(text, int))
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range (use {lo}–{hi})")
        return value

    parse.__name__ = "int"  # argparse names the type in its messages
    return parse


def float_in(lo: float, hi: float, lo_open: bool = False) -> Callable[[str], float]:
    """A finite number from `lo` (excluded when `lo_open`) to `hi`."""
    def parse(text: str) -> float:
        value = float(_number(text, float))
        low_ok = value > lo if lo_open else value >= lo
        if not (math.isfinite(value) and low_ok and value <= hi):
            bound = f"above {lo:g}" if lo_open else f"{lo:g}"
            raise argparse.ArgumentTypeError(f"{text} is out of range (use {bound} to {hi:g})")
        return value

    parse.__name__ = "float"
    return parse


SEED = int_in(0, MAX_SEED)


def device(text: str) -> str:
    """auto, cpu, cuda, cuda:N or mps; whether it is there is checked when it is picked."""
    if not DEVICE_RE.match(text):
        raise argparse.ArgumentTypeError(f"unknown device '{text}' (use auto, cpu, cuda, cuda:N or mps)")
    return text


def out_file(*suffixes: str) -> Callable[[str], str]:
    """An output file name ending in one of `suffixes`, and not an existing folder."""
    def parse(text: str) -> str:
        if not text:
            return text  # a flag given without a name: the command picks the default name
        path = Path(text).expanduser()
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{text} is a folder (give a file name, e.g. "
                                             f"{path / ('out' + suffixes[0])})")
        if path.suffix.lower() not in suffixes:
            names = ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]
            raise argparse.ArgumentTypeError(f"cannot tell the file format of '{path.name}' "
                                             f"(end the name with {names})")
        return text

    parse.__name__ = "file name"
    return parse


def out_folder(text: str) -> str:
    """An output folder: absent (it is made) or a folder, never an existing file."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder (give a folder name)")
    return text
