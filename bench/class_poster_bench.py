"""Class poster speed: a 10 × 10 poster (10 classes × 10 seeds) beside a plain per-image loop, same run.

    .venv/bin/python bench/class_poster_bench.py [--repeats 7] [--model fashion-cdcgan] [--threads N]

Model: the bundled conditional Fashion-MNIST generator (28 px), or with --model any
conditional generator file / bundled id. Baseline: one `Generator.generate` call per image,
each drawing its own latent (what a simple page loop does). Ours: `classgen.poster`, one
batched forward pass under no_grad, as the Classes page draws it. Target ≤ 150 ms.
Timings are medians over --repeats runs with the two variants interleaved; the CPU may be
shared, so compare the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from ganstudio.classgen import generate as classgen
from ganstudio.modelfiles.generator import load_generator
from ganstudio.modelfiles.resolve import resolve_model

try:
    from bench.common import machine
except ImportError:  # run as a script: bench/ is on sys.path
    from common import machine


def per_image(g, classes: int, per_class: int, seed: int) -> np.ndarray:
    out = []
    for k in range(classes):
        for i in range(per_class):
            z = g.latents([seed + i])
            out.append(g.generate(z, torch.tensor([k]))[0])
    return np.stack(out)


def timed(fn) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--model", default="fashion-cdcgan")
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    g = load_generator(resolve_model(args.model), "cpu")
    k = g.num_classes
    params = sum(p.numel() for p in g.net.parameters())
    print(f"{machine()}, {torch.get_num_threads()} threads; model {g.path.name}: {g.config.arch}, "
          f"{g.config.img_size} px, {k} classes, {params / 1e6:.2f} M parameters")
    classgen.poster(g, 10, 0)  # warm-up
    base, ours = [], []
    for r in range(args.repeats):
        t, a = timed(lambda r=r: per_image(g, k, 10, r))
        base.append(t)
        t, b = timed(lambda r=r: classgen.poster(g, 10, r))
        ours.append(t)
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1  # same pictures (batch-size rounding aside)
    mb, mo = statistics.median(base), statistics.median(ours)
    print(f"{k}×10 poster, median of {args.repeats}:")
    print(f"  baseline, one generate() call per image: {mb * 1000:8.1f} ms  (1×)")
    print(f"  classgen.poster, one batched pass:       {mo * 1000:8.1f} ms  (×{mb / mo:.1f})")
    print(f"  target ≤ 150 ms: {'met' if mo <= 0.150 else 'missed'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
