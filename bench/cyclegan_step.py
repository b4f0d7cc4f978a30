"""One CycleGAN training step of GAN Studio's trainer, variant by variant: fp32 / bf16, NCHW / channels-last.

    python bench/cyclegan_step.py [--reps 6] [--threads 1] [--img-size 128]

Every variant is its own trainer of the balanced preset's networks (32 channels, 9 blocks, resize up
path, 64-channel PatchGAN, batch 1) on monet2photo photos ↔ paintings at the crop asked for (128 px
is what tools/train_styles.py trains); the variants take their steps in turn, round after round, so
load that comes and goes hits all alike, and the figure is the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, interleaved_steps, machine

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.data.unpaired import load_unpaired
from ganstudio.train.cyclegan import CycleGANTrainer

VARIANTS = {"fp32 NCHW": ("fp32", False), "fp32 channels-last": ("fp32", True),
            "bf16 NCHW": ("bf16", False), "bf16 channels-last": ("bf16", True)}
DATA = SHARED / "monet2photo"


def trainer(precision: str, channels_last: bool, size: int) -> CycleGANTrainer:
    model = ModelConfig(arch="cyclegan", img_size=size, channels=3, base_ch=32, res_blocks=9, base_ch_d=64,
                        upsample="resize")
    data = DataConfig(kind="folder", path=str(DATA / "trainB"), path_b=str(DATA / "trainA"), load_size=286)
    cfg = TrainConfig(model=model, data=data, loss="lsgan", batch=1, precision=precision, device="cpu")
    cpu = torch.device("cpu")
    t = CycleGANTrainer(cfg, load_unpaired(data.path, data.path_b, size, 286, cpu, limit=64), cpu)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    for net in (t.G_AB, t.G_BA, t.D_A, t.D_B):
        net.to(memory_format=fmt)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--img-size", type=int, default=128)
    ap.add_argument("--only", nargs="*", default=list(VARIANTS), help="variant names to run")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if not DATA.is_dir():
        raise SystemExit(f"needs the shared monet2photo set at {DATA}")
    runs = {name: trainer(*VARIANTS[name], args.img_size) for name in args.only}
    times, loads = interleaved_steps(runs, args.reps)
    print(f"{machine()}, {torch.get_num_threads()} thread(s); CycleGAN balanced, {args.img_size} px crops, "
          f"batch 1; load average {min(loads):.1f}–{max(loads):.1f}")
    base = statistics.median(times[args.only[0]])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:20s} {med * 1e3:7.0f} ms/step (min {min(ts) * 1e3:.0f})  ×{base / med:.2f}")


if __name__ == "__main__":
    main()
