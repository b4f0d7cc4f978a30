"""How long a run of these settings takes on this machine, measured before it starts.

A few steps of the chosen model on a small real batch of the chosen data, timed after one
warm-up step (first-call allocations and kernel choices), plus one sample grid, the preview a
run draws every `sample_every` steps. A step that would be slow at the run's batch is timed at
small batches and followed to the run's (see `measure`), so measuring stays short; a cheap one
is timed at the run's own batch. Nothing is written and nothing is downloaded. No Qt.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass

import torch

from ganstudio.core.config import TrainConfig, replace, to_dict, validate
from ganstudio.core.device import pick_device
from ganstudio.core.jobs import CancelCheck, Cancelled
from ganstudio.train.loop import TRAINERS, family_of
from ganstudio.train.run_state import duration

MEASURED_STEPS = 3  # timed one by one after the warm-up step; the median counts (a busy moment does not)
SMALL_BATCH = 16  # the batch a slow step is timed at
FULL_BATCH_S = 0.25  # a step expected to take at most this at the run's batch is timed at that batch
DATA_LIMIT = 64  # images loaded for measuring (a folder is decoded only this far)


@dataclass(frozen=True)
class StepTime:
    """What one step (and one preview) of a run costs on this machine."""

    step_s: float  # one training step at the run's batch
    preview_s: float  # one sample grid (0 for 2D models, whose view is cheap)
    scaled: bool  # timed at a smaller batch and scaled to the run's

    def run_seconds(self, steps: int, sample_every: int) -> float:
        return steps * self.step_s + steps // max(sample_every, 1) * self.preview_s

    def text(self, steps: int, sample_every: int) -> str:
        """"about 12 min on this machine (measured 0.36 s/step)"."""
        per = f"{self.step_s:.2f} s" if self.step_s >= 0.1 else f"{self.step_s * 1000:.2g} ms"
        return f"about {duration(self.run_seconds(steps, sample_every))} on this machine (measured {per}/step)"


def measure(cfg: TrainConfig, cancelled: CancelCheck | None = None, steps: int = MEASURED_STEPS) -> StepTime:
    """Time a few steps of `cfg`'s model on its data; UserError for settings or data that cannot train,
    `Cancelled` between steps once `cancelled()` turns true.

    A step is timed at a batch of SMALL_BATCH; one that stays cheap at the run's batch is timed again there,
    a dearer one at twice SMALL_BATCH, and the line through the two is followed to the run's batch (a step's
    cost grows with its batch, from a fixed part that dominates small networks)."""
    validate(cfg)
    b1 = min(cfg.batch, SMALL_BATCH)
    t1, preview_s = _time(_measured(cfg, b1), steps, cancelled)
    if b1 == cfg.batch:
        return StepTime(t1, preview_s, False)
    if t1 * cfg.batch / b1 <= FULL_BATCH_S:
        return StepTime(_time(_measured(cfg, cfg.batch), steps, cancelled, preview=False)[0], preview_s, False)
    b2 = min(cfg.batch, 2 * b1)
    t2 = _time(_measured(cfg, b2), steps, cancelled, preview=False)[0]
    slope = max(t2 - t1, 0.0) / (b2 - b1)
    return StepTime(t2 + slope * (cfg.batch - b2), preview_s, b2 < cfg.batch)


def cost_key(cfg: TrainConfig) -> str:
    """The settings a step's cost depends on, as text: two configs with the same key need one measurement
    (the number of steps, learning rates, seed, intervals and folder name change the time, not a step)."""
    same = replace(cfg, steps=1, lr_g=0.5, lr_d=0.5, seed=0, out_dir="", sample_every=1, ckpt_every=1,
                   keep_last=1, log_every=1, lr_decay=0.0)
    return json.dumps(to_dict(same), sort_keys=True)


def _measured(cfg: TrainConfig, batch: int) -> TrainConfig:
    """The run's settings at `batch`, on a few images of its data, never downloading."""
    limit = min(cfg.data.limit or DATA_LIMIT, max(DATA_LIMIT, batch))
    return replace(cfg, batch=batch, data=replace(cfg.data, limit=limit, download=False))


def _time(cfg: TrainConfig, steps: int, cancelled: CancelCheck | None, preview: bool = True) -> tuple[float, float]:
    """(median seconds per step, seconds per sample grid) of a freshly built trainer."""
    torch.manual_seed(cfg.seed)
    gen = torch.Generator(device="cpu").manual_seed(cfg.seed)
    trainer = TRAINERS[family_of(cfg.model.arch)].for_run(cfg, pick_device(cfg.device))
    _done(trainer.step(gen))
    times = []
    for _ in range(steps):
        if cancelled is not None and cancelled():
            raise Cancelled()
        start = time.perf_counter()
        _done(trainer.step(gen))
        times.append(time.perf_counter() - start)
    step_s = statistics.median(times)
    preview_s = 0.0
    if preview and trainer.source.kind != "points":  # a 2D model's view is cheap beside its steps
        start = time.perf_counter()
        trainer.sample_grid()
        preview_s = time.perf_counter() - start
    return step_s, preview_s


def _done(stats: dict[str, torch.Tensor]) -> None:
    """Wait for the step's work on the device: reading its statistics does, as the run's NaN check does."""
    for value in stats.values():
        float(value)
