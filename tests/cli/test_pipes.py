"""A command whose reader stops early (`ganstudio info x | head -1`) ends quietly, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # the reader has already gone, as `head -1` has once it has its line
    try:
        return subprocess.run([sys.executable, "-m", "ganstudio", *args], stdout=write, stderr=subprocess.PIPE,
                              cwd=ROOT, text=True, timeout=120, check=False)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [("info", "ring8-mlp"), ("info", "ring8-mlp", "--json"), ("--help",)])
def test_output_into_a_closed_pipe_exits_quietly(args) -> None:
    done = _into_a_closed_pipe(*args)
    assert done.stderr == "", done.stderr
    assert done.returncode in (0, 141)
    if args[0] == "info":
        assert done.returncode == 141  # the shell's code for a command whose reader left
