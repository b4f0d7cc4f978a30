"""Helpers shared by the benchmark scripts: machine description and the shared data path."""

from __future__ import annotations

import os
import time
from pathlib import Path

import torch

from ganstudio.core.tuning import cpu_signature

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def machine() -> str:
    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    return f"CPU {cpu_signature()}, torch {torch.__version__}"  # model name, family / model, flags, cores


def interleaved_steps(runs: dict, reps: int) -> tuple[dict[str, list[float]], list[float]]:
    """Seconds per `step(gen)` of each trainer in `runs` after one warm-up step each, the trainers taking
    their steps in turn (the order reversed every other round) so load that comes and goes hits all alike;
    and the load average after each round."""
    gen = torch.Generator().manual_seed(0)
    for t in runs.values():
        t.step(gen)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in runs}
    loads = []
    for r in range(reps):
        for name in (list(runs) if r % 2 == 0 else list(runs)[::-1]):
            t0 = time.perf_counter()
            runs[name].step(gen)
            times[name].append(time.perf_counter() - t0)
        loads.append(os.getloadavg()[0])
    return times, loads
