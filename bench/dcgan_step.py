"""One DCGAN 64 px training step of GAN Studio's trainer, variant by variant: fp32 / bf16, NCHW /
channels-last, and where the time goes (torch.profiler).

    python bench/dcgan_step.py [--reps 5] [--threads N] [--profile]

Every variant is its own trainer of the same networks and batch (64 px, batch 64, z 100, 64 base
channels, BCE, Monet paintings); the variants take their steps in turn, round after round, so load
that comes and goes hits all alike, and the figure is the median. `--profile` prints the ops that
take the most time in one step of each precision, and the number of dtype casts per step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, interleaved_steps, machine
from train_throughput import BATCH, MODEL

from ganstudio.core.config import DataConfig, TrainConfig
from ganstudio.data.folder import load_folder
from ganstudio.train.gan import GANTrainer

VARIANTS = {"fp32 NCHW": ("fp32", False), "fp32 channels-last": ("fp32", True),
            "bf16 NCHW": ("bf16", False), "bf16 channels-last": ("bf16", True)}


def trainer(precision: str, channels_last: bool, folder: Path) -> GANTrainer:
    cfg = TrainConfig(model=MODEL, data=DataConfig(kind="folder", path=str(folder)), loss="bce", batch=BATCH,
                      precision=precision)
    t = GANTrainer(cfg, load_folder(folder, 64, 3, torch.device("cpu"), limit=512), torch.device("cpu"))
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    for net in (t.G, t.D):
        net.to(memory_format=fmt)
    return t


def profile(t: GANTrainer, name: str) -> None:
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    gen = torch.Generator().manual_seed(1)
    t.step(gen)
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        t.step(gen)
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events) / 1e3
    casts = sum(e.count for e in events if e.key in ("aten::_to_copy", "aten::to_dtype"))
    print(f"\n{name}: one step {total:.0f} ms of op time, {casts} dtype casts (aten::_to_copy)")
    print(events.table(sort_by="self_cpu_time_total", row_limit=14, max_name_column_width=42))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0: torch's default)")
    ap.add_argument("--only", nargs="*", default=list(VARIANTS), help="variant names to run")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    folder = SHARED / "monet2photo" / "trainA"
    if not folder.is_dir():
        raise SystemExit(f"needs the shared Monet paintings at {folder}")
    runs = {name: trainer(*VARIANTS[name], folder) for name in args.only}
    if args.profile:
        for name, t in runs.items():
            profile(t, name)
        return
    times, loads = interleaved_steps(runs, args.reps)
    print(f"{machine()}, {torch.get_num_threads()} threads; DCGAN 64 px, batch {BATCH}; load average "
          f"{min(loads):.1f}–{max(loads):.1f}")
    base = statistics.median(times[args.only[0]])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:20s} {med * 1e3:7.0f} ms/step (min {min(ts) * 1e3:.0f})  {BATCH / med:6.1f} img/s  "
              f"×{base / med:.2f}")


if __name__ == "__main__":
    main()
