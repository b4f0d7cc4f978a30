"""Full-resolution style transfer speed and memory on this machine.

    python bench/stylize_bench.py [--threads 1] [--skip-12mp]

1. A 1024×1024 photo with the bundled photo2monet generator beside the reference CycleGAN
   generator size (64 base channels, 9 residual blocks; random weights, the time is the same),
   same tiling, same run. Target: bundled ≤ half the reference's time.
2. A 12-megapixel photo (4000×3000) in a fresh subprocess: wall time, peak resident memory
   (ru_maxrss, includes Python and torch), and a seam check (`seam_ratio`: ≈ 1 = no seam).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

from ganstudio.core.config import ModelConfig
from ganstudio.models.cyclegan import build_cyclegan_generator
from ganstudio.style.tiles import DEFAULT_OVERLAP, DEFAULT_TILE, resolve_style, stylize_array, tile_starts

PHOTO = SHARED / "photos" / "bsds500-test" / "100007.jpg"


def test_photo(width: int, height: int) -> np.ndarray:
    """A held-out photo enlarged to the size asked for (a real photo's colours and edges)."""
    return np.asarray(Image.open(PHOTO).convert("RGB").resize((width, height), Image.Resampling.BICUBIC))


def timed(net, img: np.ndarray) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = stylize_array(net, img, DEFAULT_TILE, DEFAULT_OVERLAP)
    return time.perf_counter() - t0, out


def seam_ratio(out: np.ndarray) -> float:
    """Mean |step| across the lines where tiles meet / mean |step| across other lines of the same
    phase mod 4 (the generator's two stride-2 layers give every output a period-4 texture, and
    tile borders sit on multiples of 4, so only same-phase lines are a fair baseline). 1 = no seam."""
    x = out.astype(np.float32).mean(-1)
    ratios = []
    for axis, length in ((1, x.shape[1]), (0, x.shape[0])):
        starts = tile_starts(length, DEFAULT_TILE, DEFAULT_OVERLAP)
        lines = sorted(set(starts[1:]) | {s + DEFAULT_TILE for s in starts[:-1]} - {length})
        steps = np.abs(np.diff(x, axis=axis)).mean(axis=1 - axis)  # mean step between line i and i + 1
        at = [i - 1 for i in lines]
        same_phase = np.arange(3, len(steps), 4)
        rest = np.setdiff1d(same_phase, at)
        ratios.append(float(steps[at].mean() / steps[rest].mean()))
    return max(ratios)


def child_12mp(threads: int) -> None:
    torch.set_num_threads(threads)
    model, direction = resolve_style("photo2monet")
    img = test_photo(4000, 3000)
    t, out = timed(model.nets[direction], img)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": t, "peak_mb": peak_mb, "seam_ratio": seam_ratio(out), "shape": list(out.shape)}))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--skip-12mp", action="store_true")
    p.add_argument("--child-12mp", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_12mp:
        child_12mp(args.threads)
        return 0
    torch.set_num_threads(args.threads)
    print(f"machine: {machine()}, {args.threads} thread(s); tile {DEFAULT_TILE}, overlap {DEFAULT_OVERLAP}")
    model, direction = resolve_style("photo2monet")
    bundled = model.nets[direction]
    cfg = model.meta["model"]
    reference = build_cyclegan_generator(ModelConfig(arch="cyclegan", channels=3, base_ch=64, res_blocks=9)).eval()
    img = test_photo(1024, 1024)
    timed(bundled, img[:256, :256])  # warm-up
    t_b, _ = timed(bundled, img)
    t_r, _ = timed(reference, img)
    n_b = sum(p.numel() for p in bundled.parameters())
    n_r = sum(p.numel() for p in reference.parameters())
    size = f"{cfg['base_ch']} ch, {cfg['res_blocks']} blocks, {n_b / 1e6:.2f} M params"
    print(f"1024×1024 bundled photo2monet ({size}): {t_b:.1f} s")
    print(f"1024×1024 reference size (64 ch, 9 blocks, {n_r / 1e6:.2f} M params): {t_r:.1f} s")
    print(f"ratio bundled / reference: {t_b / t_r:.2f} (target ≤ 0.50)")
    if not args.skip_12mp:
        res = subprocess.run([sys.executable, __file__, "--child-12mp", "--threads", str(args.threads)],
                             capture_output=True, text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"12 MP (4000×3000) bundled: {r['seconds']:.1f} s, peak RSS {r['peak_mb']:.0f} MB (target < 2048), "
              f"seam ratio {r['seam_ratio']:.3f} (1 = no seam)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
