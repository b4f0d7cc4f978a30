"""Helpers shared by the benchmark scripts: machine description and the shared data path."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import torch

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def machine() -> str:
    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    return f"CPU {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}"
