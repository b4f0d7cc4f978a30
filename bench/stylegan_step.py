"""StyleGAN training step on this machine: channels-last against plain (NCHW) tensors, and bf16
autocast against fp32, measured alternately in one run so a busy machine slows both alike.

    python bench/stylegan_step.py [--batch 16] [--size 64] [--threads N] [--reps 3]

Prints seconds per step and images per second for each variant, and the ratios to the plain fp32
step. The trainer uses channels-last; `precision auto` keeps StyleGAN in fp32 (its bf16 training quality is
not measured: `train/precision.py`).
"""

from __future__ import annotations

import argparse
import time

import torch
from common import SHARED, machine

from ganstudio.core.config import preset, train_from_dict
from ganstudio.train.stylegan import StyleGANTrainer


def trainer(size: int, batch: int, precision: str, channels_last: bool) -> StyleGANTrainer:
    p = preset("stylegan", "folder", "balanced")
    model = {**p.pop("model"), "img_size": size}
    data = {"kind": "folder", "path": str(SHARED / "monet2photo" / "trainA"), "limit": 64}
    t = StyleGANTrainer.for_run(train_from_dict({**p, "model": model, "batch": batch, "data": data,
                                                 "precision": precision}), torch.device("cpu"))
    if not channels_last:  # the baseline: the same networks and batches in plain NCHW layout
        t.memory_format = torch.contiguous_format
        for net in (t.G, t.D, t.G_ema):
            net.to(memory_format=torch.contiguous_format)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0: torch's default)")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    variants = {"fp32 NCHW (baseline)": ("fp32", False), "fp32 channels-last": ("fp32", True),
                "bf16 channels-last": ("bf16", True)}
    runs = {name: trainer(args.size, args.batch, *v) for name, v in variants.items()}
    times: dict[str, list[float]] = {name: [] for name in runs}
    gen = torch.Generator().manual_seed(0)
    for _ in range(args.reps):
        for name, t in runs.items():
            t.step(gen)  # warm-up / R1 step
            t0 = time.perf_counter()
            t.step(gen)
            t.step(gen)
            times[name].append((time.perf_counter() - t0) / 2)
    print(f"machine: {machine()}, {torch.get_num_threads()} threads; StyleGAN {args.size} px, batch {args.batch}")
    base = min(times["fp32 NCHW (baseline)"])
    for name, ts in times.items():
        best = min(ts)
        print(f"  {name:22s} {best:6.2f} s/step  {args.batch / best:6.1f} img/s  ×{base / best:.2f}")


if __name__ == "__main__":
    main()
