"""Time for an MLP GAN to capture the 25-gaussian grid: GAN Studio's preset vs a plain baseline.

Both run through the product's own training loop (`ganstudio.train.loop.train`) on the CPU, one
after the other, each for the same wall-clock budget. Coverage is measured every 100 steps
with the VEEGAN / PacGAN metric (2,500 samples; high quality = within 3 σ of a mode; a mode is
captured with ≥ 20 high-quality samples). Target: ≥ 24 of 25 modes with ≥ 90 % high-quality
samples in under 60 s.

    python bench/mode_coverage.py [--budget 90] [--threads 1] [--seeds 1]

The baseline is the vanilla GAN of the PacGAN paper's 2D-grid experiment (G: 4 × 400 ReLU,
D: 3 × 200, Adam lr 1e-4, batch 100); the preset is what the Train page and
`ganstudio train --model mlp --data grid25` use.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, preset
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl
from ganstudio.train.loop import train

TARGET_MODES, TARGET_HQ = 24, 0.90


def preset_config(out: str, seed: int) -> TrainConfig:
    p = preset("mlp", "toy", "balanced")
    model = ModelConfig(**p.pop("model"))
    return TrainConfig(model=model, data=DataConfig(kind="toy", name="grid25"), out_dir=out, seed=seed,
                       **{**p, "steps": 10**6, "sample_every": 100, "ckpt_every": 10**9, "log_every": 100})


def baseline_config(out: str, seed: int) -> TrainConfig:
    model = ModelConfig(arch="mlp", z_dim=2, hidden=400, layers=4)
    return TrainConfig(model=model, data=DataConfig(kind="toy", name="grid25"), loss="bce", batch=100, lr_g=1e-4,
                       lr_d=1e-4, beta1=0.5, steps=10**6, sample_every=100, ckpt_every=10**9, log_every=100,
                       out_dir=out, seed=seed)


def run(cfg: TrainConfig, budget: float) -> dict:
    """Wall time to the target (or None), the best coverage seen and the steps taken."""
    control = RunControl()
    t0 = time.perf_counter()
    best, reached, step = (0.0, 0.0), None, 0
    for e in train(cfg, control):
        elapsed = time.perf_counter() - t0
        if isinstance(e, ev.Metrics):
            step = e.step
            modes, hq = e.values["modes"], e.values["hq_share"]
            best = max(best, (modes, hq))
            if reached is None and modes >= TARGET_MODES and hq >= TARGET_HQ:
                reached = elapsed
                control.stop()
        if elapsed > budget:
            control.stop()
        if isinstance(e, (ev.Finished, ev.Failed)):
            break
    return {"reached_s": reached, "best_modes": best[0], "best_hq": best[1], "steps": step}


def describe(name: str, r: dict) -> str:
    when = f"target reached in {r['reached_s']:.1f} s" if r["reached_s"] is not None else "target not reached"
    return (f"{name:16s} {when}; best {r['best_modes']:.0f}/25 modes at {r['best_hq']:.1%} high quality, "
            f"{r['steps']} steps")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--budget", type=float, default=90.0, help="seconds per run")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seeds", type=int, default=1, help="runs per configuration (seeds 0, 1, …): GAN runs vary a lot")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f"machine: {machine()}, {args.threads} thread(s); budget {args.budget:.0f} s per run")
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            for name, make in (("baseline", baseline_config), ("preset", preset_config)):
                result = run(make(str(Path(tmp) / f"{name}{seed}"), seed), args.budget)
                print(describe(f"{name} seed {seed}", result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
