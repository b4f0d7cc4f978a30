"""Helpers shared by the benchmark scripts: machine description and the shared data path."""

from __future__ import annotations

from pathlib import Path

import torch

from ganstudio.core.tuning import cpu_signature

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def machine() -> str:
    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    return f"CPU {cpu_signature()}, torch {torch.__version__}"  # model name, family / model, flags, cores
