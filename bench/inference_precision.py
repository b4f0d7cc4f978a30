"""Inference in bf16 against fp32 on this machine: a stylized photo and generator batches, with the
difference of the outputs in 0–255 levels.

    python bench/inference_precision.py [--reps 5] [--threads 1]

Each model is loaded twice (fp32, and with `models.precision.run_in_bf16` on its heavy part, as
`tune_inference` does when bf16 measures faster); the two take turns, round after round; medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

from ganstudio.modelfiles.generator import load_generator
from ganstudio.models.precision import heavy_part, run_in_bf16
from ganstudio.style.tiles import load_style_model, stylize_array

CPU = torch.device("cpu")


def pair(name: str) -> tuple[Callable[[], np.ndarray], Callable[[], np.ndarray]]:
    """(fp32 job, bf16 job) for one bundled model."""
    if name == "photo2monet":
        photo = Image.open(SHARED / "photos" / "bsds500-test" / "100007.jpg").convert("RGB")
        img = np.asarray(photo.resize((512, 512)))
        a, b = (load_style_model(name).nets["AB"] for _ in range(2))
        run_in_bf16(heavy_part(b), CPU)
        return (lambda: stylize_array(a, img)), (lambda: stylize_array(b, img))
    ga, gb = load_generator(name), load_generator(name)
    run_in_bf16(heavy_part(gb.net), CPU)
    z = ga.latents(list(range(32)))
    y = torch.arange(32) % ga.num_classes if ga.num_classes else None
    return (lambda: ga.generate(z, y)), (lambda: gb.generate(z, y))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", nargs="+", default=["photo2monet", "mnist-dcgan", "fashion-cdcgan", "monet-stylegan"])
    args = ap.parse_args()
    os.environ["GANSTUDIO_TUNING"] = "off"  # load in fp32; this script switches the second copy itself
    torch.set_num_threads(args.threads)
    print(f"{machine()}, {args.threads} thread(s), load average {os.getloadavg()[0]:.1f}")
    print("| model | job | fp32 | bf16 | bf16 speed | mean / max difference (levels) |\n|---|---|---|---|---|---|")
    for name in args.models:
        fp32, bf16 = pair(name)
        a, b = fp32(), bf16()  # warm-up, and the outputs compared
        diff = np.abs(a.astype(np.int16) - b.astype(np.int16))
        times: dict[str, list[float]] = {"fp32": [], "bf16": []}
        for r in range(args.reps):
            for key, job in (("fp32", fp32), ("bf16", bf16)) if r % 2 == 0 else (("bf16", bf16), ("fp32", fp32)):
                t0 = time.perf_counter()
                job()
                times[key].append(time.perf_counter() - t0)
        t32, t16 = statistics.median(times["fp32"]), statistics.median(times["bf16"])
        job_name = "512 × 512 photo" if name == "photo2monet" else "32 samples"
        print(f"| {name} | {job_name} | {t32 * 1e3:.0f} ms | {t16 * 1e3:.0f} ms | ×{t32 / t16:.2f} | "
              f"{diff.mean():.2f} / {diff.max()} |", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
